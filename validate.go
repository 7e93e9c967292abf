package backoffice

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oppkit/backoffice/internal/form"
	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/internal/opp"
	"github.com/shopspring/decimal"
)

// generatedMTLen fits white labels that cap merchantTransactionId at AN16.
const generatedMTLen = 16

// checkID validates a payment id used in a URL path.
func checkID(op Operation, field, id string) error {
	if id == "" {
		return &ValidationError{Operation: op, Field: field, Reason: "is required"}
	}
	if len(id) > 64 || !opp.Alnum(id) {
		return &ValidationError{Operation: op, Field: field, Reason: "must be 1-64 letters or digits (an OPP payment id)"}
	}
	return nil
}

// checkMTID validates a caller's merchantTransactionId (empty is allowed):
// OPP's format is 8 to 255 characters. A lookup may name a shorter key
// (allowShort), one that another integration may have stored.
func checkMTID(op Operation, mtid string, allowShort bool) error {
	if mtid != "" && len(mtid) < opp.MinMTID && !allowShort {
		return &ValidationError{Operation: op, Field: "MerchantTransactionID", Reason: fmt.Sprintf("is shorter than %d characters (OPP's format is %d to %d)", opp.MinMTID, opp.MinMTID, opp.MaxMTID), MerchantTransactionID: mtid}
	}
	if len(mtid) > opp.MaxMTID {
		return &ValidationError{Operation: op, Field: "MerchantTransactionID", Reason: fmt.Sprintf("is longer than %d characters", opp.MaxMTID)}
	}
	for i := 0; i < len(mtid); i++ {
		c := mtid[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("._:/-", c) >= 0) {
			return &ValidationError{Operation: op, Field: "MerchantTransactionID", Reason: "may hold only letters, digits and . _ : / -", MerchantTransactionID: mtid}
		}
	}
	return nil
}

// newMTID generates a merchantTransactionId: 16 characters from [A-Za-z0-9]
// (95 bits of randomness), within every white label's limits.
func newMTID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b [generatedMTLen]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

// builder validates a request and fills the form of one operation, keeping
// the first problem it meets.
type builder struct {
	op  Operation
	f   form.Credit // a credit sends all of it, other operations f.Operation
	err error
}

func (b *builder) fail(field, reason string) {
	if b.err == nil {
		b.err = &ValidationError{Operation: b.op, Field: field, Reason: reason, MerchantTransactionID: b.f.MerchantTransactionID}
	}
}

// money validates and sets amount and currency.
func (b *builder) money(amount decimal.Decimal, currency string) {
	if err := money.CheckCurrency(currency); err != nil {
		b.fail("Currency", err.Error())
		return
	}
	s, err := money.Format(amount, currency)
	if err != nil {
		b.fail("Amount", err.Error())
		return
	}
	b.f.Amount, b.f.Currency = s, currency
}

// merchantFields are the fields every request carries: the back-office
// dialog's Usage, Transaction ID and Memo, custom parameters and the test
// mode.
type merchantFields struct {
	Descriptor, MerchantTransactionID, MerchantMemo string
	CustomParameters                                map[string]string
	TestMode                                        TestMode
}

// merchant validates and sets the merchant fields; it sets the
// merchantTransactionId first, so that every later error carries it.
func (b *builder) merchant(m *merchantFields) {
	if err := checkMTID(b.op, m.MerchantTransactionID, false); err != nil {
		b.err = err
		return
	}
	b.f.MerchantTransactionID = m.MerchantTransactionID
	if b.f.MerchantTransactionID == "" {
		b.f.MerchantTransactionID = newMTID()
	}
	b.text("Descriptor", m.Descriptor, opp.MaxDescriptor)
	b.text("MerchantMemo", m.MerchantMemo, opp.MaxMemo)
	b.f.Descriptor, b.f.MerchantMemo = m.Descriptor, m.MerchantMemo
	switch m.TestMode {
	case "", TestModeExternal, TestModeInternal:
		b.f.TestMode = string(m.TestMode)
	default:
		b.fail("TestMode", `must be "EXTERNAL", "INTERNAL" or empty`)
	}
	if len(m.CustomParameters) == 0 {
		return
	}
	params := make(form.Params, len(m.CustomParameters)+1)
	for name, v := range m.CustomParameters {
		field := "CustomParameters[" + name + "]"
		if name == "" || len(name) > opp.MaxParamName || strings.ContainsFunc(name, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '.' || r == '-')
		}) {
			b.fail(field, "name must be 1-64 characters from [A-Za-z0-9_.-]")
		}
		b.text(field, v, opp.MaxParamValue)
		params[name] = v
	}
	b.f.CustomParameters = params
}

// text checks a free-text field: valid UTF-8, no control characters, at most
// max characters.
func (b *builder) text(field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		b.fail(field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		b.fail(field, fmt.Sprintf("is longer than %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }):
		b.fail(field, "contains control characters")
	}
}

// card validates and sets the card of a credit. Errors never carry the
// number or CVV.
func (b *builder) card(c *CardDetails) {
	if n := len(c.Number); n < 12 || n > 19 || !opp.Digits(c.Number) {
		b.fail("Card.Number", "must be 12-19 digits")
	} else if !opp.Luhn(c.Number) {
		b.fail("Card.Number", "fails the Luhn check")
	}
	if n := utf8.RuneCountInString(c.Holder); n < 3 || n > 128 {
		b.fail("Card.Holder", "must be 3-128 characters")
	}
	b.text("Card.Holder", c.Holder, 128)
	if len(c.ExpiryMonth) != 2 || !opp.Digits(c.ExpiryMonth) || c.ExpiryMonth < "01" || c.ExpiryMonth > "12" {
		b.fail("Card.ExpiryMonth", `must be two digits "01" to "12"`)
	}
	if len(c.ExpiryYear) != 4 || !opp.Digits(c.ExpiryYear) {
		b.fail("Card.ExpiryYear", "must be four digits")
	}
	if c.CVV != "" && (len(c.CVV) < 3 || len(c.CVV) > 4 || !opp.Digits(c.CVV)) {
		b.fail("Card.CVV", "must be 3 or 4 digits")
	}
	b.f.CardNumber, b.f.CardHolder, b.f.CardExpiryMonth, b.f.CardExpiryYear, b.f.CardCVV =
		c.Number, c.Holder, c.ExpiryMonth, c.ExpiryYear, c.CVV
}

// billing validates and sets the billing address of a credit.
func (b *builder) billing(a *Billing) {
	for _, f := range []struct {
		name, v string
		max     int
		dst     *string
	}{
		{"Billing.Street1", a.Street1, 100, &b.f.BillingStreet1},
		{"Billing.Street2", a.Street2, 100, &b.f.BillingStreet2},
		{"Billing.City", a.City, 80, &b.f.BillingCity},
		{"Billing.State", a.State, 50, &b.f.BillingState},
		{"Billing.Postcode", a.Postcode, 30, &b.f.BillingPostcode},
	} {
		b.text(f.name, f.v, f.max)
		*f.dst = f.v
	}
	if a.Country != "" && (len(a.Country) != 2 || strings.ToUpper(a.Country) != a.Country || !opp.Alnum(a.Country) || opp.Digits(a.Country)) {
		b.fail("Billing.Country", "must be an upper-case ISO 3166-1 alpha-2 code")
	}
	b.f.BillingCountry = a.Country
}

// errNoContext is returned when a method is called with a nil context. It
// matches ErrInvalidRequest, and is a value, so no caller can change it.
var errNoContext error = nilContextError{}

// nilContextError is errNoContext's type.
type nilContextError struct{}

// Error names the argument.
func (nilContextError) Error() string { return "backoffice: ctx is nil: pass a context.Context" }

// Is matches ErrInvalidRequest.
func (nilContextError) Is(target error) bool { return target == ErrInvalidRequest }
