package backoffice

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"
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
	inner := c.rc.HTTPClient
	if inner == hc || inner.Timeout != 7*time.Second || inner.Jar != jar {
		t.Fatalf("inner client = %+v; want a copy with the caller's timeout and jar", inner)
	}
	if got := inner.CheckRedirect(nil, nil); got != http.ErrUseLastResponse {
		t.Fatalf("inner CheckRedirect = %v; want ErrUseLastResponse", got)
	}
}

func TestDefaultAttemptTimeout(t *testing.T) {
	c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.rc.HTTPClient.Timeout; got != DefaultAttemptTimeout {
		t.Fatalf("timeout = %v; want %v", got, DefaultAttemptTimeout)
	}
	if c.rc.Logger != nil {
		t.Fatal("go-retryablehttp's logger must be off")
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
