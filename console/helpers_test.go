package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
	"github.com/shopspring/decimal"
)

// prefix is where the tests mount the console, as a merchant's admin does.
const prefix = "/admin/opp"

// today is the console's clock: the fake's clock starts on 2026-01-01 and
// advances a second per reading, so the default week covers what it seeds.
var today = time.Date(2026, 1, 3, 12, 0, 0, 0, time.UTC)

var (
	operator = console.User{Name: "olga", Operations: console.AllOperations()}
	viewer   = console.User{Name: "vic"}
)

// syncBuffer is a bytes.Buffer safe for the handler's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// lines returns the audit log's JSON lines.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(s.b.Bytes()), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		delete(m, "time")
		out = append(out, m)
	}
	return out
}

// env is a console under prefix, over a client of a fake gateway, and a
// browser-like HTTP client with a cookie jar.
type env struct {
	t      *testing.T
	gw     *backofficetest.Gateway
	client *backoffice.Client
	srv    *httptest.Server
	http   *http.Client
	audit  *syncBuffer
	user   *console.User
}

func newEnv(t *testing.T, user console.User, bopts ...backoffice.Option) *env {
	t.Helper()
	c, gw := backofficetest.NewClient(t, bopts...)
	e := &env{t: t, gw: gw, client: c, audit: &syncBuffer{}, user: &user}
	e.restart()
	return e
}

// restart starts a new console over the same client, as another instance
// of the admin or a restart would, with a new browser session.
func (e *env) restart() {
	e.t.Helper()
	h, err := console.New(e.client,
		console.WithAuthenticator(func(*http.Request) (console.User, error) { return *e.user, nil }),
		console.WithAuditLogger(slog.New(slog.NewJSONHandler(e.audit, nil))),
		console.WithClock(func() time.Time { return today }))
	if err != nil {
		e.t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
	e.srv = httptest.NewServer(mux)
	e.t.Cleanup(e.srv.Close)
	jar, _ := newJar()
	e.http = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func newJar() (http.CookieJar, error) { return cookiejar.New(nil) }

// newServer serves h at the root of a test server and returns its URL.
func newServer(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// page is a response with its body.
type page struct {
	status int
	header http.Header
	body   string
}

func (e *env) get(path string) page {
	e.t.Helper()
	resp, err := e.http.Get(e.srv.URL + prefix + path)
	if err != nil {
		e.t.Fatal(err)
	}
	return readPage(e.t, resp)
}

func (e *env) post(path string, form url.Values) page {
	e.t.Helper()
	resp, err := e.http.PostForm(e.srv.URL+prefix+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	return readPage(e.t, resp)
}

func readPage(t *testing.T, resp *http.Response) page {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

var inputRE = regexp.MustCompile(`name="([a-zA-Z]+)" value="([^"]*)"`)

// form returns the values of the page's inputs.
func (p page) form() url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(p.body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// has fails the test unless the page contains every string.
func (p page) has(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("page lacks %q\n%s", w, p.body)
			return
		}
	}
}

// lacks fails the test if the page contains any of the strings.
func (p page) lacks(t *testing.T, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(p.body, b) {
			t.Errorf("page contains %q", b)
		}
	}
}

func amt(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// seedPA seeds a pre-authorization with a merchantTransactionId.
func (e *env) seed(typ, amount, mtid string) string {
	e.t.Helper()
	id, err := e.gw.Seed(backofficetest.SeedPayment{PaymentType: typ, Amount: amt(amount), Currency: "EUR", MerchantTransactionID: mtid})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// open opens the dialog of op on payment id and returns its form.
func (e *env) open(id string, op backoffice.Operation) url.Values {
	e.t.Helper()
	p := e.get("/payments/" + id + "/" + string(op))
	if p.status != http.StatusOK {
		e.t.Fatalf("dialog %s on %s: %d\n%s", op, id, p.status, p.body)
	}
	return p.form()
}

var ctx = context.Background()
