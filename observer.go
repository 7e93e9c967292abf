package backoffice

import (
	"context"
	"errors"
	"time"
)

// Observer receives what a Client does, so that a merchant can count
// attempts, retries, declines and unknown outcomes without parsing logs. It
// is a struct of optional functions, like net/http/httptrace's ClientTrace:
// a nil function is skipped. The functions are called synchronously on the
// calling goroutine and must not block. They never see a token, a card
// number or a body.
type Observer struct {
	// Attempt is called after every HTTP request the Client makes: each
	// attempt of a money movement, and each attempt of a lookup (including
	// those a movement makes to settle an ambiguous answer, whose Operation
	// is OperationPaymentsByMerchantTransactionID).
	Attempt func(context.Context, AttemptInfo)
	// Outcome is called once per money movement (Capture, Reverse, Refund,
	// Chargeback, ReverseChargeback, Rebill, Credit) that passed
	// validation, with what the call returns.
	Outcome func(context.Context, OutcomeInfo)
}

// AttemptInfo describes one HTTP request.
type AttemptInfo struct {
	Operation Operation
	// Attempt numbers the requests of one kind within a call: 1 for the
	// first send of a movement, 2 for a re-send; 1, 2, ... for a lookup's
	// retries.
	Attempt    int
	HTTPStatus int    // 0 when no response arrived
	ResultCode string // OPP's result code, when the answer carried one
	// Failure names a transport failure without its text: "not sent",
	// "tls", "timeout", or "transport error after the request may have
	// been written"; empty when a response arrived.
	Failure  string
	Duration time.Duration
}

// OutcomeInfo describes how a money movement ended.
type OutcomeInfo struct {
	Operation             Operation
	MerchantTransactionID string
	Payment               *Payment // the payment returned; nil when Err is not nil
	Err                   error    // nil, or the error returned
	// Category is the one sentinel Err matches (ErrDeclined,
	// ErrOutcomeUnknown, ...): a label for a metric. Nil on success.
	Category error
	Duration time.Duration
}

// WithObserver makes the Client report every attempt and every money
// movement's outcome to o.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		if o.Attempt == nil && o.Outcome == nil {
			return errors.New("WithObserver: the observer has no function")
		}
		c.observer = o
		return nil
	}
}

// sentinels are the nine error categories, in the order Category tries
// them.
var sentinels = [...]error{ErrDeclined, ErrInvalidRequest, ErrUnauthorized, ErrNotFound, ErrNotAllowed,
	ErrGateway, ErrUnknownCode, ErrNetwork, ErrOutcomeUnknown}

// category returns the sentinel err matches, nil for a nil err.
func category(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// observeOutcome reports a movement's outcome, if anyone listens.
func (c *Client) observeOutcome(ctx context.Context, m *movement, start time.Time, p *Payment, err error) {
	if c.observer.Outcome == nil {
		return
	}
	c.observer.Outcome(ctx, OutcomeInfo{Operation: m.op, MerchantTransactionID: m.mtid, Payment: p, Err: err,
		Category: category(err), Duration: time.Since(start)})
}
