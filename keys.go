package backoffice

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"sync"
)

// flights are the money movements in flight with a caller-supplied key, so
// that a second call with the same key waits for the first.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one call in flight: its movement and, once done is closed, its
// outcome.
type flight struct {
	done    chan struct{}
	m       *movement
	p       *Payment
	err     error
	waiters int // calls waiting for it, guarded by flights.mu
}

// serialised performs m unless a call with the same key is in flight in
// this Client: then it waits for that call and returns its outcome. When
// that call sent nothing (a *NetworkError), this one runs itself; when its
// request differs, this one runs looking the key up first, which refuses
// the reused key if the first call's operation is on record.
func (c *Client) serialised(ctx context.Context, m *movement) (*Payment, error) {
	lookFirst := c.lookFirst
	for {
		c.flights.mu.Lock()
		f := c.flights.m[m.mtid]
		if f == nil {
			f = &flight{done: make(chan struct{}), m: m}
			c.flights.m[m.mtid] = f
			c.flights.mu.Unlock()
			return c.lead(ctx, f, lookFirst)
		}
		f.waiters++
		c.flights.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, m.notSent(0, ctx.Err())
		}
		var ne *NetworkError
		switch {
		case errors.As(f.err, &ne):
			continue
		case !bytes.Equal(f.m.body, m.body) || f.m.path != m.path:
			lookFirst = true
			continue
		}
		return clonePayment(f.p), f.err
	}
}

// lead performs f's movement and publishes its outcome to the calls waiting
// for it.
func (c *Client) lead(ctx context.Context, f *flight, lookFirst bool) (p *Payment, err error) {
	returned := false
	defer func() {
		if !returned { // perform panicked: the waiters cannot know what it sent
			err = &OutcomeUnknownError{Operation: f.m.op, ReferencedID: f.m.ref, MerchantTransactionID: f.m.mtid,
				Cause: errors.New("the call with this key that this one waited for panicked")}
		}
		f.p, f.err = p, err
		c.flights.mu.Lock()
		delete(c.flights.m, f.m.mtid)
		c.flights.mu.Unlock()
		close(f.done)
	}()
	p, err = c.perform(ctx, f.m, lookFirst)
	returned = true
	return p, err
}

// clonePayment copies p for another caller, maps included.
func clonePayment(p *Payment) *Payment {
	if p == nil {
		return nil
	}
	cp := *p
	cp.ResultDetails = maps.Clone(p.ResultDetails)
	cp.CustomParameters = maps.Clone(p.CustomParameters)
	if p.Card != nil {
		card := *p.Card
		cp.Card = &card
	}
	return &cp
}
