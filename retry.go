package backoffice

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// call is the state of one SDK call, carried in the request context so that
// the transport and go-retryablehttp's CheckRetry (which never sees the
// request, only its context) can read it. Only the calling goroutine touches
// it: net/http calls RoundTrip on the goroutine that called Do.
type call struct {
	op        Operation
	paymentID string // the referenced payment, if any
	mtid      string // the merchantTransactionId of a money movement
	money     bool   // a money movement: re-sent only when provably not sent
	max       int    // the attempt budget of the whole call
	attempts  int    // requests handed to the transport so far
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	cl, _ := ctx.Value(callKey{}).(*call)
	return cl
}

// notSentError marks a transport error that happened before any byte of the
// request could have reached the server.
type notSentError struct{ err error }

// Error returns the transport error's text.
func (e *notSentError) Error() string { return e.err.Error() }

// Unwrap returns the transport error.
func (e *notSentError) Unwrap() error { return e.err }

// provablyNotSent decides whether a failed attempt never left this process.
// wrote reports whether net/http said it wrote the request headers. It fails
// safe: a context or timeout error is never "not sent", because net/http
// stops waiting for the writer when the context ends.
func provablyNotSent(err error, wrote bool) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	if wrote || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

func isNotSent(err error) bool {
	var ns *notSentError
	return errors.As(err, &ns)
}

// isCertError reports a TLS failure that no retry can fix. go-retryablehttp's
// own check is a type assertion that wrapping defeats, so it is done here.
func isCertError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	var alert tls.AlertError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) ||
		errors.As(err, &ci) || errors.As(err, &alert)
}

// checkRetry is the go-retryablehttp CheckRetry of every Client. A money
// movement is retried inside one exchange only when the attempt provably
// never left this process; everything ambiguous goes back to the caller's
// reconciliation. Lookups retry on transport errors, 429 and 5xx (not 501).
// TLS certificate errors are never retried.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	cl := callFrom(ctx)
	if cl == nil || cl.attempts >= cl.max {
		return false, nil
	}
	if err != nil {
		if isCertError(err) {
			return false, nil
		}
		return !cl.money || isNotSent(err), nil
	}
	if cl.money {
		return false, nil
	}
	return resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
}

// backoff is the go-retryablehttp Backoff of every Client: Retry-After on a
// 429 or 503, capped at max; otherwise exponential with full jitter, capped
// at max.
func backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp); ok {
		return capWait(d, max)
	}
	ceiling := max
	if attempt < 32 && min<<attempt < max && min<<attempt > 0 {
		ceiling = min << attempt
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

func capWait(d, max time.Duration) time.Duration {
	if d > max {
		return max
	}
	return d
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date from a
// 429 or 503 response.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		if s > int64(24*time.Hour/time.Second) {
			s = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// newRetryClient builds the one go-retryablehttp client of a Client, around
// a copy of the caller's http.Client. Its logger is off: attempts are logged
// by the transport, redacted.
func (c *Client) newRetryClient(hc *http.Client) *retryablehttp.Client {
	inner := &http.Client{
		Transport:     &transport{logger: c.logger},
		Timeout:       DefaultAttemptTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if hc != nil {
		inner.Transport = &transport{next: hc.Transport, logger: c.logger}
		inner.Jar = hc.Jar
		if hc.Timeout > 0 {
			inner.Timeout = hc.Timeout
		}
	}
	return &retryablehttp.Client{
		HTTPClient:   inner,
		RetryWaitMin: c.retry.MinWait,
		RetryWaitMax: c.retry.MaxWait,
		RetryMax:     c.retry.MaxAttempts - 1,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// isTimeout reports a deadline or a net.Error timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
