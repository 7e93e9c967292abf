package backofficetest_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// TestClientFollowsAllowedOperations walks every flow through the SDK
// against the fake, offering at each step only what AllowedOperations
// offers: what the console shows is what the fake accepts.
func TestClientFollowsAllowedOperations(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	ctx := t.Context()
	allowed := func(p *backoffice.Payment, want ...backoffice.Operation) {
		t.Helper()
		if got := backoffice.AllowedOperations(p.PaymentType, p.Result); !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Errorf("%s %s: AllowedOperations = %v; want %v", p.PaymentType, p.Result.Code, got, want)
		}
	}

	// A capture, then its reversal.
	pa := gw.SeedPreAuthorization(eur("100.00"), "EUR")
	cp, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: eur("60.00"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	allowed(cp, backoffice.OperationRefund, backoffice.OperationChargeback, backoffice.OperationReverse)
	rv, err := c.Reverse(ctx, cp.ID, backoffice.ReverseRequest{})
	if err != nil || !rv.Succeeded() {
		t.Fatalf("reversal of a capture: %+v, %v", rv, err)
	}
	allowed(rv)
	if p, _ := gw.Payment(pa); !p.Balance.Captured.IsZero() || !p.Balance.Reversed.Equal(eur("60")) {
		t.Errorf("PA after its capture's reversal: %+v", p.Balance)
	}

	// A rebill, refunded, then reversed: refused once refunded.
	db := gw.SeedDebit(eur("100.00"), "EUR")
	rb, err := c.Rebill(ctx, db, backoffice.RebillRequest{Amount: eur("5.00"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	allowed(rb, backoffice.OperationRefund, backoffice.OperationChargeback, backoffice.OperationReverse)
	if _, err := c.Refund(ctx, rb.ID, backoffice.RefundRequest{Amount: eur("1.00"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reverse(ctx, rb.ID, backoffice.ReverseRequest{}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("reversal of a refunded rebill: %v; want ErrNotAllowed", err)
	}

	// A credit, refunded up to the credited amount.
	cd, err := c.Credit(ctx, backoffice.CreditRequest{Amount: eur("25.00"), Currency: "EUR", PaymentBrand: "VISA_DEBIT",
		Card: backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}})
	if err != nil {
		t.Fatal(err)
	}
	allowed(cd, backoffice.OperationRefund)
	if _, err := c.Refund(ctx, cd.ID, backoffice.RefundRequest{Amount: eur("25.00"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Refund(ctx, cd.ID, backoffice.RefundRequest{Amount: eur("0.01"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("refund beyond the credit: %v; want ErrNotAllowed", err)
	}

	// A chargeback the acquirer raised, its reversal, the representment and
	// the representment's reversal, then nothing.
	db2 := gw.SeedDebit(eur("100.00"), "EUR")
	cbID, err := gw.RaiseChargeback(db2, eur("40.00"), "000.100.201")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := c.Payment(ctx, cbID)
	if err != nil {
		t.Fatal(err)
	}
	if !cb.Succeeded() {
		t.Fatalf("acquirer's chargeback %+v is not Succeeded", cb)
	}
	allowed(cb, backoffice.OperationReverseChargeback)
	next := cb
	for _, code := range []string{"000.100.110", "000.100.105", "000.100.106"} {
		p, err := c.ReverseChargeback(ctx, next.ID, backoffice.ReverseChargebackRequest{Amount: eur("40.00"), Currency: "EUR"})
		if err != nil || p.Result.Code != code || !p.Succeeded() {
			t.Fatalf("CR on %s %s: %+v, %v; want %s", next.PaymentType, next.Result.Code, p, err, code)
		}
		next = p
		if code != "000.100.106" {
			allowed(p, backoffice.OperationReverseChargeback)
		}
	}
	allowed(next)
	if _, err := c.ReverseChargeback(ctx, next.ID, backoffice.ReverseChargebackRequest{Amount: eur("1.00"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("CR on a representment reversal: %v; want ErrNotAllowed", err)
	}
}
