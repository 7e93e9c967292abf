package webhook

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
)

// Encrypt encrypts a notification as OPP does, for tests of a merchant's own
// handler: it returns the IV and tag for the two headers and the body, all
// upper-case hexadecimal, with a random IV.
func Encrypt(key string, plaintext []byte) (iv, tag string, body []byte, err error) {
	nonce := make([]byte, ivSize)
	if _, err := rand.Read(nonce); err != nil {
		return "", "", nil, err
	}
	tag, body, err = EncryptWithIV(key, upperHex(nonce), plaintext)
	if err != nil {
		return "", "", nil, err
	}
	return upperHex(nonce), tag, body, nil
}

// EncryptWithIV is Encrypt with a chosen IV (24 hexadecimal characters), for
// reproducible tests. Never reuse an IV with the same key outside tests.
func EncryptWithIV(key, iv string, plaintext []byte) (tag string, body []byte, err error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", nil, err
	}
	nonce, err := decodeHex(iv, ivSize)
	if err != nil {
		return "", nil, ErrInvalidIV
	}
	sealed := aead.Seal(nil, nonce, plaintext, nil)
	ct, t := sealed[:len(sealed)-tagSize], sealed[len(sealed)-tagSize:]
	return upperHex(t), []byte(upperHex(ct)), nil
}

// NewRequest returns the POST OPP would send to url for plaintext (a
// notification's JSON, {"type":"PAYMENT","action":"CREATED","payload":{...}}),
// encrypted with key by Encrypt: the body and the X-Initialization-Vector
// and X-Authentication-Tag headers in upper-case hexadecimal. It is what a
// merchant's test feeds to its own handler (with httptest.NewRecorder) or
// sends to its server.
func NewRequest(key, url string, plaintext []byte) (*http.Request, error) {
	iv, tag, body, err := Encrypt(key, plaintext)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("X-Initialization-Vector", iv)
	req.Header.Set("X-Authentication-Tag", tag)
	return req, nil
}

// upperHex is b in upper-case hexadecimal, as OPP writes it.
func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
