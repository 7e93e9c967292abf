package backofficetest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
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
	now         func() time.Time // nil: the default clock
	nextID      func() string    // nil: the default id source
	successCode string
	done        chan struct{} // closed by Close
	closeOnce   sync.Once

	// Guarded by mu.
	clock     time.Time // the default clock's last instant
	idCounter uint64
	accounts  map[string]*account
	entities  map[string]EntityConfig
	txns      map[string]*txn
	byMTID    map[mtidKey][]*txn
	ledger    []*txn // the committed transactions, in order
	requests  []logged
	forced    map[string][]string // paymentType → the codes its next operations answer with
	faults    []*faultRule
	subs      []subscriber
	nextSubID int
	scratch   []byte // where payment objects are built
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

// New returns a Gateway with the account DefaultToken → DefaultEntityID and
// no payments.
func New(opts ...Option) *Gateway {
	g := &Gateway{
		successCode: codeSuccessTest,
		done:        make(chan struct{}),
		clock:       epoch.Add(-time.Second),
		accounts:    make(map[string]*account),
		entities:    make(map[string]EntityConfig),
		txns:        make(map[string]*txn),
		byMTID:      make(map[mtidKey][]*txn),
		forced:      make(map[string][]string),
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
