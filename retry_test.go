package backoffice

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// step scripts one POST attempt of the scripted gateway.
type step struct {
	wrote  bool        // the request reached the wire (WroteHeaders fires)
	commit bool        // the gateway performs the operation
	code   string      // result code committed and answered; codeOK if empty
	status int         // answer status; 0 with err or block
	body   string      // answer body instead of the payment JSON
	header http.Header // answer headers
	err    error       // transport error returned after the rest
	block  bool        // hang until the attempt's context ends (a timeout)
	// What the committed record says, when it differs from the request.
	noAmount bool   // the record carries no amount or currency
	amount   string // the record's amount
	ref      string // the record's referencedId
}

var (
	refusedErr = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	resetWrite = &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
	resetRead  = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	// timeoutErr is an attempt that timed out after the request was
	// written: the error, not a clock, so no test waits for it.
	timeoutErr = &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
)

// scripted is a small OPP on httpmock: POSTs follow a script, commits are
// kept per merchantTransactionId, and the query API lists them.
type scripted struct {
	mu        sync.Mutex
	script    []step
	committed map[string][]string
	posts     int
	queries   int
	queryFail bool
	dupCheck  bool            // OPP's duplicate check: a second send of a committed key answers 800.110.100
	onPost    func()          // called as each POST arrives, before it blocks
	keys      map[string]bool // every merchantTransactionId POSTed
}

func newScripted(mt *httpmock.MockTransport, steps ...step) *scripted {
	s := &scripted{script: steps, committed: map[string][]string{}, keys: map[string]bool{}}
	mt.RegisterRegexpResponder("POST", regexpPayments, s.post)
	mt.RegisterResponder("GET", base+"/v1/query", s.query)
	return s
}

var regexpPayments = mustRegexp(`^` + base + `/v1/payments(/[0-9a-f]+)?$`)

func (s *scripted) post(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	f, _ := url.ParseQuery(string(body))
	if s.onPost != nil {
		s.onPost()
	}
	s.mu.Lock()
	st := step{wrote: true, commit: true, status: 200}
	if s.posts < len(s.script) {
		st = s.script[s.posts]
	}
	s.posts++
	if st.code == "" {
		st.code = codeOK
	}
	ref := strings.TrimPrefix(strings.TrimPrefix(req.URL.Path, "/v1/payments"), "/")
	mtid := f.Get("merchantTransactionId")
	s.keys[mtid] = true
	if s.dupCheck && len(s.committed[mtid]) > 0 {
		s.mu.Unlock()
		return httpmock.NewStringResponse(200, `{"result":{"code":"800.110.100","description":"duplicate transaction"}}`), nil
	}
	amount, currency := f.Get("amount"), f.Get("currency")
	switch {
	case st.noAmount:
		amount, currency = "", ""
	case st.amount != "":
		amount = st.amount
	}
	if st.ref != "" {
		ref = st.ref
	}
	pj := paymentJSON(fmt.Sprintf("8ac7a4a1845f7e6b01846011a8b1%04d", s.posts), ref, PaymentType(f.Get("paymentType")),
		amount, currency, mtid, st.code, "scripted")
	if st.commit {
		s.committed[mtid] = append(s.committed[mtid], pj)
	}
	s.mu.Unlock()
	if st.wrote {
		if tr := httptraceFrom(req); tr != nil && tr.WroteHeaders != nil {
			tr.WroteHeaders()
		}
	}
	switch {
	case st.block:
		<-req.Context().Done()
		return nil, req.Context().Err()
	case st.err != nil:
		return nil, st.err
	}
	if st.body != "" {
		pj = st.body
	}
	resp := httpmock.NewStringResponse(st.status, pj)
	for k, v := range st.header {
		resp.Header[k] = v
	}
	return resp, nil
}

func (s *scripted) query(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queries++
	if s.queryFail {
		return httpmock.NewStringResponse(503, "unavailable"), nil
	}
	ps := s.committed[req.URL.Query().Get("merchantTransactionId")]
	if len(ps) == 0 {
		return httpmock.NewStringResponse(400, `{"result":{"code":"700.400.580","description":"cannot find transaction"}}`), nil
	}
	return httpmock.NewStringResponse(200, `{"result":{"code":"000.000.100","description":"successful request"},"payments":[`+strings.Join(ps, ",")+`]}`), nil
}

func (s *scripted) counts() (posts, queries int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.queries
}

// operations are the seven money movements, each with a fixed key.
var operations = []struct {
	name string
	call func(context.Context, *Client) (*Payment, error)
}{
	{"capture", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Capture(ctx, testPayID, CaptureRequest{Amount: dec("10"), Currency: "EUR", MerchantTransactionID: "k-1xxxxx"})
	}},
	{"reverse", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Reverse(ctx, testPayID, ReverseRequest{MerchantTransactionID: "k-1xxxxx"})
	}},
	{"refund", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Refund(ctx, testPayID, RefundRequest{Amount: dec("2.50"), Currency: "EUR", MerchantTransactionID: "k-1xxxxx"})
	}},
	{"chargeback", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: dec("10"), Currency: "EUR", Reason: "fraud", MerchantTransactionID: "k-1xxxxx"})
	}},
	{"chargeback reversal", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.ReverseChargeback(ctx, cbID, ReverseChargebackRequest{Amount: dec("10"), Currency: "EUR", MerchantTransactionID: "k-1xxxxx"})
	}},
	{"rebill", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Rebill(ctx, testPayID, RebillRequest{Amount: dec("1500"), Currency: "JPY", MerchantTransactionID: "k-1xxxxx"})
	}},
	{"credit", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Credit(ctx, CreditRequest{Amount: dec("25"), Currency: "EUR", PaymentBrand: "VISA",
			Card:                  CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
			MerchantTransactionID: "k-1xxxxx"})
	}},
}

// outcomeOf is what one mode of the failure matrix expects.
type outcomeOf struct {
	posts, queries int
	want           error  // nil: success
	code           string // the result code of the payment or *Error
}

// TestFailureMatrix: every failure, for every money movement, with the exact
// number of POSTs and lookups and the exact outcome, without and with OPP's
// duplicate check declared (WithDuplicateCheck). No case depends on a clock:
// a timeout is the error a timed-out read returns.
func TestFailureMatrix(t *testing.T) {
	retryAfter := http.Header{"Retry-After": {"3600"}}
	throttled := `{"result":{"code":"800.120.100","description":"Rejected by Throttling."}}`
	ok := func(posts, queries int) outcomeOf { return outcomeOf{posts, queries, nil, codeOK} }
	unknown := func(posts, queries int) outcomeOf { return outcomeOf{posts, queries, ErrOutcomeUnknown, ""} }
	cases := []struct {
		name       string
		steps      []step
		queryFail  bool
		plain, dup outcomeOf
	}{
		{"dial refused", []step{{err: refusedErr}}, false, ok(2, 0), ok(2, 0)},
		{"dial refused on every attempt", []step{{err: refusedErr}, {err: refusedErr}, {err: refusedErr}}, false,
			outcomeOf{3, 0, ErrNetwork, ""}, outcomeOf{3, 0, ErrNetwork, ""}},
		{"reset while writing: maybe sent", []step{{err: resetWrite}}, false, unknown(1, 1), ok(2, 1)},
		{"reset after write, committed", []step{{wrote: true, commit: true, err: resetRead}}, false, ok(1, 1), ok(1, 1)},
		{"reset after write, not committed", []step{{wrote: true, err: resetRead}}, false, unknown(1, 1), ok(2, 1)},
		{"reset after write, lookup unavailable", []step{{wrote: true, commit: true, err: resetRead}}, true, unknown(1, 3), unknown(2, 6)},
		{"timeout after write, committed", []step{{wrote: true, commit: true, err: timeoutErr}}, false, ok(1, 1), ok(1, 1)},
		{"timeout after write, not committed", []step{{wrote: true, err: timeoutErr}}, false, unknown(1, 1), ok(2, 1)},
		{"500 before commit", []step{{wrote: true, status: 500, body: "oops"}}, false, unknown(1, 1), ok(2, 1)},
		{"502 before commit", []step{{wrote: true, status: 502, body: "<html>bad gateway</html>"}}, false, unknown(1, 1), ok(2, 1)},
		{"503 before commit", []step{{wrote: true, status: 503, body: "busy"}}, false, unknown(1, 1), ok(2, 1)},
		{"504 before commit", []step{{wrote: true, status: 504, body: "\n"}}, false, unknown(1, 1), ok(2, 1)},
		{"500 after commit", []step{{wrote: true, commit: true, status: 500, body: "oops"}}, false, ok(1, 1), ok(1, 1)},
		{"502 after commit", []step{{wrote: true, commit: true, status: 502, body: "<html>bad gateway</html>"}}, false, ok(1, 1), ok(1, 1)},
		{"503 after commit", []step{{wrote: true, commit: true, status: 503, body: "busy"}}, false, ok(1, 1), ok(1, 1)},
		{"504 after commit", []step{{wrote: true, commit: true, status: 504, body: "\n"}}, false, ok(1, 1), ok(1, 1)},
		{"503 on every attempt", []step{{wrote: true, status: 503, body: "x"}, {wrote: true, status: 503, body: "x"}, {wrote: true, status: 503, body: "x"}}, false,
			unknown(1, 1), unknown(3, 3)},
		{"429 with Retry-After 3600 and OPP's throttling code", []step{{wrote: true, status: 429, body: throttled, header: retryAfter}}, false, ok(2, 0), ok(2, 0)},
		{"throttled on every attempt", []step{{wrote: true, status: 429, body: throttled}, {wrote: true, status: 429, body: throttled}, {wrote: true, status: 429, body: throttled}}, false,
			outcomeOf{3, 0, ErrGateway, "800.120.100"}, outcomeOf{3, 0, ErrGateway, "800.120.100"}},
		{"200 with an undecodable body, committed", []step{{wrote: true, commit: true, status: 200, body: `{"id":"x","result":`}}, false, ok(1, 1), ok(1, 1)},
		{"200 with an undecodable body, lookup unavailable", []step{{wrote: true, commit: true, status: 200, body: "<html>"}}, true, unknown(1, 3), unknown(2, 6)},
		{"200 with a decline code", []step{{wrote: true, commit: true, status: 200, code: codeDecline}}, false,
			outcomeOf{1, 0, ErrDeclined, codeDecline}, outcomeOf{1, 0, ErrDeclined, codeDecline}},
		{"400 with a declined payment record", []step{{wrote: true, commit: true, status: 400, code: codeDecline}}, false,
			outcomeOf{1, 0, ErrDeclined, codeDecline}, outcomeOf{1, 0, ErrDeclined, codeDecline}},
		{"200 with 900.100.300, recorded as such", []step{{wrote: true, commit: true, status: 200, code: "900.100.300"}}, false, unknown(1, 1), unknown(1, 1)},
		{"200 with 900.100.300, not recorded", []step{{wrote: true, status: 200, code: "900.100.300"}}, false, unknown(1, 1), ok(2, 1)},
		{"800.120.402 payment already processing, then committed", []step{{wrote: true, commit: true, status: 200,
			body: `{"result":{"code":"800.120.402","description":"payment already processing"}}`}}, false, ok(1, 1), ok(1, 1)},
		{"800.600.100 already being processed, then committed", []step{{wrote: true, commit: true, status: 200,
			body: `{"result":{"code":"800.600.100","description":"transaction is being already processed"}}`}}, false, ok(1, 1), ok(1, 1)},
		{"declined record without amount, answer lost", []step{{wrote: true, commit: true, code: codeDecline, noAmount: true, err: resetRead}}, false,
			outcomeOf{1, 1, ErrDeclined, codeDecline}, outcomeOf{1, 1, ErrDeclined, codeDecline}},
		{"a record under the key with another amount", []step{{wrote: true, commit: true, amount: "7.77", err: resetRead}}, false, unknown(1, 1), unknown(1, 1)},
		{"a record under the key for another payment", []step{{wrote: true, commit: true, ref: "8ac7a4a1845f7e6b01846011a8b1ffff", err: resetRead}}, false, unknown(1, 1), unknown(1, 1)},
		{"503, then the re-send declined: the decline is looked up before it is believed", []step{{wrote: true, status: 503, body: "x"}, {wrote: true, commit: true, code: codeDecline}}, false,
			unknown(1, 1), outcomeOf{2, 2, ErrDeclined, codeDecline}},
		{"400 validation is final", []step{{wrote: true, status: 400, body: `{"result":{"code":"200.300.404","description":"invalid or missing parameter"}}`}}, false,
			outcomeOf{1, 0, ErrInvalidRequest, "200.300.404"}, outcomeOf{1, 0, ErrInvalidRequest, "200.300.404"}},
	}
	for _, mode := range []string{"plain", "duplicate check"} {
		for _, op := range operations {
			for _, tc := range cases {
				want := tc.plain
				if mode != "plain" {
					want = tc.dup
				}
				if op.name == "reverse" && strings.Contains(tc.name, "another amount") {
					want = ok(1, 1) // a full reversal sends no amount: any amount agrees
				}
				t.Run(mode+"/"+op.name+"/"+tc.name, func(t *testing.T) {
					t.Parallel()
					mt := httpmock.NewMockTransport()
					mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Error))
					opts := []Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry)}
					if mode != "plain" {
						opts = append(opts, WithDuplicateCheck())
					}
					c, err := New(testToken, testEntity, opts...)
					if err != nil {
						t.Fatal(err)
					}
					s := newScripted(mt, tc.steps...)
					s.queryFail, s.dupCheck = tc.queryFail, mode != "plain"
					p, err := op.call(context.Background(), c)
					posts, queries := s.counts()
					if posts != want.posts || queries != want.queries {
						t.Errorf("%d POSTs and %d lookups; want %d and %d", posts, queries, want.posts, want.queries)
					}
					checkOneCategory(t, err)
					if want.want == nil {
						if err != nil || p == nil || p.Result.Code != want.code || p.MerchantTransactionID != "k-1xxxxx" {
							t.Fatalf("got %+v, %v; want a payment with %s", p, err, want.code)
						}
					} else {
						if !errors.Is(err, want.want) || p != nil {
							t.Fatalf("got %+v, %v; want %v", p, err, want.want)
						}
						if !strings.Contains(err.Error(), "k-1xxxxx") {
							t.Errorf("error %q does not carry the merchantTransactionId", err)
						}
						var e *Error
						if want.code != "" && (!errors.As(err, &e) || e.Code != want.code) {
							t.Errorf("error %v; want code %s", err, want.code)
						}
					}
					s.mu.Lock()
					n := len(s.committed["k-1xxxxx"])
					if len(s.keys) != 1 || !s.keys["k-1xxxxx"] {
						t.Errorf("POSTs carried merchantTransactionIds %v; want only k-1", s.keys)
					}
					s.mu.Unlock()
					if n > 1 {
						t.Fatalf("committed %d times", n)
					}
				})
			}
		}
	}
}

// checkOneCategory fails t unless err is nil or matches exactly one of the
// nine sentinels.
func checkOneCategory(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var matched []error
	for _, s := range sentinels {
		if errors.Is(err, s) {
			matched = append(matched, s)
		}
	}
	if len(matched) != 1 {
		t.Errorf("error %v matches %d categories %v; want exactly one", err, len(matched), matched)
	}
}

func TestGeneratedKeyIsKeptAcrossAttempts(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry), WithDuplicateCheck())
	s := newScripted(mt, step{err: refusedErr}, step{wrote: true, status: 503, body: "x"})
	p, err := c.Rebill(context.Background(), testPayID, RebillRequest{Amount: dec("1"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if posts, queries := s.counts(); posts != 3 || queries != 1 {
		t.Fatalf("%d POSTs, %d lookups; want 3 and 1", posts, queries)
	}
	if len(s.keys) != 1 || !s.keys[p.MerchantTransactionID] || len(p.MerchantTransactionID) != 16 {
		t.Fatalf("keys sent %v; returned %q", s.keys, p.MerchantTransactionID)
	}
}

func TestOutcomeUnknownCarriesTheKey(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry))
	s := newScripted(mt, step{wrote: true, commit: true, status: 200, code: "900.100.300"})
	_, err := c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "rf-77xxx"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.MerchantTransactionID != "rf-77xxx" || ou.PaymentID != "8ac7a4a1845f7e6b01846011a8b10001" || ou.Operation != "refund" || ou.ReferencedID != testPayID {
		t.Fatalf("err = %#v", err)
	}
	if ou.NDC != testEntity+"_ab12" {
		t.Errorf("NDC = %q; want the uncertain record's", ou.NDC)
	}
	var cause *Error
	if !errors.As(ou.Cause, &cause) || cause.Code != "900.100.300" {
		t.Fatalf("cause = %v", ou.Cause)
	}
	if errors.As(err, &cause) || errors.Is(err, ErrGateway) {
		t.Fatalf("%v reaches its cause through Unwrap: one category per error", err)
	}
	if p, q := s.counts(); p != 1 || q != 1 {
		t.Fatalf("%d POSTs, %d lookups", p, q)
	}
}

// TestCallerContextEndsTheSettleWindow: a settle window of an hour ends when
// the caller's context does, after one lookup, as an unknown outcome.
func TestCallerContextEndsTheSettleWindow(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(RetryPolicy{MaxAttempts: 3, MinWait: time.Hour, MaxWait: time.Hour, SettleWindow: time.Hour}))
	s := newScripted(mt, step{wrote: true, status: 503, body: "busy"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mt.RegisterResponder("GET", base+"/v1/query", func(req *http.Request) (*http.Response, error) {
		defer cancel() // the caller gives up after the first lookup
		return s.query(req)
	})
	_, err := c.Capture(ctx, testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "w-1xxxxx"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || !errors.Is(ou.Reconcile, context.Canceled) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want an unknown outcome whose lookups the context ended", err)
	}
	checkOneCategory(t, err)
	if p, q := s.counts(); p != 1 || q != 1 {
		t.Fatalf("%d POSTs, %d lookups; want 1 and 1", p, q)
	}
}

func TestCancelledContextIsUnknownWithoutLookup(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry))
	s := newScripted(mt, step{wrote: true, commit: true, block: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.onPost = cancel // the caller gives up while the request is on the wire
	_, err := c.Capture(ctx, testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "x-1xxxxx"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.MerchantTransactionID != "x-1xxxxx" || !errors.Is(ou.Cause, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	checkOneCategory(t, err)
	if p, q := s.counts(); p != 1 || q != 0 {
		t.Fatalf("%d POSTs, %d lookups; want 1 and 0", p, q)
	}
}

// TestContextDoneBeforeSendingIsNetwork: nothing is sent, so it is
// ErrNetwork, and still matches the context's error.
func TestContextDoneBeforeSendingIsNetwork(t *testing.T) {
	for _, op := range operations {
		c, mt := newMock(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := op.call(ctx, c)
		if !errors.Is(err, ErrNetwork) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v; want ErrNetwork matching context.Canceled", op.name, err)
		}
		checkOneCategory(t, err)
		if n := mt.GetTotalCallCount(); n != 0 {
			t.Errorf("%s: %d requests; want none", op.name, n)
		}
		dctx, dcancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
		_, err = op.call(dctx, c)
		dcancel()
		if !errors.Is(err, ErrNetwork) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v; want ErrNetwork matching context.DeadlineExceeded", op.name, err)
		}
	}
}

func TestLookupHonoursCappedRetryAfter(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID,
		httpmock.NewStringResponder(429, "slow down").HeaderSet(http.Header{"Retry-After": {"3600"}}).Then(
			httpmock.NewStringResponder(200, paymentJSON(testPayID, "", PaymentTypeDebit, "5.00", "EUR", "db", codeOK, descOK))))
	if _, err := c.Payment(context.Background(), testPayID); err != nil {
		t.Fatal(err)
	}
	if n := mt.GetTotalCallCount(); n != 2 {
		t.Fatalf("%d attempts; want 2", n)
	}
}

func TestTLSCertificateErrorsAreNeverRetried(t *testing.T) {
	for _, method := range []string{"POST", "GET"} {
		c, mt := newMock(t)
		certErr := &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}
		mt.RegisterResponder(method, base+"/v1/payments/"+testPayID, httpmock.NewErrorResponder(certErr))
		mt.RegisterResponder(method, base+"/v1/query/"+testPayID, httpmock.NewErrorResponder(certErr))
		var err error
		if method == "POST" {
			_, err = c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR"})
		} else {
			_, err = c.Payment(context.Background(), testPayID)
		}
		if !errors.Is(err, ErrNetwork) || !isCertError(err) {
			t.Fatalf("%s: err = %v", method, err)
		}
		if n := mt.GetTotalCallCount(); n != 1 {
			t.Fatalf("%s: %d attempts; want 1", method, n)
		}
	}
}

func TestBackoff(t *testing.T) {
	resp := func(status int, ra string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {ra}}}
	}
	min, max := 100*time.Millisecond, 2*time.Second
	if got := backoff(min, max, 0, resp(429, "3600")); got != max {
		t.Errorf("Retry-After 3600 on 429 = %v; want the cap %v", got, max)
	}
	if got := backoff(min, max, 0, resp(503, "1")); got != time.Second {
		t.Errorf("Retry-After 1 on 503 = %v; want 1s", got)
	}
	if got := backoff(min, max, 0, resp(503, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))); got != max {
		t.Errorf("Retry-After date an hour ahead = %v; want the cap", got)
	}
	for _, bad := range []string{"-5", "soon", ""} {
		if d, ok := retryAfter(resp(503, bad)); ok {
			t.Errorf("Retry-After %q parsed as %v; want it ignored", bad, d)
		}
	}
	if d, ok := retryAfter(resp(500, "5")); ok {
		t.Errorf("Retry-After on a 500 honoured as %v; only 429 and 503 carry it", d)
	}
	if d, ok := retryAfter(resp(429, "100000")); !ok || d != 24*time.Hour {
		t.Errorf("Retry-After 100000 = %v, %v; want it clamped to 24h before the cap", d, ok)
	}
	for attempt, ceiling := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, 1600 * time.Millisecond, max, max} {
		for i := 0; i < 200; i++ {
			if got := backoff(min, max, attempt, nil); got < 0 || got > ceiling {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", attempt, got, ceiling)
			}
		}
	}
	if got := backoff(min, max, 80, nil); got < 0 || got > max {
		t.Fatalf("attempt 80: %v", got)
	}
	if got := backoff(0, 0, 3, nil); got != 0 {
		t.Fatalf("zero policy waits %v", got)
	}
}

// TestNotSentIsReadFromTheErrorAlone: only a failed dial, a DNS failure or
// a refused certificate prove that nothing left; everything else that can
// follow a started request is ambiguous, however it is wrapped.
func TestNotSentIsReadFromTheErrorAlone(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Post", URL: base + "/v1/payments", Err: err} }
	for _, tc := range []struct {
		name    string
		err     error
		notSent bool
	}{
		{"dial refused", refusedErr, true},
		{"dial timeout", &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		{"DNS", &net.DNSError{Err: "no such host", Name: "eu-test.oppwa.com", IsNotFound: true}, true},
		{"DNS inside a dial error", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host"}}, true},
		{"certificate refused", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}, true},
		{"hostname mismatch", x509.HostnameError{Host: "x"}, true},
		{"reset while writing", resetWrite, false},
		{"reset while reading", resetRead, false},
		{"read timeout", timeoutErr, false},
		{"attempt deadline", context.DeadlineExceeded, false},
		{"caller cancelled", context.Canceled, false},
		{"TLS alert", tls.AlertError(40), false},
		{"EOF", io.EOF, false},
		{"unexpected EOF", io.ErrUnexpectedEOF, false},
		{"server closed idle connection", errors.New("http: server closed idle connection"), false},
	} {
		for _, err := range []error{tc.err, wrap(tc.err), fmt.Errorf("attempt: %w", wrap(tc.err))} {
			if got := provablyNotSent(err); got != tc.notSent {
				t.Errorf("%s (%v): not sent = %v; want %v", tc.name, err, got, tc.notSent)
			}
		}
	}
}
