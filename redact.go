package backoffice

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"

	"github.com/oppkit/backoffice/internal/money"
)

// maskDigits keeps the first six and last four characters of a card number
// and masks the rest; anything shorter than 13 characters is masked whole.
func maskDigits(s string) string {
	if len(s) < 13 {
		return "****"
	}
	return s[:6] + "******" + s[len(s)-4:]
}

// cvvMask is what a set CVV shows as.
func cvvMask(cvv string) string {
	if cvv == "" {
		return ""
	}
	return "***"
}

// String shows the card with its number masked and without the CVV.
func (c CardDetails) String() string {
	return fmt.Sprintf("{Number:%s Holder:%s ExpiryMonth:%s ExpiryYear:%s CVV:%s}",
		maskDigits(c.Number), c.Holder, c.ExpiryMonth, c.ExpiryYear, cvvMask(c.CVV))
}

// Format makes every verb (%v, %+v, %#v, %s, %d, ...) print String, so the
// card number and CVV never reach a log line.
func (c CardDetails) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// LogValue makes log/slog (its text and JSON handlers alike) log the card
// with its number masked and its CVV starred.
func (c CardDetails) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("Number", maskDigits(c.Number)),
		slog.String("Holder", c.Holder),
		slog.String("ExpiryMonth", c.ExpiryMonth),
		slog.String("ExpiryYear", c.ExpiryYear),
		slog.String("CVV", cvvMask(c.CVV)))
}

// maskedCard is the JSON form of a CardDetails.
type maskedCard struct {
	Number, Holder, ExpiryMonth, ExpiryYear, CVV string
}

// MarshalJSON encodes the card with its number masked and its CVV starred,
// so that a card never reaches JSON (a log line, an audit record) in full.
// It is one-way: the SDK sends cards form-encoded, never as JSON, and a
// CardDetails does not survive a JSON round trip.
func (c CardDetails) MarshalJSON() ([]byte, error) {
	return json.Marshal(maskedCard{maskDigits(c.Number), c.Holder, c.ExpiryMonth, c.ExpiryYear, cvvMask(c.CVV)})
}

// String shows the request with the card masked.
func (r CreditRequest) String() string {
	return fmt.Sprintf("{Amount:%s Currency:%s PaymentBrand:%s Card:%s Billing:%+v Descriptor:%s MerchantTransactionID:%s MerchantMemo:%s CustomParameters:%v TestMode:%s}",
		money.String(r.Amount), r.Currency, r.PaymentBrand, r.Card.String(), r.Billing, r.Descriptor, r.MerchantTransactionID,
		r.MerchantMemo, r.CustomParameters, r.TestMode)
}

// Format makes every verb print String, so the card number and CVV never
// reach a log line.
func (r CreditRequest) Format(f fmt.State, _ rune) { io.WriteString(f, r.String()) }

// LogValue makes log/slog log the request with its card masked (see
// CardDetails.LogValue).
func (r CreditRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("Amount", money.String(r.Amount)),
		slog.String("Currency", r.Currency),
		slog.String("PaymentBrand", r.PaymentBrand),
		slog.Any("Card", r.Card.LogValue()),
		slog.Any("Billing", r.Billing),
		slog.String("Descriptor", r.Descriptor),
		slog.String("MerchantTransactionID", r.MerchantTransactionID),
		slog.String("MerchantMemo", r.MerchantMemo),
		slog.Any("CustomParameters", r.CustomParameters),
		slog.String("TestMode", string(r.TestMode)))
}

// MarshalJSON encodes the request with its card masked (see
// CardDetails.MarshalJSON); Amount is a JSON string, as decimal.Decimal
// encodes it.
func (r CreditRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Amount                string
		Currency              string
		PaymentBrand          string
		Card                  CardDetails
		Billing               Billing
		Descriptor            string
		MerchantTransactionID string
		MerchantMemo          string
		CustomParameters      map[string]string
		TestMode              TestMode
	}{money.String(r.Amount), r.Currency, r.PaymentBrand, r.Card, r.Billing, r.Descriptor, r.MerchantTransactionID,
		r.MerchantMemo, r.CustomParameters, r.TestMode})
}

// String describes the client without its access token.
func (c *Client) String() string {
	return "backoffice.Client{entityId: " + c.entityID + ", baseURL: " + c.baseURL + "}"
}

// Format makes every verb print String, so the access token never reaches a
// log line.
func (c *Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// stripQuery returns u without its query string and fragment, for errors.
func stripQuery(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparseable URL)"
	}
	p.RawQuery, p.Fragment, p.User = "", "", nil
	return p.String()
}

// sanitize rewrites every *url.Error in err's chain head so that no URL
// carries a query string.
func sanitize(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return &url.Error{Op: ue.Op, URL: stripQuery(ue.URL), Err: ue.Err}
	}
	return err
}
