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

// provablyNotSent reports whether a failed attempt provably never left this
// process, read from the transport error alone: a failed dial (connection
// refused, unreachable, a dial timeout), a DNS failure, or a TLS
// certificate the client refused during the handshake, before any request
// byte. Anything else that went wrong after the call started is ambiguous:
// a write error may follow a partial write, a context or timeout error may
// end a request already on the wire, and no httptrace hook's silence proves
// anything (a middleware that clones the request with another context
// silences every hook).
func provablyNotSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return isCertVerifyError(err)
}

// isCertVerifyError reports a server certificate the client refused: it
// happens only in the handshake, so nothing was sent.
func isCertVerifyError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// isCertError reports a TLS failure that no retry can fix: a refused
// certificate or a TLS alert. go-retryablehttp's own check is a type
// assertion that wrapping defeats, so it is done here.
func isCertError(err error) bool {
	var alert tls.AlertError
	return isCertVerifyError(err) || errors.As(err, &alert)
}

// checkRetry is the go-retryablehttp CheckRetry of the lookups, the only
// requests go-retryablehttp sends: GETs are safe to repeat, so they are
// retried on transport errors (but never on TLS certificate errors), 429
// and 5xx (but not 501), until the caller's context ends.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return !isCertError(err), nil
	}
	return resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented, nil
}

// backoff is the wait before a lookup's next attempt (go-retryablehttp's
// Backoff) and before a money movement's re-send: Retry-After on a 429 or
// 503, capped at max; otherwise exponential with full jitter, capped at max.
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

// newHTTPClients builds the Client's two senders around one transport that
// wraps a copy of the caller's http.Client: hc sends a money movement one
// attempt at a time (the movement loop decides every re-send), and
// go-retryablehttp sends the lookups. Neither has an http.Client.Timeout:
// the transport bounds each attempt with a context deadline, which keeps
// net/http on its fast path and its idle connections alive. go-retryablehttp's
// logger is off: attempts are logged by the transport, redacted.
func (c *Client) newHTTPClients(user *http.Client) (*http.Client, *retryablehttp.Client) {
	tr := &transport{logger: c.logger, observe: c.observer.Attempt, bodies: c.bodies, timeout: DefaultAttemptTimeout}
	hc := &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if user != nil {
		tr.next = user.Transport
		hc.Jar = user.Jar
		if user.Timeout > 0 {
			tr.timeout = user.Timeout
		}
	}
	rc := &retryablehttp.Client{
		HTTPClient:     hc,
		RetryWaitMin:   c.retry.MinWait,
		RetryWaitMax:   c.retry.MaxWait,
		RetryMax:       c.retry.MaxAttempts - 1,
		CheckRetry:     checkRetry,
		Backoff:        backoff,
		ErrorHandler:   countAttempts,
		RequestLogHook: numberAttempt,
	}
	return hc, rc
}

// isTimeout reports a deadline or a net.Error timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
