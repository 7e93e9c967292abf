package backofficetest

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// process answers one request that reached OPP: authentication, routing,
// validation, the rules, and the commit. The caller holds mu.
func (g *Gateway) process(in *inbound, v url.Values, formErr error, now time.Time) (reply, *txn) {
	kind, id := parseRoute(in.path)
	if kind == routeNone {
		return reply{status: http.StatusNotFound, contentType: "text/plain; charset=utf-8", body: []byte("404 page not found\n")}, nil
	}
	p := &wireObject{id: g.mintID(), at: now}
	if e := v.Get("entityId"); validEntityID(e) {
		p.entityID = e
	}
	post := in.method == http.MethodPost
	switch {
	case post && kind == routeQuery, post && kind == routeQueryID,
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
	t.code = g.outcome(pt)
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

// outcome is the result code of an operation of type pt that passed every
// check: the next code SetNextResults queued for pt, or success. The caller
// holds mu.
func (g *Gateway) outcome(pt string) string {
	if q := g.forced[pt]; len(q) > 0 {
		g.forced[pt] = q[1:]
		return q[0]
	}
	return g.successCode
}

// commit books t, which moved amt, records it in the ledger and answers
// it; t is what the subscribers get. The caller holds mu.
func (g *Gateway) commit(t *txn, amt decimal.Decimal) (reply, *txn) {
	g.book(t, amt)
	g.ledger = append(g.ledger, t)
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
	found := g.byMTID[mtidKey{entity, mtid}]
	code := codeRequestOK
	if len(found) == 0 {
		code = codeNotFound
	}
	payments := make([][]byte, len(found))
	for i, t := range found {
		payments[i] = t.json
	}
	return reply{status: http.StatusOK, contentType: contentTypeJSON,
		body: appendQuery(make([]byte, 0, 256+700*len(found)), code, payments, entity, p.id, p.at)}
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
