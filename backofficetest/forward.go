package backofficetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/oppkit/backoffice/webhook"
)

// RetrySchedule returns OPP's redelivery schedule of a notification that was
// not answered 2xx, with unit standing for one minute: the waits before the
// redeliveries are 1, 2, 4, 8, 15 and 30 units, 1 hour's worth (60 units),
// then a day's worth (1440 units) until 30 days' worth after the first
// attempt. RetrySchedule(time.Minute) is OPP's own; RetrySchedule(time.Second)
// the same 60 times faster, for a QA session.
func RetrySchedule(unit time.Duration) []time.Duration {
	minutes := []int{1, 2, 4, 8, 15, 30, 60}
	total := 0
	for _, m := range minutes {
		total += m
	}
	for total+1440 <= 30*1440 {
		minutes = append(minutes, 1440)
		total += 1440
	}
	out := make([]time.Duration, len(minutes))
	for i, m := range minutes {
		out[i] = time.Duration(m) * unit
	}
	return out
}

// ForwardOptions configures ForwardWebhooks.
type ForwardOptions struct {
	// EntityID limits the forwarding to one entity's transactions; empty
	// forwards every entity's.
	EntityID string
	// Client posts the notifications; nil is a client with OPP's 30 second
	// limit for an answer.
	Client *http.Client
	// Schedule is the wait before each redelivery of a notification that
	// was not answered 2xx; nil is RetrySchedule(time.Minute), OPP's own.
	// After the last one the notification is given up.
	Schedule []time.Duration
	// OnDelivery, if set, is called after each attempt, from the
	// forwarder's goroutine (cmd/fakegateway logs them).
	OnDelivery func(ForwardedDelivery)
	// LogSize bounds the delivery log (the last LogSize attempts are
	// kept); 0 means 10,000.
	LogSize int
}

// ForwardedDelivery is one attempt to deliver a notification.
type ForwardedDelivery struct {
	PaymentID   string    `json:"paymentId"` // the transaction the notification carries
	EntityID    string    `json:"entityId"`
	PaymentType string    `json:"paymentType"`
	ResultCode  string    `json:"resultCode"`
	Attempt     int       `json:"attempt"`         // 1 for the first delivery
	Status      int       `json:"status"`          // the receiver's HTTP status; 0 when the POST failed
	Error       string    `json:"error,omitempty"` // why the POST failed
	Time        time.Time `json:"time"`
	// NextAttempt is when the notification will be sent again; zero when it
	// was accepted or given up.
	NextAttempt time.Time `json:"nextAttempt,omitzero"`
}

// OK reports whether the receiver accepted the delivery (2xx).
func (d ForwardedDelivery) OK() bool { return d.Status >= 200 && d.Status < 300 }

// Forwarder posts the gateway's notifications to a URL in the background,
// as OPP does, redelivering on OPP's schedule. Stop ends it.
type Forwarder struct {
	url, key string
	opts     ForwardOptions
	unsub    func()
	wake     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	ctx      context.Context
	cancel   context.CancelFunc
	mu       sync.Mutex
	queue    []*pending // due now, in order
	timers   map[*pending]*time.Timer
	log      []ForwardedDelivery
	logNext  int
	stopped  bool
}

// pending is a notification waiting to be delivered.
type pending struct {
	entityID, paymentID, paymentType, code string
	plain                                  []byte
	attempt                                int
}

// ForwardWebhooks posts every transaction committed from now on (each
// operation, declines included; the chargebacks and chargeback reversals of
// RaiseChargeback and RaiseChargebackReversal; the final result of Resolve;
// not seeded payments) to url as OPP does: the notification
// {"type":"PAYMENT","payload":<the payment object>} encrypted with key (64
// hexadecimal characters) by webhook.NewRequest, a POST with the
// X-Initialization-Vector and X-Authentication-Tag headers. Unlike
// DeliverWebhooksTo, the POSTs are made in the background, one at a time in
// the order of the commits, so that a slow or absent receiver never holds an
// operation; a notification not answered 2xx is redelivered after the waits
// of opts.Schedule. Deliveries lists every attempt.
func (g *Gateway) ForwardWebhooks(url, key string, opts ForwardOptions) (*Forwarder, error) {
	if g.tb != nil {
		g.tb.Helper()
	}
	f, err := g.forwardWebhooks(url, key, opts)
	return f, g.refused(err)
}

func (g *Gateway) forwardWebhooks(url, key string, opts ForwardOptions) (*Forwarder, error) {
	if err := checkWebhookTarget(key, url); err != nil {
		err.(*ArgumentError).Helper = "ForwardWebhooks"
		return nil, err
	}
	e := &ArgumentError{Helper: "ForwardWebhooks"}
	if opts.EntityID != "" && !validEntityID(opts.EntityID) {
		e.add("entityId", "entity id %q is not 1-64 letters or digits", opts.EntityID)
	}
	for _, d := range opts.Schedule {
		if d < 0 {
			e.add("schedule", "negative wait %v", d)
		}
	}
	if opts.LogSize < 0 {
		e.add("logSize", "negative size %d", opts.LogSize)
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Schedule == nil {
		opts.Schedule = RetrySchedule(time.Minute)
	}
	if opts.LogSize == 0 {
		opts.LogSize = 10_000
	}
	f := &Forwarder{url: url, key: key, opts: opts, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		done: make(chan struct{}), timers: make(map[*pending]*time.Timer)}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	go f.run()
	f.unsub = g.Subscribe(func(e Event) {
		if opts.EntityID == "" || e.EntityID == opts.EntityID {
			f.enqueue(e)
		}
	})
	return f, nil
}

// enqueue queues e's first delivery.
func (f *Forwarder) enqueue(e Event) {
	var head struct {
		ID          string `json:"id"`
		PaymentType string `json:"paymentType"`
		Result      struct {
			Code string `json:"code"`
		} `json:"result"`
	}
	json.Unmarshal(e.Payment, &head) // the gateway's own JSON: it decodes
	plain := make([]byte, 0, len(e.Payment)+32)
	plain = append(plain, `{"type":"PAYMENT","payload":`...)
	plain = append(append(plain, e.Payment...), '}')
	f.push(&pending{entityID: e.EntityID, paymentID: head.ID, paymentType: head.PaymentType, code: head.Result.Code, plain: plain, attempt: 1})
}

// push makes p due now.
func (f *Forwarder) push(p *pending) {
	f.mu.Lock()
	if f.stopped {
		f.mu.Unlock()
		return
	}
	f.queue = append(f.queue, p)
	f.mu.Unlock()
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// run delivers the due notifications, one at a time, until Stop.
func (f *Forwarder) run() {
	defer close(f.done)
	for {
		f.mu.Lock()
		var p *pending
		if len(f.queue) > 0 {
			p = f.queue[0]
			f.queue = f.queue[1:]
		}
		f.mu.Unlock()
		if p == nil {
			select {
			case <-f.wake:
				continue
			case <-f.stop:
				return
			}
		}
		f.send(p)
	}
}

// send makes one attempt at p and schedules the next if needed.
func (f *Forwarder) send(p *pending) {
	d := ForwardedDelivery{PaymentID: p.paymentID, EntityID: p.entityID, PaymentType: p.paymentType,
		ResultCode: p.code, Attempt: p.attempt, Time: time.Now().UTC()}
	req, err := webhook.NewRequest(f.key, f.url, p.plain)
	if err == nil {
		var resp *http.Response
		resp, err = f.opts.Client.Do(req.WithContext(f.ctx))
		if err == nil {
			d.Status = resp.StatusCode
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16)) // lets the connection be reused
			resp.Body.Close()
		}
	}
	if err != nil {
		d.Error = err.Error()
	}
	f.mu.Lock()
	if !d.OK() && p.attempt <= len(f.opts.Schedule) && !f.stopped {
		wait := f.opts.Schedule[p.attempt-1]
		d.NextAttempt = d.Time.Add(wait)
		next := &pending{entityID: p.entityID, paymentID: p.paymentID, paymentType: p.paymentType, code: p.code,
			plain: p.plain, attempt: p.attempt + 1}
		f.timers[next] = time.AfterFunc(wait, func() {
			f.mu.Lock()
			delete(f.timers, next)
			f.mu.Unlock()
			f.push(next)
		})
	}
	if len(f.log) < f.opts.LogSize {
		f.log = append(f.log, d)
	} else {
		f.log[f.logNext] = d
		f.logNext = (f.logNext + 1) % f.opts.LogSize
	}
	f.mu.Unlock()
	if f.opts.OnDelivery != nil {
		f.opts.OnDelivery(d)
	}
}

// Deliveries returns the delivery log, oldest first: every attempt, with
// the receiver's answer.
func (f *Forwarder) Deliveries() []ForwardedDelivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ForwardedDelivery, 0, len(f.log))
	out = append(out, f.log[f.logNext:]...)
	return append(out, f.log[:f.logNext]...)
}

// URL returns where the forwarder posts.
func (f *Forwarder) URL() string { return f.url }

// Stop ends the forwarding: no new notification is taken, scheduled
// redeliveries are dropped, and a POST in flight is cancelled. It waits for
// the forwarder's goroutine to end, and may be called more than once.
func (f *Forwarder) Stop() {
	f.stopOnce.Do(func() {
		f.unsub()
		f.mu.Lock()
		f.stopped = true
		for p, t := range f.timers {
			t.Stop()
			delete(f.timers, p)
		}
		f.queue = nil
		f.mu.Unlock()
		f.cancel()
		close(f.stop)
	})
	<-f.done
}
