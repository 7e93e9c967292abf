package backofficetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/oppkit/backoffice/webhook"
)

// Delivery is one notification the gateway sent.
type Delivery struct {
	EntityID  string
	PaymentID string
	Status    int   // the receiver's HTTP status; 0 when the POST failed
	Err       error // why the POST failed, if it did
}

// Webhooks sends an entity's notifications to one receiver, as OPP does,
// and records every delivery. Stop ends it.
type Webhooks struct {
	unsubscribe func()
	mu          sync.Mutex
	deliveries  []Delivery
}

// DeliverWebhooks sends every transaction committed for entityID from now on
// (each operation, declines included, and the chargebacks and chargeback
// reversals of RaiseChargeback and RaiseChargebackReversal) to target, as a
// PAYMENT notification encrypted with key (64 hexadecimal characters) and
// posted with OPP's two headers. Delivery is synchronous: target's ServeHTTP
// runs before the operation's response is returned (or RaiseChargeback
// returns), so a test sees the notification right after the call. OPP's
// redeliveries are not simulated: Deliveries shows what target answered.
func (g *Gateway) DeliverWebhooks(entityID, key string, target http.Handler) (*Webhooks, error) {
	if target == nil {
		return nil, errors.New("backofficetest: DeliverWebhooks: target is nil")
	}
	return g.deliver(entityID, key, func(req *http.Request) (int, error) {
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, req)
		return rec.Code, nil
	})
}

// DeliverWebhooksTo is DeliverWebhooks posting to url through client
// (http.DefaultClient when nil), for a receiver running as a server.
func (g *Gateway) DeliverWebhooksTo(entityID, key, url string, client *http.Client) (*Webhooks, error) {
	if client == nil {
		client = http.DefaultClient
	}
	return g.deliver(entityID, key, func(req *http.Request) (int, error) {
		r, err := http.NewRequestWithContext(req.Context(), req.Method, url, req.Body)
		if err != nil {
			return 0, err
		}
		r.Header = req.Header
		resp, err := client.Do(r)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	})
}

func (g *Gateway) deliver(entityID, key string, post func(*http.Request) (int, error)) (*Webhooks, error) {
	if _, _, err := webhook.EncryptWithIV(key, "000000000000000000000000", nil); err != nil {
		return nil, fmt.Errorf("backofficetest: DeliverWebhooks: %w", err)
	}
	w := &Webhooks{}
	w.unsubscribe = g.Subscribe(func(e Event) {
		if e.EntityID != entityID {
			return
		}
		plain := make([]byte, 0, len(e.Payment)+48)
		plain = append(plain, `{"type":"PAYMENT","action":"CREATED","payload":`...)
		plain = append(append(plain, e.Payment...), '}')
		d := Delivery{EntityID: e.EntityID, PaymentID: paymentID(e.Payment)}
		req, err := webhook.NewRequest(key, "https://merchant.example/opp/webhook", plain)
		if err == nil {
			d.Status, err = post(req)
		}
		d.Err = err
		w.mu.Lock()
		w.deliveries = append(w.deliveries, d)
		w.mu.Unlock()
	})
	return w, nil
}

// Deliveries returns every delivery so far, oldest first.
func (w *Webhooks) Deliveries() []Delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Delivery(nil), w.deliveries...)
}

// Stop ends the deliveries; it may be called more than once.
func (w *Webhooks) Stop() { w.unsubscribe() }

// paymentID reads the id of a payment object the gateway wrote.
func paymentID(payment []byte) string {
	var p struct {
		ID string `json:"id"`
	}
	json.Unmarshal(payment, &p) // the gateway's own JSON: it decodes
	return p.ID
}
