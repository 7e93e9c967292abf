package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"strings"
)

const (
	keySize = 32 // AES-256
	ivSize  = 12 // the GCM standard nonce, which OPP sends
	tagSize = 16
)

// Decrypt returns the plaintext of a notification: key is the merchant's
// webhook key and iv and tag the X-Initialization-Vector and
// X-Authentication-Tag headers, all hexadecimal (either case); body is the
// request body as received, hexadecimal, surrounding whitespace ignored. The
// tag is checked by GCM itself, in constant time.
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
	text := strings.TrimSpace(string(body))
	if text == "" || len(text)%2 != 0 {
		return nil, ErrInvalidBody
	}
	sealed := make([]byte, len(text)/2, len(text)/2+tagSize)
	if _, err := hex.Decode(sealed, []byte(text)); err != nil {
		return nil, ErrInvalidBody
	}
	plain, err := aead.Open(sealed[:0], nonce, append(sealed, t...), nil)
	if err != nil {
		return nil, ErrAuthentication
	}
	return plain, nil
}

// decodeHex decodes exactly n bytes of hexadecimal text.
func decodeHex(s string, n int) ([]byte, error) {
	if len(s) != 2*n {
		return nil, hex.ErrLength
	}
	return hex.DecodeString(s)
}
