package backoffice

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// awaitOPP loses the answer of every POST without committing; its lookups
// answer from script, one entry per lookup (the last repeats): "" for none,
// else the records' JSON.
func awaitOPP(t *testing.T, script ...func() []string) (*handOPP, *Client) {
	o := &handOPP{post: func(w http.ResponseWriter, r *http.Request, _ func(code, amount, ref string)) { hangUp(w) }}
	o.lookup = func(w http.ResponseWriter, n int, _ []string) bool {
		writeQuery(w, script[min(n, len(script))-1]())
		return true
	}
	srv := newOPP(t, o)
	return o, independentClient(t, srv, nil, fastRetry)
}

func records(rs ...string) func() []string { return func() []string { return rs } }

func refundRecord(id, amount, code string) string {
	return paymentJSON(id, testPayID, PaymentTypeRefund, amount, "EUR", "aw-1xxxx", code, "")
}

// TestAwaitOutcome: an unknown refund becomes known once OPP shows it: not
// found, then uncertain (900.100.300), then succeeded.
func TestAwaitOutcome(t *testing.T) {
	id := "8ac7a4a1845f7e6b01846011a8b2a001"
	o, c := awaitOPP(t, records(), records(), records(refundRecord(id, "10.00", "900.100.300")), records(refundRecord(id, "10.00", codeOK)))
	_, err := refund(context.Background(), c, "aw-1xxxx")
	var u *OutcomeUnknownError
	if !errors.As(err, &u) {
		t.Fatalf("Refund = %v; want an unknown outcome", err)
	}
	p, err := c.AwaitOutcome(context.Background(), u)
	if err != nil || p.ID != id || !p.Succeeded() {
		t.Fatalf("AwaitOutcome = %+v, %v; want the refund", p, err)
	}
	if posts, lookups, _ := o.counts(); posts != 1 || lookups != 4 {
		t.Fatalf("%d POSTs, %d lookups; want 1 and 4", posts, lookups)
	}
	uncertain := Payment{Result: Result{Code: "900.100.300"}}
	if !uncertain.Uncertain() || p.Uncertain() || (&Payment{Result: Result{Code: codeDecline}}).Uncertain() {
		t.Fatal("Uncertain() must hold for 900.x records only")
	}
}

// TestAwaitOutcomeEnds: a conflict ends the wait at once; a context that
// ends leaves the outcome unknown; a decline found by key alone is the
// decline of the operation OPP recorded.
func TestAwaitOutcomeEnds(t *testing.T) {
	u := &OutcomeUnknownError{Operation: OperationRefund, ReferencedID: testPayID, MerchantTransactionID: "aw-1xxxx"}
	_, c := awaitOPP(t, records(paymentJSON("8ac7a4a1845f7e6b01846011a8b2a002", testPayID, PaymentTypeCapture, "10.00", "EUR", "aw-1xxxx", codeOK, "")))
	_, err := c.AwaitOutcome(context.Background(), u)
	var got *OutcomeUnknownError
	if !errors.As(err, &got) || !strings.Contains(got.Conflict, "is of type CP, not RF") {
		t.Fatalf("AwaitOutcome = %v; want the conflict", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, c = awaitOPP(t, func() []string { cancel(); return nil })
	_, err = c.AwaitOutcome(ctx, u)
	if !errors.As(err, &got) || !errors.Is(got.Reconcile, context.Canceled) || got.MerchantTransactionID != "aw-1xxxx" {
		t.Fatalf("AwaitOutcome = %v; want still unknown when the context ends", err)
	}
	checkOneCategory(t, err)

	_, c = awaitOPP(t, records(refundRecord("8ac7a4a1845f7e6b01846011a8b2a003", "", codeDecline)))
	_, err = c.AwaitMerchantTransaction(context.Background(), "aw-1xxxx")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrDeclined) || !e.Verified || e.Operation != OperationRefund || e.ReferencedID != testPayID {
		t.Fatalf("AwaitMerchantTransaction = %v; want the refund's verified decline", err)
	}
	if _, err := c.AwaitMerchantTransaction(context.Background(), ""); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("empty key: %v", err)
	}
	if _, err := c.AwaitOutcome(context.Background(), nil); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("nil error: %v", err)
	}
}
