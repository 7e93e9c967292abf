package backoffice

import (
	"context"
	"net/url"

	"github.com/oppkit/backoffice/internal/form"

	"github.com/oppkit/backoffice/internal/opp"

	"github.com/shopspring/decimal"
)

// Capture captures all or part of the pre-authorization paymentID (POST
// /v1/payments/{id}, paymentType=CP). Several partial captures may follow
// one PA, up to the authorized amount.
func (c *Client) Capture(ctx context.Context, paymentID string, req CaptureRequest) (*Payment, error) {
	return c.operate(ctx, OperationCapture, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}

// Reverse voids the pre-authorization (or, where the acquirer allows it, the
// debit, capture or rebill) paymentID (paymentType=RV). A zero Amount and an empty Currency make
// a full reversal, which sends neither; a partial reversal sends both.
func (c *Client) Reverse(ctx context.Context, paymentID string, req ReverseRequest) (*Payment, error) {
	return c.operate(ctx, OperationReverse, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}

// Refund returns all or part of what the debit, capture, rebill or
// stand-alone credit paymentID moved (paymentType=RF). Several partial
// refunds may follow, up to what it moved.
func (c *Client) Refund(ctx context.Context, paymentID string, req RefundRequest) (*Payment, error) {
	return c.operate(ctx, OperationRefund, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}

// Rebill charges an extra amount on top of the debit paymentID
// (paymentType=RB). Amount is the extra amount, not the new total.
func (c *Client) Rebill(ctx context.Context, paymentID string, req RebillRequest) (*Payment, error) {
	return c.operate(ctx, OperationRebill, paymentID, req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, nil)
}

// Credit pays money to a card with no referenced payment: a stand-alone
// credit or payout (POST /v1/payments, paymentType=CD). Whether an acquirer
// supports it is part of the merchant's contract.
func (c *Client) Credit(ctx context.Context, req CreditRequest) (*Payment, error) {
	return c.operate(ctx, OperationCredit, "", req.Amount, req.Currency, &merchantFields{req.Descriptor, req.MerchantTransactionID, req.MerchantMemo, req.CustomParameters, req.TestMode}, func(b *builder) {
		switch {
		case req.PaymentBrand == "":
			b.fail("PaymentBrand", "is required")
		case !opp.Brand(req.PaymentBrand):
			b.fail("PaymentBrand", "must be 1-32 letters, digits or underscores, e.g. VISA or VISA_DEBIT")
		}
		b.f.PaymentBrand = req.PaymentBrand
		b.card(&req.Card)
		b.billing(&req.Billing)
	})
}

// operate validates an operation, builds its form and performs it. Every
// operation but a full reversal carries a required amount and currency;
// extra, if not nil, adds the operation's own fields.
func (c *Client) operate(ctx context.Context, op Operation, ref string, amount decimal.Decimal, currency string,
	mf *merchantFields, extra func(*builder)) (*Payment, error) {
	if ctx == nil {
		return nil, errNoContext
	}
	b := builder{op: op}
	b.f.EntityID, b.f.PaymentType = c.entityID, string(op.PaymentType())
	b.merchant(mf)
	if b.err != nil {
		return nil, b.err
	}
	if op != OperationCredit {
		if err := checkID(op, "paymentID", ref); err != nil {
			b.fail("paymentID", err.(*ValidationError).Reason)
		}
	}
	if fullReversal := op == OperationReverse && amount.IsZero() && currency == ""; !fullReversal {
		b.money(amount, currency)
	}
	if extra != nil {
		extra(&b)
	}
	if b.err != nil {
		return nil, b.err
	}
	var f any = &b.f.Operation
	path := "/v1/payments/" + url.PathEscape(ref)
	if op == OperationCredit {
		f, path = &b.f, "/v1/payments"
	}
	body, err := form.Encode(f)
	if err != nil {
		return nil, &ValidationError{Operation: op, Field: "request", Reason: err.Error(), MerchantTransactionID: b.f.MerchantTransactionID}
	}
	return c.move(ctx, &movement{op: op, ptype: op.PaymentType(), ref: ref, mtid: b.f.MerchantTransactionID,
		supplied: mf.MerchantTransactionID != "", amount: amount, currency: b.f.Currency, path: path, body: body})
}
