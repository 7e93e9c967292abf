// Package backoffice is a client for the backoffice operations of ACI's Open
// Payment Platform (OPP, the oppwa.com API and its white labels): capture,
// reverse, refund, chargeback, chargeback reversal, rebill and stand-alone
// credit, plus payment lookups.
//
// Every money movement carries a merchantTransactionId that stays the same
// across its attempts. A request is re-sent without asking only when it
// provably never left this process (the transport error says so: a refused
// dial, DNS, a refused TLS certificate). After an ambiguous failure (a
// timeout after the request may have been written, a reset, a 5xx or 429
// without OPP's answer, an unreadable answer, OPP's own "uncertain" codes)
// the Client looks the operation up by merchantTransactionId, again and
// again within RetryPolicy.SettleWindow, and adopts what OPP recorded as if
// its answer had arrived. A lookup counts only when OPP answered it. When
// nothing shows, the outcome is unknown: absence proves nothing about an
// acquirer that is still working or a query API that lags. The Client sends
// the request again after an ambiguous failure only when WithDuplicateCheck
// declares that OPP's duplicate-transaction check guards the entity. What it
// cannot decide it reports as *OutcomeUnknownError, never as a success or a
// decline.
//
// Outcomes come from OPP's result code, never from the HTTP status: a
// declined refund is an HTTP 200 and an *Error matching ErrDeclined.
//
// # Merchant fields
//
// Every request carries the fields of the dialog of OPP's back office, all
// optional:
//
//   - Descriptor, the text shown on the shopper's statement ("Usage"), at
//     most 127 characters;
//   - MerchantTransactionID, the operation's key ("Transaction ID"), 8 to
//     255 characters (OPP's format) from [A-Za-z0-9._:/-]. Leave it empty
//     and the SDK generates one of 16 characters. Either way every attempt
//     of the call sends the same value, and it is on the returned Payment
//     and on every error. See "Keys across calls" for what it protects
//     beyond one call;
//   - MerchantMemo, a note for the back office ("Memo"), at most 255
//     characters;
//   - CustomParameters, sent as customParameters[NAME]=value, names of 1-64
//     characters from [A-Za-z0-9_.-];
//   - TestMode, which routes a test-host request to a simulator
//     (TestModeExternal or TestModeInternal); leave it empty in production.
//
// # Sources and choices
//
// The SDK follows OPP's documentation where it speaks, and says where it
// chooses:
//
//   - AllowedOperations renders OPP's back-office availability table, plus
//     the flows OPP's API allows beyond it (the reversal of a debit,
//     capture or rebill; the refund of a rebill or a credit; the
//     representment), each marked and sourced in its doc. It answers by
//     the same test as Payment.Succeeded: a chargeback the acquirer
//     reported (000.100.2xx) can be reversed.
//   - merchantTransactionId is 8 to 255 characters and paymentBrand matches
//     [a-zA-Z0-9_]{1,32} (VISA_DEBIT), per OPP's parameter formats; both are
//     checked before sending. A lookup by a shorter key is sent anyway:
//     another integration may have stored one.
//   - A chargeback's Reason travels as customParameters[CHARGEBACK_REASON]
//     when set. That is this SDK's convention: OPP defines no parameter for
//     it and never requires one.
//   - An amount is refused, never rounded, before any arithmetic on it: an
//     exponent out of range (decimal.New(1, math.MinInt32)) is refused in
//     constant time.
//   - Card numbers and CVVs are masked in every form a value takes: fmt
//     verbs, log/slog (text and JSON handlers) and encoding/json.
//
// # Keys across calls
//
// OPP has no idempotency header: the merchantTransactionId is only a key the
// SDK and OPP's query API can find an operation by. On its own it protects
// the attempts of one call. Beyond that:
//
//   - Concurrent calls of one Client with the same caller-supplied key are
//     serialised: the second waits for the first and gets its outcome (or,
//     when its request differs, is refused as a reuse of the key).
//   - WithLookBeforeSend makes every call with a caller-supplied key look it
//     up first and adopt what an earlier call (a job delivered twice, a
//     process that crashed after sending) did, instead of moving the money
//     again.
//   - Calls from several processes at the same moment are covered only by
//     OPP's duplicate-transaction check, which OPP's support enables per
//     entity; declare it with WithDuplicateCheck.
//
// Package backofficetest has a stateful fake OPP to test against.
package backoffice

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
)

// The OPP hosts. White labels run the same API on their own hosts: pass
// theirs to WithBaseURL.
const (
	TestURL = "https://eu-test.oppwa.com"
	LiveURL = "https://eu-prod.oppwa.com"
)

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultAttemptTimeout bounds one HTTP attempt when the *http.Client given
// to WithHTTPClient has no Timeout. The caller's context bounds the call.
const DefaultAttemptTimeout = 60 * time.Second

// maxResponseBytes caps how much of a response body is read.
const maxResponseBytes = 1 << 20

// RetryPolicy bounds the attempts of one call and the waits between them.
type RetryPolicy struct {
	// MaxAttempts is how many times one call may send its request, at least
	// 1, and how many attempts each lookup may make. A money movement is
	// sent again only when the previous attempt provably never left this
	// process, or, with WithDuplicateCheck, after an ambiguous failure.
	MaxAttempts int
	// MinWait is the base of the exponential backoff; MaxWait caps every
	// wait, including one a Retry-After header asks for. Waits are drawn
	// uniformly from [0, min(MaxWait, MinWait·2^n)] (full jitter).
	MinWait, MaxWait time.Duration
	// SettleWindow is how long, after an ambiguous failure, the Client keeps
	// looking the operation up (with the backoff above) before it reports
	// the outcome as unknown: an acquirer may commit after the attempt timed
	// out, and OPP's query API may show a commit late. The caller's context
	// bounds it too. Zero means one lookup. It is also what a money
	// movement costs in latency when the lookups find nothing.
	SettleWindow time.Duration
}

// DefaultRetryPolicy returns the policy of a Client built without
// WithRetry: 3 attempts, waits from 250ms up to 3s, a settle window of 5s.
// It is a function, so that no package can change the default under
// another.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, MinWait: 250 * time.Millisecond, MaxWait: 3 * time.Second, SettleWindow: 5 * time.Second}
}

// Client performs backoffice operations for one entity. It is immutable after
// New and safe for concurrent use.
type Client struct {
	authorize func(http.Header) // sets the Authorization header; a closure, so no fmt verb can print the token
	entityID  string
	baseURL   string   // scheme://host[/prefix], no trailing slash
	userAgent []string // the User-Agent header's value, built once
	retry     RetryPolicy
	logger    *slog.Logger // nil: silent
	observer  Observer
	dupCheck  bool         // WithDuplicateCheck
	lookFirst bool         // WithLookBeforeSend
	hc        *http.Client // sends a money movement's single attempts
	rc        *retryablehttp.Client
	flights   *flights  // calls in flight by caller-supplied key
	bodies    *bodyPool // response buffers
}

// bearer returns the function that authenticates a request. The token lives
// only in its closure.
func bearer(token string) func(http.Header) {
	v := []string{"Bearer " + token}
	return func(h http.Header) { h["Authorization"] = v }
}

// Option configures a Client in New.
type Option func(*config) error

type config struct {
	baseURL    string
	httpClient *http.Client
	retry      RetryPolicy
	logger     *slog.Logger
	observer   Observer
	userAgent  string
	dupCheck   bool
	lookFirst  bool
}

// WithBaseURL sets the OPP host, TestURL by default. It must be https, or
// http to a loopback address (for a local fake gateway), with no query,
// fragment or user info.
func WithBaseURL(u string) Option {
	return func(c *config) error { c.baseURL = u; return nil }
}

// WithHTTPClient makes the Client send through a copy of hc: its Transport,
// Jar and Timeout are used; hc itself is never modified. Timeout bounds each
// attempt (DefaultAttemptTimeout when zero), as a deadline on the attempt's
// context, never as a Timeout of an http.Client around the transport.
// Redirects are never followed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetry sets the retry policy; DefaultRetryPolicy otherwise.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		switch {
		case p.MaxAttempts < 1:
			return fmt.Errorf("WithRetry: MaxAttempts is %d, must be at least 1", p.MaxAttempts)
		case p.MinWait < 0:
			return fmt.Errorf("WithRetry: MinWait is %v, must not be negative", p.MinWait)
		case p.MaxWait < p.MinWait:
			return fmt.Errorf("WithRetry: MaxWait %v is less than MinWait %v", p.MaxWait, p.MinWait)
		case p.SettleWindow < 0:
			return fmt.Errorf("WithRetry: SettleWindow is %v, must not be negative", p.SettleWindow)
		}
		c.retry = p
		return nil
	}
}

// WithLogger logs one debug line per HTTP attempt (operation, payment id,
// merchantTransactionId, attempt, HTTP status, result code, duration) and
// one warning per ambiguous outcome. Tokens, card data and bodies are never
// logged. Without this option the Client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLogger: logger is nil (leave the option out for a silent client)")
		}
		c.logger = l
		return nil
	}
}

// WithDuplicateCheck declares that OPP's duplicate-transaction check is on
// for the entity: OPP refuses a second transaction with the same
// merchantTransactionId, type and referenced payment (800.110.100). OPP's
// support enables it per entity; declare it only when it is. With it, a
// money movement whose attempt failed ambiguously is sent again (up to
// RetryPolicy.MaxAttempts) when the lookups have not found it, since a
// second send cannot commit twice; a refusal as a duplicate is then looked
// up and the earlier transaction adopted. Without it, such a movement is
// reported as *OutcomeUnknownError.
func WithDuplicateCheck() Option {
	return func(c *config) error { c.dupCheck = true; return nil }
}

// WithLookBeforeSend makes every money movement with a caller-supplied
// MerchantTransactionID look the key up before sending: when OPP already
// holds the operation (a job delivered twice, a retry after a crash, another
// process), the Client returns it as the call's outcome without sending
// anything; when OPP holds a different operation under the key, the call
// fails with ErrInvalidRequest before sending. It costs one lookup per such
// call; calls with generated keys are not affected. Two processes that look
// at the same moment both find nothing: only OPP's duplicate check
// (WithDuplicateCheck) covers that.
func WithLookBeforeSend() Option {
	return func(c *config) error { c.lookFirst = true; return nil }
}

// WithUserAgent prefixes the User-Agent header with the caller's product. It
// must be valid UTF-8 without control characters (a line break, a NUL, a
// tab, DEL, ...), which no HTTP header may carry.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		switch {
		case strings.ContainsAny(ua, "\r\n"):
			return errors.New("WithUserAgent: user agent contains a line break")
		case !utf8.ValidString(ua):
			return errors.New("WithUserAgent: user agent is not valid UTF-8")
		}
		if i := strings.IndexFunc(ua, unicode.IsControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(ua[i:])
			return fmt.Errorf("WithUserAgent: user agent contains a control character (%+q at byte %d)", r, i)
		}
		c.userAgent = ua
		return nil
	}
}

// New returns a Client for the entity entityID, authenticated by the access
// token. It validates every argument and option and reports all problems.
func New(token, entityID string, opts ...Option) (*Client, error) {
	cfg := config{baseURL: TestURL, retry: DefaultRetryPolicy()}
	var errs []error
	if token == "" {
		errs = append(errs, errors.New("token is empty"))
	} else if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		errs = append(errs, errors.New("token contains spaces or control characters"))
	}
	if err := checkEntityID(entityID); err != nil {
		errs = append(errs, err)
	}
	for _, opt := range opts {
		if opt == nil {
			errs = append(errs, errors.New("option is nil"))
			continue
		}
		if err := opt(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	base, err := checkBaseURL(cfg.baseURL)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("backoffice.New: %w", errors.Join(errs...))
	}
	c := &Client{
		authorize: bearer(token),
		entityID:  entityID,
		baseURL:   base,
		userAgent: []string{strings.TrimSpace(cfg.userAgent + " oppkit-backoffice-go/" + Version)},
		retry:     cfg.retry,
		logger:    cfg.logger,
		observer:  cfg.observer,
		dupCheck:  cfg.dupCheck,
		lookFirst: cfg.lookFirst,
		flights:   &flights{m: make(map[string]*flight)},
		bodies:    new(bodyPool),
	}
	c.hc, c.rc = c.newHTTPClients(cfg.httpClient)
	return c, nil
}

// EntityID returns the entity the Client acts for.
func (c *Client) EntityID() string { return c.entityID }

// BaseURL returns the OPP host the Client sends to, as validated by New
// (scheme, host and any path prefix, without a trailing slash).
func (c *Client) BaseURL() string { return c.baseURL }

func checkEntityID(id string) error {
	if id == "" {
		return errors.New("entityID is empty")
	}
	if len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return errors.New("entityID must be 1-64 letters or digits")
	}
	return nil
}

func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("WithBaseURL: malformed URL %q", stripQuery(raw))
	}
	switch {
	case u.Host == "":
		return "", fmt.Errorf("WithBaseURL: %q has no host", stripQuery(raw))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", errors.New("WithBaseURL: the URL must carry no user info, query or fragment")
	case !validPort(u):
		return "", fmt.Errorf("WithBaseURL: port %q of host %q is not 1-65535", u.Port(), u.Hostname())
	case u.Scheme == "https":
	case u.Scheme == "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("WithBaseURL: plain http is refused except to loopback, got host %q", u.Hostname())
		}
	default:
		return "", fmt.Errorf("WithBaseURL: scheme %q is not https", u.Scheme)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// validPort reports whether u has no port, or one in 1-65535 ("host:" with
// an empty port is refused too).
func validPort(u *url.URL) bool {
	p := u.Port()
	if p == "" {
		return !strings.HasSuffix(u.Host, ":")
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
