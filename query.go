package backoffice

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// Payment looks up one payment by its OPP id through the query API. A payment
// that OPP declined is returned with a nil error: the lookup succeeded. The
// error reports a failed lookup (ErrNotFound for an id this entity does not
// know).
func (c *Client) Payment(ctx context.Context, id string) (*Payment, error) {
	if err := checkID(OperationPayment, "id", id); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errNoContext
	}
	cl := &call{op: OperationPayment, paymentID: id, max: c.retry.MaxAttempts}
	ex := c.send(ctx, cl, http.MethodGet, "/v1/query/"+url.PathEscape(id)+"?entityId="+url.QueryEscape(c.entityID), nil)
	if ex.err != nil {
		return nil, &NetworkError{Operation: OperationPayment, Attempts: cl.attempts, Err: ex.err}
	}
	var w wirePayment
	var p Payment
	if json.Unmarshal(ex.body, &w) == nil && p.fromWire(&w) == nil {
		if ex.status == http.StatusOK && p.PaymentType != "" {
			return &p, nil
		}
		if e := paymentError(OperationPayment, id, "", &p, &w.Result); e != nil {
			e.HTTPStatus = ex.status
			return nil, e
		}
	}
	return nil, lookupFailure(OperationPayment, id, ex.status)
}

// PaymentsByMerchantTransactionID returns every transaction of the entity
// that carries merchantTransactionId mtid, oldest first, whatever its
// outcome: the way to settle an *OutcomeUnknownError. None found is an empty
// slice and a nil error.
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
	return c.query(ctx, mtid)
}

// query is GET /v1/query?entityId=&merchantTransactionId=, retried on
// transport errors, 429 and 5xx.
func (c *Client) query(ctx context.Context, mtid string) ([]*Payment, error) {
	cl := &call{op: OperationPaymentsByMerchantTransactionID, mtid: mtid, max: c.retry.MaxAttempts}
	q := url.Values{"entityId": {c.entityID}, "merchantTransactionId": {mtid}}
	ex := c.send(ctx, cl, http.MethodGet, "/v1/query?"+q.Encode(), nil)
	if ex.err != nil {
		return nil, &NetworkError{Operation: OperationPaymentsByMerchantTransactionID, Attempts: cl.attempts, Err: ex.err}
	}
	var w wireQuery
	if json.Unmarshal(ex.body, &w) != nil || w.Result.Code == "" {
		return nil, lookupFailure(OperationPaymentsByMerchantTransactionID, "", ex.status)
	}
	if w.Result.Code == codeNotFound {
		return []*Payment{}, nil
	}
	res := Payment{Result: Result{Code: w.Result.Code, Description: w.Result.Description}}
	if e := paymentError(OperationPaymentsByMerchantTransactionID, "", mtid, &res, &w.Result); e != nil {
		e.HTTPStatus = ex.status
		return nil, e
	}
	out := make([]*Payment, 0, len(w.Payments))
	for _, raw := range w.Payments {
		p := new(Payment)
		if err := json.Unmarshal(raw, p); err != nil {
			return nil, lookupFailure(OperationPaymentsByMerchantTransactionID, "", ex.status)
		}
		out = append(out, p)
	}
	return out, nil
}

// codeNotFound is OPP's "cannot find transaction".
const codeNotFound = "700.400.580"

// lookupFailure is the error of a lookup whose answer was not an OPP answer.
func lookupFailure(op Operation, id string, status int) *Error {
	kind := ErrGateway
	if status >= 400 {
		kind = kindForStatus(status)
	}
	return &Error{Operation: op, Kind: kind, HTTPStatus: status, ReferencedID: id}
}
