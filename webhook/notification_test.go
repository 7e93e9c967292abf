package webhook

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

const chargebackJSON = `{"type":"PAYMENT","action":"CREATED","payload":{"id":"8ac7a4a1845f7e6b01846011a8b1cb01","referencedId":"8ac7a4a1845f7e6b01846011a8b1db01",` +
	`"paymentType":"CB","paymentBrand":"VISA","amount":"80.00","currency":"EUR","descriptor":"4610.8883 Shop",` +
	`"result":{"code":"000.100.201","description":"Account or Bank Details Incorrect"},` +
	`"card":{"bin":"420000","last4Digits":"0000","holder":"Jane Jones","expiryMonth":"05","expiryYear":"2034"},` +
	`"authentication":{"entityId":"8a8294174e735d0c014e78cf26461790"},"risk":{"score":"0"},` +
	`"timestamp":"2026-11-23 09:00:00+0000","ndc":"8a82_x"}}`

func TestParsePayment(t *testing.T) {
	n, err := Parse([]byte(chargebackJSON))
	if err != nil {
		t.Fatal(err)
	}
	p := n.Payment
	if n.Type != Payment || n.Action != "CREATED" || n.ID != "8ac7a4a1845f7e6b01846011a8b1cb01" || p == nil {
		t.Fatalf("notification %+v", n)
	}
	if p.PaymentType != backoffice.PaymentTypeChargeback || p.ReferencedID != "8ac7a4a1845f7e6b01846011a8b1db01" || !p.Amount.Equal(decimal.RequireFromString("80")) ||
		p.Currency != "EUR" || p.Result.Code != "000.100.201" || p.Result.Category() != resultcodes.Chargeback || !p.Succeeded() ||
		p.Card.Last4Digits != "0000" || !p.Timestamp.Equal(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("payment %+v", p)
	}
	if string(n.Payload[:7]) != `{"id":"` {
		t.Fatalf("payload %s", n.Payload)
	}
	const want = "webhook.PAYMENT CREATED id=8ac7a4a1845f7e6b01846011a8b1cb01 paymentType=CB result=000.100.201"
	for _, format := range []string{"%v", "%+v", "%s"} {
		if got := fmt.Sprintf(format, n); got != want {
			t.Errorf("%s: %s; want %s (never the payload)", format, got, want)
		}
	}
}

func TestParseOtherTypes(t *testing.T) {
	for typ, want := range map[string]Type{"REGISTRATION": Registration, "RISK": Risk, "SCHEDULE": Schedule} {
		n, err := Parse([]byte(`{"type":"` + typ + `","action":"UPDATED","payload":{"id":"r-1","extra":[1]}}`))
		if err != nil || n.Type != want || n.ID != "r-1" || n.Payment != nil || n.Action != "UPDATED" || string(n.Payload) != `{"id":"r-1","extra":[1]}` {
			t.Errorf("%s: %+v, %v", typ, n, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{`not json`, ErrMalformedPayload},
		{``, ErrMalformedPayload},
		{`{"type":"PAYMENT"}`, ErrMalformedPayload},
		{`{"payload":{"id":"x"}}`, ErrMalformedPayload},
		{`{"type":"PAYMENT","payload":"x"}`, ErrMalformedPayload},
		{`{"type":"PAYMENT","payload":null}`, ErrMalformedPayload},
		{`{"type":"PAYMENT","payload":{"id":"x"}}`, ErrMalformedPayload},                                                // no result code
		{`{"type":"PAYMENT","payload":{"id":"x","amount":"1e2","result":{"code":"000.000.000"}}}`, ErrMalformedPayload}, // not OPP's amount
		{`{"type":"REGISTRATION","payload":{"id":1}}`, ErrMalformedPayload},
		{`{"type":"test","payload":{"id":1}}`, ErrMalformedPayload},
		{`{"type":"SETTLEMENT"}`, ErrMalformedPayload},
		{`{"type":"SETTLEMENT","payload":[1]}`, ErrMalformedPayload},
		{`{"type":5,"payload":{"id":"x"}}`, ErrMalformedPayload},
		{`{"type":"PAYMENT","action":5,"payload":{"id":"x","result":{"code":"000.000.000"}}}`, ErrMalformedPayload},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%s) = %v; want %v", tt.in, err, tt.want)
		}
	}
}

// activationJSON is the notification OPP sends when a merchant registers or
// tests a webhook in the back office.
const activationJSON = `{"type":"test","action":"webhook activation","payload":{"id":"8ac7a4a2845f7e6b0184601bd2d42b4d",` +
	`"result":{"code":"000.000.000","description":"Transaction succeeded"}}}`

func TestParseTestNotification(t *testing.T) {
	n, err := Parse([]byte(activationJSON))
	if err != nil || n.Type != Test || !n.Type.Known() || n.Action != "webhook activation" || n.ID != "8ac7a4a2845f7e6b0184601bd2d42b4d" ||
		n.Payment != nil || string(n.Payload) != activationJSON[strings.Index(activationJSON, `{"id"`):len(activationJSON)-1] {
		t.Fatalf("Parse(activation) = %+v, %v", n, err)
	}
	if got, want := n.String(), "webhook.test webhook activation id=8ac7a4a2845f7e6b0184601bd2d42b4d"; got != want {
		t.Fatalf("String() = %s; want %s", got, want)
	}
}

// TestParseUnknownTypes: an authentic notification of a type OPP does not
// document is returned, not refused, with its raw payload and the id it has.
func TestParseUnknownTypes(t *testing.T) {
	tests := []struct {
		in, typ, id, payload string
	}{
		{`{"type":"SETTLEMENT","action":"CREATED","payload":{"id":"s-1","card":{"number":"4111111111111111"},"amount":12}}`,
			"SETTLEMENT", "s-1", `{"id":"s-1","card":{"number":"4111111111111111"},"amount":12}`},
		{`{"type":"SETTLEMENT","payload":{"batch":7}}`, "SETTLEMENT", "", `{"batch":7}`},
		{`{"type":"SETTLEMENT","payload":{"id":42}}`, "SETTLEMENT", "", `{"id":42}`},                            // an id, but not a string
		{`{"type":"payment","payload":{"id":"x"}}`, "payment", "x", `{"id":"x"}`},                               // OPP spells PAYMENT in capitals
		{`{"payload":{"id":"x","amount":"1e2"},"type":"DISPUTE"}`, "DISPUTE", "x", `{"id":"x","amount":"1e2"}`}, // payload first; not a payment
	}
	for _, tt := range tests {
		n, err := Parse([]byte(tt.in))
		if err != nil || string(n.Type) != tt.typ || n.Type.Known() || n.ID != tt.id || n.Payment != nil || string(n.Payload) != tt.payload {
			t.Errorf("Parse(%s) = %+v (payload %s), %v", tt.in, n, n.Payload, err)
		}
		if s := n.String(); strings.Contains(s, "4111") || strings.Contains(s, "amount") {
			t.Errorf("String() shows the payload: %s", s)
		}
	}
}

func TestTypeKnown(t *testing.T) {
	for typ, want := range map[Type]bool{Payment: true, Registration: true, Risk: true, Schedule: true, Test: true,
		"TEST": false, "payment": false, "SETTLEMENT": false, "": false} {
		if typ.Known() != want {
			t.Errorf("Type(%q).Known() = %v", typ, !want)
		}
	}
}
