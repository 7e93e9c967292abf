package backoffice

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name, token, entity string
		opts                []Option
		want                string // a fragment of the error; "" for success
	}{
		{"defaults", testToken, testEntity, nil, ""},
		{"empty token", "", testEntity, nil, "token is empty"},
		{"token with newline", "abc\r\nX-Evil: 1", testEntity, nil, "token contains spaces or control characters"},
		{"empty entity", testToken, "", nil, "entityID is empty"},
		{"entity with symbols", testToken, "8a82/../x", nil, "entityID must be 1-64 letters or digits"},
		{"malformed base URL", testToken, testEntity, []Option{WithBaseURL("://nope")}, "WithBaseURL: malformed URL"},
		{"base URL without host", testToken, testEntity, []Option{WithBaseURL("https://")}, "has no host"},
		{"plain http to a remote host", testToken, testEntity, []Option{WithBaseURL("http://eu-test.oppwa.com")}, `plain http is refused except to loopback, got host "eu-test.oppwa.com"`},
		{"plain http to loopback", testToken, testEntity, []Option{WithBaseURL("http://127.0.0.1:8080")}, ""},
		{"plain http to localhost", testToken, testEntity, []Option{WithBaseURL("http://localhost:8080")}, ""},
		{"plain http to ::1", testToken, testEntity, []Option{WithBaseURL("http://[::1]:8080")}, ""},
		{"ftp", testToken, testEntity, []Option{WithBaseURL("ftp://eu-test.oppwa.com")}, `scheme "ftp" is not https`},
		{"query in base URL", testToken, testEntity, []Option{WithBaseURL("https://h.example/?entityId=1")}, "no user info, query or fragment"},
		{"user info in base URL", testToken, testEntity, []Option{WithBaseURL("https://u:p@h.example/")}, "no user info, query or fragment"},
		{"zero attempts", testToken, testEntity, []Option{WithRetry(RetryPolicy{MaxAttempts: 0})}, "MaxAttempts is 0, must be at least 1"},
		{"negative attempts", testToken, testEntity, []Option{WithRetry(RetryPolicy{MaxAttempts: -2})}, "MaxAttempts is -2, must be at least 1"},
		{"negative wait", testToken, testEntity, []Option{WithRetry(RetryPolicy{MaxAttempts: 1, MinWait: -1})}, "MinWait is -1ns, must not be negative"},
		{"max below min", testToken, testEntity, []Option{WithRetry(RetryPolicy{MaxAttempts: 1, MinWait: time.Second, MaxWait: time.Millisecond})}, "MaxWait 1ms is less than MinWait 1s"},
		{"negative settle window", testToken, testEntity, []Option{WithRetry(RetryPolicy{MaxAttempts: 1, SettleWindow: -time.Second})}, "SettleWindow is -1s, must not be negative"},
		{"nil http client", testToken, testEntity, []Option{WithHTTPClient(nil)}, "WithHTTPClient: client is nil"},
		{"nil logger", testToken, testEntity, []Option{WithLogger(nil)}, "WithLogger: logger is nil"},
		{"nil option", testToken, testEntity, []Option{nil}, "option is nil"},
		{"user agent with newline", testToken, testEntity, []Option{WithUserAgent("a\nb")}, "user agent contains a line break"},
		{"user agent with NUL", testToken, testEntity, []Option{WithUserAgent("shop\x00v1")}, `WithUserAgent: user agent contains a control character ('\x00' at byte 4)`},
		{"user agent with tab", testToken, testEntity, []Option{WithUserAgent("shop\tv1")}, "user agent contains a control character"},
		{"user agent with DEL", testToken, testEntity, []Option{WithUserAgent("shop\x7fv1")}, "user agent contains a control character"},
		{"user agent with C1 control", testToken, testEntity, []Option{WithUserAgent("shop\u0085v1")}, "user agent contains a control character"},
		{"user agent not UTF-8", testToken, testEntity, []Option{WithUserAgent("shop\xffv1")}, "user agent is not valid UTF-8"},
		{"user agent with non-ASCII letters", testToken, testEntity, []Option{WithUserAgent("boutique-é/1.0")}, ""},
		{"port zero", testToken, testEntity, []Option{WithBaseURL("https://h.example:0")}, `WithBaseURL: port "0" of host "h.example" is not 1-65535`},
		{"port above 65535", testToken, testEntity, []Option{WithBaseURL("https://h.example:65536")}, `WithBaseURL: port "65536" of host "h.example" is not 1-65535`},
		{"empty port", testToken, testEntity, []Option{WithBaseURL("https://h.example:")}, `WithBaseURL: port "" of host "h.example" is not 1-65535`},
		{"port 65535", testToken, testEntity, []Option{WithBaseURL("https://h.example:65535")}, ""},
		{"port 1 on loopback", testToken, testEntity, []Option{WithBaseURL("http://127.0.0.1:1")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.token, tt.entity, tt.opts...)
			if tt.want == "" {
				if err != nil || c == nil {
					t.Fatalf("New = %v, %v; want a client", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v; want it to contain %q", err, tt.want)
			}
			if c != nil {
				t.Fatalf("New returned a client with an error")
			}
		})
	}
}

// TestBaseURLWithoutHostHidesItsQuery: the "has no host" error shows the
// URL without its query string, which may carry a secret.
func TestBaseURLWithoutHostHidesItsQuery(t *testing.T) {
	_, err := New(testToken, testEntity, WithBaseURL("https:///v1?entityId=secret#frag"))
	want := `backoffice.New: WithBaseURL: "https:///v1" has no host`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v; want %q", err, want)
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := New("", "", WithBaseURL("http://example.com"), WithRetry(RetryPolicy{MaxAttempts: -1}))
	want := "backoffice.New: token is empty\nentityID is empty\nWithRetry: MaxAttempts is -1, must be at least 1\n" +
		`WithBaseURL: plain http is refused except to loopback, got host "example.com"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %q\nwant %q", err, want)
	}
}

func TestBaseURLKeepsPathPrefix(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Error))
	mt.RegisterResponder("POST", "https://proxy.example/opp/v1/payments/"+testPayID,
		httpmock.NewStringResponder(200, paymentJSON("c1", testPayID, PaymentTypeCapture, "1.00", "EUR", "m1", codeOK, descOK)))
	c, err := New(testToken, testEntity, WithBaseURL("https://proxy.example/opp/"), WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: decimal.RequireFromString("1"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
}

func TestWithHTTPClientNeverMutatesTheCallersClient(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID,
		httpmock.NewStringResponder(200, paymentJSON("c1", testPayID, PaymentTypeCapture, "1.00", "EUR", "m1", codeOK, descOK)))
	jar, _ := cookiejar.New(nil)
	redirect := func(*http.Request, []*http.Request) error { return nil }
	hc := &http.Client{Transport: mt, Timeout: 7 * time.Second, Jar: jar, CheckRedirect: redirect}
	defaultBefore := *http.DefaultClient

	c, err := New(testToken, testEntity, WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: decimal.RequireFromString("1.00"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != mt || hc.Timeout != 7*time.Second || hc.Jar != jar || hc.CheckRedirect == nil {
		t.Fatalf("caller's client changed: %+v", hc)
	}
	if http.DefaultClient.Transport != defaultBefore.Transport || http.DefaultClient.Timeout != defaultBefore.Timeout {
		t.Fatal("http.DefaultClient changed")
	}
}

// attemptProbe is a caller's transport that records what each attempt's
// request looked like when it reached it.
type attemptProbe struct {
	mu        sync.Mutex
	deadlines []time.Time // zero: no deadline
	cancels   int         // requests with the legacy Request.Cancel channel
	cookies   []string
	status    int
	body      string
}

func (p *attemptProbe) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d, _ := req.Context().Deadline()
	p.deadlines = append(p.deadlines, d)
	//lint:ignore SA1019 detecting net/http's legacy cancel path is the point
	if req.Cancel != nil {
		p.cancels++
	}
	if ck, err := req.Cookie("session"); err == nil {
		p.cookies = append(p.cookies, ck.Value)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if p.status == http.StatusFound {
		h.Set("Location", base+"/elsewhere")
	}
	return &http.Response{StatusCode: p.status, Header: h, Body: io.NopCloser(strings.NewReader(p.body)),
		ContentLength: int64(len(p.body)), Request: req}, nil
}

// TestAttemptTimeoutIsAContextDeadline: WithHTTPClient's Timeout (or
// DefaultAttemptTimeout) bounds each attempt as a deadline on the attempt's
// context, never through net/http's legacy cancel path; the caller's jar is
// used and redirects are not followed.
func TestAttemptTimeoutIsAContextDeadline(t *testing.T) {
	for _, tc := range []struct {
		timeout, want time.Duration
	}{{7 * time.Second, 7 * time.Second}, {0, DefaultAttemptTimeout}} {
		probe := &attemptProbe{status: 200, body: paymentJSON("c1", testPayID, PaymentTypeCapture, "1.00", "EUR", "m1", codeOK, descOK)}
		jar, _ := cookiejar.New(nil)
		u, _ := url.Parse(base)
		jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "s1"}})
		c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: probe, Timeout: tc.timeout, Jar: jar}))
		if err != nil {
			t.Fatal(err)
		}
		before := time.Now()
		if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: decimal.RequireFromString("1"), Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		if len(probe.deadlines) != 1 || probe.deadlines[0].Before(before.Add(tc.want)) || probe.deadlines[0].After(after.Add(tc.want)) {
			t.Errorf("timeout %v: attempt deadlines %v; want one within [%v, %v]", tc.timeout, probe.deadlines, before.Add(tc.want), after.Add(tc.want))
		}
		if probe.cancels != 0 {
			t.Errorf("timeout %v: %d attempts took net/http's legacy Request.Cancel path", tc.timeout, probe.cancels)
		}
		if len(probe.cookies) != 1 || probe.cookies[0] != "s1" {
			t.Errorf("timeout %v: cookies sent %v; want the caller's jar's", tc.timeout, probe.cookies)
		}
	}
	probe := &attemptProbe{status: http.StatusFound}
	c, _ := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: probe}), WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err := c.Payment(context.Background(), testPayID)
	if len(probe.deadlines) != 1 || err == nil {
		t.Fatalf("a redirect was followed: %d requests, err %v", len(probe.deadlines), err)
	}
}

// TestRetryLibraryLogsNothing: with go-retryablehttp retrying a lookup, the
// SDK writes nothing to stderr or the standard logger; only WithLogger logs.
func TestRetryLibraryLogsNothing(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	var std bytes.Buffer
	log.SetOutput(&std)
	defer log.SetOutput(os.Stderr)
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID, httpmock.NewStringResponder(503, "busy"))
	_, lerr := c.Payment(context.Background(), testPayID)
	os.Stderr = stderr
	w.Close()
	out, _ := io.ReadAll(r)
	if !errors.Is(lerr, ErrGateway) || mt.GetTotalCallCount() != fastRetry.MaxAttempts {
		t.Fatalf("lookup: %v after %d attempts; want ErrGateway after %d", lerr, mt.GetTotalCallCount(), fastRetry.MaxAttempts)
	}
	if len(out) != 0 || std.Len() != 0 {
		t.Fatalf("written to stderr %q and to the standard logger %q; want nothing", out, std.String())
	}
}

func TestEveryRequestCarriesTheHeaders(t *testing.T) {
	c, mt := newMock(t, WithUserAgent("shop/2.1"))
	var rec recorder
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID,
		rec.wrap(httpmock.NewStringResponder(200, paymentJSON("c1", testPayID, PaymentTypeCapture, "1.00", "EUR", "m1", codeOK, descOK))))
	if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: decimal.RequireFromString("1"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	h := rec.all()[0].Header
	for k, want := range map[string]string{
		"Authorization": "Bearer " + testToken,
		"Content-Type":  "application/x-www-form-urlencoded",
		"Accept":        "application/json",
		"User-Agent":    "shop/2.1 oppkit-backoffice-go/" + Version,
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q; want %q", k, got, want)
		}
	}
	for _, k := range []string{"Idempotency-Key", "X-Idempotency-Key"} {
		if _, ok := h[k]; ok {
			t.Errorf("%s must never be sent: net/http would replay the POST", k)
		}
	}
}
