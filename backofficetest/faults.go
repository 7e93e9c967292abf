package backofficetest

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// FaultKind is a way a request can fail between the client and OPP. The
// kinds say exactly what was sent and what was committed, so that a test can
// check a client's exactly-once logic against each of them.
type FaultKind uint8

// The fault kinds. "Hooks" are the WroteHeaders and WroteRequest hooks of an
// httptrace.ClientTrace in the request's context, which the RoundTripper
// calls for every request that reaches the gateway, as net/http does once
// the request is on the wire.
const (
	// Refused: the connection is refused. Nothing is sent, no hook is
	// called; the error is a *net.OpError "dial" wrapping ECONNREFUSED.
	Refused FaultKind = iota + 1
	// ResetBeforeWrite: the connection is reset before the request is
	// written. No hook; a *net.OpError "write" wrapping ECONNRESET.
	ResetBeforeWrite
	// ResetAfterWrite: the request is written, then the connection is reset
	// before OPP processes it. Hooks called, nothing committed; a
	// *net.OpError "read" wrapping ECONNRESET.
	ResetAfterWrite
	// DropAfterCommit: OPP processes and commits the operation, then the
	// connection is reset and the response is lost. Hooks called; the same
	// "read" error as ResetAfterWrite.
	DropAfterCommit
	// StatusBeforeCommit: a proxy in front of OPP answers Fault.Status with
	// an HTML body; nothing committed.
	StatusBeforeCommit
	// StatusAfterCommit: OPP commits the operation, then the client gets
	// Fault.Status with an HTML body instead of OPP's answer.
	StatusAfterCommit
	// Throttle: HTTP 429 with a Retry-After header (Fault.RetryAfter) and
	// OPP's throttling body (800.120.100, Rejected by Throttling.); nothing
	// committed.
	Throttle
	// Latency: the request waits Fault.Latency before OPP processes it. If
	// the request's context ends first, its error is returned and nothing is
	// committed.
	Latency
	// TimeoutAfterCommit: OPP commits the operation, then the response never
	// comes: the request blocks until its context ends (give it a deadline)
	// and returns the context's error.
	TimeoutAfterCommit

	// The kinds below make the gateway slow and inconsistent, as a real OPP
	// can be, so that a client's exactly-once logic is tested against more
	// than its own assumptions.

	// CommitLater: the acquirer is slower than the client. The request hangs
	// until its context ends (give it a deadline) and returns the context's
	// error; OPP keeps working after the client has gone and commits the
	// operation anyway, and the first Fault.HiddenLookups lookups of its
	// merchantTransactionId do not show it yet. A client that takes "not
	// found" for "not performed" sends it twice.
	CommitLater
	// LaggingCommit: OPP commits the operation and answers Fault.Status with
	// an HTML body, and its query API lags: the first Fault.HiddenLookups
	// lookups of the merchantTransactionId do not show the commit.
	LaggingCommit
	// DeclineWithoutAmount: OPP declines the operation (800.100.151,
	// transaction declined (invalid card)), records the decline without
	// amount and currency, as OPP does for some declines, and the connection
	// is reset before the answer, as in DropAfterCommit. A request OPP
	// rejects before processing (a bad parameter, ...) is rejected as usual.
	DeclineWithoutAmount
	// LookupUnavailable: a lookup (or any request) is answered with
	// Fault.Status and OPP's "cannot find transaction" body (700.400.580),
	// as a failing node behind OPP's load balancer may answer: not an
	// answer of OPP's query API, so it proves nothing. Nothing is committed.
	LookupUnavailable
)

var faultNames = [...]string{"", "Refused", "ResetBeforeWrite", "ResetAfterWrite", "DropAfterCommit",
	"StatusBeforeCommit", "StatusAfterCommit", "Throttle", "Latency", "TimeoutAfterCommit",
	"CommitLater", "LaggingCommit", "DeclineWithoutAmount", "LookupUnavailable"}

// String returns the kind's name.
func (k FaultKind) String() string {
	if int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is a rule that injects faults into the requests it matches. In
// server mode (ServeHTTP), the reset kinds close the connection (with
// SO_LINGER 0, so the client sees a reset), Refused and ResetBeforeWrite
// behave like ResetAfterWrite, since a server cannot fail a request it has
// not received.
type Fault struct {
	// Operation selects the requests: a paymentType ("CP", "RV", ...; "PA",
	// "DB" and "CD" for POST /v1/payments), "query" for every lookup, or ""
	// for all.
	Operation string
	// Method selects "GET" or "POST" requests, or all when empty.
	Method string
	// Kinds are the faults to inject; with several, each faulted request
	// gets one drawn from the rule's random source.
	Kinds []FaultKind
	// Count limits how many requests the rule faults, after which it is
	// spent; 0 means no limit.
	Count int
	// Probability is the chance that a matching request is faulted, drawn
	// from a source seeded with Seed; 0 means every matching request.
	Probability float64
	// Seed seeds the rule's private random source, so a run is repeatable.
	Seed uint64
	// Status is the HTTP status of StatusBeforeCommit, StatusAfterCommit,
	// LaggingCommit and LookupUnavailable: 500, 502, 503 or 504; 0 means 503.
	Status int
	// RetryAfter is the Throttle's Retry-After, rounded up to whole seconds;
	// 0 means one second.
	RetryAfter time.Duration
	// Latency is the Latency fault's delay; 0 means 10ms.
	Latency time.Duration
	// HiddenLookups is how many lookups by merchantTransactionId miss the
	// commit of a CommitLater or LaggingCommit fault; 0 means 1.
	HiddenLookups int
}

// faultRule is an injected Fault with its state.
type faultRule struct {
	Fault
	faulted int
	rng     *rand.Rand
}

// injected is the fault a request got.
type injected struct {
	kind       FaultKind
	status     int
	retryAfter string
	latency    time.Duration
	hidden     int // lookups that miss the commit
}

// InjectFault adds a fault rule. Rules are tried in the order they were
// added; the first that matches a request and fires decides its fault.
func (g *Gateway) InjectFault(f Fault) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.injectFault(f))
}

func (g *Gateway) injectFault(f Fault) error {
	if err := f.validate(); err != nil {
		return err
	}
	f.Kinds = append([]FaultKind(nil), f.Kinds...)
	r := &faultRule{Fault: f, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = append(g.faults, r)
	return nil
}

// FailNext makes the next n requests of operation op (as in
// Fault.Operation) fail with kind, with the default status, Retry-After and
// latency.
func (g *Gateway) FailNext(op string, n int, kind FaultKind) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.failNext(op, n, kind))
}

func (g *Gateway) failNext(op string, n int, kind FaultKind) error {
	if n < 1 {
		e := &ArgumentError{Helper: "FailNext"}
		e.add("n", "n is %d, must be at least 1", n)
		return e
	}
	return g.injectFault(Fault{Operation: op, Kinds: []FaultKind{kind}, Count: n})
}

// ClearFaults removes every fault rule.
func (g *Gateway) ClearFaults() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = nil
}

func (f *Fault) validate() error {
	e := &ArgumentError{Helper: "InjectFault"}
	if f.Operation != "" && !knownOperation(f.Operation) {
		e.add("operation", "unknown operation %q", f.Operation)
	}
	if f.Method != "" && f.Method != http.MethodGet && f.Method != http.MethodPost {
		e.add("method", "method %q is not GET or POST", f.Method)
	}
	if len(f.Kinds) == 0 {
		e.add("kinds", "no fault kinds")
	}
	for _, k := range f.Kinds {
		if k < Refused || k > LookupUnavailable {
			e.add("kinds", "unknown fault kind %d", k)
		}
	}
	switch f.Status {
	case 0, 500, 502, 503, 504:
	default:
		e.add("status", "status %d is not 500, 502, 503 or 504", f.Status)
	}
	if f.Count < 0 {
		e.add("count", "count %d is negative", f.Count)
	}
	if f.HiddenLookups < 0 {
		e.add("hiddenLookups", "hidden lookups %d is negative", f.HiddenLookups)
	}
	if !(f.Probability >= 0 && f.Probability <= 1) {
		e.add("probability", "probability %v is not within [0, 1]", f.Probability)
	}
	if f.RetryAfter < 0 {
		e.add("retryAfter", "negative duration")
	}
	if f.Latency < 0 {
		e.add("latency", "negative duration")
	}
	return e.err()
}

// ParseFaultKind returns the FaultKind named name ("DropAfterCommit", ...),
// as FaultKind.String writes it.
func ParseFaultKind(name string) (FaultKind, bool) {
	for k, n := range faultNames {
		if k > 0 && n == name {
			return FaultKind(k), true
		}
	}
	return 0, false
}

// pickFault returns the fault a request of method and operation op gets,
// if any. The caller holds mu.
func (g *Gateway) pickFault(method, op string) (injected, bool) {
	for _, r := range g.faults {
		if r.Operation != "" && r.Operation != op || r.Method != "" && r.Method != method ||
			r.Count > 0 && r.faulted >= r.Count {
			continue
		}
		if r.Probability > 0 && r.rng.Float64() >= r.Probability {
			continue
		}
		r.faulted++
		kind := r.Kinds[0]
		if len(r.Kinds) > 1 {
			kind = r.Kinds[r.rng.IntN(len(r.Kinds))]
		}
		return r.describe(kind), true
	}
	return injected{}, false
}

func (r *faultRule) describe(kind FaultKind) injected {
	in := injected{kind: kind, status: r.Status, latency: r.Latency, hidden: max(r.HiddenLookups, 1)}
	if in.status == 0 {
		in.status = http.StatusServiceUnavailable
	}
	if in.latency == 0 {
		in.latency = 10 * time.Millisecond
	}
	secs := (r.RetryAfter + time.Second - 1) / time.Second
	if secs == 0 {
		secs = 1
	}
	in.retryAfter = strconv.FormatInt(int64(secs), 10)
	return in
}

// codeDeclined is DeclineWithoutAmount's decline: transaction declined
// (invalid card).
const codeDeclined = "800.100.151"

// inconsistency is the state of the faults that make the gateway
// inconsistent: commits its lookups do not show yet, and the outcome forced
// on the operation being processed. Guarded by the gateway's mu.
type inconsistency struct {
	hidden  map[*txn]int // commits → lookups by key that still miss them
	outcome string       // the code outcome gives the operation being processed
}

// faultBeforeProcessing prepares the processing of a request that a fault
// changes: DeclineWithoutAmount forces a decline on it. The caller holds mu.
func (g *Gateway) faultBeforeProcessing(f injected) {
	if f.kind == DeclineWithoutAmount {
		g.inconsistent.outcome = codeDeclined
	}
}

// faultAfterProcessing applies a fault to what processing committed (t may
// be nil): it hides a late or lagging commit from lookups, or strips a
// decline's amount from its record. The caller holds mu.
func (g *Gateway) faultAfterProcessing(f injected, t *txn) {
	g.inconsistent.outcome = ""
	if t == nil {
		return
	}
	switch f.kind {
	case CommitLater, LaggingCommit:
		if g.inconsistent.hidden == nil {
			g.inconsistent.hidden = make(map[*txn]int)
		}
		g.inconsistent.hidden[t] = f.hidden
	case DeclineWithoutAmount:
		p := t.object()
		p.amount, p.currency = "", ""
		t.json = p.appendJSON(nil)
	}
}

// forcedOutcome is the code a fault forces on the operation being
// processed, if any. The caller holds mu.
func (g *Gateway) forcedOutcome() (string, bool) {
	return g.inconsistent.outcome, g.inconsistent.outcome != ""
}

// visible returns the transactions of a lookup by merchantTransactionId
// that the lookup shows: a commit a fault hides is missed, and counts the
// lookup. The caller holds mu.
func (g *Gateway) visible(found []*txn) []*txn {
	if len(g.inconsistent.hidden) == 0 {
		return found
	}
	var out []*txn
	for _, t := range found {
		if n, ok := g.inconsistent.hidden[t]; ok {
			if n <= 1 {
				delete(g.inconsistent.hidden, t)
			} else {
				g.inconsistent.hidden[t] = n - 1
			}
			continue
		}
		out = append(out, t)
	}
	return out
}

// notFoundReply is LookupUnavailable's answer: OPP's not-found body with a
// server error status.
func (g *Gateway) notFoundReply(status int, now time.Time) *reply {
	p := &wireObject{id: g.mintID(), code: codeNotFound, at: now}
	r := p.reply(status)
	return &r
}
