package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/oppkit/backoffice"
)

// Suite names this suite's version in reports and fixtures; a fixture
// recorded by another version may name steps this one no longer has.
const Suite = "backoffice conformance 1"

// Report is what one run of the suite against one target observed. Written
// with WriteFixture it is a fixture: OPP's answers, redacted, dated and
// naming the host.
type Report struct {
	Suite    string           `json:"suite"`
	Host     string           `json:"host"`     // the target's host name ("fake" for the fake)
	Recorded time.Time        `json:"recorded"` // when the run started, UTC
	Requests int              `json:"requests"` // how many HTTP requests the run sent
	Results  []ScenarioResult `json:"scenarios"`
}

// ScenarioResult is what one scenario observed, step by step.
type ScenarioResult struct {
	Name  string       `json:"name"`
	Rule  string       `json:"rule"`
	Steps []StepResult `json:"steps"`
}

// StepResult is one step: what was sent, what was expected, what came
// back.
type StepResult struct {
	Name        string      `json:"name"`
	Request     Request     `json:"request"`
	Expected    Expect      `json:"expected"`
	Observed    Observation `json:"observed"`
	Description string      `json:"description,omitempty"` // result.description, verbatim
}

// Request is what a step sent, redacted: no token (it travels in a header
// that is never recorded), the entity as {entity}, the card number masked
// to its first six and last four digits, the CVV starred, and payment ids
// replaced by the name of the step that created them ({pa}, {cp}, ...).
type Request struct {
	Via    string            `json:"via"` // "sdk" (a backoffice.Client method) or "http" (a raw request)
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Params map[string]string `json:"params,omitempty"`
}

// Scenario is one rule of OPP's API exercised step by step, written once
// for every target.
type Scenario struct {
	Name string // e.g. "capture/partial-and-repeated"
	Rule string // the rule in words
	Run  func(*Session)
}

// Unmet is a step whose answer missed its expectation.
type Unmet struct {
	Scenario, Step string
	Observed       Observation
	Misses         []string
	Source         string
}

// Unmet lists the steps of r whose answers missed their expectations.
func (r *Report) Unmet() []Unmet {
	var out []Unmet
	for _, sc := range r.Results {
		for _, st := range sc.Steps {
			if m := st.Expected.Check(st.Observed); m != nil {
				out = append(out, Unmet{Scenario: sc.Name, Step: st.Name, Observed: st.Observed, Misses: m, Source: st.Expected.Source})
			}
		}
	}
	return out
}

// Steps counts r's steps.
func (r *Report) Steps() int {
	n := 0
	for _, sc := range r.Results {
		n += len(sc.Steps)
	}
	return n
}

// Run runs the scenarios against t, sequentially, one request at a time
// with t.Pause between two requests, and returns what each step observed.
// It refuses a host that CheckHost refuses before sending anything, and
// stops at the first answer carrying the live host's success code
// (000.000.000), returning the partial report and an error. Money
// movements go through a backoffice.Client (with one attempt per call, so
// that each step is one request); initial payments and malformed requests
// are sent as raw HTTP.
func Run(ctx context.Context, t Target, scenarios []Scenario) (*Report, error) {
	if err := CheckHost(t.BaseURL); err != nil {
		return nil, err
	}
	next := t.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	rec := &recorder{next: next, pause: t.Pause, sleep: sleepCtx}
	hc := &http.Client{Transport: rec, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c, err := backoffice.New(t.Token, t.EntityID, backoffice.WithBaseURL(t.BaseURL), backoffice.WithHTTPClient(hc),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 1}), backoffice.WithUserAgent("backoffice-conformance"))
	if err != nil {
		return nil, fmt.Errorf("conformance: building the client: %w", err)
	}
	base, _ := url.Parse(c.BaseURL())
	var run [4]byte
	rand.Read(run[:])
	r := &runner{target: t, base: c.BaseURL(), client: c, hc: hc, rec: rec, runID: hex.EncodeToString(run[:])}
	if r.throttleWait = t.ThrottleWait; r.throttleWait == 0 {
		r.throttleWait = 30 * time.Second
	}
	rep := &Report{Suite: Suite, Host: t.Name, Recorded: time.Now().UTC().Truncate(time.Second)}
	if rep.Host == "" {
		rep.Host = base.Hostname()
	}
	for _, sc := range scenarios {
		res := ScenarioResult{Name: sc.Name, Rule: sc.Rule}
		s := &Session{ctx: ctx, r: r, res: &res, ids: map[string]string{}, keys: map[string]string{}}
		sc.Run(s)
		rep.Results = append(rep.Results, res)
		if rec.sawLive() {
			break
		}
		if err := ctx.Err(); err != nil {
			rep.Requests = rec.count
			return rep, err
		}
	}
	rep.Requests = rec.count
	if rec.sawLive() {
		return rep, errLiveAnswer
	}
	return rep, nil
}

// runner is the state of one run.
type runner struct {
	target       Target
	base         string // the client's base URL
	client       *backoffice.Client
	hc           *http.Client
	rec          *recorder
	runID        string // makes this run's merchantTransactionIds unique
	seq          int
	throttleWait time.Duration
}

// newKey returns a fresh merchantTransactionId: 8-255 characters, unique
// across runs, so that a lookup by key finds this run's payments only.
func (r *runner) newKey() string {
	r.seq++
	return fmt.Sprintf("conf-%s-%03d", r.runID, r.seq)
}
