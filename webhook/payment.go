package webhook

import (
	"errors"
	"fmt"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/internal/opp"
)

// wirePayment is a payment object as OPP sends it, the payload of a PAYMENT
// notification. It mirrors the client's decoding of an API response field
// for field, so that Parse decodes the payload straight into it within the
// one pass over the notification, instead of through
// backoffice.Payment.UnmarshalJSON, which would validate and scan the
// payload again. TestPaymentDecodingMatchesTheClient and FuzzParse hold
// the two decodings equal, every field of backoffice.Payment included.
type wirePayment struct {
	ID                    string            `json:"id"`
	ReferencedID          string            `json:"referencedId"`
	PaymentType           string            `json:"paymentType"`
	PaymentBrand          string            `json:"paymentBrand"`
	Amount                string            `json:"amount"`
	Currency              string            `json:"currency"`
	Descriptor            string            `json:"descriptor"`
	MerchantTransactionID string            `json:"merchantTransactionId"`
	MerchantMemo          string            `json:"merchantMemo"`
	Result                wireResult        `json:"result"`
	ResultDetails         map[string]any    `json:"resultDetails"`
	CustomParameters      map[string]string `json:"customParameters"`
	Card                  *wireCard         `json:"card"`
	Timestamp             string            `json:"timestamp"`
	BuildNumber           string            `json:"buildNumber"`
	NDC                   string            `json:"ndc"`
	ShortID               string            `json:"shortId"`
}

// wireResult is OPP's result object. Its parameterErrors are decoded, and
// so checked, as the client does, though a notification has no use for them.
type wireResult struct {
	Code            string `json:"code"`
	Description     string `json:"description"`
	ParameterErrors []struct {
		Name    string `json:"name"`
		Value   any    `json:"value"`
		Message string `json:"message"`
	} `json:"parameterErrors"`
}

// wireCard is what OPP echoes of a card.
type wireCard struct {
	Bin         string `json:"bin"`
	Last4Digits string `json:"last4Digits"`
	Holder      string `json:"holder"`
	ExpiryMonth string `json:"expiryMonth"`
	ExpiryYear  string `json:"expiryYear"`
}

// errNoResult is a payment payload without result.code.
var errNoResult = errors.New("payment has no result code")

// payment converts w as the client converts an API response: amounts as
// exact decimals (OPP's format only), the timestamp in UTC (zero when absent
// or unparseable), result details as text. A payload without result.code is
// an error.
func (w *wirePayment) payment() (*backoffice.Payment, error) {
	if w.Result.Code == "" {
		return nil, errNoResult
	}
	p := &backoffice.Payment{
		ID:                    w.ID,
		ReferencedID:          w.ReferencedID,
		PaymentType:           backoffice.PaymentType(w.PaymentType),
		PaymentBrand:          w.PaymentBrand,
		Currency:              w.Currency,
		Descriptor:            w.Descriptor,
		MerchantTransactionID: w.MerchantTransactionID,
		MerchantMemo:          w.MerchantMemo,
		Result:                backoffice.Result{Code: w.Result.Code, Description: w.Result.Description},
		CustomParameters:      w.CustomParameters,
		Timestamp:             opp.ParseTimestamp(w.Timestamp),
		BuildNumber:           w.BuildNumber,
		NDC:                   w.NDC,
		ShortID:               w.ShortID,
	}
	if w.Amount != "" {
		a, err := money.Parse(w.Amount)
		if err != nil {
			return nil, err
		}
		p.Amount = a
	}
	if len(w.ResultDetails) > 0 {
		p.ResultDetails = make(map[string]string, len(w.ResultDetails))
		for k, v := range w.ResultDetails {
			if s, ok := v.(string); ok {
				p.ResultDetails[k] = s
			} else {
				p.ResultDetails[k] = fmt.Sprint(v)
			}
		}
	}
	if c := w.Card; c != nil {
		p.Card = &backoffice.Card{Bin: c.Bin, Last4Digits: c.Last4Digits, Holder: c.Holder, ExpiryMonth: c.ExpiryMonth, ExpiryYear: c.ExpiryYear}
	}
	return p, nil
}
