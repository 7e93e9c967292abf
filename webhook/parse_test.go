package webhook

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/oppkit/backoffice"
)

// wrap returns body as a JSON-wrapped notification body.
func wrap(body []byte) []byte {
	return []byte(`{"encryptedBody":"` + string(body) + `"}`)
}

// checkSameAsTwoPasses fails unless Parse's result n, err for data is what
// the two-pass reading returns.
func checkSameAsTwoPasses(t *testing.T, data []byte, n Notification, err error) {
	t.Helper()
	n2, err2 := parseInTwoPasses(data)
	if err != err2 || !reflect.DeepEqual(n, n2) {
		t.Fatalf("Parse(%s)\n= %+v (payload %s), %v\ntwo passes: %+v (payload %s), %v", data, n, n.Payload, err, n2, n2.Payload, err2)
	}
}

// checkSameAsClient fails unless p is the client's decoding of payload.
func checkSameAsClient(t *testing.T, payload []byte, p *backoffice.Payment) {
	t.Helper()
	var want backoffice.Payment
	if err := json.Unmarshal(payload, &want); err != nil {
		t.Fatalf("the client refuses %s (%v); the webhook decoded %+v", payload, err, p)
	}
	if !reflect.DeepEqual(*p, want) {
		t.Fatalf("payload %s\nwebhook: %+v\nclient:  %+v", payload, *p, want)
	}
}

// onePassCases are notifications whose envelope Parse's one pass must read
// exactly as encoding/json does (its result is checked against the two-pass
// reading), and whether the one pass applies.
var onePassCases = []struct {
	in      string
	onePass bool
}{
	{chargebackJSON, true},
	{activationJSON, true},
	{` { "payload" : {"id":"x","result":{"code":"000.000.000"}} , "type" : "PAYMENT" } `, true},
	{"{\n\t\"type\":\"PAYMENT\",\r\n\"payload\":{\"id\":\"}\\\"{\",\"result\":{\"code\":\"000.000.000\"},\"resultDetails\":{\"a\":[1,{\"payload\":2}],\"b\":null,\"c\":true}}}", true},
	{`{"type":"PAYMENT","note":"\"payload\":{}","payload":{"id":"x","result":{"code":"000.000.000"}}}`, true},
	{`{"type":"PAYMENT","payload":{"id":"a","result":{"code":"000.000.000"}},"payload":{"id":"b","result":{"code":"000.000.000"}}}`, false},
	{`{"type":"PAYMENT","payload":{"id":"a","result":{"code":"000.000.000"}},"Payload":{"id":"b"}}`, false},
	{`{"type":"PAYMENT","PAYLOAD":{"id":"a","result":{"code":"000.000.000"}}}`, false},
	{`{"type":"PAYMENT","p\u0061yload":{"id":"a","result":{"code":"000.000.000"}}}`, false},
	{`{"type":"PAYMENT","payload":{"id":"a","result":{"code":"000.000.000"}},"p\u0061yload":{"id":"b"}}`, false},
	{`{"type":"PAYMENT","note":"ends in a backslash \\","payload":{"id":"x\\","result":{"code":"000.000.000"}}}`, true},
	{`{"type":"PAYMENT","note":"\\\"}\\\\\"","payload":{"id":"x","result":{"code":"000.000.000","description":"\\\\"}}}`, true},
	{`{"type":"PAYMENT","pàyload":{"id":"a"},"payload":{"id":"x","result":{"code":"000.000.000"}}}`, true},
	{`{"type":"PAYMENT","a\\b":1,"payload":{"id":"x","result":{"code":"000.000.000"}}}`, false},
	{`{"type":"PAYMENT","payload":null}`, true},
	{`{"type":"PAYMENT","payload":"x"}`, false},
	{`{"type":"SETTLEMENT","payload":{"id":"x","card":"not a card"}}`, false},
	{`{"type":"PAYMENT","payload":{"id":"x","result":{"code":"000.000.000","parameterErrors":[{"name":1}]}}}`, false},
	{`{"type":"REGISTRATION","payload":{"id":null}}`, true},
	{`null`, false},
	{`[]`, false},
	{`{}`, false},
}

// TestParseOnePass: the one pass applies to the notifications OPP sends and
// leaves every envelope it cannot read exactly like encoding/json (a key
// spelled twice or in another case, an escaped key, a payload that is not
// a payment's shape) to the two-pass reading; either way the result is the
// same.
func TestParseOnePass(t *testing.T) {
	for _, tt := range onePassCases {
		var env envelope
		_, located := payloadValue([]byte(tt.in))
		if onePass := json.Unmarshal([]byte(tt.in), &env) == nil && located; onePass != tt.onePass {
			t.Errorf("%s: one pass %v; want %v", tt.in, onePass, tt.onePass)
		}
		n, err := Parse([]byte(tt.in))
		checkSameAsTwoPasses(t, []byte(tt.in), n, err)
	}
}

// TestPaymentDecodingMatchesTheClient: the webhook decodes a payment
// payload into the very Payment the client decodes from it, every field
// set, and refuses the payloads the client refuses.
func TestPaymentDecodingMatchesTheClient(t *testing.T) {
	full := `{"id":"8ac7a4a1845f7e6b01846011a8b1cb01","referencedId":"8ac7a4a1845f7e6b01846011a8b1db01","paymentType":"CB",` +
		`"paymentBrand":"VISA_DEBIT","amount":"80.00","currency":"EUR","descriptor":"4610.8883 Shop","merchantTransactionId":"order-4711",` +
		`"merchantMemo":"disputed","result":{"code":"000.100.201","description":"Account or Bank Details Incorrect"},` +
		`"resultDetails":{"ExtendedDescription":"ok","AcquirerResponse":0,"risk":{"x":1}},"customParameters":{"SHOP":"1"},` +
		`"card":{"bin":"420000","last4Digits":"0000","holder":"Jane Jones","expiryMonth":"05","expiryYear":"2034"},` +
		`"timestamp":"2026-11-23 09:00:00.123+0200","buildNumber":"b1","ndc":"8a82_x","shortId":"1234.5678.9012"}`
	n, err := Parse([]byte(`{"type":"PAYMENT","payload":` + full + `}`))
	if err != nil {
		t.Fatal(err)
	}
	checkSameAsClient(t, n.Payload, n.Payment)
	v := reflect.ValueOf(*n.Payment)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("Payment.%s is not decoded", v.Type().Field(i).Name)
		}
	}
	for _, payload := range []string{
		`{"id":"x","result":{"code":"000.000.000"},"amount":"10"}`,
		`{"id":"x","result":{"code":"000.000.000"},"timestamp":"yesterday"}`,
		`{"id":"x","result":{"code":"000.000.000"},"card":null,"resultDetails":{}}`,
		`{"id":"x","result":{"code":"000.000.000"},"timestamp":"2026-11-23T09:00:00Z"}`,
	} {
		n, err := Parse([]byte(`{"type":"PAYMENT","payload":` + payload + `}`))
		if err != nil {
			t.Errorf("%s: %v", payload, err)
			continue
		}
		checkSameAsClient(t, n.Payload, n.Payment)
	}
	for _, payload := range []string{
		`{"id":"x"}`,
		`{"id":"x","result":{"code":"000.000.000"},"amount":"-1.00"}`,
		`{"id":"x","result":{"code":"000.000.000"},"amount":10}`,
		`{"id":"x","result":{"code":"000.000.000"},"customParameters":{"a":1}}`,
	} {
		if _, err := Parse([]byte(`{"type":"PAYMENT","payload":` + payload + `}`)); err != ErrMalformedPayload {
			t.Errorf("%s: %v; want ErrMalformedPayload", payload, err)
		}
		if err := json.Unmarshal([]byte(payload), new(backoffice.Payment)); err == nil {
			t.Errorf("%s: the client accepts it", payload)
		}
	}
}

// TestParseCopiesThePayload: the notification does not alias the caller's
// buffer.
func TestParseCopiesThePayload(t *testing.T) {
	buf := []byte(chargebackJSON)
	n, err := Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	copy(buf, bytes.Repeat([]byte("x"), len(buf)))
	if !bytes.HasPrefix(n.Payload, []byte(`{"id":"8ac7a4a1845f7e6b01846011a8b1cb01"`)) {
		t.Fatalf("payload changed with the caller's buffer: %s", n.Payload)
	}
}
