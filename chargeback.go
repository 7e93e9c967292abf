package backoffice

import (
	"context"

	"github.com/oppkit/backoffice/internal/form"
)

// ChargebackReasonParameter is the custom parameter that carries a
// chargeback's reason: OPP documents no request parameter for it and rejects
// unknown parameters, so the SDK sends customParameters[CHARGEBACK_REASON].
const ChargebackReasonParameter = "CHARGEBACK_REASON"

// Chargeback records a chargeback the bank reported on the debit or capture
// paymentID (paymentType=CB), full or partial, with the bank's reason. At
// most one chargeback is allowed per payment.
func (c *Client) Chargeback(ctx context.Context, paymentID string, req ChargebackRequest) (*Payment, error) {
	return c.operate(ctx, OperationChargeback, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, func(b *builder) {
		b.required("Reason", req.Reason, 255)
		if _, ok := req.CustomParameters[ChargebackReasonParameter]; ok {
			b.fail("CustomParameters["+ChargebackReasonParameter+"]", "is set by Reason; leave it out")
		}
		if b.f.CustomParameters == nil {
			b.f.CustomParameters = make(form.Params, 1)
		}
		b.f.CustomParameters[ChargebackReasonParameter] = req.Reason
	})
}

// ReverseChargeback reverses the chargeback chargebackID after the merchant
// won the representment (paymentType=CR). A chargeback can be reversed once.
func (c *Client) ReverseChargeback(ctx context.Context, chargebackID string, req ReverseChargebackRequest) (*Payment, error) {
	return c.operate(ctx, OperationReverseChargeback, chargebackID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}
