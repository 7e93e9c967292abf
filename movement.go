package backoffice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

// movement is one money movement being performed: what it asks OPP for, and
// the encoded request that every attempt sends unchanged.
type movement struct {
	op       Operation
	ptype    PaymentType // what it sends as paymentType
	ref      string      // the referenced payment; empty for a credit
	mtid     string
	supplied bool            // the caller chose mtid
	amount   decimal.Decimal // zero for a full reversal
	currency string          // empty for a full reversal
	path     string          // /v1/payments[/{ref}]
	body     []byte          // the form, the same on every attempt
}

// move performs a money movement exactly once, or says it could not know.
// This is the one loop that decides about money; read it top to bottom:
//
//  1. send one attempt;
//  2. if the transport error proves nothing left this process (a refused
//     dial, DNS, a refused TLS certificate), send again while attempts
//     remain (never after a certificate error, which no retry fixes);
//  3. judge the answer: OPP's result code decides, whatever the HTTP
//     status; a definitive answer is returned, except that OPP's own
//     "rejected by throttling" (nothing performed, in OPP's words) is sent
//     again after the capped Retry-After while attempts remain;
//  4. anything else is ambiguous: look the key up, again and again within
//     the settle window, counting only lookups OPP answered;
//  5. adopt the matching record as if its answer had arrived; a record
//     under this key that contradicts the request is an unknown outcome;
//  6. re-send only when OPP's duplicate check is declared on
//     (WithDuplicateCheck) and attempts remain; otherwise return
//     *OutcomeUnknownError.
//
// go-retryablehttp sends the lookups, which are GETs and safe to repeat:
// there its loop (backoff, Retry-After, CheckRetry) is exactly right. It
// never sends a money movement's POST, not even the re-send of an attempt
// that provably never left: every re-send of money is a decision that needs
// the evidence this loop holds (the attempt's own error, the lookups, the
// duplicate-check declaration), so it is made here, where the attempt count
// is a local variable, and not in a second loop that sees only a context.
func (c *Client) move(ctx context.Context, m *movement) (p *Payment, err error) {
	if c.observer.Outcome != nil {
		start := time.Now()
		defer func() { c.observeOutcome(ctx, m, start, p, err) }()
	}
	if err := ctx.Err(); err != nil {
		return nil, m.notSent(0, err)
	}
	if m.supplied {
		return c.serialised(ctx, m)
	}
	return c.perform(ctx, m, false)
}

// perform is move's loop, for one caller; lookFirst looks the key up before
// the first send.
func (c *Client) perform(ctx context.Context, m *movement, lookFirst bool) (*Payment, error) {
	if lookFirst {
		if p, err, done := c.lookBeforeSending(ctx, m); done {
			return p, err
		}
	}
	// sent is the last ambiguous attempt, once there is one: from then on
	// no refusal of a re-send (its dial failed, OPP throttled or declined
	// it) says anything about that attempt, so the call cannot end on it
	// without looking the key up again.
	var sent *verdict
	for attempts := 1; ; attempts++ {
		ex := c.post(c.withLabel(ctx, label{m.op, m.ref, m.mtid, attempts}), m.path, m.body)

		if ex.err != nil && provablyNotSent(ex.err) {
			if isCertError(ex.err) || attempts >= c.retry.MaxAttempts || sleep(ctx, backoff(c.retry.MinWait, c.retry.MaxWait, attempts-1, nil)) != nil {
				return c.endAfter(ctx, m, sent, m.notSent(attempts, ex.err))
			}
			continue
		}

		v := judge(m, ex)
		if v.throttled {
			if attempts < c.retry.MaxAttempts && sleep(ctx, backoff(c.retry.MinWait, c.retry.MaxWait, attempts-1, ex.response())) == nil {
				continue
			}
			return c.endAfter(ctx, m, sent, v.err)
		}
		switch {
		case v.unsure == nil && v.err != nil && sent != nil:
			return c.endAfter(ctx, m, sent, v.err) // this refusal says nothing about the earlier attempt
		case v.unsure == nil:
			return v.payment, v.err
		}
		sent = &v

		resend := c.dupCheck && attempts < c.retry.MaxAttempts && !v.duplicate
		window := c.retry.SettleWindow
		if resend {
			window = 0 // one lookup, then a send that cannot commit twice
		}
		c.warn(ctx, m, "outcome ambiguous, looking it up by merchantTransactionId", v)
		f := c.settle(ctx, m, window)
		switch {
		case f.found != nil:
			return adopt(m, f.found)
		case f.conflict != "" || !resend:
			return nil, m.unknown(v, f)
		}
		if err := sleep(ctx, backoff(c.retry.MinWait, c.retry.MaxWait, attempts-1, ex.response())); err != nil {
			f.err = err
			return nil, m.unknown(v, f)
		}
		c.warn(ctx, m, "not found; sending again under OPP's duplicate check", v)
	}
}

// endAfter ends a call whose last attempt was refused (final). Before any
// ambiguous attempt, final is the outcome. After one (sent), the earlier
// attempt may still have been performed: the key is looked up within the
// settle window and what OPP shows is adopted (the refused re-send's own
// record included, when OPP recorded it and nothing better shows), or the
// outcome is unknown.
func (c *Client) endAfter(ctx context.Context, m *movement, sent *verdict, final error) (*Payment, error) {
	if sent == nil {
		return nil, final
	}
	f := c.settle(ctx, m, c.retry.SettleWindow)
	if f.found != nil {
		return adopt(m, f.found)
	}
	return nil, m.unknown(*sent, f)
}

// verdict is what an attempt's exchange established: a payment, a
// definitive error, or (unsure non-nil) nothing certain.
type verdict struct {
	payment *Payment
	err     error
	unsure  error
	// What OPP said in an uncertain answer, if it said anything: the id it
	// gave the transaction and its request ids.
	paymentID, ndc, shortID string
	duplicate               bool // OPP refused the send as a duplicate of this key
	throttled               bool // OPP refused the send by throttling: nothing performed
}

// judge reads an attempt's exchange. OPP's result code decides, whatever the
// HTTP status (a decline may come with HTTP 400). Without OPP's answer, a
// 4xx other than 408 and 429 is a rejection before processing; any other
// status, a transport error or an unreadable body is ambiguous.
func judge(m *movement, ex exchange) verdict {
	if ex.err != nil {
		return verdict{unsure: ex.err}
	}
	a := &ex.ans
	if !a.ok {
		if ex.status >= 400 && ex.status < 500 && ex.status != http.StatusRequestTimeout && ex.status != http.StatusTooManyRequests {
			return verdict{err: &Error{Operation: m.op, Kind: kindForStatus(ex.status), HTTPStatus: ex.status,
				ReferencedID: m.ref, MerchantTransactionID: m.mtid}}
		}
		return verdict{unsure: fmt.Errorf("HTTP %d without OPP's answer", ex.status)}
	}
	p := a.payment
	if p.MerchantTransactionID == "" {
		p.MerchantTransactionID = m.mtid
	}
	e := a.rejection(m.op, m.ref, m.mtid, ex.status)
	switch {
	case e == nil:
		return verdict{payment: p}
	case ambiguousCode(e.Code, e.Category):
		return verdict{unsure: e, paymentID: e.PaymentID, ndc: e.NDC, shortID: e.ShortID, duplicate: e.Code == codeDuplicate}
	}
	return verdict{err: e, throttled: e.Code == codeThrottled}
}

// codeThrottled is OPP's "Rejected by Throttling.": refused before
// processing.
const codeThrottled = "800.120.100"

// codeDuplicate is OPP's duplicate check refusing a second transaction with
// the same merchantTransactionId.
const codeDuplicate = "800.110.100"

// ambiguousCode reports the result codes after which a money movement may or
// may not have been performed: communication errors (900.xxx "timeout,
// uncertain result", ...), "already being processed" and
// "payment already processing" (another attempt with this key is under
// way), and duplicate blocking (an earlier attempt with this key exists).
func ambiguousCode(code string, cat resultcodes.Category) bool {
	switch code {
	case "800.600.100", "800.120.402", codeDuplicate:
		return true
	}
	return cat == resultcodes.RejectedCommunication
}

// finding is what the lookups of a movement established.
type finding struct {
	found    *Payment // the record to adopt
	conflict string   // a record under the key that contradicts the request
	err      error    // why the last lookup decided nothing
}

// errNotShown is a lookup OPP answered without the operation.
var errNotShown = errors.New("OPP shows no operation with this merchantTransactionId")

// settle looks m up by its key until a record shows, or window has passed,
// or ctx ends, with backoff between lookups; it always makes one lookup
// unless ctx has ended. Only lookups OPP answered count: a failed lookup is
// remembered as the reason nothing was decided.
func (c *Client) settle(ctx context.Context, m *movement, window time.Duration) finding {
	deadline := time.Now().Add(window)
	lctx := c.withLabel(ctx, label{op: OperationPaymentsByMerchantTransactionID, ref: m.ref, mtid: m.mtid})
	var f finding
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			f.err = err
			return f
		}
		ps, err := c.query(lctx, m.mtid)
		if err != nil {
			f.err = err
		} else if f.found, f.conflict = match(m, ps); f.found != nil || f.conflict != "" {
			return f
		} else {
			f.err = errNotShown
		}
		left := time.Until(deadline)
		if left <= 0 {
			return f
		}
		if err := sleep(ctx, min(settleWait(c.retry.MinWait, c.retry.MaxWait, n), left)); err != nil {
			f.err = err
			return f
		}
	}
}

// settleWait is the pause before lookup n+1 of a settle window: half of the
// exponential ceiling plus a random half, so that the lookups never hammer
// OPP, and at least a millisecond.
func settleWait(lo, hi time.Duration, n int) time.Duration {
	ceiling := hi
	if n < 32 && lo<<n > 0 && lo<<n < hi {
		ceiling = lo << n
	}
	return max(ceiling/2+rand.N(ceiling/2+1), time.Millisecond)
}

// match picks from the records under m's key the one to adopt: its type,
// referenced payment and key equal m's, and its amount and currency agree
// with m's where the record has them (a declined record may carry no
// amount). A record under the key that contradicts m is reported as the
// conflict, unless another record matches. Records of sends OPP refused as
// duplicates say nothing about the original and are skipped.
func match(m *movement, ps []*Payment) (found *Payment, conflict string) {
	for _, p := range ps {
		if p.MerchantTransactionID != "" && p.MerchantTransactionID != m.mtid || p.Result.Code == codeDuplicate {
			continue
		}
		if why := contradiction(m, p); why != "" {
			if conflict == "" {
				conflict = why
			}
			continue
		}
		if found == nil || rank(p) > rank(found) {
			found = p
		}
	}
	if found != nil {
		return found, ""
	}
	return nil, conflict
}

// contradiction says how record p contradicts movement m, or "".
func contradiction(m *movement, p *Payment) string {
	switch {
	case p.PaymentType != m.ptype:
		return fmt.Sprintf("payment %s is of type %s, not %s", p.ID, p.PaymentType, m.ptype)
	case p.ReferencedID != m.ref:
		return fmt.Sprintf("payment %s references %q, not %q", p.ID, p.ReferencedID, m.ref)
	case m.currency == "": // a full reversal sends neither amount nor currency
	case p.Currency != "" && !strings.EqualFold(p.Currency, m.currency):
		return fmt.Sprintf("payment %s is in %s, not %s", p.ID, p.Currency, m.currency)
	case !p.Amount.IsZero() && !p.Amount.Equal(m.amount):
		return fmt.Sprintf("payment %s moved %s, not %s", p.ID, p.Amount.String(), m.amount.String())
	}
	return ""
}

// rank orders records under one key: money moved, then pending, then a
// definitive refusal, then an uncertain one.
func rank(p *Payment) int {
	switch {
	case p.Succeeded():
		return 3
	case p.Pending():
		return 2
	case p.Uncertain() || ambiguousCode(p.Result.Code, p.Result.Category()):
		return 0
	}
	return 1
}

// adopt returns the record a lookup found as if its answer had arrived: a
// refusal is returned as its *Error, Verified; an uncertain record stays an
// unknown outcome.
func adopt(m *movement, p *Payment) (*Payment, error) {
	e := paymentError(m.op, m.ref, m.mtid, p, nil)
	switch {
	case e == nil:
		return p, nil
	case ambiguousCode(e.Code, e.Category):
		return nil, &OutcomeUnknownError{Operation: m.op, ReferencedID: m.ref, MerchantTransactionID: m.mtid,
			PaymentID: p.ID, NDC: p.NDC, ShortID: p.ShortID, Cause: e}
	}
	e.Verified = true
	return nil, e
}

// lookBeforeSending looks m's key up before anything is sent: done reports
// that the call ends here, with what an earlier call did, with the lookup's
// failure (nothing sent), or with the key refused as used by another
// operation.
func (c *Client) lookBeforeSending(ctx context.Context, m *movement) (p *Payment, err error, done bool) {
	ps, err := c.query(c.withLabel(ctx, label{op: OperationPaymentsByMerchantTransactionID, ref: m.ref, mtid: m.mtid}), m.mtid)
	if err != nil {
		return nil, err, true
	}
	found, conflict := match(m, ps)
	switch {
	case found != nil:
		p, err := adopt(m, found)
		return p, err, true
	case conflict != "":
		return nil, &ValidationError{Operation: m.op, Field: "MerchantTransactionID",
			Reason: "is already used by another operation (" + conflict + ")", MerchantTransactionID: m.mtid}, true
	}
	return nil, nil, false
}

// notSent is the error of a movement that provably sent nothing.
func (m *movement) notSent(attempts int, err error) *NetworkError {
	return &NetworkError{Operation: m.op, MerchantTransactionID: m.mtid, Attempts: attempts, Err: err}
}

// unknown is the error of a movement whose outcome nobody could establish.
func (m *movement) unknown(v verdict, f finding) *OutcomeUnknownError {
	return &OutcomeUnknownError{Operation: m.op, ReferencedID: m.ref, MerchantTransactionID: m.mtid,
		PaymentID: v.paymentID, NDC: v.ndc, ShortID: v.shortID, Cause: v.unsure, Reconcile: f.err, Conflict: f.conflict}
}

// response gives backoff the parts of the exchange it reads.
func (ex exchange) response() *http.Response {
	if ex.status == 0 {
		return nil
	}
	return &http.Response{StatusCode: ex.status, Header: ex.header}
}

// warn logs a step of the loop, with OPP's request ids when known.
func (c *Client) warn(ctx context.Context, m *movement, msg string, v verdict) {
	if c.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.String("operation", string(m.op)), slog.String("payment_id", m.ref),
		slog.String("merchant_transaction_id", m.mtid), slog.String("cause", causeClass(v.unsure))}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "backoffice: "+msg, appendIDs(attrs, "", v.ndc, v.shortID)...)
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
	if err != nil && strings.HasPrefix(err.Error(), "HTTP ") {
		return err.Error()
	}
	return errorClass(err)
}
