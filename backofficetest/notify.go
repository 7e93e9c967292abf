package backofficetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"

	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/webhook"
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

// notice is a notification to send once the lock is released.
type notice struct {
	subs     []subscriber
	entityID string
	payment  []byte // never written once built: Resolve builds a new one
}

// notice returns who to tell about the commit of t (nil: none), and what.
// The caller holds mu.
func (g *Gateway) notice(t *txn) notice {
	if t == nil || len(g.subs) == 0 {
		return notice{}
	}
	return notice{subs: g.subs, entityID: t.entityID, payment: t.json}
}

// emit tells the subscribers, without the lock held.
func (n notice) emit() {
	for _, s := range n.subs {
		s.fn(Event{EntityID: n.entityID, Payment: slices.Clone(n.payment)})
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
	if g.tb != nil {
		g.tb.Helper()
	}
	id, err := g.raiseChargeback(paymentID, amount, reasonCode)
	return id, g.refused(err)
}

func (g *Gateway) raiseChargeback(paymentID string, amount decimal.Decimal, reasonCode string) (string, error) {
	if _, ok := describe(reasonCode); !ok || !strings.HasPrefix(reasonCode, "000.100.2") {
		e := &ArgumentError{Helper: "RaiseChargeback"}
		e.add("reasonCode", "%q is not a chargeback reason code (000.100.2xx)", reasonCode)
		return "", e
	}
	return g.raise("CB", paymentID, amount, reasonCode)
}

// RaiseChargebackReversal reverses chargeback chargebackID in full, as the
// acquirer does when the merchant wins the representment, with the
// gateway's success code. Given a chargeback reversal instead, it books a
// representment (000.100.105), and given a representment, its reversal
// (000.100.106). A refusal is a *ResultError. It returns the CR's id.
func (g *Gateway) RaiseChargebackReversal(chargebackID string) (string, error) {
	return g.raise("CR", chargebackID, decimal.Decimal{}, "")
}

// raise books an acquirer-initiated operation. A zero amount takes the whole
// of the referenced transaction's; an empty code is the success code.
func (g *Gateway) raise(op, refID string, amount decimal.Decimal, code string) (string, error) {
	// The exponent first: a hostile one makes Round and String take minutes.
	if amount.Sign() < 0 || money.CheckExponent(amount) != nil || !amount.Equal(amount.Round(2)) {
		e := &ArgumentError{Helper: "RaiseChargeback"}
		e.add("amount", "amount %s is negative or has more than two decimals", money.String(amount))
		return "", e
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
		code = successCode(op, ref, g.successCode)
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
	n := g.notice(t)
	g.mu.Unlock()
	n.emit()
	return t.id, nil
}

// Delivery is one notification the gateway sent.
type Delivery struct {
	EntityID  string
	PaymentID string // the id of the transaction the notification carries
	Attempt   int    // 1 for a notification's first delivery, 2 for its first redelivery, ...
	Status    int    // the receiver's HTTP status; 0 when the POST failed
	Err       error  // why the POST failed, if it did
}

// OK reports whether the receiver accepted the delivery (a 2xx status), so
// that OPP would not send it again.
func (d Delivery) OK() bool { return d.Status >= 200 && d.Status < 300 }

// Webhooks sends an entity's notifications to one receiver, as OPP does,
// and records every delivery. Stop ends it.
type Webhooks struct {
	key         string
	url         string
	post        func(*http.Request) (int, error)
	unsubscribe func()

	mu         sync.Mutex
	deliveries []Delivery
	sent       map[string]Event // payment id → what its notification carried
}

// WebhookURL is the address a notification to an http.Handler
// (DeliverWebhooks) is made out to: target sees POST /opp/webhook on host
// merchant.example.
const WebhookURL = "https://merchant.example/opp/webhook"

// DeliverWebhooks sends every transaction committed for entityID from now on
// (each operation, declines included, and the chargebacks and chargeback
// reversals of RaiseChargeback and RaiseChargebackReversal; not seeded
// payments) to target, as OPP does: a notification
// {"type":"PAYMENT","payload":<the payment object>} (OPP documents "action"
// for REGISTRATION notifications only)
// encrypted with key (64 hexadecimal characters) by webhook.Encrypt and
// posted with the X-Initialization-Vector and X-Authentication-Tag headers,
// Content-Type text/plain, to WebhookURL: target's ServeHTTP sees
// "POST /opp/webhook" with Host merchant.example. (DeliverWebhooksTo posts to
// the URL it is given, path included.)
//
// Delivery is synchronous: target's ServeHTTP runs, with an
// httptest.ResponseRecorder, before the operation's response is returned (or
// RaiseChargeback returns), so a test sees the notification right after the
// call. OPP's redeliveries are not automatic: Deliveries shows what target
// answered, and Redeliver and RedeliverFailed send a notification again as
// OPP's retry schedule would.
func (g *Gateway) DeliverWebhooks(entityID, key string, target http.Handler) (*Webhooks, error) {
	if g.tb != nil {
		g.tb.Helper()
	}
	if target == nil {
		return nil, g.misuse(errors.New("backofficetest: DeliverWebhooks: target is nil"))
	}
	w, err := g.deliver(entityID, key, WebhookURL, func(req *http.Request) (int, error) {
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, req)
		return rec.Code, nil
	})
	return w, g.refused(err)
}

// DeliverWebhooksTo is DeliverWebhooks posting to url through client
// (http.DefaultClient when nil), for a receiver running as a server. The
// POST, too, is made before the operation's response is returned.
func (g *Gateway) DeliverWebhooksTo(entityID, key, url string, client *http.Client) (*Webhooks, error) {
	if g.tb != nil {
		g.tb.Helper()
	}
	w, err := g.deliverTo(entityID, key, url, client)
	return w, g.refused(err)
}

func (g *Gateway) deliverTo(entityID, key, url string, client *http.Client) (*Webhooks, error) {
	if client == nil {
		client = http.DefaultClient
	}
	return g.deliver(entityID, key, url, func(req *http.Request) (int, error) {
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16)) // lets the connection be reused
		return resp.StatusCode, nil
	})
}

// deliver subscribes a Webhooks that sends with post.
func (g *Gateway) deliver(entityID, key, url string, post func(*http.Request) (int, error)) (*Webhooks, error) {
	if err := checkWebhookTarget(key, url); err != nil {
		return nil, err
	}
	w := &Webhooks{key: key, url: url, post: post, sent: map[string]Event{}}
	w.unsubscribe = g.Subscribe(func(e Event) {
		if e.EntityID == entityID {
			w.send(e)
		}
	})
	return w, nil
}

// send delivers e's notification once and records it.
func (w *Webhooks) send(e Event) Delivery {
	id := paymentID(e.Payment)
	w.mu.Lock()
	w.sent[id] = e
	w.mu.Unlock()

	plain := make([]byte, 0, len(e.Payment)+64)
	plain = append(plain, `{"type":"PAYMENT","payload":`...)
	plain = append(append(plain, e.Payment...), '}')
	d := Delivery{EntityID: e.EntityID, PaymentID: id}
	req, err := webhook.NewRequest(w.key, w.url, plain)
	if err == nil {
		d.Status, err = w.post(req)
	}
	d.Err = err

	w.mu.Lock()
	defer w.mu.Unlock()
	d.Attempt = 1
	for _, prev := range w.deliveries {
		if prev.PaymentID == id {
			d.Attempt++
		}
	}
	w.deliveries = append(w.deliveries, d)
	return d
}

// Deliveries returns every delivery so far, oldest first.
func (w *Webhooks) Deliveries() []Delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Delivery(nil), w.deliveries...)
}

// Redeliver sends the notification of transaction paymentID again, as OPP
// does after a delivery that was not answered 2xx and, at least once
// delivery being what it is, sometimes after one that was. It returns the
// new delivery, or an error when no notification of paymentID was sent.
// It works after Stop too.
func (w *Webhooks) Redeliver(paymentID string) (Delivery, error) {
	w.mu.Lock()
	e, ok := w.sent[paymentID]
	w.mu.Unlock()
	if !ok {
		return Delivery{}, fmt.Errorf("backofficetest: Redeliver: no notification of %q was sent", paymentID)
	}
	return w.send(e), nil
}

// RedeliverFailed is one step of OPP's retry schedule: it sends again every
// notification whose latest delivery was not answered 2xx, in the order they
// were first sent, and returns the new deliveries (none when every
// notification was accepted).
func (w *Webhooks) RedeliverFailed() []Delivery {
	w.mu.Lock()
	var order []string
	latest := map[string]Delivery{}
	for _, d := range w.deliveries {
		if _, seen := latest[d.PaymentID]; !seen {
			order = append(order, d.PaymentID)
		}
		latest[d.PaymentID] = d
	}
	var retry []Event
	for _, id := range order {
		if !latest[id].OK() {
			retry = append(retry, w.sent[id])
		}
	}
	w.mu.Unlock()
	var out []Delivery
	for _, e := range retry {
		out = append(out, w.send(e))
	}
	return out
}

// Stop ends the deliveries of new transactions; it may be called more than
// once.
func (w *Webhooks) Stop() { w.unsubscribe() }

// paymentID reads the id of a payment object the gateway wrote.
func paymentID(payment []byte) string {
	var p struct {
		ID string `json:"id"`
	}
	json.Unmarshal(payment, &p) // the gateway's own JSON: it decodes
	return p.ID
}

// checkWebhookTarget checks a webhook key and URL.
func checkWebhookTarget(key, url string) error {
	e := &ArgumentError{Helper: "DeliverWebhooks"}
	// Encrypting nothing with a fixed IV checks the key, and only the key.
	if _, _, err := webhook.EncryptWithIV(key, "000000000000000000000000", nil); err != nil {
		e.addErr("key", err)
	}
	if _, err := http.NewRequest(http.MethodPost, url, nil); err != nil {
		e.addErr("url", err)
	}
	return e.err()
}
