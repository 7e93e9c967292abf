package console

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/oppkit/backoffice"
)

// Handler serves the back office for one *backoffice.Client. Build it with
// New; it is safe for concurrent use.
type Handler struct {
	client *backoffice.Client
	auth   func(*http.Request) (User, error)
	audit  *slog.Logger
	secret []byte
	now    func() time.Time
	pages  *pages
	keys   *keys
	mux    *http.ServeMux
	// origin refuses cross-origin POSTs that a browser marks as such,
	// in addition to the CSRF tokens.
	origin http.CrossOriginProtection
}

// Option configures a Handler in New.
type Option func(*Handler) error

// WithAuthenticator makes the Handler ask auth who the request's user is and
// what it may do. An error from auth answers 401 and shows nothing. Without
// this option every visitor is a viewer named "viewer": it may search and
// read, and no operation button is shown or accepted.
func WithAuthenticator(auth func(*http.Request) (User, error)) Option {
	return func(h *Handler) error {
		if auth == nil {
			return errors.New("console: WithAuthenticator: auth is nil")
		}
		h.auth = auth
		return nil
	}
}

// WithAuditLogger sets the logger that receives one Info line per operation
// attempt (user, operation, payment id, Transaction ID, amount, outcome).
// Without it the Handler logs to the slog.Default() of the time New is
// called.
func WithAuditLogger(l *slog.Logger) Option {
	return func(h *Handler) error {
		if l == nil {
			return errors.New("console: WithAuditLogger: logger is nil")
		}
		h.audit = l
		return nil
	}
}

// WithCSRFSecret sets the secret that signs the forms' CSRF tokens: give
// every instance of a load-balanced admin the same one (at least 32 bytes).
// Without it New draws a random secret, so tokens are valid for this Handler
// only.
func WithCSRFSecret(secret []byte) Option {
	return func(h *Handler) error {
		if len(secret) < 32 {
			return fmt.Errorf("console: WithCSRFSecret: the secret has %d bytes, at least 32 are required", len(secret))
		}
		h.secret = append([]byte(nil), secret...)
		return nil
	}
}

// WithClock sets the clock that the Transactions view's default date range
// (the last 7 days) is computed from; time.Now by default.
func WithClock(now func() time.Time) Option {
	return func(h *Handler) error {
		if now == nil {
			return errors.New("console: WithClock: now is nil")
		}
		h.now = now
		return nil
	}
}

// New returns the console for client. It validates every option and reports
// all problems.
func New(client *backoffice.Client, opts ...Option) (*Handler, error) {
	if client == nil {
		return nil, errors.New("console: New: client is nil")
	}
	h := &Handler{
		client: client,
		auth:   func(*http.Request) (User, error) { return User{Name: "viewer"}, nil },
		audit:  slog.Default(),
		now:    time.Now,
		keys:   newKeys(1024),
	}
	var errs []error
	for _, opt := range opts {
		if opt == nil {
			errs = append(errs, errors.New("console: New: nil option"))
			continue
		}
		if err := opt(h); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if h.secret == nil {
		h.secret = make([]byte, 32)
		rand.Read(h.secret)
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	h.pages = p
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("GET /{$}", h.transactions)
	h.mux.HandleFunc("GET /payments/{id}", h.details)
	h.mux.HandleFunc("GET /payments/{id}/{op}", h.dialog)
	h.mux.HandleFunc("POST /payments/{id}/{op}", h.submit)
	h.mux.Handle("GET /assets/", assetHandler())
	return h, nil
}

// ServeHTTP implements http.Handler. Paths are relative to where the
// Handler is mounted: use http.StripPrefix to mount it under a prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "+
		"connect-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	if !strings.HasPrefix(r.URL.Path, "/") {
		r2 := *r
		u := *r.URL
		u.Path = "/" + u.Path
		r2.URL = &u
		r = &r2
	}
	h.mux.ServeHTTP(w, r)
}

// basePath returns the path prefix the Handler is mounted under, without a
// trailing slash: what http.StripPrefix removed from the request's path.
func basePath(r *http.Request) string {
	full := r.URL.EscapedPath()
	if r.RequestURI != "" {
		if i := strings.IndexByte(r.RequestURI, '?'); i >= 0 {
			full = r.RequestURI[:i]
		} else {
			full = r.RequestURI
		}
	}
	stripped := r.URL.EscapedPath()
	if stripped == "/" || stripped == "" {
		return strings.TrimSuffix(full, "/")
	}
	if strings.HasSuffix(full, stripped) {
		return strings.TrimSuffix(full[:len(full)-len(stripped)], "/")
	}
	return ""
}
