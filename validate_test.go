package backoffice

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestBadInputIsRefusedBeforeSending: every case names its field, matches
// ErrInvalidRequest, and sends nothing (the mock fails the test on any
// request).
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	card := CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}
	credit := func(mod func(*CreditRequest)) func(*Client) error {
		return func(c *Client) error {
			r := CreditRequest{Amount: d("10"), Currency: "EUR", PaymentBrand: "VISA", Card: card}
			mod(&r)
			_, err := c.Credit(ctx, r)
			return err
		}
	}
	capture := func(amount, currency string, mod func(*CaptureRequest)) func(*Client) error {
		return func(c *Client) error {
			r := CaptureRequest{Amount: d(amount), Currency: currency}
			if mod != nil {
				mod(&r)
			}
			_, err := c.Capture(ctx, testPayID, r)
			return err
		}
	}
	tests := []struct {
		name string
		call func(*Client) error
		want string
	}{
		{"zero amount", capture("0", "EUR", nil), "capture: Amount must be greater than zero"},
		{"negative amount", capture("-1", "EUR", nil), "capture: Amount must be greater than zero"},
		{"too many decimals", capture("1.001", "EUR", nil), "capture: Amount has more decimals than EUR allows (2)"},
		{"decimals on JPY", capture("1.5", "JPY", nil), "capture: Amount has more decimals than JPY allows (0)"},
		{"third decimal on KWD", capture("1.001", "KWD", nil), "capture: Amount has more than 2 decimals, which OPP's amount format does not carry"},
		{"too many digits", capture("12345678901", "EUR", nil), "capture: Amount has more than 10 integer digits"},
		{"missing currency", capture("1", "", nil), "capture: Currency is required"},
		{"lower-case currency", capture("1", "eur", nil), "capture: Currency must be upper case"},
		{"unknown currency", capture("1", "ABC", nil), "capture: Currency is not an ISO 4217 currency code"},
		{"long descriptor", capture("1", "EUR", func(r *CaptureRequest) { r.Descriptor = strings.Repeat("x", 128) }), "capture: Descriptor is longer than 127 characters"},
		{"control character in memo", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantMemo = "a\nb" }), "capture: MerchantMemo contains control characters"},
		{"bad merchant transaction id", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantTransactionID = "a b" }), "capture: MerchantTransactionID may hold only letters, digits and . _ : / -"},
		{"long merchant transaction id", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantTransactionID = strings.Repeat("a", 256) }), "capture: MerchantTransactionID is longer than 255 characters"},
		{"bad custom parameter name", capture("1", "EUR", func(r *CaptureRequest) { r.CustomParameters = map[string]string{"a]&b=": "x"} }), "capture: CustomParameters[a]&b=] name must be 1-64 characters from [A-Za-z0-9_.-]"},
		{"bad test mode", capture("1", "EUR", func(r *CaptureRequest) { r.TestMode = "LIVE" }), `capture: TestMode must be "EXTERNAL", "INTERNAL" or empty`},
		{"missing payment id", func(c *Client) error {
			_, err := c.Refund(ctx, "", RefundRequest{Amount: d("1"), Currency: "EUR"})
			return err
		}, "refund: paymentID is required"},
		{"payment id with a path", func(c *Client) error {
			_, err := c.Refund(ctx, "../x", RefundRequest{Amount: d("1"), Currency: "EUR"})
			return err
		}, "refund: paymentID must be 1-64 letters or digits (an OPP payment id)"},
		{"partial reversal without currency", func(c *Client) error {
			_, err := c.Reverse(ctx, testPayID, ReverseRequest{Amount: d("1")})
			return err
		}, "reverse: Currency is required"},
		{"partial reversal without amount", func(c *Client) error {
			_, err := c.Reverse(ctx, testPayID, ReverseRequest{Currency: "EUR"})
			return err
		}, "reverse: Amount must be greater than zero"},
		{"chargeback without reason", func(c *Client) error {
			_, err := c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: d("1"), Currency: "EUR"})
			return err
		}, "chargeback: Reason is required"},
		{"chargeback reason twice", func(c *Client) error {
			_, err := c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: d("1"), Currency: "EUR", Reason: "x",
				CustomParameters: map[string]string{"CHARGEBACK_REASON": "y"}})
			return err
		}, "chargeback: CustomParameters[CHARGEBACK_REASON] is set by Reason; leave it out"},
		{"credit without brand", credit(func(r *CreditRequest) { r.PaymentBrand = "" }), "credit: PaymentBrand is required"},
		{"credit with short card", credit(func(r *CreditRequest) { r.Card.Number = "4200" }), "credit: Card.Number must be 12-19 digits"},
		{"credit failing Luhn", credit(func(r *CreditRequest) { r.Card.Number = "4200000000000001" }), "credit: Card.Number fails the Luhn check"},
		{"credit with bad month", credit(func(r *CreditRequest) { r.Card.ExpiryMonth = "13" }), `credit: Card.ExpiryMonth must be two digits "01" to "12"`},
		{"credit with bad year", credit(func(r *CreditRequest) { r.Card.ExpiryYear = "34" }), "credit: Card.ExpiryYear must be four digits"},
		{"credit with bad cvv", credit(func(r *CreditRequest) { r.Card.CVV = "12" }), "credit: Card.CVV must be 3 or 4 digits"},
		{"credit with short holder", credit(func(r *CreditRequest) { r.Card.Holder = "J" }), "credit: Card.Holder must be 3-128 characters"},
		{"credit with bad country", credit(func(r *CreditRequest) { r.Billing.Country = "de" }), "credit: Billing.Country must be an upper-case ISO 3166-1 alpha-2 code"},
		{"credit with zero amount", credit(func(r *CreditRequest) { r.Amount = d("0") }), "credit: Amount must be greater than zero"},
		{"nil context", func(c *Client) error {
			//lint:ignore SA1012 a nil context is exactly what is tested
			_, err := c.Rebill(nil, testPayID, RebillRequest{Amount: d("1"), Currency: "EUR"}) //nolint:staticcheck
			return err
		}, "backoffice: ctx is nil: pass a context.Context"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			err := tt.call(c)
			if err == nil || err.Error() != "backoffice: "+strings.TrimPrefix(tt.want, "backoffice: ") {
				t.Fatalf("error = %v; want %q", err, tt.want)
			}
			var ve *ValidationError
			if !errors.Is(err, ErrInvalidRequest) || tt.name != "nil context" && !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *ValidationError matching ErrInvalidRequest", err)
			}
			if strings.Contains(err.Error(), testCard) || strings.Contains(err.Error(), "4200000000000001") {
				t.Fatal("error carries the card number")
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Fatalf("%d requests sent; want none", n)
			}
		})
	}
}
