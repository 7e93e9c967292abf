package backofficetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
)

// DefaultToken and DefaultEntityID are the account every Gateway starts
// with: the token sees the entity, and may perform every operation.
const (
	DefaultToken    = "backofficetest-default-token"
	DefaultEntityID = "feedfacecafebeef0123456789abcdef"
)

// epoch is the first instant of a Gateway's default clock, which advances
// one second per request it receives (and per payment it seeds).
var epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// buildNumber is what the fake sends as buildNumber, in OPP's format.
const buildNumber = "8c6c1a3e0b5f4f2e9d7a6b5c4d3e2f1a0b9c8d7e@2026-01-01 00:00:00 +0000"

// Gateway is a stateful, in-memory OPP gateway for tests. It is an
// http.RoundTripper that never opens a socket (the fast default) and an
// http.Handler (for httptest.Server and cmd/fakegateway); both share one
// state and one set of rules. Build it with New; it is safe for concurrent
// use.
type Gateway struct {
	mu sync.Mutex

	// Fixed at New.
	tb          testing.TB       // the test the gateway belongs to, if any
	now         func() time.Time // nil: the default clock
	nextID      func() string    // nil: the default id source
	successCode string
	done        chan struct{} // closed by Close
	closeOnce   sync.Once

	// Guarded by mu.
	clock         time.Time // the default clock's last instant
	idCounter     uint64
	accounts      map[string]*account
	entities      map[string]EntityConfig
	txns          map[string]*txn
	byMTID        map[mtidKey][]*txn
	ledger        []*txn            // the committed transactions, in order
	ledgerGen     int               // incremented by Reset
	commits       map[string][]*txn // merchantTransactionId → its committed transactions, in order
	reqs          requestLog
	controlTokens map[string]bool     // tokens of the control API, refused as access tokens
	forced        map[string][]string // paymentType → the codes its next operations answer with
	faults        []*faultRule
	subs          []subscriber
	nextSubID     int
	scratch       []byte // where payment objects are built

	inconsistent inconsistency // guarded by mu: the faults that make lookups lag (faults.go)
}

// Option configures a Gateway in New.
type Option func(*Gateway)

// WithClock makes the gateway read the time from now, once per request it
// receives and per payment it seeds, under its lock. By default the clock
// starts at 2026-01-01 00:00:00 UTC and advances one second per reading, so
// the same test gets the same timestamps.
func WithClock(now func() time.Time) Option {
	return func(g *Gateway) { g.now = now }
}

// WithIDs makes the gateway take the id of every transaction and response
// from next, called under its lock; next should return distinct 32-character
// lowercase hex strings. By default ids are the first 16 bytes of
// SHA-256(fixed seed, counter) in hex, so the same test gets the same ids.
func WithIDs(next func() string) Option {
	return func(g *Gateway) { g.nextID = next }
}

// WithSuccessCode sets the code of a successful operation: "000.100.110"
// (Request successfully processed in 'Merchant in Integrator Test Mode', the
// default, what OPP's test host answers), "000.000.000" (Transaction
// succeeded, what the live host answers), "000.100.111" or "000.100.112". New
// panics on any other code.
func WithSuccessCode(code string) Option {
	return func(g *Gateway) { g.successCode = code }
}

// WithTB makes the gateway belong to the test t, as NewClient and NewServer
// do: a helper called with arguments it refuses (a misspelt result code, an
// unknown operation, a negative count, ...) fails the test with t.Fatalf
// and a message naming the helper and the argument, instead of only
// returning an error a test could ignore. Call the helpers from the test's
// own goroutine, as t.Fatalf requires. The gateway is closed when the test
// ends.
func WithTB(t testing.TB) Option {
	return func(g *Gateway) {
		g.tb = t
		t.Cleanup(g.Close)
	}
}

// misuse reports a helper called with bad arguments: it fails the test the
// gateway belongs to, and returns err either way.
func (g *Gateway) misuse(err error) error {
	if g.tb != nil {
		g.tb.Helper()
		g.tb.Fatalf("%v", err)
	}
	return err
}

// New returns a Gateway with the account DefaultToken → DefaultEntityID and
// no payments.
func New(opts ...Option) *Gateway {
	g := &Gateway{
		successCode:   codeSuccessTest,
		done:          make(chan struct{}),
		clock:         epoch.Add(-time.Second),
		accounts:      make(map[string]*account),
		entities:      make(map[string]EntityConfig),
		txns:          make(map[string]*txn),
		byMTID:        make(map[mtidKey][]*txn),
		forced:        make(map[string][]string),
		commits:       make(map[string][]*txn),
		reqs:          requestLog{max: DefaultRequestLog},
		controlTokens: make(map[string]bool),
	}
	for _, opt := range opts {
		opt(g)
	}
	switch g.successCode {
	case codeSuccessLive, codeSuccessTest, "000.100.111", "000.100.112":
	default:
		panic(fmt.Sprintf("backofficetest: WithSuccessCode(%q): not a success code", g.successCode))
	}
	g.accounts[DefaultToken] = &account{entities: map[string]bool{DefaultEntityID: true}}
	return g
}

// Close releases every request that a Latency or TimeoutAfterCommit fault is
// holding, and makes later ones return at once. The gateway keeps answering
// requests. NewServer, NewClient and cmd/fakegateway call it; a Gateway used
// only as a RoundTripper needs no Close, since those faults end with the
// request's context.
func (g *Gateway) Close() {
	g.closeOnce.Do(func() { close(g.done) })
}

// tick returns the time of the next request or seed. The caller holds mu.
func (g *Gateway) tick() time.Time {
	if g.now != nil {
		return g.now()
	}
	g.clock = g.clock.Add(time.Second)
	return g.clock
}

// mintID returns a new transaction id. The caller holds mu.
func (g *Gateway) mintID() string {
	if g.nextID != nil {
		return g.nextID()
	}
	g.idCounter++
	var buf [len(idSeed) + 8]byte
	copy(buf[:], idSeed)
	binary.BigEndian.PutUint64(buf[len(idSeed):], g.idCounter)
	sum := sha256.Sum256(buf[:])
	return hex.EncodeToString(sum[:16])
}

// idSeed is the fixed seed of the default id source.
const idSeed = "oppkit/backoffice/backofficetest"

// NewClient returns a client of a new Gateway, talking to it in memory, for
// DefaultToken and DefaultEntityID: `c, gw := backofficetest.NewClient(t)`.
// The client retries fast (3 attempts, waits of 1-5ms); opts are applied
// after the defaults, so they can override them. It fails the test if the
// client cannot be built or points at the live host.
func NewClient(t testing.TB, opts ...backoffice.Option) (*backoffice.Client, *Gateway) {
	t.Helper()
	g := New(WithTB(t))
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

// maxBody caps a request body in server mode.
const maxBody = 1 << 20

// ServeHTTP implements http.Handler: the gateway as an HTTP server, for
// httptest.Server and cmd/fakegateway. It shares the state and the rules of
// the RoundTripper. A body larger than 1 MiB, or unreadable, is answered
// HTTP 413 with OPP's JSON and 200.100.103 (invalid Request Message. The
// request contains structural errors), and nothing of it is kept; a path
// that is none of OPP's endpoints HTTP 404 with 200.300.404 (invalid or
// missing parameter) naming the parameter "path". A fault that resets the connection (ResetAfterWrite,
// DropAfterCommit, and Refused and ResetBeforeWrite, which a server cannot
// tell apart from it) hijacks the connection and closes it with SO_LINGER 0,
// so the client sees a reset.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		g.mu.Lock()
		p := &wireObject{id: g.mintID(), at: g.tick()}
		g.mu.Unlock()
		rep := p.rejected(reject(http.StatusRequestEntityTooLarge, codeBadRequest))
		w.Header().Set("Content-Type", rep.contentType)
		w.Header().Set("Connection", "close") // the rest of the body is not read
		w.WriteHeader(rep.status)
		w.Write(rep.body)
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
func NewServer(t testing.TB, opts ...Option) (*httptest.Server, *Gateway) {
	t.Helper()
	g := New(append([]Option{WithTB(t)}, opts...)...)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv, g
}

// LiveHost is OPP's live host (backoffice.LiveURL). The gateway refuses every
// request to it.
const LiveHost = "eu-prod.oppwa.com"

// errLiveToken is the RoundTripper's answer to a real-looking access token.
var errLiveToken = errors.New("backofficetest: refusing a request carrying what looks like a real OPP access token " +
	"(base64 of \"<userId>|<password>\"): the fake gateway must never see production credentials")

// RoundTrip implements http.RoundTripper without a socket: the request is
// answered in memory, as OPP would answer it, with the faults injected into
// it. For every request that reaches the gateway it first calls the
// WroteHeaders and WroteRequest hooks of the httptrace.ClientTrace in the
// request's context, as net/http does once a request is on the wire; a
// request that a Refused or ResetBeforeWrite fault stops gets no hook.
//
// Any host is accepted except LiveHost, which gets an error, as does a
// request whose bearer token looks like a real OPP access token.
func (g *Gateway) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	auth := req.Header.Get("Authorization")
	switch {
	case strings.EqualFold(req.URL.Hostname(), LiveHost):
		return nil, errors.New("backofficetest: refusing a request to the live OPP host " + LiveHost +
			": the fake gateway must never be confused with production; use backoffice.TestURL or any other host")
	case looksLive(bearer(auth)):
		return nil, errLiveToken
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	in := inbound{method: method, path: req.URL.Path, rawQuery: req.URL.RawQuery, auth: auth, body: body}
	rep := g.exchange(req.Context(), &in, func() { wroteRequest(req) })
	switch rep.fail {
	case failRefused:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	case failResetWrite:
		return nil, &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
	case failResetRead:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	case failContext:
		return nil, rep.err
	}
	h := make(http.Header, 2)
	h["Content-Type"] = []string{rep.contentType}
	if rep.retryAfter != "" {
		h["Retry-After"] = []string{rep.retryAfter}
	}
	return &http.Response{
		Status:        strconv.Itoa(rep.status) + " " + http.StatusText(rep.status),
		StatusCode:    rep.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          &memBody{Reader: bytes.NewReader(rep.body)},
		ContentLength: int64(len(rep.body)),
		Request:       req,
	}, nil
}

// readBody reads and closes a request's body, at most maxBody bytes.
func readBody(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return "", nil
	}
	defer req.Body.Close()
	size := 512
	if n := req.ContentLength; n > 0 && n <= maxBody {
		size = int(n) + 1 // room to see EOF without growing
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := req.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > maxBody {
			return "", errors.New("backofficetest: request body larger than 1 MiB")
		}
		if err == io.EOF {
			return string(buf), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// memBody is a response body in memory.
type memBody struct{ *bytes.Reader }

// Close does nothing: the body is in memory.
func (*memBody) Close() error { return nil }

// wroteRequest calls the hooks net/http calls once a request is written.
func wroteRequest(req *http.Request) {
	tr := httptrace.ContextClientTrace(req.Context())
	if tr == nil {
		return
	}
	if tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
	if tr.WroteRequest != nil {
		tr.WroteRequest(httptrace.WroteRequestInfo{})
	}
}
