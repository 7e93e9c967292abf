package backofficetest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// ControlPrefix is the path of the control API: OPP's API never uses it
// (its paths begin with /v1/).
const ControlPrefix = "/_fake/"

// ControlOptions configures ControlHandler.
type ControlOptions struct {
	// WebhookClient, WebhookSchedule and OnDelivery are the Client,
	// Schedule and OnDelivery of the forwarders that POST /_fake/webhooks
	// starts (see ForwardOptions).
	WebhookClient   *http.Client
	WebhookSchedule []time.Duration
	OnDelivery      func(ForwardedDelivery)
}

// Control is the control API of a Gateway: the Go helpers over HTTP, in
// JSON, for tests written in other languages and for QA with curl. It is an
// http.Handler serving the paths under ControlPrefix; cmd/fakegateway mounts
// it beside the OPP API, and a Go test can mount it on an httptest.Server.
// Every endpoint calls the helper of the same name, so the two never
// differ: what a helper refuses, the endpoint answers HTTP 400 with
// {"error": "...", "fields": [{"field": "amount", "message": "..."}]} naming
// each refused field in the endpoint's JSON; a refusal OPP would answer
// (a chargeback the rules forbid) is HTTP 409 with the OPP result
// {"error": "...", "result": {"code": "700.400.400", "description": "..."}};
// an unknown payment HTTP 404.
//
// Every request needs "Authorization: Bearer <control token>", the token
// given to ControlHandler; anything else is HTTP 401. The control token is
// never an OPP access token (AddAccount refuses it, so the OPP API answers
// it 403 with 800.900.300), and an OPP access token never reaches the
// control API.
//
// The endpoints (amounts are JSON strings such as "10.00", durations Go
// durations such as "1s", fault kinds their names such as "DropAfterCommit"):
//
//	POST   /_fake/payments                         Seed {"paymentType","amount","currency","entityId","paymentBrand","resultCode","merchantTransactionId"} → 201 {"id","payment"}
//	GET    /_fake/payments/{id}                    Payment and History → {"payment","history"}; the payment carries its "balance"
//	POST   /_fake/payments/{id}/resolve            Resolve {"resultCode"} → {"payment"}
//	POST   /_fake/payments/{id}/chargeback         RaiseChargeback {"amount" (empty: all),"reasonCode"} → 201 {"id","payment"}
//	POST   /_fake/payments/{id}/chargeback-reversal RaiseChargebackReversal {} → 201 {"id","payment"}
//	POST   /_fake/next-results                     SetNextResults {"paymentType","n" (default 1),"code","allowUnknownCode"}; allowUnknownCode calls SetNextUnclassifiedResults
//	POST   /_fake/faults                           InjectFault {"operation","method","kinds","count","probability","seed","status","retryAfter","latency"}
//	POST   /_fake/fail-next                        FailNext {"operation","n","kind"}
//	DELETE /_fake/faults                           ClearFaults
//	GET    /_fake/ledger[?merchantTransactionId=x|?tail=n] Ledger, CommitsFor, LedgerTail → {"total","commits"}
//	GET    /_fake/requests[?tail=n]                Requests (redacted) → {"requests"}
//	POST   /_fake/accounts                         AddAccount {"token","entityIds"}
//	POST   /_fake/accounts/deny                    DenyOperations {"token","operations"}
//	PUT    /_fake/entities/{entityId}              ConfigureEntity {"singleCapture","noPartialReversal","duplicateBlocking","noCredits"}
//	POST   /_fake/webhooks                         ForwardWebhooks {"url","key","entityId"} → 201
//	GET    /_fake/webhooks                         the forwarders' delivery logs → {"forwarders","deliveries"}
//	DELETE /_fake/webhooks                         stops the forwarders
//	POST   /_fake/reset                            Reset
type Control struct {
	g     *Gateway
	token string
	opts  ControlOptions
	mux   *http.ServeMux // every endpoint
	all   *http.ServeMux // the endpoints, and the JSON 404/405 for the rest

	mu   sync.Mutex
	fwds []*Forwarder
}

// ControlHandler returns the control API of g, reachable with token: a
// made-up secret of letters, digits and punctuation without spaces (not one
// that looks like a real OPP access token, nor an access token of g). g
// refuses token as an access token from then on. Close stops the forwarders
// it started.
func (g *Gateway) ControlHandler(token string, opts ControlOptions) (*Control, error) {
	if g.tb != nil {
		g.tb.Helper()
	}
	e := &ArgumentError{Helper: "ControlHandler"}
	if err := checkToken(token); err != nil {
		e.add("token", "%v", err)
		return nil, g.refused(e)
	}
	g.mu.Lock()
	if g.accounts[token] != nil {
		g.mu.Unlock()
		e.add("token", "token is an OPP access token of the gateway")
		return nil, g.refused(e)
	}
	g.controlTokens[token] = true
	g.mu.Unlock()
	c := &Control{g: g, token: token, opts: opts, mux: http.NewServeMux(), all: http.NewServeMux()}
	routes := map[string]func(http.ResponseWriter, *http.Request) error{
		"POST /_fake/payments":                          c.seed,
		"GET /_fake/payments/{id}":                      c.payment,
		"POST /_fake/payments/{id}/resolve":             c.resolve,
		"POST /_fake/payments/{id}/chargeback":          c.chargeback,
		"POST /_fake/payments/{id}/chargeback-reversal": c.chargebackReversal,
		"POST /_fake/next-results":                      c.nextResults,
		"POST /_fake/faults":                            c.injectFault,
		"POST /_fake/fail-next":                         c.failNext,
		"DELETE /_fake/faults":                          c.clearFaults,
		"GET /_fake/ledger":                             c.ledger,
		"GET /_fake/requests":                           c.requests,
		"POST /_fake/accounts":                          c.addAccount,
		"POST /_fake/accounts/deny":                     c.denyOperations,
		"PUT /_fake/entities/{entityId}":                c.configureEntity,
		"POST /_fake/webhooks":                          c.forward,
		"GET /_fake/webhooks":                           c.deliveries,
		"DELETE /_fake/webhooks":                        c.stopForwarding,
		"POST /_fake/reset":                             c.reset,
	}
	for pattern, fn := range routes {
		h := func(w http.ResponseWriter, r *http.Request) {
			if err := fn(w, r); err != nil {
				writeControlError(w, err)
			}
		}
		c.mux.HandleFunc(pattern, h)
		c.all.HandleFunc(pattern, h)
	}
	c.all.HandleFunc("/", c.notFound)
	return c, nil
}

// ServeHTTP implements http.Handler: it authenticates the request with the
// control token and serves the endpoint.
func (c *Control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if tok := bearer(r.Header.Get("Authorization")); subtle.ConstantTimeCompare([]byte(tok), []byte(c.token)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="backofficetest control API"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{
			"error": "the control API needs Authorization: Bearer <control token> (printed as CONTROL_TOKEN at start-up); OPP access tokens do not reach it"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	c.all.ServeHTTP(w, r)
}

// Close stops the forwarders started through the control API or added
// with AddForwarder.
func (c *Control) Close() {
	c.mu.Lock()
	fwds := c.fwds
	c.fwds = nil
	c.mu.Unlock()
	for _, f := range fwds {
		f.Stop()
	}
}

// AddForwarder lists f's deliveries in GET /_fake/webhooks and lets DELETE
// /_fake/webhooks and Close stop it: cmd/fakegateway adds the forwarder of
// its -webhook-url flag.
func (c *Control) AddForwarder(f *Forwarder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fwds = append(c.fwds, f)
}

// notFound answers a path or method the control API does not have.
func (c *Control) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range [...]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		r2 := r.Clone(r.Context())
		r2.Method = m
		if _, pattern := c.mux.Handler(r2); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": r.Method + " " + r.URL.Path + ": allowed methods are " + strings.Join(allow, ", ")})
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"error": r.URL.Path + " is not an endpoint of the control API (see " + ControlPrefix + " in package backofficetest's Control)"})
}

// notFoundError is an unknown payment.
type notFoundError struct{ id string }

func (e *notFoundError) Error() string { return "no payment " + strconv.Quote(e.id) }

// writeControlError answers err.
func writeControlError(w http.ResponseWriter, err error) {
	var (
		ae *ArgumentError
		re *ResultError
		nf *notFoundError
	)
	switch {
	case errors.As(err, &ae):
		writeJSON(w, http.StatusBadRequest, struct {
			Error  string       `json:"error"`
			Fields []FieldError `json:"fields"`
		}{ae.Error(), ae.Fields})
	case errors.As(err, &re) && (re.Code == codeNotFound || re.Code == codeUnknownReference):
		writeJSON(w, http.StatusNotFound, controlResult{err.Error(), resultJSON{re.Code, re.Description}})
	case errors.As(err, &re):
		writeJSON(w, http.StatusConflict, controlResult{err.Error(), resultJSON{re.Code, re.Description}})
	case errors.As(err, &nf):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
}

type controlResult struct {
	Error  string     `json:"error"`
	Result resultJSON `json:"result"`
}

type resultJSON struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // read by people with curl
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"encoding the answer failed"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

var okAnswer = map[string]bool{"ok": true}

// decode reads the request's JSON body into dst, refusing unknown fields and
// values of the wrong type with an *ArgumentError naming the field. An
// empty body is {}.
func decode(r *http.Request, helper string, dst any) error {
	e := &ArgumentError{Helper: helper}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	var (
		te *json.UnmarshalTypeError
		se *json.SyntaxError
		me *http.MaxBytesError
	)
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &te) && te.Field != "":
		e.add(te.Field, "%s must be a JSON %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		e.add(name, "unknown field %q", name)
	case errors.As(err, &se), errors.As(err, &me):
		e.add("body", "the body is not one JSON object of at most 1 MiB: %v", err)
	default:
		e.add("body", "the body is not one JSON object: %v", err)
	}
	return e
}

// jsonKind names a Go kind as JSON would.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "string"
	case kind == "bool":
		return "boolean"
	case kind == "slice":
		return "array"
	case kind == "struct", kind == "map":
		return "object"
	}
	return "number"
}

// amountField parses an amount given as a JSON string; empty is zero.
func amountField(e *ArgumentError, field, s string) decimal.Decimal {
	if s == "" {
		return decimal.Decimal{}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		e.add(field, "%s %q is not an amount such as \"10.00\"", field, s)
	}
	return d
}

// durationField parses a Go duration; empty is zero.
func durationField(e *ArgumentError, field, s string) time.Duration {
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		e.add(field, "%s %q is not a duration such as \"1s\" or \"250ms\"", field, s)
	}
	return d
}

// paymentJSON is a Transaction in the control API.
type paymentJSON struct {
	ID                    string            `json:"id"`
	EntityID              string            `json:"entityId"`
	ReferencedID          string            `json:"referencedId,omitempty"`
	PaymentType           string            `json:"paymentType"`
	Status                Status            `json:"status"`
	ResultCode            string            `json:"resultCode"`
	ResultDescription     string            `json:"resultDescription"`
	Amount                string            `json:"amount,omitempty"`
	Currency              string            `json:"currency"`
	PaymentBrand          string            `json:"paymentBrand,omitempty"`
	MerchantTransactionID string            `json:"merchantTransactionId,omitempty"`
	Descriptor            string            `json:"descriptor,omitempty"`
	MerchantMemo          string            `json:"merchantMemo,omitempty"`
	CustomParameters      map[string]string `json:"customParameters,omitempty"`
	Balance               balanceJSON       `json:"balance"`
	Timestamp             time.Time         `json:"timestamp"`
}

type balanceJSON struct {
	Authorized  string `json:"authorized"`
	Captured    string `json:"captured"`
	Refunded    string `json:"refunded"`
	ChargedBack string `json:"chargedBack"`
	Reversed    string `json:"reversed"`
	Rebilled    string `json:"rebilled"`
}

func toPaymentJSON(t Transaction) paymentJSON {
	p := paymentJSON{ID: t.ID, EntityID: t.EntityID, ReferencedID: t.ReferencedID, PaymentType: t.PaymentType,
		Status: t.Status, ResultCode: t.ResultCode, ResultDescription: t.ResultDescription, Currency: t.Currency,
		PaymentBrand: t.PaymentBrand, MerchantTransactionID: t.MerchantTransactionID, Descriptor: t.Descriptor,
		MerchantMemo: t.MerchantMemo, CustomParameters: t.CustomParameters, Timestamp: t.Timestamp,
		Balance: balanceJSON{t.Balance.Authorized.StringFixed(2), t.Balance.Captured.StringFixed(2),
			t.Balance.Refunded.StringFixed(2), t.Balance.ChargedBack.StringFixed(2),
			t.Balance.Reversed.StringFixed(2), t.Balance.Rebilled.StringFixed(2)}}
	if !t.Amount.IsZero() {
		p.Amount = t.Amount.StringFixed(2)
	}
	return p
}

// commitJSON is a Commit in the control API.
type commitJSON struct {
	PaymentID             string    `json:"paymentId"`
	EntityID              string    `json:"entityId"`
	PaymentType           string    `json:"paymentType"`
	ReferencedID          string    `json:"referencedId,omitempty"`
	MerchantTransactionID string    `json:"merchantTransactionId,omitempty"`
	Amount                string    `json:"amount,omitempty"`
	Currency              string    `json:"currency"`
	ResultCode            string    `json:"resultCode"`
	Timestamp             time.Time `json:"timestamp"`
}

func toCommitJSON(c Commit) commitJSON {
	out := commitJSON{PaymentID: c.PaymentID, EntityID: c.EntityID, PaymentType: c.PaymentType, ReferencedID: c.ReferencedID,
		MerchantTransactionID: c.MerchantTransactionID, Currency: c.Currency, ResultCode: c.ResultCode, Timestamp: c.Timestamp}
	if !c.Amount.IsZero() {
		out.Amount = c.Amount.StringFixed(2)
	}
	return out
}

// paymentAnswer reads payment id back for an answer.
func (c *Control) paymentAnswer(id string) paymentJSON {
	t, _ := c.g.Payment(id)
	return toPaymentJSON(t)
}

func (c *Control) seed(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PaymentType           string `json:"paymentType"`
		Amount                string `json:"amount"`
		Currency              string `json:"currency"`
		EntityID              string `json:"entityId"`
		PaymentBrand          string `json:"paymentBrand"`
		ResultCode            string `json:"resultCode"`
		MerchantTransactionID string `json:"merchantTransactionId"`
	}
	if err := decode(r, "Seed", &in); err != nil {
		return err
	}
	e := &ArgumentError{Helper: "Seed"}
	amount := amountField(e, "amount", in.Amount)
	if err := e.err(); err != nil {
		return err
	}
	id, err := c.g.seed(SeedPayment{PaymentType: in.PaymentType, Amount: amount, Currency: in.Currency, EntityID: in.EntityID,
		PaymentBrand: in.PaymentBrand, ResultCode: in.ResultCode, MerchantTransactionID: in.MerchantTransactionID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "payment": c.paymentAnswer(id)})
	return nil
}

func (c *Control) payment(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	t, found := c.g.Payment(id)
	if !found {
		return &notFoundError{id}
	}
	history := c.g.History(id)
	out := struct {
		Payment paymentJSON   `json:"payment"`
		History []paymentJSON `json:"history"`
	}{toPaymentJSON(t), make([]paymentJSON, len(history))}
	for i, h := range history {
		out.History[i] = toPaymentJSON(h)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (c *Control) resolve(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ResultCode string `json:"resultCode"`
	}
	if err := decode(r, "Resolve", &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := c.g.resolve(id, in.ResultCode); err != nil {
		var ae *ArgumentError
		if errors.As(err, &ae) && len(ae.Fields) == 1 && ae.Fields[0].Field == "code" {
			ae.Fields[0].Field = "resultCode" // the endpoint's name for it
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"payment": c.paymentAnswer(id)})
	return nil
}

func (c *Control) chargeback(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Amount     string `json:"amount"`
		ReasonCode string `json:"reasonCode"`
	}
	if err := decode(r, "RaiseChargeback", &in); err != nil {
		return err
	}
	e := &ArgumentError{Helper: "RaiseChargeback"}
	amount := amountField(e, "amount", in.Amount)
	if err := e.err(); err != nil {
		return err
	}
	id, err := c.g.raiseChargeback(r.PathValue("id"), amount, in.ReasonCode)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "payment": c.paymentAnswer(id)})
	return nil
}

func (c *Control) chargebackReversal(w http.ResponseWriter, r *http.Request) error {
	var in struct{}
	if err := decode(r, "RaiseChargebackReversal", &in); err != nil {
		return err
	}
	id, err := c.g.RaiseChargebackReversal(r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "payment": c.paymentAnswer(id)})
	return nil
}

func (c *Control) nextResults(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PaymentType      string `json:"paymentType"`
		N                *int   `json:"n"`
		Code             string `json:"code"`
		AllowUnknownCode bool   `json:"allowUnknownCode"`
	}
	if err := decode(r, "SetNextResults", &in); err != nil {
		return err
	}
	n := 1
	if in.N != nil {
		n = *in.N
	}
	if err := c.g.setNextResults(in.PaymentType, n, in.Code, in.AllowUnknownCode); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) injectFault(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Operation   string   `json:"operation"`
		Method      string   `json:"method"`
		Kinds       []string `json:"kinds"`
		Count       int      `json:"count"`
		Probability float64  `json:"probability"`
		Seed        uint64   `json:"seed"`
		Status      int      `json:"status"`
		RetryAfter  string   `json:"retryAfter"`
		Latency     string   `json:"latency"`
	}
	if err := decode(r, "InjectFault", &in); err != nil {
		return err
	}
	e := &ArgumentError{Helper: "InjectFault"}
	f := Fault{Operation: in.Operation, Method: in.Method, Count: in.Count, Probability: in.Probability, Seed: in.Seed,
		Status: in.Status, RetryAfter: durationField(e, "retryAfter", in.RetryAfter), Latency: durationField(e, "latency", in.Latency)}
	for _, name := range in.Kinds {
		k, known := ParseFaultKind(name)
		if !known {
			e.add("kinds", "unknown fault kind %q (one of %s)", name, strings.Join(faultNames[1:], ", "))
		}
		f.Kinds = append(f.Kinds, k)
	}
	if err := e.err(); err != nil {
		return err
	}
	if err := c.g.injectFault(f); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) failNext(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Operation string `json:"operation"`
		N         *int   `json:"n"`
		Kind      string `json:"kind"`
	}
	if err := decode(r, "FailNext", &in); err != nil {
		return err
	}
	kind, known := ParseFaultKind(in.Kind)
	if !known {
		e := &ArgumentError{Helper: "FailNext"}
		e.add("kind", "unknown fault kind %q (one of %s)", in.Kind, strings.Join(faultNames[1:], ", "))
		return e
	}
	n := 1
	if in.N != nil {
		n = *in.N
	}
	if err := c.g.failNext(in.Operation, n, kind); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) clearFaults(w http.ResponseWriter, _ *http.Request) error {
	c.g.ClearFaults()
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

// tailParam reads the ?tail= parameter: -1 when absent.
func tailParam(r *http.Request, helper string) (int, error) {
	s := r.URL.Query().Get("tail")
	if s == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		e := &ArgumentError{Helper: helper}
		e.add("tail", "tail %q is not a count", s)
		return 0, e
	}
	return n, nil
}

func (c *Control) ledger(w http.ResponseWriter, r *http.Request) error {
	tail, err := tailParam(r, "LedgerTail")
	if err != nil {
		return err
	}
	var commits []Commit
	switch q := r.URL.Query(); {
	case q.Has("merchantTransactionId"):
		commits = c.g.CommitsFor(q.Get("merchantTransactionId"))
	case tail >= 0:
		commits = c.g.LedgerTail(tail)
	default:
		for cm := range c.g.LedgerSeq() {
			commits = append(commits, cm)
		}
	}
	out := struct {
		Total   int          `json:"total"`
		Commits []commitJSON `json:"commits"`
	}{c.g.LedgerLen(), make([]commitJSON, len(commits))}
	for i, cm := range commits {
		out.Commits[i] = toCommitJSON(cm)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// requestJSON is a Request in the control API.
type requestJSON struct {
	Method      string              `json:"method"`
	Path        string              `json:"path"`
	Form        map[string][]string `json:"form"`
	FormOmitted bool                `json:"formOmitted,omitempty"`
	Fault       string              `json:"fault,omitempty"`
	Time        time.Time           `json:"time"`
}

func (c *Control) requests(w http.ResponseWriter, r *http.Request) error {
	tail, err := tailParam(r, "Requests")
	if err != nil {
		return err
	}
	reqs := c.g.Requests()
	if tail >= 0 && tail < len(reqs) {
		reqs = reqs[len(reqs)-tail:]
	}
	out := struct {
		Requests []requestJSON `json:"requests"`
	}{make([]requestJSON, len(reqs))}
	for i, q := range reqs {
		out.Requests[i] = requestJSON{Method: q.Method, Path: q.Path, Form: q.Form, FormOmitted: q.FormOmitted, Time: q.Time}
		if q.Fault != 0 {
			out.Requests[i].Fault = q.Fault.String()
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (c *Control) addAccount(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token     string   `json:"token"`
		EntityIDs []string `json:"entityIds"`
	}
	if err := decode(r, "AddAccount", &in); err != nil {
		return err
	}
	if err := c.g.addAccount(in.Token, in.EntityIDs); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) denyOperations(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token      string   `json:"token"`
		Operations []string `json:"operations"`
	}
	if err := decode(r, "DenyOperations", &in); err != nil {
		return err
	}
	if err := c.g.denyOperations(in.Token, in.Operations); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) configureEntity(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		SingleCapture     bool `json:"singleCapture"`
		NoPartialReversal bool `json:"noPartialReversal"`
		DuplicateBlocking bool `json:"duplicateBlocking"`
		NoCredits         bool `json:"noCredits"`
	}
	if err := decode(r, "ConfigureEntity", &in); err != nil {
		return err
	}
	id := r.PathValue("entityId")
	if !validEntityID(id) {
		e := &ArgumentError{Helper: "ConfigureEntity"}
		e.add("entityId", "entity id %q is not 1-64 letters or digits", id)
		return e
	}
	c.g.ConfigureEntity(id, EntityConfig(in))
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) forward(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		URL      string `json:"url"`
		Key      string `json:"key"`
		EntityID string `json:"entityId"`
	}
	if err := decode(r, "ForwardWebhooks", &in); err != nil {
		return err
	}
	if !strings.HasPrefix(in.URL, "http://") && !strings.HasPrefix(in.URL, "https://") {
		e := &ArgumentError{Helper: "ForwardWebhooks"}
		e.add("url", "url %q is not an http or https URL", in.URL)
		return e
	}
	f, err := c.g.forwardWebhooks(in.URL, in.Key, ForwardOptions{EntityID: in.EntityID, Client: c.opts.WebhookClient,
		Schedule: c.opts.WebhookSchedule, OnDelivery: c.opts.OnDelivery})
	if err != nil {
		return err
	}
	c.AddForwarder(f)
	writeJSON(w, http.StatusCreated, map[string]string{"url": in.URL})
	return nil
}

func (c *Control) deliveries(w http.ResponseWriter, _ *http.Request) error {
	c.mu.Lock()
	fwds := append([]*Forwarder(nil), c.fwds...)
	c.mu.Unlock()
	out := struct {
		Forwarders []string            `json:"forwarders"`
		Deliveries []ForwardedDelivery `json:"deliveries"`
	}{Forwarders: make([]string, len(fwds)), Deliveries: []ForwardedDelivery{}}
	for i, f := range fwds {
		out.Forwarders[i] = f.URL()
		out.Deliveries = append(out.Deliveries, f.Deliveries()...)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (c *Control) stopForwarding(w http.ResponseWriter, _ *http.Request) error {
	c.Close()
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

func (c *Control) reset(w http.ResponseWriter, r *http.Request) error {
	var in struct{}
	if err := decode(r, "Reset", &in); err != nil {
		return err
	}
	c.g.Reset()
	writeJSON(w, http.StatusOK, okAnswer)
	return nil
}

// String describes the control API without its token.
func (c *Control) String() string { return fmt.Sprintf("backofficetest.Control(%s)", ControlPrefix) }
