package backofficetest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/webhook"
	"github.com/shopspring/decimal"
)

const hookKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// inbox is a merchant's webhook receiver that keeps what it got.
type inbox struct {
	mu   sync.Mutex
	got  []webhook.Notification
	fail bool
}

func (in *inbox) handle(_ context.Context, n webhook.Notification) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.got = append(in.got, n)
	if in.fail {
		return errors.New("try later")
	}
	return nil
}

func (in *inbox) all() []webhook.Notification {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]webhook.Notification(nil), in.got...)
}

func TestWebhookCarriesWhatTheClientGot(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	var in inbox
	hooks, err := gw.DeliverWebhooks(backofficetest.DefaultEntityID, hookKey, webhook.Handler(hookKey, in.handle))
	if err != nil {
		t.Fatal(err)
	}
	defer hooks.Stop()
	db := gw.SeedDebit(decimal.RequireFromString("30.00"), "EUR")
	p, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: decimal.RequireFromString("12.50"), Currency: "EUR",
		MerchantTransactionID: "rf-hook-1"})
	if err != nil {
		t.Fatal(err)
	}
	got := in.all()
	if len(got) != 1 {
		t.Fatalf("%d notifications; want 1", len(got))
	}
	n := got[0]
	if n.Type != webhook.Payment || n.ID != p.ID {
		t.Fatalf("notification %+v", n)
	}
	q := n.Payment
	if !reflect.DeepEqual(q, p) {
		t.Errorf("the notification's payment differs from the client's:\n%+v\n%+v", q, p)
	}
	if q.ID != p.ID || q.PaymentType != backoffice.PaymentTypeRefund || q.ReferencedID != db || !q.Amount.Equal(p.Amount) || q.Currency != "EUR" ||
		q.Result != p.Result || q.MerchantTransactionID != "rf-hook-1" || !q.Timestamp.Equal(p.Timestamp) {
		t.Fatalf("notification payment %+v\nclient payment %+v", q, p)
	}
	ds := hooks.Deliveries()
	if len(ds) != 1 || ds[0].Status != 200 || !ds[0].OK() || ds[0].Attempt != 1 || ds[0].PaymentID != p.ID || ds[0].Err != nil {
		t.Fatalf("deliveries %+v", ds)
	}
}

func TestRaisedChargebackReachesTheHandler(t *testing.T) {
	_, gw := backofficetest.NewClient(t)
	var in inbox
	hooks, err := gw.DeliverWebhooks(backofficetest.DefaultEntityID, hookKey, webhook.Handler(hookKey, in.handle))
	if err != nil {
		t.Fatal(err)
	}
	db := gw.SeedDebit(decimal.RequireFromString("80.00"), "EUR")
	cb, err := gw.RaiseChargeback(db, decimal.RequireFromString("30.00"), "000.100.203")
	if err != nil {
		t.Fatal(err)
	}
	cr, err := gw.RaiseChargebackReversal(cb)
	if err != nil {
		t.Fatal(err)
	}
	got := in.all()
	if len(got) != 2 || got[0].ID != cb || got[1].ID != cr {
		t.Fatalf("notifications %+v", got)
	}
	if p := got[0].Payment; p.PaymentType != backoffice.PaymentTypeChargeback || p.ReferencedID != db || !p.Amount.Equal(decimal.RequireFromString("30")) ||
		p.Result.Code != "000.100.203" || p.Result.Description != "Insufficient Funds" {
		t.Fatalf("chargeback %+v", p)
	}
	if p := got[1].Payment; p.PaymentType != backoffice.PaymentTypeChargebackReversal || p.ReferencedID != cb || !p.Succeeded() {
		t.Fatalf("chargeback reversal %+v", p)
	}
	hooks.Stop()
	if _, err := gw.RaiseChargeback(gw.SeedDebit(decimal.RequireFromString("1"), "EUR"), decimal.RequireFromString("1"), "000.100.200"); err != nil {
		t.Fatal(err)
	}
	if n := len(in.all()); n != 2 {
		t.Fatalf("%d notifications after Stop; want still 2", n)
	}
}

func TestFailingHandlerIsRecordedForRedelivery(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	in := inbox{fail: true}
	hooks, _ := gw.DeliverWebhooks(backofficetest.DefaultEntityID, hookKey, webhook.Handler(hookKey, in.handle))
	pa := gw.SeedPreAuthorization(decimal.RequireFromString("10"), "EUR")
	cp, err := c.Capture(context.Background(), pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("10"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	ds := hooks.Deliveries()
	if len(ds) != 1 || ds[0].Status != http.StatusInternalServerError || ds[0].OK() {
		t.Fatalf("deliveries %+v; want one answered 500", ds)
	}

	// OPP retries what was not answered 2xx, with the same transaction id,
	// until the receiver accepts it; then it stops.
	in.mu.Lock()
	in.fail = false
	in.mu.Unlock()
	again := hooks.RedeliverFailed()
	if len(again) != 1 || again[0].PaymentID != cp.ID || again[0].Attempt != 2 || again[0].Status != http.StatusOK {
		t.Fatalf("redelivery %+v", again)
	}
	if more := hooks.RedeliverFailed(); len(more) != 0 {
		t.Fatalf("accepted notifications redelivered: %+v", more)
	}
	got := in.all()
	if len(got) != 2 || got[0].ID != cp.ID || got[1].ID != cp.ID || !reflect.DeepEqual(got[0].Payment, got[1].Payment) {
		t.Fatalf("the handler saw %+v; want the same capture twice", got)
	}
}

func TestRedeliverSendsADuplicate(t *testing.T) {
	_, gw := backofficetest.NewClient(t)
	var in inbox
	hooks, _ := gw.DeliverWebhooks(backofficetest.DefaultEntityID, hookKey, webhook.Handler(hookKey, in.handle))
	cb, err := gw.RaiseChargeback(gw.SeedDebit(decimal.RequireFromString("5"), "EUR"), decimal.Decimal{}, "000.100.201")
	if err != nil {
		t.Fatal(err)
	}
	hooks.Stop() // redelivery does not need the subscription
	d, err := hooks.Redeliver(cb)
	if err != nil || d.PaymentID != cb || d.Attempt != 2 || !d.OK() {
		t.Fatalf("Redeliver = %+v, %v", d, err)
	}
	if got := in.all(); len(got) != 2 || got[1].ID != cb || !got[1].Payment.Amount.Equal(decimal.RequireFromString("5")) {
		t.Fatalf("notifications %+v", got)
	}
	if _, err := hooks.Redeliver("nope"); err == nil {
		t.Fatal("Redeliver of an unknown id succeeded")
	}
}

func TestWrongKeyIsRefusedByTheReceiver(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	var in inbox
	other := "ff" + hookKey[2:]
	hooks, _ := gw.DeliverWebhooks(backofficetest.DefaultEntityID, other, webhook.Handler(hookKey, in.handle))
	pa := gw.SeedPreAuthorization(decimal.RequireFromString("10"), "EUR")
	if _, err := c.Reverse(context.Background(), pa, backoffice.ReverseRequest{}); err != nil {
		t.Fatal(err)
	}
	if ds := hooks.Deliveries(); len(ds) != 1 || ds[0].Status != http.StatusBadRequest || len(in.all()) != 0 {
		t.Fatalf("deliveries %+v, handled %d", ds, len(in.all()))
	}
	if _, err := backofficetest.New().DeliverWebhooks(backofficetest.DefaultEntityID, "short", webhook.Handler(hookKey, in.handle)); !errors.Is(err, webhook.ErrInvalidKey) {
		t.Fatalf("bad key: %v", err)
	}
}

func TestWebhooksToAServer(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	var in inbox
	srv := httptest.NewServer(webhook.Handler(hookKey, in.handle))
	defer srv.Close()
	hooks, err := gw.DeliverWebhooksTo(backofficetest.DefaultEntityID, hookKey, srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	db := gw.SeedDebit(decimal.RequireFromString("10"), "EUR")
	p, err := c.Rebill(context.Background(), db, backoffice.RebillRequest{Amount: decimal.RequireFromString("2"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if ds := hooks.Deliveries(); len(ds) != 1 || ds[0].Status != 200 || len(in.all()) != 1 || in.all()[0].ID != p.ID {
		t.Fatalf("deliveries %+v", ds)
	}
	if n := in.all()[0]; n.Type != webhook.Payment || n.Action != "" {
		t.Errorf("notification %v: OPP sends type PAYMENT with no action (documented for REGISTRATION only)", n)
	}
}
