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
}

var (
	refusedErr = &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	resetWrite = &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
	resetRead  = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
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
	pj := paymentJSON(fmt.Sprintf("8ac7a4a1845f7e6b01846011a8b1%04d", s.posts), ref, PaymentType(f.Get("paymentType")),
		f.Get("amount"), f.Get("currency"), mtid, st.code, "scripted")
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
		return httpmock.NewStringResponse(200, `{"result":{"code":"700.400.580","description":"cannot find transaction"}}`), nil
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
		return c.Capture(ctx, testPayID, CaptureRequest{Amount: d("10"), Currency: "EUR", MerchantTransactionID: "key-0001"})
	}},
	{"reverse", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Reverse(ctx, testPayID, ReverseRequest{MerchantTransactionID: "key-0001"})
	}},
	{"refund", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Refund(ctx, testPayID, RefundRequest{Amount: d("2.50"), Currency: "EUR", MerchantTransactionID: "key-0001"})
	}},
	{"chargeback", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: d("10"), Currency: "EUR", Reason: "fraud", MerchantTransactionID: "key-0001"})
	}},
	{"chargeback reversal", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.ReverseChargeback(ctx, cbID, ReverseChargebackRequest{Amount: d("10"), Currency: "EUR", MerchantTransactionID: "key-0001"})
	}},
	{"rebill", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Rebill(ctx, testPayID, RebillRequest{Amount: d("1500"), Currency: "JPY", MerchantTransactionID: "key-0001"})
	}},
	{"credit", func(ctx context.Context, c *Client) (*Payment, error) {
		return c.Credit(ctx, CreditRequest{Amount: d("25"), Currency: "EUR", PaymentBrand: "VISA",
			Card:                  CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
			MerchantTransactionID: "key-0001"})
	}},
}

// TestFailureMatrix: every failure, for every money movement, with the exact
// number of POSTs and lookups and the exact outcome.
func TestFailureMatrix(t *testing.T) {
	retryAfter := http.Header{"Retry-After": {"3600"}}
	throttled := `{"result":{"code":"800.120.100","description":"Rejected by Throttling."}}`
	cases := []struct {
		name           string
		steps          []step
		queryFail      bool
		posts, queries int
		want           error  // nil: success
		wantCode       string // the result code of the payment or *Error
	}{
		{"dial refused", []step{{err: refusedErr}}, false, 2, 0, nil, codeOK},
		{"dial refused on every attempt", []step{{err: refusedErr}, {err: refusedErr}, {err: refusedErr}}, false, 3, 0, ErrNetwork, ""},
		{"reset before write", []step{{err: resetWrite}}, false, 2, 0, nil, codeOK},
		{"reset after write, committed", []step{{wrote: true, commit: true, err: resetRead}}, false, 1, 1, nil, codeOK},
		{"reset after write, not committed", []step{{wrote: true, err: resetRead}}, false, 2, 1, nil, codeOK},
		{"reset after write, lookup unavailable", []step{{wrote: true, commit: true, err: resetRead}}, true, 1, 3, ErrOutcomeUnknown, ""},
		{"timeout after write, committed", []step{{wrote: true, commit: true, block: true}}, false, 1, 1, nil, codeOK},
		{"500 before commit", []step{{wrote: true, status: 500, body: "oops"}}, false, 2, 1, nil, codeOK},
		{"502 before commit", []step{{wrote: true, status: 502, body: "<html>bad gateway</html>"}}, false, 2, 1, nil, codeOK},
		{"503 before commit", []step{{wrote: true, status: 503, body: "busy"}}, false, 2, 1, nil, codeOK},
		{"504 before commit", []step{{wrote: true, status: 504, body: "\n"}}, false, 2, 1, nil, codeOK},
		{"500 after commit", []step{{wrote: true, commit: true, status: 500, body: "oops"}}, false, 1, 1, nil, codeOK},
		{"502 after commit", []step{{wrote: true, commit: true, status: 502, body: "<html>bad gateway</html>"}}, false, 1, 1, nil, codeOK},
		{"503 after commit", []step{{wrote: true, commit: true, status: 503, body: "busy"}}, false, 1, 1, nil, codeOK},
		{"504 after commit", []step{{wrote: true, commit: true, status: 504, body: "\n"}}, false, 1, 1, nil, codeOK},
		{"503 on every attempt", []step{{wrote: true, status: 503, body: "x"}, {wrote: true, status: 503, body: "x"}, {wrote: true, status: 503, body: "x"}}, false, 3, 3, ErrGateway, ""},
		{"429 with Retry-After 3600", []step{{wrote: true, status: 429, body: throttled, header: retryAfter}}, false, 2, 1, nil, codeOK},
		{"200 with an undecodable body, committed", []step{{wrote: true, commit: true, status: 200, body: `{"id":"x","result":`}}, false, 1, 1, nil, codeOK},
		{"200 with an undecodable body, lookup unavailable", []step{{wrote: true, commit: true, status: 200, body: "<html>"}}, true, 1, 3, ErrOutcomeUnknown, ""},
		{"200 with a decline code", []step{{wrote: true, commit: true, status: 200, code: codeDecline}}, false, 1, 0, ErrDeclined, codeDecline},
		{"200 with 900.100.300, recorded as such", []step{{wrote: true, commit: true, status: 200, code: "900.100.300"}}, false, 1, 1, ErrOutcomeUnknown, ""},
		{"200 with 900.100.300, not recorded", []step{{wrote: true, status: 200, code: "900.100.300"}}, false, 2, 1, nil, codeOK},
		{"400 validation is final", []step{{wrote: true, status: 400, body: `{"result":{"code":"200.300.404","description":"invalid or missing parameter"}}`}}, false, 1, 0, ErrInvalidRequest, "200.300.404"},
	}
	for _, op := range operations {
		for _, tc := range cases {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				mt := httpmock.NewMockTransport()
				mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Error))
				c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt, Timeout: 50 * time.Millisecond}), WithRetry(fastRetry))
				if err != nil {
					t.Fatal(err)
				}
				s := newScripted(mt, tc.steps...)
				s.queryFail = tc.queryFail
				p, err := op.call(context.Background(), c)
				posts, queries := s.counts()
				if posts != tc.posts || queries != tc.queries {
					t.Errorf("%d POSTs and %d lookups; want %d and %d", posts, queries, tc.posts, tc.queries)
				}
				if tc.want == nil {
					if err != nil || p == nil || p.Result.Code != tc.wantCode || p.MerchantTransactionID != "key-0001" {
						t.Fatalf("got %+v, %v; want a payment with %s", p, err, tc.wantCode)
					}
				} else {
					if !errors.Is(err, tc.want) || p != nil {
						t.Fatalf("got %+v, %v; want %v", p, err, tc.want)
					}
					if !strings.Contains(err.Error(), "key-0001") {
						t.Errorf("error %q does not carry the merchantTransactionId", err)
					}
					var e *Error
					if tc.wantCode != "" && (!errors.As(err, &e) || e.Code != tc.wantCode) {
						t.Errorf("error %v; want code %s", err, tc.wantCode)
					}
				}
				s.mu.Lock()
				n := len(s.committed["key-0001"])
				if len(s.keys) != 1 || !s.keys["key-0001"] {
					t.Errorf("POSTs carried merchantTransactionIds %v; want only key-0001", s.keys)
				}
				s.mu.Unlock()
				if n > 1 {
					t.Fatalf("committed %d times", n)
				}
			})
		}
	}
}

func TestGeneratedKeyIsKeptAcrossAttempts(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry))
	s := newScripted(mt, step{err: refusedErr}, step{wrote: true, status: 503, body: "x"})
	p, err := c.Rebill(context.Background(), testPayID, RebillRequest{Amount: d("1"), Currency: "EUR"})
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
	_, err := c.Refund(context.Background(), testPayID, RefundRequest{Amount: d("1"), Currency: "EUR", MerchantTransactionID: "rf-00077"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.MerchantTransactionID != "rf-00077" || ou.PaymentID != "8ac7a4a1845f7e6b01846011a8b10001" || ou.Operation != "refund" || ou.ReferencedID != testPayID {
		t.Fatalf("err = %#v", err)
	}
	var cause *Error
	if !errors.As(err, &cause) || cause.Code != "900.100.300" {
		t.Fatalf("cause = %v", ou.Cause)
	}
	if p, q := s.counts(); p != 1 || q != 1 {
		t.Fatalf("%d POSTs, %d lookups", p, q)
	}
}

func TestCallerContextEndsEveryWait(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(RetryPolicy{MaxAttempts: 3, MinWait: time.Hour, MaxWait: time.Hour}))
	s := newScripted(mt, step{wrote: true, status: 503, body: "busy"})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Capture(ctx, testPayID, CaptureRequest{Amount: d("1"), Currency: "EUR", MerchantTransactionID: "w-000001"})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrGateway) || !e.Verified || e.HTTPStatus != 503 {
		t.Fatalf("err = %v; want a verified gateway error (the lookup proved nothing was done)", err)
	}
	if p, q := s.counts(); p != 1 || q != 1 {
		t.Fatalf("%d POSTs, %d lookups; want 1 and 1", p, q)
	}
}

func TestCancelledContextIsUnknownWithoutLookup(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry))
	s := newScripted(mt, step{wrote: true, commit: true, block: true})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Capture(ctx, testPayID, CaptureRequest{Amount: d("1"), Currency: "EUR", MerchantTransactionID: "x-000001"})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.MerchantTransactionID != "x-000001" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if p, q := s.counts(); p != 1 || q != 0 {
		t.Fatalf("%d POSTs, %d lookups; want 1 and 0", p, q)
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
			_, err = c.Capture(context.Background(), testPayID, CaptureRequest{Amount: d("1"), Currency: "EUR"})
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
