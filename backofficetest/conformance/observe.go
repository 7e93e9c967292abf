package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Observation is what came back for one step: the HTTP status, the result
// code and which fields the body carries, never their values.
type Observation struct {
	// Status is the HTTP status; zero when no answer came.
	Status int `json:"status"`
	// Code is result.code.
	Code string `json:"code,omitempty"`
	// Fields are the body's top-level keys, sorted, plus
	// "result.parameterErrors" when the result carries them.
	Fields []string `json:"fields,omitempty"`
	// ParameterErrors are the names of the parameters result.parameterErrors
	// blames, sorted.
	ParameterErrors []string `json:"parameterErrors,omitempty"`
	// Payments is how many payments a query's answer lists.
	Payments int `json:"payments,omitempty"`
	// Error says why there is no answer: a transport error, a body that is
	// not JSON, or a step skipped because the step it references gave no id.
	Error string `json:"error,omitempty"`
}

// String is the observation in a table cell: "200 000.100.110", "400
// 200.300.404 [amount]", "200 000.000.100 2 payments", or the error.
func (o Observation) String() string {
	if o.Status == 0 {
		return o.Error
	}
	s := strconv.Itoa(o.Status)
	if o.Code != "" {
		s += " " + o.Code
	}
	if len(o.ParameterErrors) > 0 {
		s += " [" + strings.Join(o.ParameterErrors, ",") + "]"
	}
	if o.Payments > 0 {
		s += " " + strconv.Itoa(o.Payments) + " payments"
	}
	if o.Error != "" {
		s += " (" + o.Error + ")"
	}
	return s
}

// Differences lists how o and p differ: "status 200 ≠ 400", "code ...",
// "fields only in the first: ...", ...; nil when they agree.
func (o Observation) Differences(p Observation) []string {
	var d []string
	if o.Status != p.Status {
		d = append(d, fmt.Sprintf("status %d ≠ %d", o.Status, p.Status))
	}
	if o.Code != p.Code {
		d = append(d, fmt.Sprintf("code %s ≠ %s", orNone(o.Code), orNone(p.Code)))
	}
	if a, b := minus(o.Fields, p.Fields), minus(p.Fields, o.Fields); len(a)+len(b) > 0 {
		d = append(d, fmt.Sprintf("fields +%v −%v", a, b))
	}
	if !slices.Equal(o.ParameterErrors, p.ParameterErrors) {
		d = append(d, fmt.Sprintf("parameterErrors %v ≠ %v", o.ParameterErrors, p.ParameterErrors))
	}
	if o.Payments != p.Payments {
		d = append(d, fmt.Sprintf("payments %d ≠ %d", o.Payments, p.Payments))
	}
	if o.Error != p.Error {
		d = append(d, fmt.Sprintf("error %q ≠ %q", o.Error, p.Error))
	}
	return d
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// minus returns the elements of a that b lacks.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Expect is a step's expected answer, and where the expectation comes from.
type Expect struct {
	Status int    `json:"status"` // the HTTP status
	Code   string `json:"code"`   // result.code
	// Fields must all be in the body; Absent must not be.
	Fields []string `json:"fields,omitempty"`
	Absent []string `json:"absent,omitempty"`
	// ParameterErrors, when set, are the parameters result.parameterErrors
	// must blame (others may be blamed too).
	ParameterErrors []string `json:"parameterErrors,omitempty"`
	// Payments, when positive, is how many payments a query must list.
	Payments int `json:"payments,omitempty"`
	// Source is the documentation the expectation rests on, until a
	// recorded OPP answer confirms it.
	Source string `json:"source"`
}

// Check returns how o misses the expectation; nil when it meets it.
func (e Expect) Check(o Observation) []string {
	var miss []string
	if o.Status != e.Status {
		miss = append(miss, fmt.Sprintf("HTTP status %d, want %d", o.Status, e.Status))
	}
	if o.Code != e.Code {
		miss = append(miss, fmt.Sprintf("result code %s, want %s", orNone(o.Code), e.Code))
	}
	if m := minus(e.Fields, o.Fields); len(m) > 0 {
		miss = append(miss, fmt.Sprintf("body lacks %v", m))
	}
	var extra []string
	for _, f := range e.Absent {
		if slices.Contains(o.Fields, f) {
			extra = append(extra, f)
		}
	}
	if len(extra) > 0 {
		miss = append(miss, fmt.Sprintf("body carries %v, want them absent", extra))
	}
	if m := minus(e.ParameterErrors, o.ParameterErrors); len(m) > 0 {
		miss = append(miss, fmt.Sprintf("parameterErrors %v do not blame %v", o.ParameterErrors, m))
	}
	if e.Payments > 0 && o.Payments != e.Payments {
		miss = append(miss, fmt.Sprintf("%d payments listed, want %d", o.Payments, e.Payments))
	}
	if o.Error != "" {
		miss = append(miss, o.Error)
	}
	return miss
}

// observe reads an answer's status and body into an Observation, and
// returns the id the body carries.
func observe(status int, body []byte) (Observation, string) {
	o := Observation{Status: status}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		o.Error = "the body is not a JSON object"
		return o, ""
	}
	for k := range top {
		o.Fields = append(o.Fields, k)
	}
	var result struct {
		Code            string `json:"code"`
		ParameterErrors []struct {
			Name string `json:"name"`
		} `json:"parameterErrors"`
	}
	if raw, ok := top["result"]; ok && json.Unmarshal(raw, &result) == nil {
		o.Code = result.Code
		if result.ParameterErrors != nil {
			o.Fields = append(o.Fields, "result.parameterErrors")
		}
		for _, pe := range result.ParameterErrors {
			o.ParameterErrors = append(o.ParameterErrors, pe.Name)
		}
		slices.Sort(o.ParameterErrors)
		o.ParameterErrors = slices.Compact(o.ParameterErrors)
	}
	if raw, ok := top["payments"]; ok {
		var ps []json.RawMessage
		if json.Unmarshal(raw, &ps) == nil {
			o.Payments = len(ps)
		}
	}
	slices.Sort(o.Fields)
	var id string
	if raw, ok := top["id"]; ok {
		json.Unmarshal(raw, &id)
	}
	return o, id
}

// exchange is one request and its answer, as the recorder saw them.
type exchange struct {
	method, path, rawQuery string
	form                   string // the request body
	status                 int
	body                   []byte
	err                    error
}

// errLiveAnswer stops a run whose host answered as OPP's live host does.
var errLiveAnswer = errors.New("conformance: the host answered a payment with " + liveSuccess +
	", the live host's success code (a test host answers 000.100.110): stopping, the suite runs against a test host only")

// recorder is the transport of a run: it keeps the pause between requests,
// records every exchange, and stops every request once an answer carried
// the live host's success code.
type recorder struct {
	next  http.RoundTripper
	pause time.Duration
	sleep func(context.Context, time.Duration) error

	mu    sync.Mutex
	last  time.Time // when the last request started
	log   []exchange
	live  bool
	count int // requests sent
}

// RoundTrip implements http.RoundTripper.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	live, wait := r.live, time.Duration(0)
	if !r.last.IsZero() && r.pause > 0 {
		wait = r.pause - time.Since(r.last)
	}
	r.mu.Unlock()
	if live {
		return nil, errLiveAnswer
	}
	if wait > 0 {
		if err := r.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
	ex := exchange{method: req.Method, path: req.URL.Path, rawQuery: req.URL.RawQuery}
	out := req
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.form = string(b)
		out = req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(b))
		out.ContentLength = int64(len(b))
	}
	r.mu.Lock()
	r.last = time.Now()
	r.count++
	r.mu.Unlock()
	resp, err := r.next.RoundTrip(out)
	if err != nil {
		ex.err = err
		r.keep(ex)
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		ex.err = err
		r.keep(ex)
		return nil, err
	}
	ex.status, ex.body = resp.StatusCode, b
	r.keep(ex)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// keep records ex, and notes a live answer.
func (r *recorder) keep(ex exchange) {
	var res struct {
		Result struct {
			Code string `json:"code"`
		} `json:"result"`
	}
	isLive := json.Unmarshal(ex.body, &res) == nil && res.Result.Code == liveSuccess
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, ex)
	if isLive {
		r.live = true
	}
}

// since returns the exchanges recorded after the first n.
func (r *recorder) since(n int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log[n:])
}

// mark returns how many exchanges are recorded.
func (r *recorder) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func (r *recorder) sawLive() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
