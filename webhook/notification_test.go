package webhook

import (
	"errors"
	"fmt"
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
		{`{"type":"REFUND","payload":{"id":"x"}}`, ErrUnknownType},
		{`{"type":"payment","payload":{"id":"x"}}`, ErrUnknownType},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%s) = %v; want %v", tt.in, err, tt.want)
		}
	}
	_, err := Parse([]byte(`{"type":"REFUND","payload":{}}`))
	var ute *UnknownTypeError
	if !errors.As(err, &ute) || ute.Type != "REFUND" || err.Error() != `webhook: unknown notification type "REFUND"` {
		t.Fatalf("err = %v", err)
	}
}
