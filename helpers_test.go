package backoffice

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

const (
	testToken  = "tok_SECRET_9f8e7d6c5b4a"
	testEntity = "8a8294174e735d0c014e78cf26461790"
	testPayID  = "8ac7a4a1845f7e6b01846011a8b1234a"
	testCard   = "4200000000000000"
	testCVV    = "987"
	base       = "https://eu-test.oppwa.com"
)

// fastRetry keeps the retry tests quick; waits are not what they assert.
var fastRetry = RetryPolicy{MaxAttempts: 3, MinWait: time.Microsecond, MaxWait: time.Millisecond}

// newMock returns a Client sending through a fresh httpmock transport that
// fails the test on any unregistered route.
func newMock(t testing.TB, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Error))
	c, err := New(testToken, testEntity, append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithRetry(fastRetry)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// recorded is one request a recorder saw.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// recorder captures every request it answers, safely across goroutines.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (r *recorder) wrap(next httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			body, _ = io.ReadAll(req.Body)
		}
		r.mu.Lock()
		r.reqs = append(r.reqs, recorded{req.Method, req.URL.Path, req.URL.RawQuery, req.Header.Clone(), string(body)})
		r.mu.Unlock()
		return next(req)
	}
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// paymentJSON is an OPP payment object as the gateway sends it.
func paymentJSON(id, ref string, pt PaymentType, amount, currency, mtid, code, desc string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%q,`, id)
	if ref != "" {
		fmt.Fprintf(&b, `"referencedId":%q,`, ref)
	}
	fmt.Fprintf(&b, `"paymentType":%q,`, pt)
	if amount != "" {
		fmt.Fprintf(&b, `"amount":%q,"currency":%q,`, amount, currency)
	}
	fmt.Fprintf(&b, `"descriptor":"4610.8883.4210 Shop","merchantTransactionId":%q,"result":{"code":%q,"description":%q},`, mtid, code, desc)
	b.WriteString(`"resultDetails":{"ConnectorTxID1":"1111-2222","AcquirerResponse":"00"},"buildNumber":"b1@2026-11-01","timestamp":"2026-11-23 08:00:00+0000","ndc":"` + testEntity + `_ab12"}`)
	return b.String()
}

const (
	codeOK      = "000.100.110"
	descOK      = "Request successfully processed in 'Merchant in Integrator Test Mode'"
	codeDecline = "800.100.151"
	descDecline = "transaction declined (invalid card)"
)

func httptraceFrom(req *http.Request) *httptrace.ClientTrace {
	return httptrace.ContextClientTrace(req.Context())
}

func mustRegexp(s string) *regexp.Regexp { return regexp.MustCompile(s) }
