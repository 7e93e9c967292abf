package backoffice_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
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

// proof is one configuration of the exactly-once proof.
type proof struct {
	name        string
	ops         int
	faultGETs   bool // fault the lookups too
	dupCheck    bool // OPP's duplicate check on, and declared
	dropContext bool // send through a middleware that drops the request context
}

// TestExactlyOnceUnderFaults is the proof: thousands of money movements of
// all seven kinds from 32 goroutines against the fake gateway, with about a
// third of the requests hit by randomly chosen faults (seeded, so a run is
// repeatable), the slow and inconsistent ones included: commits after the
// client gave up, lookups that lag behind commits, declines recorded
// without an amount, lookups that fail with OPP's not-found body. Some runs
// go through a middleware that drops the request context (and with it every
// trace hook). The fake's ledger is then compared with what the SDK
// returned: no operation may be committed twice, none misreported, every
// error in exactly one category. Unknown outcomes are allowed, counted and
// must be resolvable afterwards.
func TestExactlyOnceUnderFaults(t *testing.T) {
	for _, p := range []proof{
		{name: "faults on money movements", ops: 10000},
		{name: "faults on every request, lookups included", ops: 2000, faultGETs: true},
		{name: "duplicate check/faults on money movements", ops: 10000, dupCheck: true},
		{name: "duplicate check/faults on every request, lookups included", ops: 2000, faultGETs: true, dupCheck: true},
		{name: "context-dropping transport/faults on money movements", ops: 4000, dropContext: true},
		{name: "context-dropping transport/duplicate check/faults on every request", ops: 2000, faultGETs: true, dupCheck: true, dropContext: true},
	} {
		t.Run(p.name, func(t *testing.T) {
			if raceEnabled || testing.Short() {
				p.ops /= 10
			}
			proveExactlyOnce(t, p)
		})
	}
}

// contextDropper is a middleware RoundTripper, as found in the wild, that
// sends every request with a context of its own (with its own timeout): the
// caller's context, deadline and httptrace hooks never reach the transport.
type contextDropper struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (d contextDropper) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	resp, err := d.next.RoundTrip(r.Clone(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error { err := c.ReadCloser.Close(); c.cancel(); return err }

// attemptTimeout ends the attempts that CommitLater and TimeoutAfterCommit
// hold; the proof's assertions do not depend on it.
const attemptTimeout = 200 * time.Millisecond

// newKinds are the slow and inconsistent faults, reported one by one.
var newKinds = []backofficetest.FaultKind{backofficetest.CommitLater, backofficetest.LaggingCommit,
	backofficetest.DeclineWithoutAmount, backofficetest.LookupUnavailable}

func proveExactlyOnce(t *testing.T, p proof) {
	const workers = 32
	gw := backofficetest.New()
	t.Cleanup(gw.Close)
	hc := &http.Client{Transport: gw, Timeout: attemptTimeout}
	if p.dropContext {
		hc = &http.Client{Transport: contextDropper{gw, attemptTimeout}}
	}
	opts := []backoffice.Option{
		backoffice.WithHTTPClient(hc),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 4, MinWait: 100 * time.Microsecond, MaxWait: time.Millisecond,
			SettleWindow: 20 * time.Millisecond}),
	}
	if p.dupCheck {
		gw.ConfigureEntity(backofficetest.DefaultEntityID, backofficetest.EntityConfig{DuplicateBlocking: true})
		opts = append(opts, backoffice.WithDuplicateCheck())
	}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	method := "POST"
	if p.faultGETs {
		method = ""
	}
	// About a third of matching requests: 15% spread over the transport and
	// throttling kinds, 3% for each 5xx status before and after commit, 3%
	// for each slow or inconsistent kind, and 5% of lookups answered 503 with
	// OPP's not-found body.
	rules := []backofficetest.Fault{{Method: method, Probability: 0.15, Seed: 1, Kinds: []backofficetest.FaultKind{
		backofficetest.Refused, backofficetest.ResetBeforeWrite, backofficetest.ResetAfterWrite, backofficetest.DropAfterCommit,
		backofficetest.Throttle, backofficetest.TimeoutAfterCommit, backofficetest.Latency}, Latency: time.Millisecond, RetryAfter: time.Hour}}
	for i, status := range []int{500, 502, 503, 504} {
		rules = append(rules, backofficetest.Fault{Method: method, Probability: 0.03, Seed: uint64(2 + i), Status: status,
			Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit, backofficetest.StatusAfterCommit}})
	}
	for i, kind := range newKinds[:3] {
		rules = append(rules, backofficetest.Fault{Method: "POST", Probability: 0.03, Seed: uint64(10 + i), Status: 502,
			Kinds: []backofficetest.FaultKind{kind}})
	}
	if p.faultGETs {
		rules = append(rules, backofficetest.Fault{Method: "GET", Probability: 0.05, Seed: 20, Status: 503,
			Kinds: []backofficetest.FaultKind{backofficetest.LookupUnavailable}})
	}

	amount := decimal.RequireFromString
	bigPA := gw.SeedPreAuthorization(amount("9999999999.00"), "EUR")
	bigDB := gw.SeedDebit(amount("9999999999.00"), "EUR")
	// Chargebacks and reversals need a fresh payment each.
	fresh := make([]string, p.ops)
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
	results := make([]outcome, 0, p.ops+p.ops/7)
	var mu sync.Mutex
	record := func(mtid string, p *backoffice.Payment, err error) {
		mu.Lock()
		results = append(results, outcome{mtid, p, err})
		mu.Unlock()
	}
	one := func(i int) {
		mf := func(suffix string) string {
			return fmt.Sprintf("proof-%04d%s", i, suffix)
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
			record(mf(""), p, err)
			if err != nil {
				return
			}
			p, err = c.ReverseChargeback(ctx, p.ID, backoffice.ReverseChargebackRequest{Amount: amount("50.00"), Currency: "EUR", MerchantTransactionID: mf("-cr")})
			record(mf("-cr"), p, err)
			return
		case 5:
			p, err = c.Reverse(ctx, fresh[i], backoffice.ReverseRequest{MerchantTransactionID: mf("")})
		case 6:
			p, err = c.Credit(ctx, backoffice.CreditRequest{Amount: amount("3.00"), Currency: "EUR", PaymentBrand: "VISA",
				Card:                  backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
				MerchantTransactionID: mf("")})
		}
		record(mf(""), p, err)
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
	for i := 0; i < p.ops; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	gw.ClearFaults()

	// Which faults each key met, from the fake's request log.
	met := map[string][]backofficetest.FaultKind{}
	faulted, queries, posts, faultedPosts := 0, 0, 0, 0
	for _, rq := range gw.Requests() {
		if rq.Method == "GET" {
			queries++
		} else {
			posts++
			if rq.Fault != 0 {
				faultedPosts++
			}
		}
		if rq.Fault != 0 {
			faulted++
			k := rq.Form.Get("merchantTransactionId")
			if !slices.Contains(met[k], rq.Fault) {
				met[k] = append(met[k], rq.Fault)
			}
		}
	}

	// Compare the ledger with what the SDK said. Money moved for a commit
	// with a success code; a decline is recorded too.
	commits := map[string][]backofficetest.Commit{}
	for _, cm := range gw.Ledger() {
		commits[cm.MerchantTransactionID] = append(commits[cm.MerchantTransactionID], cm)
	}
	type tally struct{ ops, succeeded, failed, unknown, twice, misreported int }
	var all tally
	byKind := map[backofficetest.FaultKind]*tally{}
	for _, k := range newKinds {
		byKind[k] = &tally{}
	}
	for _, r := range results {
		var moved, declined []backofficetest.Commit
		for _, cm := range commits[r.mtid] {
			if resultcodes.Classify(cm.ResultCode).IsSuccess() {
				moved = append(moved, cm)
			} else {
				declined = append(declined, cm)
			}
		}
		var tl tally
		tl.ops = 1
		if len(moved) > 1 {
			tl.twice = 1
		}
		misreported := ""
		switch {
		case r.err == nil:
			tl.succeeded = 1
			if len(moved) != 1 || moved[0].PaymentID != r.payment.ID {
				misreported = "reported success missing from the ledger"
			}
		case errors.Is(r.err, backoffice.ErrOutcomeUnknown):
			tl.unknown = 1
			var ou *backoffice.OutcomeUnknownError
			if !errors.As(r.err, &ou) || ou.MerchantTransactionID != r.mtid {
				misreported = "unknown outcome without its key"
			}
			// Resolvable afterwards: a lagging commit shows on the second look.
			var ps []*backoffice.Payment
			var err error
			for range 2 {
				if ps, err = c.PaymentsByMerchantTransactionID(ctx, r.mtid); err == nil && len(ps) == len(commits[r.mtid]) {
					break
				}
			}
			if err != nil || len(ps) != len(commits[r.mtid]) {
				misreported = fmt.Sprintf("unknown outcome not resolvable afterwards: %d found, %d committed", len(ps), len(commits[r.mtid]))
			}
		case errors.Is(r.err, backoffice.ErrDeclined):
			tl.failed = 1
			if len(moved) != 0 || len(declined) == 0 {
				misreported = "reported declined, but the ledger disagrees"
			}
		default:
			tl.failed = 1
			if len(moved) != 0 {
				misreported = "reported failed, but committed"
			}
		}
		if n := categories(r.err); r.err != nil && n != 1 {
			misreported = fmt.Sprintf("error in %d categories", n)
		}
		if misreported != "" {
			tl.misreported = 1
			t.Errorf("%s (%v, faults %v): %s: %v; commits %+v", r.mtid, r.payment != nil, met[r.mtid], misreported, r.err, commits[r.mtid])
		}
		add := func(a *tally) {
			a.ops += tl.ops
			a.succeeded += tl.succeeded
			a.failed += tl.failed
			a.unknown += tl.unknown
			a.twice += tl.twice
			a.misreported += tl.misreported
		}
		add(&all)
		for _, k := range met[r.mtid] {
			if b := byKind[k]; b != nil {
				add(b)
			}
		}
	}
	t.Logf("%d money movements from %d goroutines; %d requests reached the fake, %d faulted; %d lookups",
		len(results), workers, len(gw.Requests()), faulted, queries)
	t.Logf("succeeded %d, failed (verified) %d, outcome unknown %d; committed twice %d, misreported %d",
		all.succeeded, all.failed, all.unknown, all.twice, all.misreported)
	for _, k := range newKinds {
		b := byKind[k]
		t.Logf("  met %-20v %5d movements: succeeded %d, failed %d, unknown %d; committed twice %d, misreported %d",
			k, b.ops, b.succeeded, b.failed, b.unknown, b.twice, b.misreported)
	}
	if all.twice != 0 || all.misreported != 0 {
		t.Fatal("exactly-once violated")
	}
	if faultedPosts < posts/5 {
		t.Fatalf("only %d of %d money movement requests faulted: the test is not testing", faultedPosts, posts)
	}
	if all.succeeded < len(results)*6/10 {
		t.Fatalf("only %d of %d succeeded", all.succeeded, len(results))
	}
}

// categories counts the sentinels err matches.
func categories(err error) int {
	n := 0
	for _, s := range []error{backoffice.ErrDeclined, backoffice.ErrInvalidRequest, backoffice.ErrUnauthorized,
		backoffice.ErrNotFound, backoffice.ErrNotAllowed, backoffice.ErrGateway, backoffice.ErrUnknownCode,
		backoffice.ErrNetwork, backoffice.ErrOutcomeUnknown} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n
}
