package backoffice

import (
	"context"
	"net/http"
	"net/url"
)

// Payment looks up one payment by its OPP id through the query API. A
// payment record is returned whatever its outcome and whatever the HTTP
// status it came with (OPP serves some declined payments with HTTP 400): the
// lookup succeeded. The error reports a failed lookup (ErrNotFound for an id
// this entity does not know).
func (c *Client) Payment(ctx context.Context, id string) (*Payment, error) {
	if err := checkID(OperationPayment, "id", id); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errNoContext
	}
	ex := c.get(c.withLabel(ctx, label{op: OperationPayment, ref: id}), "/v1/query/"+url.PathEscape(id)+"?entityId="+url.QueryEscape(c.entityID))
	if ex.err != nil {
		return nil, &NetworkError{Operation: OperationPayment, Attempts: ex.attempts, Err: ex.err}
	}
	a := &ex.ans
	if a.record() {
		return a.payment, nil
	}
	if a.ok {
		if e := a.rejection(OperationPayment, id, "", ex.status); e != nil && ex.status < 500 {
			return nil, e
		}
	}
	return nil, lookupFailure(OperationPayment, id, "", ex.status)
}

// PaymentsByMerchantTransactionID returns every transaction of the entity
// that carries merchantTransactionId mtid, oldest first, whatever its
// outcome: the way to settle an *OutcomeUnknownError (see also
// AwaitOutcome). None found is an empty slice and a nil error, and only
// when OPP said so: its "cannot find transaction" code (700.400.580) with
// HTTP 400, 404 or 200. Any other answer without payments (a 5xx, HTML, a
// timeout) is an error, never "none".
func (c *Client) PaymentsByMerchantTransactionID(ctx context.Context, mtid string) ([]*Payment, error) {
	if mtid == "" {
		return nil, &ValidationError{Operation: OperationPaymentsByMerchantTransactionID, Field: "merchantTransactionId", Reason: "is required"}
	}
	if err := checkMTID(OperationPaymentsByMerchantTransactionID, mtid, true); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errNoContext
	}
	return c.query(c.withLabel(ctx, label{op: OperationPaymentsByMerchantTransactionID, mtid: mtid}), mtid)
}

// query is GET /v1/query?entityId=&merchantTransactionId=, retried on
// transport errors, 429 and 5xx. Its nil error means OPP answered: HTTP 200
// with payments, or OPP's not-found code with a status OPP uses for it
// (400, 404, or 200). Everything else is an error, so that no failed lookup
// is ever read as "absent".
func (c *Client) query(ctx context.Context, mtid string) ([]*Payment, error) {
	q := url.Values{"entityId": {c.entityID}, "merchantTransactionId": {mtid}}
	ex := c.get(ctx, "/v1/query?"+q.Encode())
	if ex.err != nil {
		return nil, &NetworkError{Operation: OperationPaymentsByMerchantTransactionID, MerchantTransactionID: mtid, Attempts: ex.attempts, Err: ex.err}
	}
	a := &ex.ans
	switch {
	case !a.ok:
	case a.result.Code == codeNotFound:
		if ex.status == http.StatusOK || ex.status == http.StatusBadRequest || ex.status == http.StatusNotFound {
			return []*Payment{}, nil
		}
	case ex.status == http.StatusOK && len(a.payments) > 0 && a.rejection(OperationPaymentsByMerchantTransactionID, "", mtid, ex.status) == nil:
		return a.payments, nil
	case ex.status < 500:
		if e := a.rejection(OperationPaymentsByMerchantTransactionID, "", mtid, ex.status); e != nil {
			return nil, e
		}
	}
	return nil, lookupFailure(OperationPaymentsByMerchantTransactionID, "", mtid, ex.status)
}

// codeNotFound is OPP's "cannot find transaction".
const codeNotFound = "700.400.580"

// lookupFailure is the error of a lookup whose answer was not an OPP answer
// the SDK can rely on.
func lookupFailure(op Operation, id, mtid string, status int) *Error {
	kind := ErrGateway
	if status >= 400 {
		kind = kindForStatus(status)
	}
	return &Error{Operation: op, Kind: kind, HTTPStatus: status, ReferencedID: id, MerchantTransactionID: mtid}
}
