package backoffice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/internal/opp"
)

// answerRecorder keeps the body of every answer that passes through it.
type answerRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	got  []recordedAnswer
}

type recordedAnswer struct {
	method, path string
	body         []byte
}

func (r *answerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.got = append(r.got, recordedAnswer{req.Method, req.URL.Path, body})
	r.mu.Unlock()
	return resp, nil
}

// TestDecodeFastTakesEveryOperationsAnswer runs every operation, a decline
// and both lookups against the fake gateway, and checks each answer: an
// operation's answer or a lookup by id takes the fast path and decodes to
// exactly what encoding/json gives; a lookup's list goes to encoding/json.
// The speed the README claims rests on the first half.
func TestDecodeFastTakesEveryOperationsAnswer(t *testing.T) {
	ctx := context.Background()
	gw := backofficetest.New(backofficetest.WithTB(t))
	rec := &answerRecorder{next: gw}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID, backoffice.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	must := func(p *backoffice.Payment, err error) *backoffice.Payment {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
	cp := must(c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("60.00"), Currency: "EUR", MerchantTransactionID: "capture-0001"}))
	must(c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: dec("10.00"), Currency: "EUR", Descriptor: "Café refund"}))
	must(c.Reverse(ctx, gw.SeedPreAuthorization(dec("5.00"), "EUR"), backoffice.ReverseRequest{}))
	db := gw.SeedDebit(dec("50.00"), "EUR")
	must(c.Rebill(ctx, db, backoffice.RebillRequest{Amount: dec("5.00"), Currency: "EUR"}))
	cb := must(c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: dec("50.00"), Currency: "EUR"}))
	must(c.ReverseChargeback(ctx, cb.ID, backoffice.ReverseChargebackRequest{Amount: dec("50.00"), Currency: "EUR"}))
	must(c.Credit(ctx, backoffice.CreditRequest{Amount: dec("3.00"), Currency: "EUR", PaymentBrand: "VISA",
		Card: backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}}))
	if _, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("1000.00"), Currency: "EUR"}); err == nil {
		t.Fatal("an over-capture succeeded")
	}
	must(c.Payment(ctx, cp.ID))
	if _, err := c.PaymentsByMerchantTransactionID(ctx, "capture-0001"); err != nil {
		t.Fatal(err)
	}

	if len(rec.got) != 10 {
		t.Fatalf("recorded %d answers, want 10", len(rec.got))
	}
	for _, a := range rec.got {
		var fast opp.WireAnswer
		took := opp.DecodeFast(a.body, &fast)
		var slow opp.WireAnswer
		if err := json.Unmarshal(a.body, &slow); err != nil {
			t.Fatalf("%s %s: %v", a.method, a.path, err)
		}
		list := len(slow.Payments) > 0
		switch {
		case took == list:
			t.Errorf("%s %s: fast path took it: %v, want %v\n%s", a.method, a.path, took, !list, a.body)
		case took && !reflect.DeepEqual(fast, slow):
			t.Errorf("%s %s:\nfast:          %#v\nencoding/json: %#v", a.method, a.path, fast, slow)
		}
	}
}
