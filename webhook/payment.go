package webhook

import (
	"errors"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/internal/opp"
)

// wirePayment is a payment object as OPP sends it, the payload of a PAYMENT
// notification, in the shape the client decodes an API response into, so
// that Parse decodes the payload straight into it within the one pass over
// the notification, instead of through backoffice.Payment.UnmarshalJSON,
// which would validate and scan the payload again.
// TestPaymentDecodingMatchesTheClient and FuzzParse hold the two
// conversions equal, every field of backoffice.Payment included.
type wirePayment = opp.WirePayment

// errNoResult is a payment payload without result.code.
var errNoResult = errors.New("payment has no result code")

// payment converts w as the client converts an API response: amounts as
// exact decimals (OPP's format only), the timestamp in UTC (zero when absent
// or unparseable), result details as text. A payload without result.code is
// an error.
func payment(w *wirePayment) (*backoffice.Payment, error) {
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
	p.ResultDetails = w.Details()
	if c := w.Card; c != nil {
		p.Card = &backoffice.Card{Bin: c.Bin, Last4Digits: c.Last4Digits, Holder: c.Holder, ExpiryMonth: c.ExpiryMonth, ExpiryYear: c.ExpiryYear}
	}
	return p, nil
}
