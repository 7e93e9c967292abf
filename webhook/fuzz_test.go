package webhook

import (
	"errors"
	"testing"
)

func FuzzDecrypt(f *testing.F) {
	f.Add(vectorKey, vectorIV, vectorTag, []byte(vectorBody))
	f.Add(vectorKey, vectorIV, vectorTag, []byte(`{"encryptedBody":"`+vectorBody+`"}`))
	f.Add(vectorKey, vectorIV, vectorTag, []byte(""))
	f.Add("", "", "", []byte("zz"))
	f.Fuzz(func(t *testing.T, key, iv, tag string, body []byte) {
		plain, err := Decrypt(key, iv, tag, body)
		if err == nil && key == vectorKey && iv == vectorIV && tag == vectorTag && string(body) == vectorBody && string(plain) != vectorPlain {
			t.Fatalf("wrong plaintext %q", plain)
		}
		if err != nil && plain != nil {
			t.Fatal("plaintext returned with an error")
		}
		if err != nil && !errors.Is(err, ErrInvalidKey) && !errors.Is(err, ErrInvalidIV) && !errors.Is(err, ErrInvalidTag) &&
			!errors.Is(err, ErrInvalidBody) && !errors.Is(err, ErrAuthentication) {
			t.Fatalf("untyped error %v", err)
		}
		// Whatever the body, encrypting it as plaintext round-trips, bare and
		// JSON-wrapped (an empty ciphertext is ErrInvalidBody: OPP never
		// sends one).
		if tag2, sealed, err := EncryptWithIV(key, vectorIV, body); err == nil && len(body) > 0 {
			if back, err := Decrypt(key, vectorIV, tag2, sealed); err != nil || string(back) != string(body) {
				t.Fatalf("round trip: %q, %v", back, err)
			}
			if back, err := Decrypt(key, vectorIV, tag2, wrap(sealed)); err != nil || string(back) != string(body) {
				t.Fatalf("round trip, wrapped: %q, %v", back, err)
			}
		}
	})
}

// FuzzParse: Parse never fails with anything but ErrMalformedPayload, its
// one pass gives what the two-pass reading gives, and a payment is what the
// client decodes from the same payload.
func FuzzParse(f *testing.F) {
	f.Add([]byte(chargebackJSON))
	f.Add([]byte(activationJSON))
	f.Add([]byte(`{"type":"RISK","payload":{"id":"x"}}`))
	f.Add([]byte(`{"type":"SETTLEMENT","payload":{"id":"x","amount":5}}`))
	f.Add([]byte(`{"type":"PAYMENT","payload":{"result":{"code":"x"},"amount":"1.00"}}`))
	for _, tt := range onePassCases {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		checkSameAsTwoPasses(t, data, n, err)
		if err != nil {
			if !errors.Is(err, ErrMalformedPayload) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if (n.Type == Payment) != (n.Payment != nil) {
			t.Fatalf("type %s with payment %v", n.Type, n.Payment)
		}
		if n.Payment != nil {
			checkSameAsClient(t, n.Payload, n.Payment)
		}
	})
}
