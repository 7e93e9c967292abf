package backofficetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
)

// Event is a transaction the gateway committed, as a payment notification
// carries it.
type Event struct {
	EntityID string
	// Payment is the payment object, the same JSON as the operation's
	// response body. Each subscriber gets its own copy.
	Payment json.RawMessage
}

// subscriber is one Subscribe callback.
type subscriber struct {
	id int
	fn func(Event)
}

// Subscribe calls fn with every transaction committed from now on: each
// operation received (declines included), and those of RaiseChargeback and
// RaiseChargebackReversal; not seeded payments. fn is called synchronously,
// in the goroutine of the request, after the gateway's lock is released, and
// before the request's response is returned. unsubscribe stops the calls; it
// may be called more than once.
func (g *Gateway) Subscribe(fn func(Event)) (unsubscribe func()) {
	g.mu.Lock()
	g.nextSubID++
	id := g.nextSubID
	g.subs = append(slices.Clip(g.subs), subscriber{id, fn}) // copy on write: emit holds old slices
	g.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.subs = slices.DeleteFunc(slices.Clone(g.subs), func(s subscriber) bool { return s.id == id })
		})
	}
}

// subscribers returns who to tell about the commit of t (nil: none). The
// caller holds mu.
func (g *Gateway) subscribers(t *txn) []subscriber {
	if t == nil {
		return nil
	}
	return g.subs
}

// emit tells the subscribers about t, without the lock held: a committed
// transaction's entity and payment object never change.
func emit(subs []subscriber, t *txn) {
	for _, s := range subs {
		s.fn(Event{EntityID: t.entityID, Payment: slices.Clone(t.json)})
	}
}

// ResultError is the OPP result a helper was refused with.
type ResultError struct {
	Code        string // ddd.ddd.ddd
	Description string // OPP's description, verbatim
}

// Error returns "backofficetest: <code> <description>".
func (e *ResultError) Error() string { return "backofficetest: " + e.Code + " " + e.Description }

func resultError(code string) *ResultError {
	return &ResultError{Code: code, Description: description(code)}
}

// RaiseChargeback books a chargeback of amount on payment paymentID (a DB,
// CP or RB) as the acquirer does from its files: the CB's result code is
// reasonCode, one of OPP's chargeback codes (000.100.200 Reason not
// Specified … 000.100.299). It checks the chargeback as it would a
// merchant's, and reports a refusal as a *ResultError with the code OPP
// would answer. The CB is in the ledger and reaches the subscribers. It
// returns the CB's id.
func (g *Gateway) RaiseChargeback(paymentID string, amount decimal.Decimal, reasonCode string) (string, error) {
	if _, ok := describe(reasonCode); !ok || !strings.HasPrefix(reasonCode, "000.100.2") {
		return "", fmt.Errorf("backofficetest: RaiseChargeback: %q is not a chargeback reason code (000.100.2xx)", reasonCode)
	}
	return g.raise("CB", paymentID, amount, reasonCode)
}

// RaiseChargebackReversal reverses chargeback chargebackID in full, as the
// acquirer does when the merchant wins the representment, with the
// gateway's success code. A refusal is a *ResultError. It returns the CR's
// id.
func (g *Gateway) RaiseChargebackReversal(chargebackID string) (string, error) {
	return g.raise("CR", chargebackID, decimal.Decimal{}, "")
}

// raise books an acquirer-initiated operation. A zero amount takes the whole
// of the referenced transaction's; an empty code is the success code.
func (g *Gateway) raise(op, refID string, amount decimal.Decimal, code string) (string, error) {
	if amount.Sign() < 0 || !amount.Equal(amount.Round(2)) {
		return "", fmt.Errorf("backofficetest: %s: amount %s is negative or has more than two decimals", op, amount)
	}
	g.mu.Lock()
	ref := g.txns[refID]
	if ref == nil {
		g.mu.Unlock()
		return "", resultError(codeUnknownReference)
	}
	if amount.IsZero() {
		amount = ref.amount
	}
	if code == "" {
		code = g.successCode
	}
	f := &fields{entityID: ref.entityID, paymentType: op, amount: amount, hasAmount: true, currency: ref.currency}
	if refusal, _ := check(op, ref, f, g.entities[ref.entityID]); refusal != "" {
		g.mu.Unlock()
		return "", resultError(refusal)
	}
	now := g.tick()
	t := &txn{id: g.mintID(), entityID: ref.entityID, ref: ref, paymentType: op, amount: amount,
		currency: ref.currency, code: code, at: now}
	g.commit(t, amount)
	subs := g.subscribers(t)
	g.mu.Unlock()
	emit(subs, t)
	return t.id, nil
}
