package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/shopspring/decimal"
)

// PaymentDetails is a payment with the transactions linked to it and what
// they leave of it, as OPP's transaction reports record them.
type PaymentDetails struct {
	Payment   *Payment   // the payment asked for
	Linked    []*Payment // the transactions linked to it (its captures, refunds, chargebacks, ...), oldest first
	Remaining Remaining  // what is left, computed from OPP's records
}

// Remaining is what is left of a payment for each kind of operation,
// computed from the payment and its linked transactions as OPP recorded
// them. Only successful linked transactions count (Payment.Succeeded): a
// declined one moved nothing, and a pending one has not moved anything yet.
// A reversal that carries no amount (a full reversal) released everything
// that was left to reverse when it was booked. Everything is zero for a
// payment that did not succeed.
//
// For a pre-authorization (PA), with authorized its amount, captured the
// sum of its captures and reversed the sum of its reversals:
//
//	Capture = authorized − captured − reversed
//	Reverse = authorized − reversed, and zero once anything is captured
//
// For money that moved (a debit DB, a capture CP, a rebill RB), with amount
// its own amount, refunded and reversed the sums of the refunds and
// reversals referencing it, and chargedBack the sum of its chargebacks less
// what their chargeback reversals gave back:
//
//	Refund     = amount − refunded − chargedBack − reversed
//	Chargeback = amount − refunded − reversed, and zero once it has a chargeback
//	Reverse    = amount − reversed, and zero once refunded or charged back
//
// A debit's refunds cover the debit's own amount: a rebill is a transaction
// of its own, refunded through its own id.
//
// For a chargeback (CB), Reverse is what a chargeback reversal may still
// give back: its amount, and zero once it has a chargeback reversal.
//
// No value is below zero. Refunds, reversals, credits and chargeback
// reversals have nothing left.
type Remaining struct {
	Capture, Refund, Reverse, Chargeback decimal.Decimal
}

// PaymentDetails returns the payment id with every transaction linked to it
// and what they leave of it: GET /v3/query/{id} with
// includeLinkedTransactions=true, retried on transport errors, 429 and 5xx
// like the other lookups. An id this entity does not know is an *Error
// matching ErrNotFound.
func (c *Client) PaymentDetails(ctx context.Context, id string) (*PaymentDetails, error) {
	const op = OperationPaymentDetails
	if err := checkID(op, "id", id); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errNoContext
	}
	q := url.Values{"entityId": {c.entityID}, "includeLinkedTransactions": {"true"}}
	ex := c.get(c.withLabel(ctx, label{op: op, ref: id}), "/v3/query/"+url.PathEscape(id)+"?"+q.Encode())
	if ex.err != nil {
		return nil, &NetworkError{Operation: op, Attempts: ex.attempts, Err: ex.err}
	}
	ps, err := detailsOf(id, ex)
	if err != nil {
		return nil, err
	}
	return newPaymentDetails(id, ps)
}

// detailsOf reads the answer of /v3/query/{id}: a list of payments (the
// form with linked transactions) or a single payment object, which is a
// payment whatever the HTTP status it came with.
func detailsOf(id string, ex exchange) ([]*Payment, error) {
	const op = OperationPaymentDetails
	a := &ex.ans
	switch {
	case !a.ok:
		return nil, lookupFailure(op, id, "", ex.status)
	case len(a.payments) > 0:
		if e := a.rejection(op, id, "", ex.status); e != nil {
			return nil, e
		}
		return a.payments, nil
	case a.record():
		return []*Payment{a.payment}, nil
	case a.result.Code == codeNotFound:
		return nil, &Error{Operation: op, Kind: ErrNotFound, Code: codeNotFound, Description: a.result.Description,
			HTTPStatus: ex.status, ReferencedID: id}
	}
	if e := a.rejection(op, id, "", ex.status); e != nil {
		if ex.status >= 500 {
			return nil, lookupFailure(op, id, "", ex.status)
		}
		return nil, e
	}
	if ex.status == http.StatusOK {
		// A list of nothing, with a success code: OPP knows no such payment.
		return nil, &Error{Operation: op, Kind: ErrNotFound, HTTPStatus: ex.status, ReferencedID: id}
	}
	return nil, lookupFailure(op, id, "", ex.status)
}

// newPaymentDetails splits the transactions of an answer into the payment
// id and the others, and computes what is left.
func newPaymentDetails(id string, ps []*Payment) (*PaymentDetails, error) {
	d := &PaymentDetails{}
	for _, p := range ps {
		switch {
		case p.ID == id && d.Payment == nil:
			d.Payment = p
		case p.ID != id:
			d.Linked = append(d.Linked, p)
		}
	}
	if d.Payment == nil {
		return nil, &Error{Operation: OperationPaymentDetails, Kind: ErrGateway, ReferencedID: id}
	}
	slices.SortStableFunc(d.Linked, func(a, b *Payment) int { return a.Timestamp.Compare(b.Timestamp) })
	d.Remaining = remaining(d.Payment, d.Linked)
	return d, nil
}

// remaining computes Remaining (see its doc) from p and its linked
// transactions, oldest first.
func remaining(p *Payment, linked []*Payment) Remaining {
	var r Remaining
	if !p.Succeeded() {
		return r
	}
	children := func(ref string, t PaymentType) []*Payment {
		var out []*Payment
		for _, l := range linked {
			if l.ReferencedID == ref && l.PaymentType == t && l.Succeeded() {
				out = append(out, l)
			}
		}
		return out
	}
	sum := func(ps []*Payment) decimal.Decimal {
		var s decimal.Decimal
		for _, x := range ps {
			s = s.Add(x.Amount)
		}
		return s
	}
	// reversed sums the reversals of p, a full one taking what was left of
	// total at its time.
	reversed := func(total decimal.Decimal) decimal.Decimal {
		var s decimal.Decimal
		for _, rv := range children(p.ID, PaymentTypeReversal) {
			if rv.Amount.IsZero() {
				s = total
			} else {
				s = s.Add(rv.Amount)
			}
		}
		return decimal.Min(s, total)
	}
	pos := func(x decimal.Decimal) decimal.Decimal { return decimal.Max(x, decimal.Zero) }

	switch p.PaymentType {
	case PaymentTypePreAuthorization:
		captured := sum(children(p.ID, PaymentTypeCapture))
		rev := reversed(p.Amount)
		r.Capture = pos(p.Amount.Sub(captured).Sub(rev))
		if captured.IsZero() {
			r.Reverse = pos(p.Amount.Sub(rev))
		}
	case PaymentTypeDebit, PaymentTypeCapture, PaymentTypeRebill:
		refunded := sum(children(p.ID, PaymentTypeRefund))
		rev := reversed(p.Amount)
		cbs := children(p.ID, PaymentTypeChargeback)
		chargedBack := sum(cbs)
		for _, cb := range cbs {
			chargedBack = chargedBack.Sub(sum(children(cb.ID, PaymentTypeChargebackReversal)))
		}
		r.Refund = pos(p.Amount.Sub(refunded).Sub(pos(chargedBack)).Sub(rev))
		if len(cbs) == 0 {
			r.Chargeback = pos(p.Amount.Sub(refunded).Sub(rev))
		}
		if refunded.IsZero() && len(cbs) == 0 {
			r.Reverse = pos(p.Amount.Sub(rev))
		}
	case PaymentTypeCredit:
		r.Refund = pos(p.Amount.Sub(sum(children(p.ID, PaymentTypeRefund))))
	case PaymentTypeChargeback, PaymentTypeChargebackReversal:
		// A chargeback takes one reversal, a chargeback reversal one
		// representment, a representment one reversal; a representment
		// reversal (000.100.106) takes nothing more.
		if p.Result.Code != codeRepresentmentReversal && len(children(p.ID, PaymentTypeChargebackReversal)) == 0 {
			r.Reverse = p.Amount
		}
	}
	return r
}

// AllowedOperations is backoffice.AllowedOperations for the payment,
// intersected with what Remaining still allows: capture while Capture is
// positive, reverse (and, on a chargeback, reverse_chargeback) while Reverse
// is, refund while Refund is, chargeback while Chargeback is, and rebill
// while the debit has not been reversed.
func (d *PaymentDetails) AllowedOperations() []Operation {
	if d == nil || d.Payment == nil {
		return nil
	}
	ops := AllowedOperations(d.Payment.PaymentType, d.Payment.Result)
	r := &d.Remaining
	return slices.DeleteFunc(ops, func(op Operation) bool {
		switch op {
		case OperationCapture:
			return r.Capture.Sign() <= 0
		case OperationReverse, OperationReverseChargeback:
			return r.Reverse.Sign() <= 0
		case OperationRefund:
			return r.Refund.Sign() <= 0
		case OperationChargeback:
			return r.Chargeback.Sign() <= 0
		case OperationRebill:
			return d.reversed()
		}
		return false
	})
}

// reversed reports whether a successful reversal references the payment.
func (d *PaymentDetails) reversed() bool {
	return slices.ContainsFunc(d.Linked, func(l *Payment) bool {
		return l.ReferencedID == d.Payment.ID && l.PaymentType == PaymentTypeReversal && l.Succeeded()
	})
}
