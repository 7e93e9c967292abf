package backoffice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run the SDK against hand-written OPPs on real loopback
// sockets: slower and less consistent than the SDK's own fake, and written
// without its assumptions. Events are ordered with channels and counters,
// never with sleeps, so no outcome depends on the machine's speed.

// handOPP is a hand-written OPP: what it has committed, per key, and the
// handlers a test plugs in.
type handOPP struct {
	mu      sync.Mutex
	records map[string][]string // merchantTransactionId → payment objects
	posts   int
	lookups int
	// post answers a POST; commit books a payment object for the request.
	post func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string))
	// lookup answers GET /v1/query with the records (nil: the default);
	// n counts the lookups from 1.
	lookup func(w http.ResponseWriter, n int, records []string) bool
}

func newOPP(t *testing.T, o *handOPP) *httptest.Server {
	o.records = map[string][]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			r.ParseForm()
			o.mu.Lock()
			o.posts++
			n := o.posts
			o.mu.Unlock()
			mtid := r.PostForm.Get("merchantTransactionId")
			o.post(w, r, func(code, amount, ref string) {
				if ref == "-" {
					ref = strings.TrimPrefix(r.URL.Path, "/v1/payments/")
				}
				currency := r.PostForm.Get("currency")
				if amount == "" {
					currency = ""
				}
				pj := paymentJSON(fmt.Sprintf("8ac7a4a1845f7e6b01846011a8b2%04d", n), ref, PaymentType(r.PostForm.Get("paymentType")),
					amount, currency, mtid, code, "independent")
				o.mu.Lock()
				o.records[mtid] = append(o.records[mtid], pj)
				o.mu.Unlock()
			})
			return
		}
		o.mu.Lock()
		o.lookups++
		n := o.lookups
		recs := append([]string(nil), o.records[r.URL.Query().Get("merchantTransactionId")]...)
		o.mu.Unlock()
		if o.lookup != nil && o.lookup(w, n, recs) {
			return
		}
		writeQuery(w, recs)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// writeQuery answers a lookup as OPP does: the payments, or 400 with
// "cannot find transaction".
func writeQuery(w http.ResponseWriter, recs []string) {
	if len(recs) == 0 {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"result":{"code":"700.400.580","description":"cannot find transaction"}}`))
		return
	}
	w.Write([]byte(`{"result":{"code":"000.000.100","description":"successful request"},"payments":[` + strings.Join(recs, ",") + `]}`))
}

func (o *handOPP) counts() (posts, lookups, commits int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, rs := range o.records {
		commits += len(rs)
	}
	return o.posts, o.lookups, commits
}

// hangUp drops the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

// independentClient is a client of srv with fast waits and the settle
// window given.
func independentClient(t *testing.T, srv *httptest.Server, hc *http.Client, policy RetryPolicy, opts ...Option) *Client {
	t.Helper()
	if hc == nil {
		hc = srv.Client()
	}
	c, err := New(testToken, testEntity, append([]Option{WithBaseURL(srv.URL), WithHTTPClient(hc), WithRetry(policy)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func refund(ctx context.Context, c *Client, key string) (*Payment, error) {
	return c.Refund(ctx, testPayID, RefundRequest{Amount: dec("10.00"), Currency: "EUR", MerchantTransactionID: key})
}

// TestAcquirerSlowerThanTheAttempt: OPP commits the refund after the
// client's attempt timed out and the client's first lookup found nothing.
// The client keeps looking within the settle window and adopts the commit;
// it never sends the refund again, whatever MaxAttempts is.
func TestAcquirerSlowerThanTheAttempt(t *testing.T) {
	for _, attempts := range []int{1, 3} {
		t.Run(fmt.Sprint("MaxAttempts ", attempts), func(t *testing.T) {
			commitNow, committed := make(chan struct{}), make(chan struct{})
			o := &handOPP{}
			o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
				<-r.Context().Done() // the client's attempt timed out and it left ...
				<-commitNow          // ... and the acquirer answers later still
				commit(codeOK, r.PostForm.Get("amount"), "-")
				close(committed)
			}
			o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
				if n == 1 {
					writeQuery(w, recs) // nothing yet
					close(commitNow)
					return true
				}
				<-committed // later lookups see the commit
				return false
			}
			srv := newOPP(t, o)
			hc := &http.Client{Transport: srv.Client().Transport, Timeout: 100 * time.Millisecond}
			c := independentClient(t, srv, hc, RetryPolicy{MaxAttempts: attempts, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond, SettleWindow: time.Minute})
			p, err := refund(context.Background(), c, "slow-1xx")
			if err != nil || !p.Succeeded() || p.MerchantTransactionID != "slow-1xx" {
				t.Fatalf("Refund = %+v, %v; want the refund OPP committed late", p, err)
			}
			if posts, lookups, commits := o.counts(); posts != 1 || lookups < 2 || commits != 1 {
				t.Fatalf("%d POSTs, %d lookups, %d commits; want 1, at least 2, 1", posts, lookups, commits)
			}
		})
	}
}

// TestQueryLagsBehindTheCommit: the POST commits and answers 502; the
// commit shows in the query API only from the third lookup on. One refund.
func TestQueryLagsBehindTheCommit(t *testing.T) {
	o := &handOPP{}
	o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
		commit(codeOK, r.PostForm.Get("amount"), "-")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>bad gateway</html>"))
	}
	o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
		if n < 3 {
			writeQuery(w, nil)
			return true
		}
		return false
	}
	srv := newOPP(t, o)
	c := independentClient(t, srv, nil, RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond, SettleWindow: time.Minute})
	p, err := refund(context.Background(), c, "lag-1xxx")
	if err != nil || !p.Succeeded() {
		t.Fatalf("Refund = %+v, %v; want the lagging commit adopted", p, err)
	}
	if posts, lookups, commits := o.counts(); posts != 1 || lookups != 3 || commits != 1 {
		t.Fatalf("%d POSTs, %d lookups, %d commits; want 1, 3, 1", posts, lookups, commits)
	}
}

// TestRecordsThatDoNotMatch: a record under the key that contradicts the
// request is an unknown outcome naming the conflict, never "absent" and
// never re-sent; a currency in another case is the same currency; a lookup
// that answers 503 with OPP's not-found body proves nothing.
func TestRecordsThatDoNotMatch(t *testing.T) {
	for _, tc := range []struct {
		name, amount, ref, currency string
		lookupStatus                int // answer every lookup with 700.400.580 and this status
		conflict                    string
	}{
		{name: "another amount", amount: "9.99", ref: "-", conflict: "moved 9.99, not 10"},
		{name: "no referencedId", amount: "10.00", ref: "", conflict: `references "", not "` + testPayID + `"`},
		{name: "currency in another case", amount: "10.00", ref: "-", currency: "eur"},
		{name: "503 with the not-found body", lookupStatus: 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &handOPP{}
			o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
				if tc.amount != "" {
					commit(codeOK, tc.amount, tc.ref)
				}
				hangUp(w)
			}
			o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
				switch {
				case tc.lookupStatus != 0:
					w.WriteHeader(tc.lookupStatus)
					w.Write([]byte(`{"result":{"code":"700.400.580","description":"cannot find transaction"}}`))
					return true
				case tc.currency != "":
					writeQuery(w, []string{strings.Replace(recs[0], `"currency":"EUR"`, `"currency":"`+tc.currency+`"`, 1)})
					return true
				}
				return false
			}
			srv := newOPP(t, o)
			c := independentClient(t, srv, nil, RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond})
			p, err := refund(context.Background(), c, "nomatch-1")
			checkOneCategory(t, err)
			posts, _, _ := o.counts()
			if posts != 1 {
				t.Fatalf("%d POSTs; want 1: a refund that may have happened is never sent again", posts)
			}
			if tc.currency != "" {
				if err != nil || !p.Succeeded() {
					t.Fatalf("Refund = %+v, %v; want the record adopted", p, err)
				}
				return
			}
			var ou *OutcomeUnknownError
			if !errors.As(err, &ou) || !strings.Contains(ou.Conflict, tc.conflict) || (tc.conflict == "") != (ou.Conflict == "") {
				t.Fatalf("err = %v; want an unknown outcome with the conflict %q", err, tc.conflict)
			}
			if tc.lookupStatus != 0 {
				var e *Error
				if !errors.As(ou.Reconcile, &e) || e.HTTPStatus != 503 || errors.Is(ou.Reconcile, errNotShown) {
					t.Fatalf("Reconcile = %v; want the 503 lookup, not evidence of absence", ou.Reconcile)
				}
			}
		})
	}
}

// TestNoMatchAnswers: OPP's "cannot find transaction" is evidence of
// absence with HTTP 400 (OPP's), 404 (some deployments) and 200; with a
// 5xx it is not. With the duplicate check declared, absence lets the client
// send again; the refund is committed once.
func TestNoMatchAnswers(t *testing.T) {
	for _, status := range []int{400, 404, 200, 503} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			o := &handOPP{}
			o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
				o.mu.Lock()
				first := o.posts == 1
				o.mu.Unlock()
				if first {
					w.WriteHeader(http.StatusBadGateway) // a proxy failed before OPP saw it
					return
				}
				commit(codeOK, r.PostForm.Get("amount"), "-")
				w.Write([]byte(paymentJSON("8ac7a4a1845f7e6b01846011a8b2cafe", testPayID, PaymentTypeRefund, "10.00", "EUR", "nm-1xxxx", codeOK, descOK)))
			}
			o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
				w.WriteHeader(status)
				w.Write([]byte(`{"result":{"code":"700.400.580","description":"cannot find transaction"}}`))
				return true
			}
			srv := newOPP(t, o)
			c := independentClient(t, srv, nil, RetryPolicy{MaxAttempts: 1, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond})
			ps, err := c.PaymentsByMerchantTransactionID(context.Background(), "nm-1xxxx")
			if status < 500 && (err != nil || ps == nil || len(ps) != 0) {
				t.Fatalf("lookup = %v, %v; want none found", ps, err)
			}
			if status >= 500 && (err == nil || !errors.Is(err, ErrGateway)) {
				t.Fatalf("lookup = %v, %v; want a failed lookup, never none found", ps, err)
			}
			_, err = refund(context.Background(), c, "nm-1xxxx")
			var ou *OutcomeUnknownError
			if !errors.As(err, &ou) || errors.Is(ou.Reconcile, errNotShown) != (status < 500) {
				t.Fatalf("without the duplicate check: %v (lookup %v); want unknown, the lookup evidence only below 500", err, ou.Reconcile)
			}
			dup := independentClient(t, srv, nil, RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}, WithDuplicateCheck())
			o.mu.Lock()
			o.posts = 0
			o.mu.Unlock()
			p, err := refund(context.Background(), dup, "nm-1xxxx")
			if err != nil || !p.Succeeded() {
				t.Fatalf("with the duplicate check: %+v, %v; want the second send's refund", p, err)
			}
			if posts, _, commits := o.counts(); posts != 2 || commits != 1 {
				t.Fatalf("%d POSTs, %d commits; want 2 and 1", posts, commits)
			}
		})
	}
}

// TestDeclineRecordedWithoutAmount: OPP declines the refund, records it
// without an amount and the answer is lost. The decline is adopted, code
// and all, and the refund is not sent again.
func TestDeclineRecordedWithoutAmount(t *testing.T) {
	o := &handOPP{}
	o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
		commit(codeDecline, "", "-")
		hangUp(w)
	}
	srv := newOPP(t, o)
	c := independentClient(t, srv, nil, RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}, WithDuplicateCheck())
	p, err := refund(context.Background(), c, "decl-1xx")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrDeclined) || e.Code != codeDecline || !e.Verified || p != nil {
		t.Fatalf("Refund = %+v, %v; want the verified decline %s", p, err, codeDecline)
	}
	checkOneCategory(t, err)
	if posts, _, _ := o.counts(); posts != 1 {
		t.Fatalf("%d POSTs; want 1", posts)
	}
}

// contextDropper is a middleware RoundTripper that sends every request with
// a fresh context: the caller's deadline and its httptrace hooks are gone.
type contextDropper struct{ next http.RoundTripper }

func (d contextDropper) RoundTrip(r *http.Request) (*http.Response, error) {
	return d.next.RoundTrip(r.Clone(context.Background()))
}

// TestTransportThatDropsTheContext: behind a middleware that clones each
// request with context.Background(), no trace hook fires, and the client
// must not read that silence as "not sent". OPP captures, then the
// connection drops: one capture of 10.00, adopted; when OPP did not
// capture, the outcome is unknown and nothing is sent again.
func TestTransportThatDropsTheContext(t *testing.T) {
	for _, commits := range []bool{true, false} {
		o := &handOPP{}
		o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
			if commits {
				commit(codeOK, r.PostForm.Get("amount"), "-")
			}
			hangUp(w)
		}
		srv := newOPP(t, o)
		hc := &http.Client{Transport: contextDropper{srv.Client().Transport}}
		c := independentClient(t, srv, hc, RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond})
		p, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("10.00"), Currency: "EUR", MerchantTransactionID: "drop-1xx"})
		posts, _, n := o.counts()
		if posts != 1 {
			t.Fatalf("committing %v: %d POSTs; want 1", commits, posts)
		}
		if commits && (err != nil || !p.Amount.Equal(dec("10")) || n != 1) {
			t.Fatalf("Capture = %+v, %v with %d commits; want the one capture of 10.00", p, err, n)
		}
		if !commits && !errors.Is(err, ErrOutcomeUnknown) {
			t.Fatalf("Capture = %+v, %v; want an unknown outcome", p, err)
		}
	}
}

// TestDeclineServedWithHTTP400: a declined payment record is a payment,
// whatever the status: Client.Payment returns it; an operation returns its
// decline.
func TestDeclineServedWithHTTP400(t *testing.T) {
	decline := paymentJSON("8ac7a4a1845f7e6b01846011a8b2dec1", testPayID, PaymentTypeRefund, "10.00", "EUR", "d400xxxx", codeDecline, descDecline)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(decline))
	}))
	defer srv.Close()
	c := independentClient(t, srv, nil, fastRetry)
	p, err := c.Payment(context.Background(), "8ac7a4a1845f7e6b01846011a8b2dec1")
	if err != nil || p.Result.Code != codeDecline || p.PaymentType != PaymentTypeRefund {
		t.Fatalf("Payment = %+v, %v; want the declined record", p, err)
	}
	_, err = refund(context.Background(), c, "d400xxxx")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrDeclined) || e.HTTPStatus != 400 || e.Code != codeDecline {
		t.Fatalf("Refund = %v; want the decline", err)
	}
}

// TestAcquirerSlowerThanTheSettleWindow: the refund commits only after the
// client's lookups have stopped. The client says it does not know (never
// ErrGateway, never "not performed"), sends nothing again, and
// AwaitOutcome later finds the refund.
func TestAcquirerSlowerThanTheSettleWindow(t *testing.T) {
	commitNow, committed := make(chan struct{}), make(chan struct{})
	o := &handOPP{}
	o.post = func(w http.ResponseWriter, r *http.Request, commit func(code, amount, ref string)) {
		<-r.Context().Done()
		<-commitNow
		commit(codeOK, r.PostForm.Get("amount"), "-")
		close(committed)
	}
	o.lookup = func(w http.ResponseWriter, n int, recs []string) bool {
		if n == 2 {
			<-committed // AwaitOutcome's lookup: the refund is there
		}
		return false
	}
	srv := newOPP(t, o)
	hc := &http.Client{Transport: srv.Client().Transport, Timeout: 100 * time.Millisecond}
	c := independentClient(t, srv, hc, RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond})
	_, err := refund(context.Background(), c, "slower-1")
	var u *OutcomeUnknownError
	if !errors.As(err, &u) || errors.Is(err, ErrGateway) || !errors.Is(u.Reconcile, errNotShown) {
		t.Fatalf("Refund = %v; want an unknown outcome after a lookup that found nothing", err)
	}
	close(commitNow) // the acquirer finishes after the client has given up
	p, err := c.AwaitOutcome(context.Background(), u)
	if err != nil || !p.Succeeded() {
		t.Fatalf("AwaitOutcome = %+v, %v; want the refund", p, err)
	}
	if posts, _, commits := o.counts(); posts != 1 || commits != 1 {
		t.Fatalf("%d POSTs, %d commits; want 1 and 1", posts, commits)
	}
}
