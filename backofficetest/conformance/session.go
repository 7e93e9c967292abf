package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// OPP's published test card, as OPP's own server-to-server examples send it
// (PAYON's servertoserver-curl scripts and the back-office pages of OPP's
// white labels: VISA 4200000000000000, holder Jane Jones, CVV 123), with an
// expiry far in the future.
const (
	TestCardBrand  = "VISA"
	TestCardNumber = "4200000000000000"
	TestCardHolder = "Jane Jones"
	TestCardMonth  = "12"
	TestCardYear   = "2034"
	TestCardCVV    = "123"
)

// DeclineCode is the code the suite's declined payments ask for. OPP's test
// host declines a payment whose card.holder is a rejection result code with
// that code (OPP's negative testing, server-to-server); the fake does the
// same.
const DeclineCode = "800.100.152" // transaction declined by authorization system

// Currency is the currency of every payment the suite creates.
const Currency = "EUR"

// Unknown, given as the reference of a lookup, stands for an id (or a
// merchantTransactionId) that no payment carries.
const Unknown = "{unknown}"

// unknownID is an id in OPP's format that no payment has: OPP's ids are
// random, the fake's are hashes, and neither is ever all zeros.
const unknownID = "00000000000000000000000000000000"

// Session runs the steps of one scenario against one target. Each step
// names the payment it references by the name of the step that created it.
type Session struct {
	ctx  context.Context
	r    *runner
	res  *ScenarioResult
	ids  map[string]string // step name → the id of the transaction its answer carried
	keys map[string]string // step or key name → the merchantTransactionId it sent
}

// Pay creates an initial payment (PA or DB) of amount EUR with OPP's test
// card, as raw HTTP: POST /v1/payments.
func (s *Session) Pay(step string, pt backoffice.PaymentType, amount string, want Expect) {
	s.initial(step, pt, amount, TestCardHolder, want)
}

// Decline sends an initial payment (PA or DB) that OPP's test host
// declines with DeclineCode: the card holder is the code (negative
// testing).
func (s *Session) Decline(step string, pt backoffice.PaymentType, amount string, want Expect) {
	s.initial(step, pt, amount, DeclineCode, want)
}

// Credit sends a stand-alone credit (CD) of amount EUR to OPP's test card,
// as raw HTTP: POST /v1/payments.
func (s *Session) Credit(step, amount string, want Expect) {
	s.initial(step, backoffice.PaymentTypeCredit, amount, TestCardHolder, want)
}

func (s *Session) initial(step string, pt backoffice.PaymentType, amount, holder string, want Expect) {
	key := s.key(step, "")
	v := url.Values{
		"entityId": {s.r.target.EntityID}, "amount": {amount}, "currency": {Currency}, "paymentType": {string(pt)},
		"paymentBrand": {TestCardBrand}, "card.number": {TestCardNumber}, "card.holder": {holder},
		"card.expiryMonth": {TestCardMonth}, "card.expiryYear": {TestCardYear}, "card.cvv": {TestCardCVV},
		"merchantTransactionId": {key},
	}
	s.do(step, want, "http", func() error { return s.post("/v1/payments", v) })
}

// Op performs a backoffice operation through the SDK on the payment that
// step ref created: amount EUR, or, for OperationReverse with amount "", a
// full reversal. With a key, every step given the same key sends the same
// merchantTransactionId; without, the step sends a fresh one.
func (s *Session) Op(step string, op backoffice.Operation, ref, amount string, want Expect, key ...string) {
	id, ok := s.ref(step, ref, want)
	if !ok {
		return
	}
	k := ""
	if len(key) > 0 {
		k = key[0]
	}
	mtid := s.key(step, k)
	var amt decimal.Decimal
	cur := ""
	if amount != "" {
		amt, cur = decimal.RequireFromString(amount), Currency
	}
	c, ctx := s.r.client, s.ctx
	s.do(step, want, "sdk", func() error {
		var err error
		switch op {
		case backoffice.OperationCapture:
			_, err = c.Capture(ctx, id, backoffice.CaptureRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		case backoffice.OperationReverse:
			_, err = c.Reverse(ctx, id, backoffice.ReverseRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		case backoffice.OperationRefund:
			_, err = c.Refund(ctx, id, backoffice.RefundRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		case backoffice.OperationChargeback:
			_, err = c.Chargeback(ctx, id, backoffice.ChargebackRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		case backoffice.OperationReverseChargeback:
			_, err = c.ReverseChargeback(ctx, id, backoffice.ReverseChargebackRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		case backoffice.OperationRebill:
			_, err = c.Rebill(ctx, id, backoffice.RebillRequest{Amount: amt, Currency: cur, MerchantTransactionID: mtid})
		default:
			return errors.New("conformance: Op does not perform " + string(op))
		}
		return err
	})
}

// Send posts params as they are (plus entityId) to the payment that step
// ref created, as raw HTTP: the way to send what the SDK refuses to send,
// such as a malformed amount or an unknown parameter.
func (s *Session) Send(step, ref string, params url.Values, want Expect) {
	id, ok := s.ref(step, ref, want)
	if !ok {
		return
	}
	v := url.Values{"entityId": {s.r.target.EntityID}}
	for k, vs := range params {
		v[k] = vs
	}
	s.do(step, want, "http", func() error { return s.post("/v1/payments/"+url.PathEscape(id), v) })
}

// Lookup looks up the payment that step ref created by its id, through the
// SDK (GET /v1/query/{id}); ref Unknown looks up an id no payment has.
func (s *Session) Lookup(step, ref string, want Expect) {
	id, ok := s.ref(step, ref, want)
	if !ok {
		return
	}
	c, ctx := s.r.client, s.ctx
	s.do(step, want, "sdk", func() error { _, err := c.Payment(ctx, id); return err })
}

// LookupKey looks up by merchantTransactionId, through the SDK (GET
// /v1/query?merchantTransactionId=), the key that step (or key name) ref
// sent; ref Unknown looks up a key no payment carries.
func (s *Session) LookupKey(step, ref string, want Expect) {
	key := s.keys[ref]
	if ref == Unknown {
		key = s.r.newKey()
		s.keys[Unknown] = key
	}
	if key == "" {
		s.skip(step, ref, want)
		return
	}
	c, ctx := s.r.client, s.ctx
	s.do(step, want, "sdk", func() error { _, err := c.PaymentsByMerchantTransactionID(ctx, key); return err })
}

// key returns the merchantTransactionId of step: the one of key name k if
// given (minted at its first use), else a fresh one.
func (s *Session) key(step, k string) string {
	if k != "" {
		if v, ok := s.keys[k]; ok {
			s.keys[step] = v
			return v
		}
	}
	v := s.r.newKey()
	s.keys[step] = v
	if k != "" {
		s.keys[k] = v
	}
	return v
}

// ref returns the id of the transaction step ref created, or records step
// as skipped when there is none.
func (s *Session) ref(step, ref string, want Expect) (string, bool) {
	if ref == Unknown {
		s.ids[Unknown] = unknownID
		return unknownID, true
	}
	id := s.ids[ref]
	if id == "" {
		s.skip(step, ref, want)
		return "", false
	}
	return id, true
}

func (s *Session) skip(step, ref string, want Expect) {
	s.res.Steps = append(s.res.Steps, StepResult{Name: step, Expected: want,
		Observed: Observation{Error: "skipped: step " + ref + " gave no id to reference"}})
}

// post sends a form as raw HTTP.
func (s *Session) post(path string, v url.Values) error {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.r.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.r.target.Token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.r.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// do runs one step: send performs it; the first exchange it made is the
// step's answer. A throttled answer (800.120.100 or HTTP 429: not
// processed) is waited out and the step sent once more.
func (s *Session) do(step string, want Expect, via string, send func() error) {
	var st StepResult
	for attempt := 0; ; attempt++ {
		if s.r.rec.sawLive() {
			return
		}
		n := s.r.rec.mark()
		err := send()
		st = s.read(step, via, want, s.r.rec.since(n), err)
		throttled := st.Observed.Code == codeThrottled || st.Observed.Status == http.StatusTooManyRequests
		if !throttled || attempt > 0 {
			break
		}
		if sleepCtx(s.ctx, s.r.throttleWait) != nil {
			break
		}
	}
	s.res.Steps = append(s.res.Steps, st)
}

// codeThrottled is OPP's "Rejected by Throttling".
const codeThrottled = "800.120.100"

// read turns the exchanges of a step into its result, and remembers the id
// its answer carried.
func (s *Session) read(step, via string, want Expect, exs []exchange, err error) StepResult {
	st := StepResult{Name: step, Expected: want}
	if len(exs) == 0 {
		msg := "not sent"
		if err != nil {
			msg += ": " + err.Error()
		}
		st.Observed = Observation{Error: msg}
		return st
	}
	ex := exs[0]
	st.Request = s.redactRequest(via, ex)
	if ex.err != nil {
		st.Observed = Observation{Error: "no answer: " + ex.err.Error()}
		return st
	}
	var id string
	st.Observed, id = observe(ex.status, ex.body)
	if id != "" {
		s.ids[step] = id
	}
	var d struct {
		Result struct {
			Description string `json:"description"`
		} `json:"result"`
	}
	if json.Unmarshal(ex.body, &d) == nil {
		st.Description = d.Result.Description
	}
	return st
}

// redactRequest is what a fixture keeps of a request: see Request.
func (s *Session) redactRequest(via string, ex exchange) Request {
	path := strings.TrimPrefix(ex.path, strings.TrimSuffix(mustPath(s.r.base), "/"))
	for name, id := range s.ids {
		if id != "" {
			path = strings.ReplaceAll(path, id, "{"+name+"}")
		}
	}
	raw := ex.form
	if ex.method == http.MethodGet {
		raw = ex.rawQuery
	}
	req := Request{Via: via, Method: ex.method, Path: path}
	v, err := url.ParseQuery(raw)
	if err != nil || len(v) == 0 {
		return req
	}
	req.Params = make(map[string]string, len(v))
	for k, vs := range v {
		req.Params[k] = redactParam(k, strings.Join(vs, ","))
	}
	return req
}

// redactParam keeps secrets and the account out of a recorded parameter.
func redactParam(name, value string) string {
	switch name {
	case "entityId":
		return "{entity}"
	case "card.number":
		return maskPAN(value)
	case "card.cvv":
		return "***"
	}
	return value
}

// maskPAN keeps the first six and last four digits of a card number of 13
// digits or more, and masks all of a shorter one.
func maskPAN(s string) string {
	if len(s) < 13 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

func mustPath(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Path
}
