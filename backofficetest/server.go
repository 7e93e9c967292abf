package backofficetest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// maxBody caps a request body in server mode.
const maxBody = 1 << 20

// ServeHTTP implements http.Handler: the gateway as an HTTP server, for
// httptest.Server and cmd/fakegateway. It shares the state and the rules of
// the RoundTripper. A fault that resets the connection (ResetAfterWrite,
// DropAfterCommit, and Refused and ResetBeforeWrite, which a server cannot
// tell apart from it) hijacks the connection and closes it with SO_LINGER 0,
// so the client sees a reset.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	in := inbound{method: r.Method, path: r.URL.Path, rawQuery: r.URL.RawQuery, auth: r.Header.Get("Authorization"), body: body}
	rep := g.exchange(r.Context(), &in, func() {})
	switch rep.fail {
	case failNone:
	case failContext:
		return // the client has gone
	default:
		resetConn(w)
		return
	}
	h := w.Header()
	h.Set("Content-Type", rep.contentType)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	if rep.retryAfter != "" {
		h.Set("Retry-After", rep.retryAfter)
	}
	w.WriteHeader(rep.status)
	w.Write(rep.body)
}

// resetConn closes the request's connection with a TCP reset, or aborts the
// handler when the connection cannot be hijacked.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// NewServer starts an httptest.Server serving a new Gateway built with
// opts, closed (with the gateway) when the test ends. Point a client at
// srv.URL; plain http to loopback is what a test server speaks.
func NewServer(t testing.TB, opts ...Option) (*Gateway, *httptest.Server) {
	t.Helper()
	g := New(opts...)
	srv := httptest.NewServer(g)
	t.Cleanup(func() {
		g.Close()
		srv.Close()
	})
	return g, srv
}
