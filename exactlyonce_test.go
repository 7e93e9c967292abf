package backoffice_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

// outcome is what the SDK returned for one money movement.
type outcome struct {
	mtid    string
	payment *backoffice.Payment
	err     error
}

// TestExactlyOnceUnderFaults is the proof: thousands of money movements of
// all seven kinds from 32 goroutines against the fake gateway, with a
// quarter of the requests hit by randomly chosen faults (seeded, so a run is
// repeatable). The fake's ledger is then compared with what the SDK
// returned. faultGETs also faults the query API that reconciliation uses.
func TestExactlyOnceUnderFaults(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ops       int
		faultGETs bool
		dupCheck  bool
	}{
		{"faults on money movements", 10000, false, false},
		{"faults on every request, lookups included", 2000, true, false},
		{"duplicate check/faults on money movements", 10000, false, true},
		{"duplicate check/faults on every request, lookups included", 2000, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops := tc.ops
			if raceEnabled || testing.Short() {
				ops /= 10
			}
			proveExactlyOnce(t, ops, tc.faultGETs, tc.dupCheck)
		})
	}
}

func proveExactlyOnce(t *testing.T, ops int, faultGETs, dupCheck bool) {
	const workers = 32
	gw := backofficetest.New()
	t.Cleanup(gw.Close)
	opts := []backoffice.Option{
		backoffice.WithHTTPClient(&http.Client{Transport: gw, Timeout: 50 * time.Millisecond}), // ends TimeoutAfterCommit
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 4, MinWait: 100 * time.Microsecond, MaxWait: time.Millisecond}),
	}
	if dupCheck {
		gw.ConfigureEntity(backofficetest.DefaultEntityID, backofficetest.EntityConfig{DuplicateBlocking: true})
		opts = append(opts, backoffice.WithDuplicateCheck())
	}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	method := "POST"
	if faultGETs {
		method = ""
	}
	// About 25% of matching requests: 15% spread over the transport and
	// throttling kinds, then 3% for each 5xx status, before and after commit.
	rules := []backofficetest.Fault{{Method: method, Probability: 0.15, Seed: 1, Kinds: []backofficetest.FaultKind{
		backofficetest.Refused, backofficetest.ResetBeforeWrite, backofficetest.ResetAfterWrite, backofficetest.DropAfterCommit,
		backofficetest.Throttle, backofficetest.TimeoutAfterCommit, backofficetest.Latency}, Latency: time.Millisecond, RetryAfter: time.Hour}}
	for i, status := range []int{500, 502, 503, 504} {
		rules = append(rules, backofficetest.Fault{Method: method, Probability: 0.03, Seed: uint64(2 + i), Status: status,
			Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit, backofficetest.StatusAfterCommit}})
	}

	amount := decimal.RequireFromString
	bigPA := gw.SeedPreAuthorization(amount("9999999999.00"), "EUR")
	bigDB := gw.SeedDebit(amount("9999999999.00"), "EUR")
	// Chargebacks and reversals need a fresh payment each.
	fresh := make([]string, ops)
	for i := range fresh {
		switch i % 7 {
		case 3, 4:
			fresh[i] = gw.SeedDebit(amount("50.00"), "EUR")
		case 5:
			fresh[i] = gw.SeedPreAuthorization(amount("50.00"), "EUR")
		}
	}
	for _, f := range rules {
		if err := gw.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}

	ctx := context.Background()
	results := make([]outcome, 0, ops+ops/7)
	var mu sync.Mutex
	record := func(mtid string, p *backoffice.Payment, err error) {
		mu.Lock()
		results = append(results, outcome{mtid, p, err})
		mu.Unlock()
	}
	one := func(i int) {
		mf := func(suffix string) string {
			return fmt.Sprintf("proof-%d%s", i, suffix)
		}
		var p *backoffice.Payment
		var err error
		switch i % 7 {
		case 0:
			p, err = c.Capture(ctx, bigPA, backoffice.CaptureRequest{Amount: amount("1.00"), Currency: "EUR", MerchantTransactionID: mf("")})
		case 1:
			p, err = c.Refund(ctx, bigDB, backoffice.RefundRequest{Amount: amount("0.50"), Currency: "EUR", MerchantTransactionID: mf("")})
		case 2:
			p, err = c.Rebill(ctx, bigDB, backoffice.RebillRequest{Amount: amount("2.00"), Currency: "EUR", MerchantTransactionID: mf("")})
		case 3:
			p, err = c.Chargeback(ctx, fresh[i], backoffice.ChargebackRequest{Amount: amount("50.00"), Currency: "EUR", Reason: "fraud", MerchantTransactionID: mf("")})
		case 4:
			p, err = c.Chargeback(ctx, fresh[i], backoffice.ChargebackRequest{Amount: amount("50.00"), Currency: "EUR", Reason: "fraud", MerchantTransactionID: mf("")})
			record(fmt.Sprintf("proof-%d", i), p, err)
			if err != nil {
				return
			}
			p, err = c.ReverseChargeback(ctx, p.ID, backoffice.ReverseChargebackRequest{Amount: amount("50.00"), Currency: "EUR", MerchantTransactionID: mf("-cr")})
			record(fmt.Sprintf("proof-%d-cr", i), p, err)
			return
		case 5:
			p, err = c.Reverse(ctx, fresh[i], backoffice.ReverseRequest{MerchantTransactionID: mf("")})
		case 6:
			p, err = c.Credit(ctx, backoffice.CreditRequest{Amount: amount("3.00"), Currency: "EUR", PaymentBrand: "VISA",
				Card:                  backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
				MerchantTransactionID: mf("")})
		}
		record(fmt.Sprintf("proof-%d", i), p, err)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				one(i)
			}
		}()
	}
	for i := 0; i < ops; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	gw.ClearFaults()

	// Compare the ledger with what the SDK said.
	commits := map[string][]backofficetest.Commit{}
	for _, cm := range gw.Ledger() {
		commits[cm.MerchantTransactionID] = append(commits[cm.MerchantTransactionID], cm)
	}
	var succeeded, failed, unknown, twice, failedButCommitted, successMissing, unresolved int
	for _, r := range results {
		cs := commits[r.mtid]
		if len(cs) > 1 {
			twice++
		}
		switch {
		case r.err == nil:
			succeeded++
			if len(cs) != 1 || cs[0].PaymentID != r.payment.ID || !resultcodes.Classify(cs[0].ResultCode).IsSuccess() {
				successMissing++
			}
		case errors.Is(r.err, backoffice.ErrOutcomeUnknown):
			unknown++
			var ou *backoffice.OutcomeUnknownError
			if !errors.As(r.err, &ou) || ou.MerchantTransactionID != r.mtid {
				t.Errorf("%s: unknown outcome without its key: %v", r.mtid, r.err)
			}
			ps, err := c.PaymentsByMerchantTransactionID(ctx, r.mtid)
			if err != nil || len(ps) != len(cs) {
				unresolved++
			}
		default:
			failed++
			if len(cs) != 0 {
				failedButCommitted++
				t.Errorf("%s reported as %v, but committed: %+v", r.mtid, r.err, cs)
			}
		}
	}
	faulted, queries := 0, 0
	for _, rq := range gw.Requests() {
		if rq.Fault != 0 {
			faulted++
		}
		if rq.Method == "GET" {
			queries++
		}
	}
	t.Logf("%d money movements from %d goroutines; %d requests reached the fake, %d faulted; %d lookups",
		len(results), workers, len(gw.Requests()), faulted, queries)
	t.Logf("succeeded %d, failed and verified not performed %d, outcome unknown %d (unresolved afterwards %d)",
		succeeded, failed, unknown, unresolved)
	t.Logf("committed twice %d, committed but reported failed %d, reported success missing from the ledger %d",
		twice, failedButCommitted, successMissing)
	if twice != 0 || failedButCommitted != 0 || successMissing != 0 || unresolved != 0 {
		t.Fatal("exactly-once violated")
	}
	if faulted < len(gw.Requests())/6 {
		t.Fatalf("only %d of %d requests faulted: the test is not testing", faulted, len(gw.Requests()))
	}
	if succeeded < len(results)*8/10 {
		t.Fatalf("only %d of %d succeeded", succeeded, len(results))
	}
}
