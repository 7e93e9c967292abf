package webhook

import "errors"

// The errors of Decrypt and Parse. Each names a different problem, matched
// with errors.Is; none carries the key, the plaintext or card data.
var (
	// ErrInvalidKey: the key is not 64 hexadecimal characters (32 bytes).
	ErrInvalidKey = errors.New("webhook: key must be 64 hexadecimal characters")
	// ErrInvalidIV: the X-Initialization-Vector header is not 24
	// hexadecimal characters (a 12-byte GCM nonce).
	ErrInvalidIV = errors.New("webhook: X-Initialization-Vector must be 24 hexadecimal characters")
	// ErrInvalidTag: the X-Authentication-Tag header is not 32 hexadecimal
	// characters (a 16-byte GCM tag).
	ErrInvalidTag = errors.New("webhook: X-Authentication-Tag must be 32 hexadecimal characters")
	// ErrInvalidBody: the body is empty or not hexadecimal, or it is JSON
	// without a string encryptedBody.
	ErrInvalidBody = errors.New("webhook: body must be a non-empty hexadecimal ciphertext, bare or as {\"encryptedBody\":\"...\"}")
	// ErrAuthentication: GCM rejected the message. The key is wrong, or the
	// ciphertext, the tag or the IV was altered: GCM cannot tell which, by
	// design, so all four are this one error.
	ErrAuthentication = errors.New("webhook: message authentication failed (wrong key, or tampered ciphertext, tag or IV)")
	// ErrMalformedPayload: the plaintext is not a notification: not JSON,
	// no type, no payload object, a payment payload without a result code
	// or with an amount not in OPP's format, or a documented type whose id
	// is not a string. A notification of a type OPP does not document is
	// not an error (see Type.Known).
	ErrMalformedPayload = errors.New("webhook: malformed notification")
)
