package backofficetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
)

// NewClient returns a client of a new Gateway, talking to it in memory, for
// DefaultToken and DefaultEntityID: `c, gw := backofficetest.NewClient(t)`.
// The client retries fast (3 attempts, waits of 1-5ms); opts are applied
// after the defaults, so they can override them. It fails the test if the
// client cannot be built or points at the live host.
func NewClient(t testing.TB, opts ...backoffice.Option) (*backoffice.Client, *Gateway) {
	t.Helper()
	g := New()
	t.Cleanup(g.Close)
	return g.Client(t, opts...), g
}

// Client returns a client of g for DefaultToken and DefaultEntityID, as
// NewClient does. To reach g through an httptest.Server instead of in
// memory, pass backoffice.WithBaseURL(srv.URL) and
// backoffice.WithHTTPClient(srv.Client()).
func (g *Gateway) Client(t testing.TB, opts ...backoffice.Option) *backoffice.Client {
	t.Helper()
	all := append([]backoffice.Option{
		backoffice.WithHTTPClient(&http.Client{Transport: g}),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}),
	}, opts...)
	c, err := backoffice.New(DefaultToken, DefaultEntityID, all...)
	if err != nil {
		t.Fatalf("backofficetest: building the client: %v", err)
	}
	if pointsAtLive(c) {
		t.Fatalf("backofficetest: refusing a client configured with the live OPP host %s (backoffice.LiveURL): "+
			"the fake gateway must never be confused with production", LiveHost)
	}
	return c
}

// pointsAtLive reports whether c's base URL is on LiveHost.
func pointsAtLive(c *backoffice.Client) bool {
	u, err := url.Parse(c.BaseURL())
	return err != nil || strings.EqualFold(u.Hostname(), LiveHost)
}
