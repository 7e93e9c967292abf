package backofficetest

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// inbound is a request as the gateway reads it, whichever way it came: the
// RoundTripper, ServeHTTP or an httpmock responder.
type inbound struct {
	method, path, rawQuery, auth, body string
}

// failure is how an exchange ends without an HTTP response.
type failure uint8

const (
	failNone       failure = iota
	failRefused            // the connection was refused: nothing sent
	failResetWrite         // reset before the request was written
	failResetRead          // reset after the request was written
	failContext            // the request's context ended
)

// reply is how an exchange ends: an HTTP response or a failure.
type reply struct {
	status      int
	contentType string
	retryAfter  string
	body        []byte
	fail        failure
	err         error // failContext: the context's error
}

// exchange runs one request through the gateway: fault selection, the
// request log, the state machine, the events, and the faults after the
// commit. sent is called once the request counts as written (the
// RoundTripper fires the client's trace hooks there); ctx is the request's.
func (g *Gateway) exchange(ctx context.Context, in *inbound, sent func()) reply {
	var form url.Values
	var formErr error
	op := opQuery
	if in.method == http.MethodPost {
		form, formErr = url.ParseQuery(in.body)
		op = form.Get("paymentType")
	} else {
		form, formErr = url.ParseQuery(in.rawQuery)
	}

	g.mu.Lock()
	f, faulted := g.pickFault(in.method, op)
	switch {
	case faulted && f.kind == Refused:
		g.mu.Unlock()
		return reply{fail: failRefused}
	case faulted && f.kind == ResetBeforeWrite:
		g.mu.Unlock()
		return reply{fail: failResetWrite}
	}
	now := g.tick()
	if g.accounts[bearer(in.auth)] != nil { // nothing is kept of an unauthenticated request
		params := redacted(in, form, formErr)
		omitted := len(params) > maxLoggedParams
		if omitted {
			params = ""
		}
		g.reqs.add(logged{method: in.method, path: in.path, params: params, omitted: omitted, fault: f.kind, at: now})
	}
	var early *reply
	if faulted {
		early = g.faultBeforeCommit(f, form, now)
	}
	g.mu.Unlock()
	sent()
	if early != nil {
		return *early
	}
	if faulted && f.kind == Latency {
		if err := g.sleep(ctx, f.latency); err != nil {
			return reply{fail: failContext, err: err}
		}
	}
	var gone error // CommitLater: why the client is no longer waiting
	if faulted && f.kind == CommitLater {
		select {
		case <-ctx.Done():
			gone = ctx.Err()
		case <-g.done:
		}
	}

	g.mu.Lock()
	if faulted {
		g.faultBeforeProcessing(f)
	}
	rep, committed := g.process(in, form, formErr, now)
	if faulted {
		g.faultAfterProcessing(f, committed)
	}
	n := g.notice(committed)
	g.mu.Unlock()
	n.emit()

	if faulted {
		switch f.kind {
		case CommitLater:
			if gone != nil {
				return reply{fail: failContext, err: gone}
			}
			return reply{fail: failResetRead}
		case DropAfterCommit, DeclineWithoutAmount:
			return reply{fail: failResetRead}
		case StatusAfterCommit, LaggingCommit:
			return htmlReply(f.status)
		case TimeoutAfterCommit:
			select {
			case <-ctx.Done():
				return reply{fail: failContext, err: ctx.Err()}
			case <-g.done:
				return reply{fail: failResetRead}
			}
		}
	}
	return rep
}

// faultBeforeCommit returns the reply of a fault that stops the request
// before OPP processes it, or nil. The caller holds mu.
func (g *Gateway) faultBeforeCommit(f injected, form url.Values, now time.Time) *reply {
	switch f.kind {
	case ResetAfterWrite:
		return &reply{fail: failResetRead}
	case StatusBeforeCommit:
		r := htmlReply(f.status)
		return &r
	case LookupUnavailable:
		return g.notFoundReply(f.status, now)
	case Throttle:
		p := &wireObject{id: g.mintID(), code: codeThrottled, at: now}
		if e := form.Get("entityId"); validEntityID(e) {
			p.entityID = e
		}
		r := p.reply(http.StatusTooManyRequests)
		r.retryAfter = f.retryAfter
		return &r
	}
	return nil
}

// sleep waits d, or until ctx ends (returning its error) or the gateway is
// closed.
func (g *Gateway) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return nil
	}
}

func htmlReply(status int) reply {
	return reply{status: status, contentType: "text/html", body: html5xx(status)}
}

// redacted returns the parameters of a request as the log keeps them:
// encoded as received, unless card secrets must be masked, or they did not
// parse (then nothing is kept, since a secret could hide in them).
func redacted(in *inbound, form url.Values, formErr error) string {
	switch {
	case formErr != nil:
		return ""
	case form.Has("card.number") || form.Has("card.cvv"):
		out := cloneValues(form)
		for _, name := range [...]string{"card.number", "card.cvv"} {
			for i, s := range out[name] {
				out[name][i] = redactValue(name, s)
			}
		}
		return out.Encode()
	case in.method == http.MethodPost:
		return in.body
	}
	return in.rawQuery
}

// routeKind is which of OPP's endpoints a path names.
type routeKind uint8

const (
	routeNone     routeKind = iota
	routePayments           // /v1/payments
	routePayment            // /v1/payments/{id}
	routeQuery              // /v1/query
	routeQueryID            // /v1/query/{id}
)

// parseRoute finds the endpoint after the last "/v1/" (or "/v3/", the
// transaction reports) of path, so that a base URL may carry a prefix, as
// white labels' do.
func parseRoute(path string) (routeKind, string) {
	i := strings.LastIndex(path, "/v1/")
	if j := strings.LastIndex(path, "/v3/"); j > i {
		return parseV3Route(path[j+len("/v3/"):])
	}
	if i < 0 {
		return routeNone, ""
	}
	rest := path[i+len("/v1/"):]
	name, id, hasID := strings.Cut(rest, "/")
	switch {
	case name == "payments" && !hasID:
		return routePayments, ""
	case name == "query" && !hasID:
		return routeQuery, ""
	case id == "" || strings.Contains(id, "/"):
		return routeNone, ""
	case name == "payments":
		return routePayment, id
	case name == "query":
		return routeQueryID, id
	}
	return routeNone, ""
}

// process answers one request that reached OPP: authentication, routing,
// validation, the rules, and the commit. The caller holds mu.
func (g *Gateway) process(in *inbound, v url.Values, formErr error, now time.Time) (reply, *txn) {
	kind, id := parseRoute(in.path)
	if kind == routeNone {
		p := &wireObject{id: g.mintID(), at: now}
		return p.rejected(reject(http.StatusNotFound, codeBadParameter, paramError{"path", "", "is not an endpoint of OPP's API"})), nil
	}
	p := &wireObject{id: g.mintID(), at: now}
	if e := v.Get("entityId"); validEntityID(e) {
		p.entityID = e
	}
	post := in.method == http.MethodPost
	switch {
	case post && kind == routeQuery, post && kind == routeQueryID, post && isSearch(kind),
		in.method == http.MethodGet && kind == routePayments,
		in.method != http.MethodPost && in.method != http.MethodGet:
		return p.rejected(reject(http.StatusMethodNotAllowed, codeBadMethod)), nil
	}
	acct := g.accounts[bearer(in.auth)]
	if acct == nil {
		if pt := v.Get("paymentType"); post && inList(paymentTypes, pt) {
			p.paymentType = pt // OPP echoes it even on an authentication failure
		}
		return p.rejected(reject(http.StatusForbidden, codeBadAuth)), nil
	}
	switch {
	case formErr != nil:
		return p.rejected(badParam("body", "", "is not application/x-www-form-urlencoded")), nil
	case post && in.rawQuery != "":
		return p.rejected(badParam("query", "", "POST parameters must be sent in the body, not in the URL")), nil
	case !post && isSearch(kind):
		return g.search(acct, kind, id, v, p), nil
	case !post:
		return g.lookup(acct, kind, id, v, p), nil
	}
	return g.operate(acct, id, v, p, now)
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(h string) string {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// authorize checks the entity and the operation of a request against the
// token's account.
func authorize(acct *account, v url.Values, op string) *rejection {
	entity := v.Get("entityId")
	switch {
	case entity == "":
		return badParam("entityId", "", "is required")
	case !acct.entities[entity]:
		return reject(http.StatusForbidden, codeBadAuth)
	case acct.denied[op]:
		return reject(http.StatusForbidden, codeNoRights)
	}
	return nil
}

// operate performs a POST: a backoffice operation on payment ref, or an
// initial payment (PA, DB, CD) when ref is empty.
func (g *Gateway) operate(acct *account, ref string, v url.Values, p *wireObject, now time.Time) (reply, *txn) {
	initial := ref == ""
	known := func(name string) bool { return knownParam(name, initial) }
	if r := checkNames(v, known); r != nil {
		return p.rejected(r), nil
	}
	ops := referencedOps
	if initial {
		ops = initialOps
	}
	pt := v.Get("paymentType")
	if r := authorize(acct, v, pt); r != nil {
		if r.code == codeNoRights {
			p.paymentType = pt
		}
		return p.rejected(r), nil
	}
	switch {
	case pt == "":
		return p.rejected(badParam("paymentType", pt, "is required")), nil
	case !inList(ops, pt):
		return p.rejected(invalid(codeBadPaymentType, "paymentType", pt, "must be one of "+ops+" on this endpoint")), nil
	}
	f, r := readFields(v, pt != "RV")
	var card *cardEcho
	if r == nil && initial {
		card, r = checkAccount(v, now)
	}
	if r != nil {
		return p.rejected(r), nil
	}
	p.paymentType, p.referencedID, p.mtid = pt, ref, f.mtid
	cfg := g.entities[f.entityID]
	var target *txn
	var code string
	if initial {
		if pt == "CD" && cfg.NoCredits {
			code = codeNotConfigured
		}
	} else {
		target, code = g.reference(acct, ref, f.entityID)
	}
	if code != "" {
		return p.rejected(reject(http.StatusBadRequest, code)), nil
	}
	t := &txn{id: p.id, entityID: f.entityID, ref: target, paymentType: pt, amount: f.amount, currency: f.currency,
		card: card, mtid: f.mtid, descriptor: f.descriptor, memo: f.memo, custom: f.custom, at: now}
	if card != nil {
		t.brand = v.Get("paymentBrand")
	}
	if cfg.DuplicateBlocking && g.duplicate(t) {
		t.code = codeDuplicate
		p := t.object()
		return p.reply(http.StatusOK), nil
	}
	amt := f.amount
	if target != nil {
		if code, amt = check(pt, target, f, cfg); code != "" {
			return p.rejected(reject(http.StatusBadRequest, code)), nil
		}
	}
	t.code = g.outcome(pt, target, v, f.amount)
	return g.commit(t, amt)
}

// reference finds the payment id that a request for entity references, or
// the code that refuses it: 700.100.100 (reference id not existing) for an
// unknown id and for another account's payment, 700.400.700 (initial and
// referencing channel-ids do not match) for a payment of another entity of
// the same account. The caller holds mu.
func (g *Gateway) reference(acct *account, id, entity string) (*txn, string) {
	t := g.txns[id]
	switch {
	case t == nil || !acct.entities[t.entityID]:
		return nil, codeUnknownReference
	case t.entityID != entity:
		return nil, codeEntityMismatch
	}
	return t, ""
}

// duplicate reports whether a committed transaction has t's entity,
// merchantTransactionId, type and referenced payment. The caller holds mu.
func (g *Gateway) duplicate(t *txn) bool {
	if t.mtid == "" {
		return false
	}
	return slices.ContainsFunc(g.byMTID[mtidKey{t.entityID, t.mtid}], func(c *txn) bool {
		return c.paymentType == t.paymentType && c.ref == t.ref
	})
}

// commit books t, which moved amt, records it in the ledger and answers
// it; t is what the subscribers get. The caller holds mu.
func (g *Gateway) commit(t *txn, amt decimal.Decimal) (reply, *txn) {
	g.book(t, amt)
	g.ledger = append(g.ledger, t)
	if t.mtid != "" {
		g.commits[t.mtid] = append(g.commits[t.mtid], t)
	}
	return reply{status: http.StatusOK, contentType: contentTypeJSON, body: t.json}, t
}

// book stores t with its status, balance (and its referenced
// transaction's), and payment object. The caller holds mu.
func (g *Gateway) book(t *txn, amt decimal.Decimal) {
	t.status = statusOf(t.code)
	if t.status == StatusSucceeded {
		if t.ref != nil {
			apply(t, amt)
		} else {
			openBalance(t)
		}
	}
	t.short = shortID(t.id)
	if t.descriptor == "" {
		t.descriptor = t.short + " backofficetest"
	}
	p := t.object()
	g.scratch = p.appendJSON(g.scratch[:0])
	t.json = bytes.Clone(g.scratch) // exactly sized: it is kept
	g.store(t)
}

// object is t's payment object.
func (t *txn) object() wireObject {
	short := t.short
	if short == "" {
		short = shortID(t.id)
	}
	p := wireObject{id: t.id, referencedID: t.refID(), paymentType: t.paymentType, paymentBrand: t.brand,
		currency: t.currency, descriptor: t.descriptor, shortID: short, mtid: t.mtid, memo: t.memo,
		custom: t.custom, code: t.code, details: true, card: t.card, entityID: t.entityID, at: t.at}
	if !t.amount.IsZero() {
		p.amount = t.amount.StringFixed(2)
	}
	return p
}

// lookup answers GET /v1/payments/{id}, /v1/query/{id} and
// /v1/query?merchantTransactionId=.
func (g *Gateway) lookup(acct *account, kind routeKind, id string, v url.Values, p *wireObject) reply {
	known := func(name string) bool {
		return name == "entityId" || kind == routeQuery && name == "merchantTransactionId"
	}
	if r := checkNames(v, known); r != nil {
		return p.rejected(r)
	}
	if r := authorize(acct, v, opQuery); r != nil {
		return p.rejected(r)
	}
	entity := v.Get("entityId")
	if kind != routeQuery {
		t := g.txns[id]
		if t == nil || t.entityID != entity {
			return p.rejected(reject(http.StatusBadRequest, codeNotFound))
		}
		return reply{status: http.StatusOK, contentType: contentTypeJSON, body: t.json}
	}
	mtid := v.Get("merchantTransactionId")
	if mtid == "" {
		return p.rejected(badParam("merchantTransactionId", "", "is required"))
	}
	found := g.visible(g.byMTID[mtidKey{entity, mtid}])
	if len(found) == 0 {
		// OPP answers a query that matches nothing with HTTP 400 and
		// 700.400.580 (some deployments with 404), never 200.
		return p.rejected(reject(http.StatusBadRequest, codeNotFound))
	}
	payments := make([][]byte, len(found))
	for i, t := range found {
		payments[i] = t.json
	}
	return reply{status: http.StatusOK, contentType: contentTypeJSON,
		body: appendQuery(make([]byte, 0, 256+700*len(found)), codeRequestOK, payments, entity, p.id, p.at)}
}

// reply answers p with status.
func (p *wireObject) reply(status int) reply {
	return reply{status: status, contentType: contentTypeJSON, body: p.appendJSON(make([]byte, 0, 1024))}
}

// rejected answers p with a rejection.
func (p *wireObject) rejected(r *rejection) reply {
	p.code, p.params = r.code, r.params
	return p.reply(r.status)
}

// txn is one transaction the gateway committed or a test seeded.
type txn struct {
	id, entityID, paymentType string
	ref                       *txn // the referenced transaction; nil for PA, DB, CD
	status                    Status
	code                      string
	amount                    decimal.Decimal // as requested; zero for a full reversal
	currency, brand           string
	card                      *cardEcho
	mtid, descriptor, memo    string
	short                     string // OPP's short id
	custom                    map[string]string
	at                        time.Time
	bal                       Balance
	chargebacks               int    // successful chargebacks of this payment
	reversals                 int    // successful reversals of a chargeback
	children                  []*txn // the transactions referencing this one, in order
	json                      []byte // the payment object, as OPP sends it
}

// commit is t's ledger entry.
func (t *txn) commit() Commit {
	return Commit{PaymentID: t.id, EntityID: t.entityID, PaymentType: t.paymentType, ReferencedID: t.refID(),
		MerchantTransactionID: t.mtid, Amount: t.amount, Currency: t.currency, ResultCode: t.code, Timestamp: t.at}
}

// logged is a received request as the gateway keeps it: its parameters
// redacted and still encoded, decoded only when Requests asks.
type logged struct {
	method, path, params string
	omitted              bool // params were too long to keep
	fault                FaultKind
	at                   time.Time
}

// refID is the id of the referenced transaction, if any.
func (t *txn) refID() string {
	if t.ref == nil {
		return ""
	}
	return t.ref.id
}

// mtidKey indexes transactions by entity and merchantTransactionId.
type mtidKey struct{ entityID, mtid string }

// store adds a committed or seeded transaction. The caller holds mu.
func (g *Gateway) store(t *txn) {
	g.txns[t.id] = t
	if ref := t.ref; ref != nil {
		ref.children = append(ref.children, t)
	}
	if t.mtid != "" {
		k := mtidKey{t.entityID, t.mtid}
		g.byMTID[k] = append(g.byMTID[k], t)
	}
}
