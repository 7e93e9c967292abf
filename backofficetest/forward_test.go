package backofficetest_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

func TestRetrySchedule(t *testing.T) {
	s := backofficetest.RetrySchedule(time.Second)
	want := []time.Duration{1, 2, 4, 8, 15, 30, 60}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(s[:7], want) {
		t.Errorf("first waits %v, want %v", s[:7], want)
	}
	var total time.Duration
	for i, d := range s {
		total += d
		if i >= 7 && d != 1440*time.Second {
			t.Errorf("wait %d is %v, want a day's worth", i, d)
		}
	}
	if limit := 30 * 1440 * time.Second; total > limit || total+1440*time.Second <= limit {
		t.Errorf("the schedule spans %v, want the last daily retry within 30 days' worth", total)
	}
}

// TestForwardWebhooks: the forwarder posts in commit order, in the
// background, retries on its schedule, gives up after it, and stops.
func TestForwardWebhooks(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	rcv, srv := newReceiver(t, 3)
	delivered := make(chan backofficetest.ForwardedDelivery, 16)
	f, err := gw.ForwardWebhooks(srv.URL+"/hook", hookKey, backofficetest.ForwardOptions{
		EntityID: backofficetest.DefaultEntityID, Schedule: []time.Duration{time.Millisecond, time.Millisecond},
		OnDelivery: func(d backofficetest.ForwardedDelivery) { delivered <- d }})
	if err != nil {
		t.Fatal(err)
	}
	pa := gw.SeedPreAuthorization(decimal.RequireFromString("10.00"), "EUR")
	rv, err := c.Reverse(context.Background(), pa, backoffice.ReverseRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 3; attempt++ { // the receiver fails three times: the schedule allows two retries
		d := <-delivered
		if d.Attempt != attempt || d.Status != http.StatusInternalServerError || d.PaymentID != rv.ID || (attempt < 3) == d.NextAttempt.IsZero() {
			t.Errorf("delivery %d: %+v", attempt, d)
		}
	}
	db := gw.SeedDebit(decimal.RequireFromString("10.00"), "EUR")
	rf, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: decimal.RequireFromString("1"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if d := <-delivered; d.Attempt != 1 || !d.OK() || d.PaymentID != rf.ID || d.PaymentType != "RF" {
		t.Errorf("next notification: %+v", d)
	}
	if n := <-rcv.got; n.ID != rf.ID {
		t.Errorf("received %s, want %s", n.ID, rf.ID)
	}
	if got := f.Deliveries(); len(got) != 4 || got[3].PaymentID != rf.ID {
		t.Errorf("delivery log %+v", got)
	}
	f.Stop()
	f.Stop()
	if _, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: decimal.RequireFromString("1"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Deliveries()); n != 4 {
		t.Errorf("%d deliveries after Stop", n)
	}
	if _, err := backofficetest.New().ForwardWebhooks("http://127.0.0.1:1/", "short", backofficetest.ForwardOptions{}); err == nil {
		t.Error("ForwardWebhooks accepted a bad key")
	}
}
