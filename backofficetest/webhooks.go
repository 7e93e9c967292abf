package backofficetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/oppkit/backoffice/webhook"
)

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

// webhookURL is the address a notification to an http.Handler is made out
// to.
const webhookURL = "https://merchant.example/opp/webhook"

// DeliverWebhooks sends every transaction committed for entityID from now on
// (each operation, declines included, and the chargebacks and chargeback
// reversals of RaiseChargeback and RaiseChargebackReversal; not seeded
// payments) to target, as OPP does: a notification
// {"type":"PAYMENT","action":"CREATED","payload":<the payment object>}
// encrypted with key (64 hexadecimal characters) by webhook.Encrypt and
// posted with the X-Initialization-Vector and X-Authentication-Tag headers.
//
// Delivery is synchronous: target's ServeHTTP runs, with an
// httptest.ResponseRecorder, before the operation's response is returned (or
// RaiseChargeback returns), so a test sees the notification right after the
// call. OPP's redeliveries are not automatic: Deliveries shows what target
// answered, and Redeliver and RedeliverFailed send a notification again as
// OPP's retry schedule would.
func (g *Gateway) DeliverWebhooks(entityID, key string, target http.Handler) (*Webhooks, error) {
	if target == nil {
		return nil, errors.New("backofficetest: DeliverWebhooks: target is nil")
	}
	return g.deliver(entityID, key, webhookURL, func(req *http.Request) (int, error) {
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, req)
		return rec.Code, nil
	})
}

// DeliverWebhooksTo is DeliverWebhooks posting to url through client
// (http.DefaultClient when nil), for a receiver running as a server. The
// POST, too, is made before the operation's response is returned.
func (g *Gateway) DeliverWebhooksTo(entityID, key, url string, client *http.Client) (*Webhooks, error) {
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
	// Encrypting nothing with a fixed IV checks the key, and only the key.
	if _, _, err := webhook.EncryptWithIV(key, "000000000000000000000000", nil); err != nil {
		return nil, fmt.Errorf("backofficetest: DeliverWebhooks: %w", err)
	}
	if _, err := http.NewRequest(http.MethodPost, url, nil); err != nil {
		return nil, fmt.Errorf("backofficetest: DeliverWebhooks: %w", err)
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
	plain = append(plain, `{"type":"PAYMENT","action":"CREATED","payload":`...)
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
