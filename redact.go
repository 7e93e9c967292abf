package backoffice

import (
	"fmt"
	"io"
	"net/url"
)

// maskDigits keeps the first six and last four characters of a card number
// and masks the rest; anything shorter than 13 characters is masked whole.
func maskDigits(s string) string {
	if len(s) < 13 {
		return "****"
	}
	return s[:6] + "******" + s[len(s)-4:]
}

// String shows the card with its number masked and without the CVV.
func (c CardDetails) String() string {
	cvv := ""
	if c.CVV != "" {
		cvv = "***"
	}
	return fmt.Sprintf("{Number:%s Holder:%s ExpiryMonth:%s ExpiryYear:%s CVV:%s}",
		maskDigits(c.Number), c.Holder, c.ExpiryMonth, c.ExpiryYear, cvv)
}

// Format makes every verb (%v, %+v, %#v, %s, %d, ...) print String, so the
// card number and CVV never reach a log line.
func (c CardDetails) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// String shows the request with the card masked.
func (r CreditRequest) String() string {
	return fmt.Sprintf("{Amount:%s Currency:%s PaymentBrand:%s Card:%s Billing:%+v Descriptor:%s MerchantTransactionID:%s MerchantMemo:%s CustomParameters:%v TestMode:%s}",
		r.Amount.String(), r.Currency, r.PaymentBrand, r.Card.String(), r.Billing, r.Descriptor, r.MerchantTransactionID,
		r.MerchantMemo, r.CustomParameters, r.TestMode)
}

// Format makes every verb print String, so the card number and CVV never
// reach a log line.
func (r CreditRequest) Format(f fmt.State, _ rune) { io.WriteString(f, r.String()) }

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
