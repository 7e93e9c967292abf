package webhook

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"encoding/json"
)

const (
	keySize = 32 // AES-256
	ivSize  = 12 // the GCM standard nonce, which OPP sends
	tagSize = 16 // the full GCM tag
)

// Decrypt returns the plaintext of a notification. key is the merchant's
// webhook key (64 hexadecimal characters), iv and tag are the
// X-Initialization-Vector and X-Authentication-Tag headers, all hexadecimal
// in either case; body is the request body as received, surrounding ASCII
// whitespace ignored: the hexadecimal ciphertext, or the same wrapped in
// JSON as {"encryptedBody":"<hexadecimal ciphertext>"}, the form sent to a
// merchant who chose JSON-wrapped notifications over plain text (see the
// package documentation).
//
// The IV must be 12 bytes (24 hexadecimal characters), the GCM standard
// nonce OPP sends; any other length is ErrInvalidIV rather than a
// non-standard GCM nonce. The tag must be 16 bytes. Checking it is GCM's
// own work, in constant time: a wrong key and an altered ciphertext, tag or
// IV are all ErrAuthentication, because GCM cannot tell them apart. A
// malformed key, IV, tag or body (a JSON body without a string
// encryptedBody included) is its own error (ErrInvalidKey,
// ErrInvalidIV, ErrInvalidTag, ErrInvalidBody), reported before any
// decryption. No error carries the key or the plaintext.
func Decrypt(key, iv, tag string, body []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	return open(aead, iv, tag, body)
}

// newAEAD builds AES-256-GCM for a hexadecimal key.
func newAEAD(key string) (cipher.AEAD, error) {
	k, err := decodeHex(key, keySize)
	if err != nil {
		return nil, ErrInvalidKey
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, ErrInvalidKey
	}
	return cipher.NewGCM(block)
}

// open decrypts and authenticates one message.
func open(aead cipher.AEAD, iv, tag string, body []byte) ([]byte, error) {
	nonce, err := decodeHex(iv, ivSize)
	if err != nil {
		return nil, ErrInvalidIV
	}
	t, err := decodeHex(tag, tagSize)
	if err != nil {
		return nil, ErrInvalidTag
	}
	text := bytes.Trim(body, space)
	if len(text) > 0 && text[0] == '{' {
		var wrapped struct {
			EncryptedBody *string `json:"encryptedBody"`
		}
		if json.Unmarshal(text, &wrapped) != nil || wrapped.EncryptedBody == nil {
			return nil, ErrInvalidBody
		}
		text = bytes.Trim([]byte(*wrapped.EncryptedBody), space)
	}
	if len(text) == 0 || len(text)%2 != 0 {
		return nil, ErrInvalidBody
	}
	sealed := make([]byte, len(text)/2, len(text)/2+tagSize)
	if _, err := hex.Decode(sealed, text); err != nil {
		return nil, ErrInvalidBody
	}
	plain, err := aead.Open(sealed[:0], nonce, append(sealed, t...), nil)
	if err != nil {
		return nil, ErrAuthentication
	}
	return plain, nil
}

// space is the ASCII white space ignored around a body.
const space = " \t\r\n\v\f"

// decodeHex decodes exactly n bytes of hexadecimal text.
func decodeHex(s string, n int) ([]byte, error) {
	if len(s) != 2*n {
		return nil, hex.ErrLength
	}
	return hex.DecodeString(s)
}
