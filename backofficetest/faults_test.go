package backofficetest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// hooks counts the trace hooks a request got.
type hooks struct{ headers, request atomic.Int32 }

func (h *hooks) context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { h.headers.Add(1) },
		WroteRequest: func(httptrace.WroteRequestInfo) { h.request.Add(1) },
	})
}

// captureRequest is a capture of 10.00 EUR with merchantTransactionId m.
func captureRequest(t *testing.T, ctx context.Context, base, id string) *http.Request {
	t.Helper()
	v := form("entityId", DefaultEntityID, "paymentType", "CP", "amount", "10.00", "currency", "EUR", "merchantTransactionId", "mtid-0001")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/payments/"+id, strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// TestFaultsInMemory checks every fault kind of the RoundTripper: its error
// or response, whether the trace hooks fired, and whether the operation was
// committed.
func TestFaultsInMemory(t *testing.T) {
	tests := []struct {
		kind      FaultKind
		hooks     int32
		committed bool
		errOp     string // the *net.OpError's Op, or "" for a response
		errno     syscall.Errno
		status    int
	}{
		{Refused, 0, false, "dial", syscall.ECONNREFUSED, 0},
		{ResetBeforeWrite, 0, false, "write", syscall.ECONNRESET, 0},
		{ResetAfterWrite, 1, false, "read", syscall.ECONNRESET, 0},
		{DropAfterCommit, 1, true, "read", syscall.ECONNRESET, 0},
		{StatusBeforeCommit, 1, false, "", 0, http.StatusBadGateway},
		{StatusAfterCommit, 1, true, "", 0, http.StatusBadGateway},
		{Throttle, 1, false, "", 0, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			g := New()
			id := g.SeedPreAuthorization(dec("100.00"), "EUR")
			err := g.InjectFault(Fault{Operation: "CP", Kinds: []FaultKind{tt.kind}, Count: 1, Status: http.StatusBadGateway, RetryAfter: 1500 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var h hooks
			resp, err := g.RoundTrip(captureRequest(t, h.context(t.Context()), testURL, id))
			if tt.errOp != "" {
				var op *net.OpError
				if !errors.As(err, &op) || op.Op != tt.errOp || op.Net != "tcp" || !errors.Is(err, tt.errno) {
					t.Fatalf("error %v, want a %s *net.OpError wrapping %v", err, tt.errOp, tt.errno)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.status {
					t.Fatalf("HTTP %d, want %d", resp.StatusCode, tt.status)
				}
				switch tt.kind {
				case Throttle:
					if ra := resp.Header.Get("Retry-After"); ra != "2" {
						t.Errorf("Retry-After %q, want 2", ra)
					}
					if !strings.Contains(string(body), `"result":{"code":"800.120.100","description":"Rejected by Throttling."}`) {
						t.Errorf("body %s", body)
					}
				default:
					if ct := resp.Header.Get("Content-Type"); ct != "text/html" || !strings.Contains(string(body), "502 Bad Gateway") {
						t.Errorf("Content-Type %q body %s: want the HTML of a proxy", ct, body)
					}
				}
			}
			if h.headers.Load() != tt.hooks || h.request.Load() != tt.hooks {
				t.Errorf("hooks fired %d/%d times, want %d", h.headers.Load(), h.request.Load(), tt.hooks)
			}
			commits := len(g.CommitsFor("mtid-0001"))
			if captured := balanceOf(t, g, id).Captured; tt.committed != (commits == 1) || tt.committed != captured.Equal(dec("10")) {
				t.Errorf("%d commits, captured %s; committed should be %v", commits, captured, tt.committed)
			}
			reqs := g.Requests()
			if int32(len(reqs)) != tt.hooks || tt.hooks == 1 && reqs[0].Fault != tt.kind {
				t.Errorf("requests %+v", reqs)
			}
			// The rule is spent: the next capture goes through.
			expect(t, "next", roundTrip(t, g, captureRequest(t, t.Context(), testURL, id)), http.StatusOK, ok)
		})
	}
}

// TestLatency: the request waits, then is processed; a context that ends
// first gets its error, after the hooks, and nothing is committed.
func TestLatency(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.InjectFault(Fault{Operation: "CP", Kinds: []FaultKind{Latency}, Latency: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	expect(t, "slow", roundTrip(t, g, captureRequest(t, t.Context(), testURL, id)), http.StatusOK, ok)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("answered after %v", d)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	var h hooks
	_, err := g.RoundTrip(captureRequest(t, h.context(ctx), testURL, id))
	if !errors.Is(err, context.DeadlineExceeded) || h.headers.Load() != 1 {
		t.Errorf("error %v, %d hooks; want the deadline after the hooks", err, h.headers.Load())
	}
	if n := len(g.Ledger()); n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
}

// TestTimeoutAfterCommit: the operation is committed, the response never
// comes.
func TestTimeoutAfterCommit(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.FailNext("CP", 1, TimeoutAfterCommit); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	var h hooks
	_, err := g.RoundTrip(captureRequest(t, h.context(ctx), testURL, id))
	if !errors.Is(err, context.DeadlineExceeded) || h.headers.Load() != 1 {
		t.Errorf("error %v, %d hooks", err, h.headers.Load())
	}
	if n := len(g.CommitsFor("mtid-0001")); n != 1 {
		t.Errorf("%d commits, want 1", n)
	}

	// Close releases a request held without a deadline.
	if err := g.FailNext("CP", 1, TimeoutAfterCommit); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	req := captureRequest(t, context.Background(), testURL, id)
	go func() {
		_, err := g.RoundTrip(req)
		done <- err
	}()
	for len(g.CommitsFor("mtid-0001")) < 2 {
		time.Sleep(time.Millisecond)
	}
	g.Close()
	if err := <-done; !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("after Close: %v", err)
	}
}

// TestCanceledContext: a request whose context has ended is not sent.
func TestCanceledContext(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var h hooks
	if _, err := g.RoundTrip(captureRequest(t, h.context(ctx), testURL, id)); !errors.Is(err, context.Canceled) || h.headers.Load() != 0 {
		t.Errorf("error %v, %d hooks", err, h.headers.Load())
	}
	if len(g.Requests()) != 0 {
		t.Error("a canceled request reached the gateway")
	}
}

// TestFaultSelection: rules select by operation and method, count down,
// and draw deterministically from their seed.
func TestFaultSelection(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("1000.00"), "EUR")
	if err := g.InjectFault(Fault{Operation: "query", Kinds: []FaultKind{StatusBeforeCommit}, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if err := g.InjectFault(Fault{Method: http.MethodPost, Operation: "RV", Kinds: []FaultKind{StatusBeforeCommit}, Status: 500, Count: 2}); err != nil {
		t.Fatal(err)
	}
	expect(t, "capture", operation(t, g, id, "CP", "1.00", "EUR"), http.StatusOK, ok)
	a := send(t, g, http.MethodGet, "/v1/payments/"+id, form("entityId", DefaultEntityID), DefaultToken)
	if a.status != http.StatusServiceUnavailable {
		t.Errorf("faulted GET: HTTP %d, want the default 503", a.status)
	}
	if a := send(t, g, http.MethodGet, "/v1/payments/"+id, form("entityId", DefaultEntityID), DefaultToken); a.status != http.StatusOK {
		t.Errorf("second GET: HTTP %d", a.status)
	}
	for i := range 2 {
		if a := operation(t, g, id, "RV", "", ""); a.status != http.StatusInternalServerError {
			t.Errorf("reversal %d: HTTP %d, want 500", i, a.status)
		}
	}
	expect(t, "third reversal", operation(t, g, id, "RV", "", ""), http.StatusBadRequest, codeNoLongerReverse)
	g.ClearFaults()
	if err := g.FailNext("", 1, Refused); err != nil {
		t.Fatal(err)
	}
	if _, err := trySend(t.Context(), g, http.MethodGet, "/v1/query/"+id, form("entityId", DefaultEntityID), DefaultToken); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("a rule for every operation: %v", err)
	}

	pattern := func(seed uint64) string {
		g := New()
		id := g.SeedPreAuthorization(dec("1000.00"), "EUR")
		err := g.InjectFault(Fault{Kinds: []FaultKind{StatusBeforeCommit, ResetAfterWrite, Throttle}, Probability: 0.5, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for range 64 {
			a, err := trySend(t.Context(), g, http.MethodPost, "/v1/payments/"+id,
				form("entityId", DefaultEntityID, "paymentType", "CP", "amount", "1.00", "currency", "EUR"), DefaultToken)
			switch {
			case err != nil:
				b.WriteByte('r')
			case a.status == http.StatusOK:
				b.WriteByte('.')
			case a.status == http.StatusTooManyRequests:
				b.WriteByte('t')
			default:
				b.WriteByte('5')
			}
		}
		return b.String()
	}
	p1, p2, p3 := pattern(7), pattern(7), pattern(8)
	if p1 != p2 {
		t.Errorf("same seed, different faults:\n%s\n%s", p1, p2)
	}
	if p1 == p3 {
		t.Errorf("different seeds, same faults: %s", p1)
	}
	for _, c := range ".rt5" {
		if !strings.ContainsRune(p1, c) {
			t.Errorf("pattern %s never shows %c", p1, c)
		}
	}
}

// TestFaultValidation: InjectFault refuses rules it cannot honour.
func TestFaultValidation(t *testing.T) {
	g := New()
	for _, f := range []Fault{
		{},
		{Kinds: []FaultKind{0}},
		{Kinds: []FaultKind{LookupUnavailable + 1}},
		{Kinds: []FaultKind{CommitLater}, HiddenLookups: -1},
		{Kinds: []FaultKind{Throttle}, Operation: "XX"},
		{Kinds: []FaultKind{Throttle}, Method: "PUT"},
		{Kinds: []FaultKind{StatusAfterCommit}, Status: 404},
		{Kinds: []FaultKind{Throttle}, Count: -1},
		{Kinds: []FaultKind{Throttle}, Probability: 1.5},
		{Kinds: []FaultKind{Latency}, Latency: -time.Second},
	} {
		if err := g.InjectFault(f); err == nil {
			t.Errorf("InjectFault(%+v): no error", f)
		}
	}
	if err := g.FailNext("CP", 0, Throttle); err == nil {
		t.Error("FailNext(0): no error")
	}
	if s := FaultKind(42).String(); s != "FaultKind(42)" {
		t.Errorf("String %q", s)
	}
}

// expectNone checks a lookup that found nothing: 700.400.580 with the
// status the fake uses for it.
func expectNone(t *testing.T, what string, a answer) {
	t.Helper()
	if a.body.Result.Code != "700.400.580" || len(a.body.Payments) != 0 || a.status != http.StatusOK && a.status != http.StatusBadRequest {
		t.Fatalf("%s: HTTP %d %s; want 700.400.580 and no payments", what, a.status, a.raw)
	}
}

// lookupKey looks merchantTransactionId "mtid-0001" up and returns the answer.
func lookupKey(t *testing.T, g *Gateway) answer {
	t.Helper()
	return send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID, "merchantTransactionId", "mtid-0001"), DefaultToken)
}

// TestCommitLater: the request hangs until the client gives up; OPP commits
// anyway, and the first HiddenLookups lookups of the key miss the commit.
func TestCommitLater(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.InjectFault(Fault{Operation: "CP", Kinds: []FaultKind{CommitLater}, Count: 1, HiddenLookups: 2}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var h hooks
	done := make(chan error, 1)
	go func() {
		_, err := g.RoundTrip(captureRequest(t, h.context(ctx), testURL, id))
		done <- err
	}()
	for len(g.Requests()) == 0 { // the request is in, and hangs
		time.Sleep(time.Millisecond)
	}
	if n := len(g.Ledger()); n != 0 {
		t.Fatalf("%d commits while the client still waits; want 0", n)
	}
	cancel() // the client gives up
	if err := <-done; !errors.Is(err, context.Canceled) || h.headers.Load() != 1 {
		t.Fatalf("error %v, %d hooks; want the client's own context error after the hooks", err, h.headers.Load())
	}
	if n := len(g.CommitsFor("mtid-0001")); n != 1 || !balanceOf(t, g, id).Captured.Equal(dec("10")) {
		t.Fatalf("%d commits; want the capture committed after the client left", n)
	}
	expectNone(t, "first lookup", lookupKey(t, g))
	expectNone(t, "second lookup", lookupKey(t, g))
	expect(t, "third lookup", lookupKey(t, g), http.StatusOK, "000.000.100")
}

// TestLaggingCommit: committed, answered with a proxy's 5xx, and the next
// lookup of the key misses it.
func TestLaggingCommit(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.InjectFault(Fault{Operation: "CP", Kinds: []FaultKind{LaggingCommit}, Count: 1, Status: 504}); err != nil {
		t.Fatal(err)
	}
	resp, err := g.RoundTrip(captureRequest(t, t.Context(), testURL, id))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 504 || !strings.Contains(string(body), "504 Gateway Timeout") {
		t.Fatalf("answer %d %s; want the proxy's 504", resp.StatusCode, body)
	}
	if n := len(g.CommitsFor("mtid-0001")); n != 1 {
		t.Fatalf("%d commits; want 1", n)
	}
	expectNone(t, "lagging lookup", lookupKey(t, g))
	expect(t, "next lookup", lookupKey(t, g), http.StatusOK, "000.000.100")
}

// TestDeclineWithoutAmount: declined, recorded without amount and currency,
// answer lost; nothing captured.
func TestDeclineWithoutAmount(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.FailNext("CP", 1, DeclineWithoutAmount); err != nil {
		t.Fatal(err)
	}
	_, err := g.RoundTrip(captureRequest(t, t.Context(), testURL, id))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("error %v; want a reset", err)
	}
	cs := g.CommitsFor("mtid-0001")
	if len(cs) != 1 || cs[0].ResultCode != "800.100.151" || !balanceOf(t, g, id).Captured.IsZero() {
		t.Fatalf("commits %+v; want one decline and nothing captured", cs)
	}
	a := lookupKey(t, g)
	expect(t, "lookup", a, http.StatusOK, "000.000.100")
	if !strings.Contains(a.raw, `"result":{"code":"800.100.151"`) || strings.Contains(a.raw, `"amount"`) || strings.Contains(a.raw, `"currency"`) {
		t.Fatalf("lookup %s; want the decline without amount or currency", a.raw)
	}
	// The rule is spent: the next capture is not forced to decline.
	expect(t, "next", roundTrip(t, g, captureRequest(t, t.Context(), testURL, id)), http.StatusOK, ok)
}

// TestLookupUnavailable: a lookup answered with a 5xx and OPP's not-found
// body; the commit it hides is there.
func TestLookupUnavailable(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	expect(t, "capture", roundTrip(t, g, captureRequest(t, t.Context(), testURL, id)), http.StatusOK, ok)
	if err := g.InjectFault(Fault{Operation: "query", Kinds: []FaultKind{LookupUnavailable}, Count: 1, Status: 503}); err != nil {
		t.Fatal(err)
	}
	expect(t, "failing lookup", lookupKey(t, g), http.StatusServiceUnavailable, "700.400.580")
	expect(t, "next lookup", lookupKey(t, g), http.StatusOK, "000.000.100")
}
