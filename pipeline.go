package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/oppkit/backoffice/internal/form"
	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

// exchange is what one go-retryablehttp Do established: a response (status,
// headers, capped body) or a transport error with no query string in it.
type exchange struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// send performs one exchange. Every request of the SDK goes through here.
func (c *Client) send(ctx context.Context, cl *call, method, pathAndQuery string, body []byte) exchange {
	ctx = context.WithValue(ctx, callKey{}, cl)
	var raw any // a typed nil []byte would become an empty body
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.baseURL+pathAndQuery, raw)
	if err != nil {
		return exchange{err: sanitize(err)}
	}
	c.authorize(req.Header)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return exchange{err: sanitize(err)}
	}
	defer resp.Body.Close()
	data, err := readCapped(resp)
	switch {
	case err != nil:
		return exchange{status: resp.StatusCode, header: resp.Header, err: fmt.Errorf("reading the response: %w", sanitize(err))}
	case len(data) > maxResponseBytes:
		return exchange{status: resp.StatusCode, header: resp.Header, err: fmt.Errorf("response larger than %d bytes", maxResponseBytes)}
	}
	return exchange{status: resp.StatusCode, header: resp.Header, body: data}
}

// readCapped reads at most maxResponseBytes+1 bytes of resp's body, into a
// buffer sized from Content-Length when the server sent one.
func readCapped(resp *http.Response) ([]byte, error) {
	r := io.LimitReader(resp.Body, maxResponseBytes+1)
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes {
		buf := bytes.NewBuffer(make([]byte, 0, n+1))
		_, err := buf.ReadFrom(r)
		return buf.Bytes(), err
	}
	return io.ReadAll(r)
}

// movement is one money movement being performed.
type movement struct {
	op       Operation
	ptype    PaymentType // what it sends as paymentType
	ref      string      // the referenced payment; empty for a credit
	mtid     string
	amount   decimal.Decimal // zero for a full reversal
	currency string          // empty for a full reversal
	form     any             // *form.Operation, or *form.Credit for a credit
}

// verdict is what a money movement's exchange established: a payment, a
// definitive error, or (unsure non-nil) nothing certain.
type verdict struct {
	payment   *Payment
	err       error
	unsure    error
	paymentID string // the id OPP gave an uncertain answer, if any
}

// move performs a money movement exactly once: see the package doc.
func (c *Client) move(ctx context.Context, m *movement) (*Payment, error) {
	body, err := form.Encode(m.form)
	if err != nil {
		return nil, &ValidationError{Operation: m.op, Field: "request", Reason: err.Error(), MerchantTransactionID: m.mtid}
	}
	path := "/v1/payments"
	if m.ref != "" {
		path += "/" + url.PathEscape(m.ref)
	}
	cl := &call{op: m.op, paymentID: m.ref, mtid: m.mtid, money: true, max: c.retry.MaxAttempts}
	for {
		ex := c.send(ctx, cl, http.MethodPost, path, body)
		if ex.err != nil && isNotSent(ex.err) {
			return nil, &NetworkError{Operation: m.op, MerchantTransactionID: m.mtid, Attempts: cl.attempts, Err: ex.err}
		}
		v := judge(m, ex)
		if v.unsure == nil {
			return v.payment, v.err
		}
		if ctx.Err() != nil {
			return nil, &OutcomeUnknownError{Operation: m.op, ReferencedID: m.ref, MerchantTransactionID: m.mtid,
				PaymentID: v.paymentID, Cause: v.unsure, Reconcile: ctx.Err()}
		}
		c.warn(ctx, m, "outcome ambiguous, looking it up by merchantTransactionId", v.unsure)
		found, absent, qerr := c.reconcile(ctx, m)
		if found != nil {
			return adopt(m, found)
		}
		if !absent {
			return nil, &OutcomeUnknownError{Operation: m.op, ReferencedID: m.ref, MerchantTransactionID: m.mtid,
				PaymentID: v.paymentID, Cause: v.unsure, Reconcile: qerr}
		}
		// The lookup proved the operation absent: nothing was performed.
		if cl.attempts >= cl.max {
			return nil, notPerformed(m, ex, v, cl.attempts)
		}
		if err := sleep(ctx, backoff(c.retry.MinWait, c.retry.MaxWait, cl.attempts-1, ex.response())); err != nil {
			return nil, notPerformed(m, ex, v, cl.attempts)
		}
		c.warn(ctx, m, "operation verified absent, sending it again with the same merchantTransactionId", v.unsure)
	}
}

// response gives backoff the parts of the exchange it reads.
func (ex exchange) response() *http.Response {
	if ex.status == 0 {
		return nil
	}
	return &http.Response{StatusCode: ex.status, Header: ex.header}
}

// judge reads a money movement's exchange.
func judge(m *movement, ex exchange) verdict {
	if ex.err != nil {
		return verdict{unsure: ex.err}
	}
	p, e := decode(m.op, m.ref, m.mtid, ex)
	switch {
	case p == nil && e == nil:
		return verdict{unsure: fmt.Errorf("HTTP %d with a body that is not an OPP answer", ex.status)}
	case e != nil && e.Code == "":
		if ex.status == http.StatusRequestTimeout || ex.status == http.StatusTooManyRequests || ex.status >= 500 {
			return verdict{unsure: e}
		}
		return verdict{err: e}
	case e != nil && ambiguousCode(e.Code, e.Category):
		return verdict{unsure: e, paymentID: e.PaymentID}
	case e != nil:
		return verdict{err: e}
	}
	return verdict{payment: p}
}

// ambiguousCode reports the result codes after which a money movement may or
// may not have been performed: communication errors (900.xxx "timeout,
// uncertain result", ...), throttling, "already being processed" and
// duplicate blocking (an earlier attempt with this merchantTransactionId
// exists).
func ambiguousCode(code string, cat resultcodes.Category) bool {
	switch code {
	case "800.120.100", "800.600.100", "800.110.100":
		return true
	}
	return cat == resultcodes.RejectedCommunication
}

// decode reads an OPP answer. It returns the payment for a success, review,
// pending or chargeback code, an *Error for a rejection or an error status
// without a readable body, and (nil, nil) for a 2xx, 3xx or 429/5xx body that
// is not an OPP answer.
func decode(op Operation, ref, mtid string, ex exchange) (*Payment, *Error) {
	var w wirePayment
	var p Payment
	if json.Unmarshal(ex.body, &w) != nil || p.fromWire(&w) != nil {
		if ex.status >= 400 {
			return nil, &Error{Operation: op, Kind: kindForStatus(ex.status), HTTPStatus: ex.status,
				ReferencedID: ref, MerchantTransactionID: mtid}
		}
		return nil, nil
	}
	if p.MerchantTransactionID == "" {
		p.MerchantTransactionID = mtid
	}
	if e := paymentError(op, ref, mtid, &p, &w.Result); e != nil {
		e.HTTPStatus = ex.status
		return nil, e
	}
	return &p, nil
}

// paymentError classifies p's result code: nil for a success, review,
// pending or chargeback code, else the *Error a caller gets.
func paymentError(op Operation, ref, mtid string, p *Payment, wr *wireResult) *Error {
	cat := p.Result.Category()
	kind := kindFor(p.Result.Code, cat)
	if kind == nil {
		return nil
	}
	e := &Error{Operation: op, Kind: kind, Code: p.Result.Code, Description: p.Result.Description,
		Category: cat, PaymentID: p.ID, ReferencedID: ref, MerchantTransactionID: mtid, NDC: p.NDC, ShortID: p.ShortID}
	if wr != nil {
		e.ParameterErrors = parameterErrors(wr)
	}
	return e
}

// reconcile looks a movement up by merchantTransactionId. It returns the
// payment OPP recorded for it (matching type, referenced payment, amount and
// currency), or absent=true when the lookup proved there is none, or the
// lookup's failure.
func (c *Client) reconcile(ctx context.Context, m *movement) (found *Payment, absent bool, err error) {
	ps, err := c.query(ctx, m.mtid)
	if err != nil {
		return nil, false, err
	}
	for _, p := range ps {
		if p.PaymentType != m.ptype || p.ReferencedID != m.ref {
			continue
		}
		if m.currency != "" && (p.Currency != m.currency || !p.Amount.Equal(m.amount)) {
			continue
		}
		if found == nil || !found.Succeeded() {
			found = p
		}
	}
	return found, found == nil, nil
}

// adopt returns the payment a lookup found as if its response had arrived.
func adopt(m *movement, p *Payment) (*Payment, error) {
	e := paymentError(m.op, m.ref, m.mtid, p, nil)
	switch {
	case e == nil:
		return p, nil
	case ambiguousCode(e.Code, e.Category):
		return nil, &OutcomeUnknownError{Operation: m.op, ReferencedID: m.ref, MerchantTransactionID: m.mtid,
			PaymentID: p.ID, Cause: e}
	}
	return nil, e
}

// notPerformed is the error of a movement whose every attempt failed
// ambiguously and that a lookup then proved absent.
func notPerformed(m *movement, ex exchange, v verdict, attempts int) error {
	var e *Error
	if errors.As(v.unsure, &e) {
		cp := *e
		cp.Kind, cp.Verified = ErrGateway, true
		return &cp
	}
	if ex.err != nil {
		return &NetworkError{Operation: m.op, MerchantTransactionID: m.mtid, Attempts: attempts, Err: ex.err}
	}
	return &Error{Operation: m.op, Kind: ErrGateway, HTTPStatus: ex.status, ReferencedID: m.ref,
		MerchantTransactionID: m.mtid, Verified: true}
}

func (c *Client) warn(ctx context.Context, m *movement, msg string, cause error) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "backoffice: "+msg,
		slog.String("operation", string(m.op)), slog.String("payment_id", m.ref),
		slog.String("merchant_transaction_id", m.mtid), slog.String("cause", causeClass(cause)))
}

// causeClass describes an ambiguity for a log line without error text.
func causeClass(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Code != "" {
			return "result code " + e.Code
		}
		return fmt.Sprintf("HTTP %d", e.HTTPStatus)
	}
	return errorClass(err)
}
