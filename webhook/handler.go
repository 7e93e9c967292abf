package webhook

import (
	"context"
	"crypto/cipher"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// DefaultMaxBodyBytes caps a notification's body unless WithMaxBodyBytes
// says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// HandlerOption configures a Handler.
type HandlerOption func(*handler)

// WithLogger logs one line per delivery: the notification's type, id,
// payment type and result code, and what the handler answered. Never the
// key, the plaintext or card data.
func WithLogger(l *slog.Logger) HandlerOption { return func(h *handler) { h.logger = l } }

// WithMaxBodyBytes caps the body (DefaultMaxBodyBytes otherwise); a larger
// one gets 413. A non-positive n keeps the default.
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(h *handler) {
		if n > 0 {
			h.max = n
		}
	}
}

// Handler returns an http.Handler that reads each notification's body (at
// most DefaultMaxBodyBytes, or WithMaxBodyBytes), decrypts it with key,
// parses it and calls fn with the request's context. Every authentic
// notification reaches fn: the documented types, OPP's test notification
// (sent when a merchant registers or tests the webhook, which OPP
// registers only on a 200), and a type this package does not know
// (Type.Known is false), with its raw Payload. The handler answers what fn
// answers: 200 with an empty body when fn returns nil, and 500 when fn
// returns an error, so that OPP delivers the notification again. fn is not
// called on a request that is not POST (405), too large (413), or
// malformed, forged or unparseable (400: missing or bad headers, bad hex,
// failed authentication, a plaintext that is not a notification). An
// error's body is only its status text: never the key, the plaintext, card
// data, or what fn returned.
//
// Handler panics if key is not 64 hexadecimal characters or fn is nil, as
// a misconfiguration to catch at start-up, like regexp.MustCompile;
// NewHandler returns the error instead.
func Handler(key string, fn func(context.Context, Notification) error, opts ...HandlerOption) http.Handler {
	h, err := NewHandler(key, fn, opts...)
	if err != nil {
		panic(err) // ErrInvalidKey's text, never the key
	}
	return h
}

// NewHandler is Handler, reporting a malformed key or a nil fn as an error.
func NewHandler(key string, fn func(context.Context, Notification) error, opts ...HandlerOption) (http.Handler, error) {
	if fn == nil {
		return nil, errors.New("webhook: handler function is nil")
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	h := &handler{aead: aead, fn: fn, max: DefaultMaxBodyBytes}
	for _, opt := range opts {
		opt(h)
	}
	return h, nil
}

// handler is the http.Handler of Handler and NewHandler; the GCM instance is
// built once from the key and is safe for concurrent use.
type handler struct {
	aead   cipher.AEAD
	fn     func(context.Context, Notification) error
	max    int64
	logger *slog.Logger
}

// ServeHTTP handles one delivery.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.answer(w, r, http.StatusMethodNotAllowed, nil, "method not allowed")
		return
	}
	rc := r.Body
	if rc == nil { // a server's request always has one; a hand-made one may not
		rc = http.NoBody
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, rc, h.max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.answer(w, r, http.StatusRequestEntityTooLarge, nil, "body too large")
			return
		}
		h.answer(w, r, http.StatusBadRequest, nil, "unreadable body")
		return
	}
	plain, err := open(h.aead, r.Header.Get("X-Initialization-Vector"), r.Header.Get("X-Authentication-Tag"), body)
	if err != nil {
		h.answer(w, r, http.StatusBadRequest, nil, reason(err))
		return
	}
	n, err := Parse(plain)
	if err != nil {
		h.answer(w, r, http.StatusBadRequest, nil, reason(err))
		return
	}
	if err := h.fn(r.Context(), n); err != nil {
		h.answer(w, r, http.StatusInternalServerError, &n, "handler returned an error; OPP will deliver it again")
		return
	}
	h.answer(w, r, http.StatusOK, &n, "handled")
}

// reason names an error of this package without anything it carries.
func reason(err error) string {
	for _, e := range []error{ErrInvalidIV, ErrInvalidTag, ErrInvalidBody, ErrAuthentication, ErrMalformedPayload} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "rejected"
}

// answer writes the status (with its text as the body, unless it is 200)
// and logs the delivery.
func (h *handler) answer(w http.ResponseWriter, r *http.Request, status int, n *Notification, why string) {
	if status == http.StatusOK {
		w.WriteHeader(status)
	} else {
		http.Error(w, http.StatusText(status), status)
	}
	if h.logger == nil {
		return
	}
	attrs := []slog.Attr{slog.Int("status", status), slog.String("outcome", why)}
	if n != nil {
		attrs = append(attrs, slog.String("type", string(n.Type)), slog.String("id", n.ID))
		if p := n.Payment; p != nil {
			attrs = append(attrs, slog.String("payment_type", string(p.PaymentType)), slog.String("result_code", p.Result.Code))
		}
	}
	level := slog.LevelInfo
	if status != http.StatusOK {
		level = slog.LevelWarn
	}
	h.logger.LogAttrs(r.Context(), level, "webhook: delivery", attrs...)
}
