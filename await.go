package backoffice

import (
	"context"
	"errors"
	"time"
)

// AwaitOutcome turns the unknown outcome u into a known one: it looks the
// money movement up by u.MerchantTransactionID, again and again with the
// retry policy's backoff, until OPP shows it with a final result, and
// returns that result as the movement's own outcome would have been: the
// *Payment it made, or its refusal (an *Error with Verified set). It waits
// within ctx, so give ctx a deadline; when ctx ends first, the outcome is
// still unknown and the error is an *OutcomeUnknownError again. A record
// under the key that contradicts the movement (another type, payment,
// amount or currency) ends the wait at once with an *OutcomeUnknownError
// naming the conflict, since waiting cannot resolve it: ask OPP's support.
//
// A record OPP keeps with an uncertain result (Payment.Uncertain) is not
// final: AwaitOutcome keeps waiting for OPP to settle it.
func (c *Client) AwaitOutcome(ctx context.Context, u *OutcomeUnknownError) (*Payment, error) {
	switch {
	case ctx == nil:
		return nil, errNoContext
	case u == nil:
		return nil, &ValidationError{Field: "u", Reason: "is nil"}
	}
	if err := checkMTID(u.Operation, u.MerchantTransactionID, true); err != nil || u.MerchantTransactionID == "" {
		return nil, &ValidationError{Operation: u.Operation, Field: "MerchantTransactionID", Reason: "is not a valid key"}
	}
	m := &movement{op: u.Operation, ptype: u.Operation.PaymentType(), ref: u.ReferencedID, mtid: u.MerchantTransactionID}
	return c.await(ctx, m, u)
}

// AwaitMerchantTransaction waits, within ctx, until OPP shows the money
// movement that carries merchantTransactionId mtid with a final result, and
// returns it as that movement's outcome: the *Payment it made, or its
// refusal (an *Error with Verified set). Use it when the process that made
// the call is gone (a crash, a job queue) and only the key is left; with the
// *OutcomeUnknownError at hand, AwaitOutcome also checks the record against
// the movement. When several transactions carry the key, the one that
// moved money is returned. When ctx ends first, the error is an
// *OutcomeUnknownError.
func (c *Client) AwaitMerchantTransaction(ctx context.Context, mtid string) (*Payment, error) {
	if ctx == nil {
		return nil, errNoContext
	}
	if err := checkMTID(OperationPaymentsByMerchantTransactionID, mtid, true); err != nil || mtid == "" {
		return nil, &ValidationError{Operation: OperationPaymentsByMerchantTransactionID, Field: "merchantTransactionId", Reason: "is not a valid key"}
	}
	return c.await(ctx, &movement{mtid: mtid}, &OutcomeUnknownError{MerchantTransactionID: mtid})
}

// await is the wait of AwaitOutcome and AwaitMerchantTransaction. A
// movement without an operation matches any record under its key.
func (c *Client) await(ctx context.Context, m *movement, u *OutcomeUnknownError) (*Payment, error) {
	lctx := c.withLabel(ctx, label{op: OperationPaymentsByMerchantTransactionID, ref: m.ref, mtid: m.mtid})
	unknown := *u
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			unknown.Reconcile = err
			return nil, &unknown
		}
		ps, err := c.query(lctx, m.mtid)
		var found *Payment
		switch {
		case err != nil:
			unknown.Reconcile = err
		case m.op == "":
			found = best(m.mtid, ps)
		default:
			var conflict string
			if found, conflict = match(m, ps); found == nil && conflict != "" {
				unknown.Conflict, unknown.Reconcile = conflict, nil
				return nil, &unknown
			}
		}
		if found != nil && !found.Uncertain() && !ambiguousCode(found.Result.Code, found.Result.Category()) {
			if m.op == "" {
				m.op, m.ref = operationOf(found.PaymentType), found.ReferencedID
			}
			return adopt(m, found)
		}
		if found != nil {
			unknown.PaymentID, unknown.NDC, unknown.ShortID = found.ID, found.NDC, found.ShortID
			unknown.Reconcile = errors.New("OPP keeps the operation with the uncertain result " + found.Result.Code)
		} else if err == nil {
			unknown.Reconcile = errNotShown
		}
		if err := sleep(ctx, settleWait(c.retry.MinWait, max(c.retry.MaxWait, time.Millisecond), n)); err != nil {
			unknown.Reconcile = err
			return nil, &unknown
		}
	}
}

// best is the record under key mtid that says most: money moved, then
// pending, then refused, then uncertain.
func best(mtid string, ps []*Payment) *Payment {
	var found *Payment
	for _, p := range ps {
		if p.MerchantTransactionID != "" && p.MerchantTransactionID != mtid || p.Result.Code == codeDuplicate {
			continue
		}
		if found == nil || rank(p) > rank(found) {
			found = p
		}
	}
	return found
}

// operationOf is the money movement that sends paymentType pt, or "".
func operationOf(pt PaymentType) Operation {
	for _, op := range [...]Operation{OperationCapture, OperationReverse, OperationRefund, OperationChargeback,
		OperationReverseChargeback, OperationRebill, OperationCredit} {
		if op.PaymentType() == pt {
			return op
		}
	}
	return ""
}
