// Package form turns an operation into OPP's form-encoded request body.
//
// Request structs are flat, with OPP's dotted parameter names as tags, and
// hold only strings and Params: go-querystring silently drops a
// decimal.Decimal and prints a map as "map[k:v]", so amounts are formatted
// before they get here and custom parameters encode themselves.
package form

import (
	"net/url"
	"slices"

	"github.com/google/go-querystring/query"
)

// Operation is every parameter a backoffice operation can send. Empty fields
// are not sent.
type Operation struct {
	EntityID              string `url:"entityId"`
	PaymentType           string `url:"paymentType"`
	Amount                string `url:"amount,omitempty"`
	Currency              string `url:"currency,omitempty"`
	Descriptor            string `url:"descriptor,omitempty"`
	MerchantTransactionID string `url:"merchantTransactionId,omitempty"`
	MerchantMemo          string `url:"merchantMemo,omitempty"`
	TestMode              string `url:"testMode,omitempty"`
	CustomParameters      Params `url:"customParameters,omitempty"`
}

// Credit is every parameter of a stand-alone credit: an Operation plus the
// card, holder and billing data. Only credits pay the encoder for them.
type Credit struct {
	Operation
	PaymentBrand    string `url:"paymentBrand,omitempty"`
	CardNumber      string `url:"card.number,omitempty"`
	CardHolder      string `url:"card.holder,omitempty"`
	CardExpiryMonth string `url:"card.expiryMonth,omitempty"`
	CardExpiryYear  string `url:"card.expiryYear,omitempty"`
	CardCVV         string `url:"card.cvv,omitempty"`
	BillingStreet1  string `url:"billing.street1,omitempty"`
	BillingStreet2  string `url:"billing.street2,omitempty"`
	BillingCity     string `url:"billing.city,omitempty"`
	BillingState    string `url:"billing.state,omitempty"`
	BillingPostcode string `url:"billing.postcode,omitempty"`
	BillingCountry  string `url:"billing.country,omitempty"`
}

// Params are OPP custom parameters, encoded as customParameters[NAME]=value
// in sorted name order. Names must have been validated: they are used as-is.
type Params map[string]string

// EncodeValues implements query.Encoder. It has a value receiver so that
// go-querystring finds it on a Params field.
func (p Params) EncodeValues(key string, v *url.Values) error {
	names := make([]string, 0, len(p))
	for name := range p {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v.Set(key+"["+name+"]", p[name])
	}
	return nil
}

// Encode returns the form body of op, an *Operation or a *Credit. An
// Operation takes the fast path (encodeOperation), byte-identical to
// go-querystring's encoding of it; a Credit, and anything else, is encoded
// by go-querystring.
func Encode(op any) ([]byte, error) {
	if o, ok := op.(*Operation); ok && o != nil {
		return encodeOperation(o), nil
	}
	v, err := query.Values(op)
	if err != nil {
		return nil, err
	}
	return []byte(v.Encode()), nil
}
