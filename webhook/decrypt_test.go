package webhook

import (
	"errors"
	"strings"
	"testing"
)

// The decryption example of OPP's documentation (opp-api.md §10), verified
// independently with Python's cryptography package.
const (
	vectorKey   = "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f"
	vectorIV    = "000000000000000000000000"
	vectorTag   = "CE573FB7A41AB78E743180DC83FF09BD"
	vectorBody  = "0A3471C72D9BE49A8520F79C66BBD9A12FF9"
	vectorPlain = `{"type":"PAYMENT"}`
)

func TestDecryptTestVector(t *testing.T) {
	got, err := Decrypt(vectorKey, vectorIV, vectorTag, []byte(vectorBody))
	if err != nil || string(got) != vectorPlain {
		t.Fatalf("Decrypt = %q, %v; want %q", got, err, vectorPlain)
	}
	// Lower-case hex and surrounding whitespace are accepted too.
	got, err = Decrypt(strings.ToUpper(vectorKey), vectorIV, strings.ToLower(vectorTag), []byte("\n "+strings.ToLower(vectorBody)+"\r\n"))
	if err != nil || string(got) != vectorPlain {
		t.Fatalf("Decrypt (other case) = %q, %v", got, err)
	}
}

func TestEncryptReproducesTheTestVector(t *testing.T) {
	tag, body, err := EncryptWithIV(vectorKey, vectorIV, []byte(vectorPlain))
	if err != nil || tag != vectorTag || string(body) != vectorBody {
		t.Fatalf("EncryptWithIV = %s, %s, %v; want %s, %s", tag, body, err, vectorTag, vectorBody)
	}
}

func TestRoundTrip(t *testing.T) {
	plain := []byte(`{"type":"PAYMENT","payload":{"id":"x","result":{"code":"000.000.000"}}}`)
	iv, tag, body, err := Encrypt(vectorKey, plain)
	if err != nil {
		t.Fatal(err)
	}
	if len(iv) != 24 || len(tag) != 32 || len(body) != 2*len(plain) || strings.ToUpper(iv) != iv {
		t.Fatalf("iv %q tag %q body %d bytes", iv, tag, len(body))
	}
	got, err := Decrypt(vectorKey, iv, tag, body)
	if err != nil || string(got) != string(plain) {
		t.Fatalf("Decrypt = %q, %v", got, err)
	}
	iv2, _, _, _ := Encrypt(vectorKey, plain)
	if iv2 == iv {
		t.Fatal("two encryptions used the same IV")
	}
}

// TestDecryptErrors: each problem is its own error; a wrong key and every
// kind of tampering are the one authentication error GCM can report.
func TestDecryptErrors(t *testing.T) {
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	otherKey := strings.Repeat("ab", 32)
	tests := []struct {
		name             string
		key, iv, tag, bd string
		want             error
	}{
		{"wrong key", otherKey, vectorIV, vectorTag, vectorBody, ErrAuthentication},
		{"tampered ciphertext", vectorKey, vectorIV, vectorTag, flip(vectorBody, 5), ErrAuthentication},
		{"tampered tag", vectorKey, vectorIV, flip(vectorTag, 0), vectorBody, ErrAuthentication},
		{"tampered IV", vectorKey, flip(vectorIV, 23), vectorTag, vectorBody, ErrAuthentication},
		{"truncated ciphertext", vectorKey, vectorIV, vectorTag, vectorBody[:len(vectorBody)-2], ErrAuthentication},
		{"short key", vectorKey[:62], vectorIV, vectorTag, vectorBody, ErrInvalidKey},
		{"non-hex key", "zz" + vectorKey[2:], vectorIV, vectorTag, vectorBody, ErrInvalidKey},
		{"empty key", "", vectorIV, vectorTag, vectorBody, ErrInvalidKey},
		{"16-byte IV", vectorKey, vectorIV + "00000000", vectorTag, vectorBody, ErrInvalidIV},
		{"non-hex IV", vectorKey, "g" + vectorIV[1:], vectorTag, vectorBody, ErrInvalidIV},
		{"missing IV", vectorKey, "", vectorTag, vectorBody, ErrInvalidIV},
		{"short tag", vectorKey, vectorIV, vectorTag[:30], vectorBody, ErrInvalidTag},
		{"non-hex tag", vectorKey, vectorIV, "x" + vectorTag[1:], vectorBody, ErrInvalidTag},
		{"missing tag", vectorKey, vectorIV, "", vectorBody, ErrInvalidTag},
		{"non-hex body", vectorKey, vectorIV, vectorTag, "0A34zz", ErrInvalidBody},
		{"odd-length body", vectorKey, vectorIV, vectorTag, vectorBody[1:], ErrInvalidBody},
		{"empty body", vectorKey, vectorIV, vectorTag, "  ", ErrInvalidBody},
	}
	all := []error{ErrInvalidKey, ErrInvalidIV, ErrInvalidTag, ErrInvalidBody, ErrAuthentication, ErrMalformedPayload}
	for _, tt := range tests {
		got, err := Decrypt(tt.key, tt.iv, tt.tag, []byte(tt.bd))
		if got != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: %q, %v; want %v", tt.name, got, err, tt.want)
		}
		for _, other := range all {
			if other != tt.want && errors.Is(err, other) {
				t.Errorf("%s: also matches %v", tt.name, other)
			}
		}
		if strings.Contains(err.Error(), tt.key) && tt.key != "" {
			t.Errorf("%s: error carries the key", tt.name)
		}
	}
}

// TestDecryptJSONWrappedBody: the body may come wrapped as
// {"encryptedBody":"<hex>"}, which decrypts as the bare hex does; a JSON body
// without a hexadecimal encryptedBody is ErrInvalidBody.
func TestDecryptJSONWrappedBody(t *testing.T) {
	for _, body := range []string{
		`{"encryptedBody":"` + vectorBody + `"}`,
		" {\n  \"encryptedBody\": \"" + strings.ToLower(vectorBody) + "\"\n}\n",
		`{"encryptedBody":" ` + vectorBody + `\n","other":1}`,
	} {
		got, err := Decrypt(vectorKey, vectorIV, vectorTag, []byte(body))
		if err != nil || string(got) != vectorPlain {
			t.Errorf("Decrypt(%s) = %q, %v; want %q", body, got, err, vectorPlain)
		}
	}
	for body, want := range map[string]error{
		`{"encryptedBody":"` + vectorBody[:len(vectorBody)-2] + `"}`: ErrAuthentication,
		`{"encryptedBody":""}`:            ErrInvalidBody,
		`{"encryptedBody":"0A3z"}`:        ErrInvalidBody,
		`{"encryptedBody":10}`:            ErrInvalidBody,
		`{"encryptedBody":null}`:          ErrInvalidBody,
		`{"body":"` + vectorBody + `"}`:   ErrInvalidBody,
		`{"encryptedBody":"` + vectorBody: ErrInvalidBody,
		`{}`:                              ErrInvalidBody,
	} {
		if got, err := Decrypt(vectorKey, vectorIV, vectorTag, []byte(body)); got != nil || !errors.Is(err, want) {
			t.Errorf("Decrypt(%s) = %q, %v; want %v", body, got, err, want)
		}
	}
}
