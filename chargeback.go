package backoffice

import (
	"context"

	"github.com/oppkit/backoffice/internal/form"
	"github.com/oppkit/backoffice/internal/opp"
)

// ChargebackReasonParameter is the custom parameter that carries a
// chargeback's Reason. This is this SDK's convention, not OPP's: OPP defines
// no request parameter for a chargeback's reason and never requires one (the
// reasons it knows are the result codes 000.100.200 to 000.100.299 of the
// chargebacks the acquirer reports). The Reason travels as
// customParameters[CHARGEBACK_REASON], which OPP stores and echoes like any
// custom parameter, and only when it is set.
const ChargebackReasonParameter = "CHARGEBACK_REASON"

// Chargeback records a chargeback the bank reported on the debit, capture
// or rebill paymentID (paymentType=CB), full or partial. At most one
// chargeback is allowed per payment. req.Reason is optional; when set it is
// sent as customParameters[CHARGEBACK_REASON] (see
// ChargebackReasonParameter).
func (c *Client) Chargeback(ctx context.Context, paymentID string, req ChargebackRequest) (*Payment, error) {
	return c.operate(ctx, OperationChargeback, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, func(b *builder) {
		if _, ok := req.CustomParameters[ChargebackReasonParameter]; ok {
			b.fail("CustomParameters["+ChargebackReasonParameter+"]", "is set by Reason; leave it out")
		}
		if req.Reason == "" {
			return
		}
		b.text("Reason", req.Reason, opp.MaxParamValue)
		if b.f.CustomParameters == nil {
			b.f.CustomParameters = make(form.Params, 1)
		}
		b.f.CustomParameters[ChargebackReasonParameter] = req.Reason
	})
}

// ReverseChargeback sends a CR against chargebackID (paymentType=CR): on a
// chargeback, a chargeback reversal, once the merchant won the dispute; on a
// chargeback reversal, a representment (OPP answers 000.100.105); on a
// representment, a representment reversal (000.100.106), as the chargeback
// pages of OPP's white labels describe them. Each can be sent once per
// transaction it references, for at most that transaction's amount.
func (c *Client) ReverseChargeback(ctx context.Context, chargebackID string, req ReverseChargebackRequest) (*Payment, error) {
	return c.operate(ctx, OperationReverseChargeback, chargebackID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}
