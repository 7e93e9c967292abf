package opp

import "fmt"

// WirePayment is a payment object as OPP sends it: the body of an
// operation's answer, an element of a lookup's payments, the payload of a
// payment notification. It is the one definition of that JSON shape, which
// the client and package webhook both decode into. Every field but Result
// is optional; unknown fields are ignored.
type WirePayment struct {
	ID                    string            `json:"id"`
	ReferencedID          string            `json:"referencedId"`
	PaymentType           string            `json:"paymentType"`
	PaymentBrand          string            `json:"paymentBrand"`
	Amount                string            `json:"amount"`
	Currency              string            `json:"currency"`
	Descriptor            string            `json:"descriptor"`
	MerchantTransactionID string            `json:"merchantTransactionId"`
	MerchantMemo          string            `json:"merchantMemo"`
	Result                WireResult        `json:"result"`
	ResultDetails         map[string]any    `json:"resultDetails"`
	CustomParameters      map[string]string `json:"customParameters"`
	Card                  *WireCard         `json:"card"`
	Timestamp             string            `json:"timestamp"`
	BuildNumber           string            `json:"buildNumber"`
	NDC                   string            `json:"ndc"`
	ShortID               string            `json:"shortId"`
}

// WireAnswer is any answer of OPP's: a payment object (an operation's
// answer, a lookup by id, a rejection that echoes the request) and, for a
// lookup by merchantTransactionId or a report, the list of payments.
type WireAnswer struct {
	WirePayment
	Payments []WirePayment `json:"payments"`
	Records  *int          `json:"records"` // a report's matches over all its pages
}

// WireResult is OPP's result object.
type WireResult struct {
	Code            string `json:"code"`
	Description     string `json:"description"`
	ParameterErrors []struct {
		Name    string `json:"name"`
		Value   any    `json:"value"`
		Message string `json:"message"`
	} `json:"parameterErrors"`
}

// WireCard is what OPP echoes of a card: never the full number.
type WireCard struct {
	Bin         string `json:"bin"`
	Last4Digits string `json:"last4Digits"`
	Holder      string `json:"holder"`
	ExpiryMonth string `json:"expiryMonth"`
	ExpiryYear  string `json:"expiryYear"`
}

// Details returns the payment's resultDetails as text (nil when it has
// none): strings as sent, other JSON values as fmt prints them.
func (w *WirePayment) Details() map[string]string {
	if len(w.ResultDetails) == 0 {
		return nil
	}
	out := make(map[string]string, len(w.ResultDetails))
	for k, v := range w.ResultDetails {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}
