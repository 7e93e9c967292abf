package backoffice

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestBadInputIsRefusedBeforeSending: every case names its field, matches
// ErrInvalidRequest, and sends nothing (the mock fails the test on any
// request).
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	card := CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}
	credit := func(mod func(*CreditRequest)) func(*Client) error {
		return func(c *Client) error {
			r := CreditRequest{Amount: dec("10"), Currency: "EUR", PaymentBrand: "VISA", Card: card}
			mod(&r)
			_, err := c.Credit(ctx, r)
			return err
		}
	}
	capture := func(amount, currency string, mod func(*CaptureRequest)) func(*Client) error {
		return func(c *Client) error {
			r := CaptureRequest{Amount: dec(amount), Currency: currency}
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
		{"bad merchant transaction id", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantTransactionID = "order 42 b" }), "capture: MerchantTransactionID may hold only letters, digits and . _ : / -"},
		{"short merchant transaction id", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantTransactionID = "order-1" }), "capture: MerchantTransactionID is shorter than 8 characters (OPP's format is 8 to 255)"},
		{"credit with bad brand", credit(func(r *CreditRequest) { r.PaymentBrand = "VISA-DEBIT" }), "credit: PaymentBrand must be 1-32 letters, digits or underscores, e.g. VISA or VISA_DEBIT"},
		{"credit with long brand", credit(func(r *CreditRequest) { r.PaymentBrand = strings.Repeat("V", 33) }), "credit: PaymentBrand must be 1-32 letters, digits or underscores, e.g. VISA or VISA_DEBIT"},
		{"long merchant transaction id", capture("1", "EUR", func(r *CaptureRequest) { r.MerchantTransactionID = strings.Repeat("a", 256) }), "capture: MerchantTransactionID is longer than 255 characters"},
		{"bad custom parameter name", capture("1", "EUR", func(r *CaptureRequest) { r.CustomParameters = map[string]string{"a]&b=": "x"} }), "capture: CustomParameters[a]&b=] name must be 1-64 characters from [A-Za-z0-9_.-]"},
		{"bad test mode", capture("1", "EUR", func(r *CaptureRequest) { r.TestMode = "LIVE" }), `capture: TestMode must be "EXTERNAL", "INTERNAL" or empty`},
		{"missing payment id", func(c *Client) error {
			_, err := c.Refund(ctx, "", RefundRequest{Amount: dec("1"), Currency: "EUR"})
			return err
		}, "refund: paymentID is required"},
		{"payment id with a path", func(c *Client) error {
			_, err := c.Refund(ctx, "../x", RefundRequest{Amount: dec("1"), Currency: "EUR"})
			return err
		}, "refund: paymentID must be 1-64 letters or digits (an OPP payment id)"},
		{"partial reversal without currency", func(c *Client) error {
			_, err := c.Reverse(ctx, testPayID, ReverseRequest{Amount: dec("1")})
			return err
		}, "reverse: Currency is required"},
		{"partial reversal without amount", func(c *Client) error {
			_, err := c.Reverse(ctx, testPayID, ReverseRequest{Currency: "EUR"})
			return err
		}, "reverse: Amount must be greater than zero"},
		{"chargeback reason with a line break", func(c *Client) error {
			_, err := c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: dec("1"), Currency: "EUR", Reason: "a\nb"})
			return err
		}, "chargeback: Reason contains control characters"},
		{"chargeback reason twice", func(c *Client) error {
			_, err := c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: dec("1"), Currency: "EUR", Reason: "x",
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
		{"credit with zero amount", credit(func(r *CreditRequest) { r.Amount = dec("0") }), "credit: Amount must be greater than zero"},
		{"nil context", func(c *Client) error {
			//lint:ignore SA1012 a nil context is exactly what is tested
			_, err := c.Rebill(nil, testPayID, RebillRequest{Amount: dec("1"), Currency: "EUR"}) //nolint:staticcheck
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

// TestFormatsAtTheirLimits: a merchantTransactionId of 8 and of 255
// characters, and a paymentBrand with an underscore (VISA_DEBIT) or of 32
// characters, are sent; the generated key is 16 characters.
func TestFormatsAtTheirLimits(t *testing.T) {
	ctx := context.Background()
	card := CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}
	for _, tt := range []struct{ mtid, brand string }{
		{"order-01", "VISA_DEBIT"},
		{strings.Repeat("k", 255), strings.Repeat("B", 32)},
		{"", "visa_debit_2"},
	} {
		c, mt := newMock(t)
		var rec recorder
		mt.RegisterResponder("POST", base+"/v1/payments", rec.wrap(httpmock.NewStringResponder(200,
			paymentJSON("8ac7a4a1845f7e6b01846011a8b1ffff", "", PaymentTypeCredit, "1.00", "EUR", tt.mtid, codeOK, descOK))))
		if _, err := c.Credit(ctx, CreditRequest{Amount: dec("1"), Currency: "EUR", PaymentBrand: tt.brand, Card: card, MerchantTransactionID: tt.mtid}); err != nil {
			t.Fatalf("%q %q: %v", tt.mtid, tt.brand, err)
		}
		sent, _ := url.ParseQuery(rec.reqs[0].Body)
		want := tt.mtid
		if want == "" {
			want = sent.Get("merchantTransactionId")
			if len(want) != generatedMTLen {
				t.Errorf("generated key %q is not %d characters", want, generatedMTLen)
			}
		}
		if sent.Get("merchantTransactionId") != want || sent.Get("paymentBrand") != tt.brand {
			t.Errorf("sent %v; want merchantTransactionId %q, paymentBrand %q", sent, want, tt.brand)
		}
	}
}

// TestLookupAcceptsAShortKey: a key shorter than OPP's 8 characters may
// have been stored by another integration; the lookup sends it.
func TestLookupAcceptsAShortKey(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v1/query?entityId="+testEntity+"&merchantTransactionId=k1", httpmock.NewStringResponder(400,
		`{"result":{"code":"700.400.580","description":"cannot find transaction"}}`))
	if ps, err := c.PaymentsByMerchantTransactionID(context.Background(), "k1"); err != nil || len(ps) != 0 {
		t.Fatalf("= %v, %v", ps, err)
	}
}
