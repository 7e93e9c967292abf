package backoffice

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// keyOPP is a hand-written OPP that commits every refund it receives and
// answers lookups: two refunds with one key are two refunds to it.
func keyOPP(t *testing.T, hold chan struct{}) (*handOPP, *Client, func(...Option) *Client) {
	o := &handOPP{}
	o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
		if hold != nil {
			<-hold
		}
		commit(codeOK, r.PostForm.Get("amount"), "-")
		o.mu.Lock()
		recs := o.records[r.PostForm.Get("merchantTransactionId")]
		last := recs[len(recs)-1]
		o.mu.Unlock()
		w.Write([]byte(last))
	}
	srv := newOPP(t, o)
	mk := func(opts ...Option) *Client { return independentClient(t, srv, nil, fastRetry, opts...) }
	return o, mk(), mk
}

// TestLookBeforeSending: a job delivered twice calls Refund twice with one
// key, one call after the other (the second could be another process).
// With WithLookBeforeSend the second adopts the first's refund and sends
// nothing; a different request under the key is refused before sending.
func TestLookBeforeSending(t *testing.T) {
	o, _, mk := keyOPP(t, nil)
	c := mk(WithLookBeforeSend())
	first, err := refund(context.Background(), c, "job-7xxx")
	if err != nil {
		t.Fatal(err)
	}
	second, err := refund(context.Background(), mk(WithLookBeforeSend()), "job-7xxx")
	if err != nil || second.ID != first.ID {
		t.Fatalf("second call = %+v, %v; want the first call's refund %s", second, err, first.ID)
	}
	if posts, lookups, commits := o.counts(); posts != 1 || lookups != 2 || commits != 1 {
		t.Fatalf("%d POSTs, %d lookups, %d commits; want 1, 2, 1", posts, lookups, commits)
	}
	_, err = c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("3.00"), Currency: "EUR", MerchantTransactionID: "job-7xxx"})
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidRequest) || ve.Field != "MerchantTransactionID" {
		t.Fatalf("reused key: %v; want ErrInvalidRequest naming MerchantTransactionID", err)
	}
	if posts, _, _ := o.counts(); posts != 1 {
		t.Fatalf("%d POSTs; want 1: a reused key is refused before sending", posts)
	}
	// Generated keys are fresh: no lookup before sending.
	if _, err := c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1.00"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if posts, lookups, _ := o.counts(); posts != 2 || lookups != 3 {
		t.Fatalf("%d POSTs, %d lookups; want 2 and 3", posts, lookups)
	}
}

// TestLookBeforeSendingWithoutAnAnswer: when the lookup fails, nothing is
// sent and the error says the lookup failed.
func TestLookBeforeSendingWithoutAnAnswer(t *testing.T) {
	o := &handOPP{post: func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
		commit(codeOK, r.PostForm.Get("amount"), "-")
	}}
	o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
	srv := newOPP(t, o)
	c := independentClient(t, srv, nil, fastRetry, WithLookBeforeSend())
	_, err := refund(context.Background(), c, "job-8xxx")
	if !errors.Is(err, ErrGateway) {
		t.Fatalf("err = %v; want the failed lookup", err)
	}
	checkOneCategory(t, err)
	if posts, _, _ := o.counts(); posts != 0 {
		t.Fatalf("%d POSTs; want none", posts)
	}
}

// waitForWaiter blocks until a call waits for the flight of key mtid.
func waitForWaiter(c *Client, mtid string) {
	for {
		c.flights.mu.Lock()
		f := c.flights.m[mtid]
		n := 0
		if f != nil {
			n = f.waiters
		}
		c.flights.mu.Unlock()
		if n > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// TestConcurrentCallsWithOneKey: two Refund calls with the same key at once
// in one process: the second waits for the first and gets its outcome. One
// POST, one refund.
func TestConcurrentCallsWithOneKey(t *testing.T) {
	hold := make(chan struct{})
	o, c, _ := keyOPP(t, hold)
	var wg sync.WaitGroup
	var p1, p2 *Payment
	var err1, err2 error
	wg.Add(1)
	go func() { defer wg.Done(); p1, err1 = refund(context.Background(), c, "job-9xxx") }()
	for {
		if posts, _, _ := o.counts(); posts == 1 { // the first is on the wire
			break
		}
		time.Sleep(time.Millisecond)
	}
	wg.Add(1)
	go func() { defer wg.Done(); p2, err2 = refund(context.Background(), c, "job-9xxx") }()
	waitForWaiter(c, "job-9xxx") // the second waits for the first
	close(hold)
	wg.Wait()
	if err1 != nil || err2 != nil || p1.ID != p2.ID || p1 == p2 {
		t.Fatalf("calls = %+v, %v and %+v, %v; want the same refund, as copies", p1, err1, p2, err2)
	}
	if posts, _, commits := o.counts(); posts != 1 || commits != 1 {
		t.Fatalf("%d POSTs, %d commits; want 1 and 1", posts, commits)
	}
}

// TestConcurrentCallsWithOneKeyDiffer: the second call under the key asks
// for something else: it waits, then finds the key used and is refused.
func TestConcurrentCallsWithOneKeyDiffer(t *testing.T) {
	hold := make(chan struct{})
	o, c, _ := keyOPP(t, hold)
	var wg sync.WaitGroup
	var err1, err2 error
	wg.Add(1)
	go func() { defer wg.Done(); _, err1 = refund(context.Background(), c, "job-10xx") }()
	for {
		if posts, _, _ := o.counts(); posts == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err2 = c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1.00"), Currency: "EUR", MerchantTransactionID: "job-10xx"})
	}()
	waitForWaiter(c, "job-10xx")
	close(hold)
	wg.Wait()
	if err1 != nil || !errors.Is(err2, ErrInvalidRequest) {
		t.Fatalf("first %v, second %v; want the refund and a refused reuse of the key", err1, err2)
	}
	if posts, _, commits := o.counts(); posts != 1 || commits != 1 {
		t.Fatalf("%d POSTs, %d commits; want 1 and 1", posts, commits)
	}
}
