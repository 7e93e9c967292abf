package backofficetest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OPP's transaction reports, as package backoffice documents them (see
// its SearchPayments): GET /v3/query/{id} with includeLinkedTransactions,
// paymentTypes and paymentMethods, and GET /v3/query by time frame
// (date.from, date.to: UTC "yyyy-MM-dd HH:mm:ss", both ends inclusive, at
// most searchMaxSpan apart), merchantTransactionId or shortId (with one of
// the others), filtered by paymentTypes and paymentMethods, paged by limit
// (1 to searchMaxLimit, searchDefaultLimit when absent) and pageNo (from
// 1). A page lists its transactions newest first and carries records, the
// number of matches over all pages. The fake's payments are card payments:
// their payment method is CC.
const (
	searchMaxSpan      = 31 * 24 * time.Hour
	searchMaxLimit     = 100
	searchDefaultLimit = 20
	searchTimeLayout   = "2006-01-02 15:04:05"
	cardMethod         = "CC"
)

// The routes of the transaction reports.
const (
	routeSearch   routeKind = iota + 100 // /v3/query
	routeSearchID                        // /v3/query/{id}
)

// parseV3Route finds a transaction-report endpoint in rest, the part of a
// path after "/v3/".
func parseV3Route(rest string) (routeKind, string) {
	name, id, hasID := strings.Cut(rest, "/")
	switch {
	case name != "query":
		return routeNone, ""
	case !hasID:
		return routeSearch, ""
	case id == "" || strings.Contains(id, "/"):
		return routeNone, ""
	}
	return routeSearchID, id
}

// isSearch reports whether kind is a transaction-report endpoint.
func isSearch(kind routeKind) bool { return kind == routeSearch || kind == routeSearchID }

// searchParams are the parameters each report endpoint accepts.
var searchParams = map[routeKind]string{
	routeSearch:   "entityId date.from date.to paymentTypes paymentMethods merchantTransactionId shortId limit pageNo",
	routeSearchID: "entityId includeLinkedTransactions paymentTypes paymentMethods",
}

// search answers GET /v3/query and /v3/query/{id}. The caller holds mu.
func (g *Gateway) search(acct *account, kind routeKind, id string, v url.Values, p *wireObject) reply {
	if r := checkNames(v, func(name string) bool { return inList(searchParams[kind], name) }); r != nil {
		return p.rejected(r)
	}
	if r := authorize(acct, v, opQuery); r != nil {
		return p.rejected(r)
	}
	f, r := readFilter(v)
	if r != nil {
		return p.rejected(r)
	}
	entity := v.Get("entityId")
	if kind == routeSearchID {
		return g.searchID(id, entity, v, f, p)
	}
	return g.searchList(entity, v, f, p)
}

// filter is what paymentTypes and paymentMethods keep.
type filter struct{ types, methods string }

func (f filter) keeps(t *txn) bool {
	return (f.types == "" || inList(f.types, t.paymentType)) && (f.methods == "" || inList(f.methods, cardMethod))
}

// readFilter reads paymentTypes and paymentMethods: comma-separated lists
// of OPP's payment types and of two-letter payment methods.
func readFilter(v url.Values) (filter, *rejection) {
	var f filter
	if s, ok := v["paymentTypes"]; ok {
		for _, t := range strings.Split(s[0], ",") {
			if !inList(paymentTypes, t) {
				return f, invalid(codeBadPaymentType, "paymentTypes", s[0], "must list payment types ("+paymentTypes+") separated by commas")
			}
		}
		f.types = strings.ReplaceAll(s[0], ",", " ")
	}
	if s, ok := v["paymentMethods"]; ok {
		for _, m := range strings.Split(s[0], ",") {
			if len(m) != 2 || !upper(m) {
				return f, badParam("paymentMethods", s[0], "must list two-letter payment methods (CC, DC, ...) separated by commas")
			}
		}
		f.methods = strings.ReplaceAll(s[0], ",", " ")
	}
	return f, nil
}

// searchID answers GET /v3/query/{id}: the payment, or with
// includeLinkedTransactions=true the payment and every transaction linked
// to it (its whole family, from the initial payment down), oldest first,
// as a list. Either way the filter applies. The caller holds mu.
func (g *Gateway) searchID(id, entity string, v url.Values, f filter, p *wireObject) reply {
	linked := false
	if s, ok := v["includeLinkedTransactions"]; ok {
		switch s[0] {
		case "true":
			linked = true
		case "false":
		default:
			return p.rejected(badParam("includeLinkedTransactions", s[0], "must be true or false"))
		}
	}
	t := g.txns[id]
	if t == nil || t.entityID != entity || !linked && !f.keeps(t) {
		return p.rejected(reject(http.StatusBadRequest, codeNotFound))
	}
	if !linked {
		return reply{status: http.StatusOK, contentType: contentTypeJSON, body: t.json}
	}
	root := t
	for root.ref != nil {
		root = root.ref
	}
	var family []*txn
	var walk func(*txn)
	walk = func(x *txn) {
		if f.keeps(x) {
			family = append(family, x)
		}
		for _, c := range x.children {
			walk(c)
		}
	}
	walk(root)
	slices.SortStableFunc(family, func(a, b *txn) int { return a.at.Compare(b.at) })
	return listReply(family, -1, entity, p)
}

// searchList answers GET /v3/query. The caller holds mu.
func (g *Gateway) searchList(entity string, v url.Values, f filter, p *wireObject) reply {
	from, to, frame, r := readFrame(v)
	if r != nil {
		return p.rejected(r)
	}
	mtid, short := v.Get("merchantTransactionId"), v.Get("shortId")
	switch {
	case short != "" && !frame && mtid == "":
		return p.rejected(badParam("shortId", short, "needs merchantTransactionId or date.from and date.to"))
	case !frame && mtid == "":
		return p.rejected(badParam("date.from", "", "is required: a query needs date.from and date.to, merchantTransactionId or shortId"))
	}
	limit, r := readInt(v, "limit", searchDefaultLimit, searchMaxLimit)
	if r != nil {
		return p.rejected(r)
	}
	page, r := readInt(v, "pageNo", 1, 1<<30)
	if r != nil {
		return p.rejected(r)
	}
	var candidates []*txn
	if mtid != "" {
		candidates = g.byMTID[mtidKey{entity, mtid}]
	} else {
		for _, t := range g.txns {
			if t.entityID == entity {
				candidates = append(candidates, t)
			}
		}
	}
	var matches []*txn
	for _, t := range candidates {
		at := t.at.UTC().Truncate(time.Second)
		if frame && (at.Before(from) || at.After(to)) || short != "" && t.short != short || !f.keeps(t) {
			continue
		}
		matches = append(matches, t)
	}
	slices.SortFunc(matches, func(a, b *txn) int { // newest first
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	total := len(matches)
	start := min((page-1)*limit, total)
	return listReply(matches[start:min(start+limit, total)], total, entity, p)
}

// readFrame reads date.from and date.to: both or neither.
func readFrame(v url.Values) (from, to time.Time, frame bool, r *rejection) {
	fs, hasFrom := v["date.from"]
	ts, hasTo := v["date.to"]
	switch {
	case !hasFrom && !hasTo:
		return from, to, false, nil
	case !hasFrom:
		return from, to, false, badParam("date.from", "", "is required with date.to")
	case !hasTo:
		return from, to, false, badParam("date.to", "", "is required with date.from")
	}
	from, err := time.Parse(searchTimeLayout, fs[0])
	if err != nil {
		return from, to, false, badParam("date.from", fs[0], "must be yyyy-MM-dd HH:mm:ss")
	}
	to, err = time.Parse(searchTimeLayout, ts[0])
	switch {
	case err != nil:
		return from, to, false, badParam("date.to", ts[0], "must be yyyy-MM-dd HH:mm:ss")
	case to.Before(from):
		return from, to, false, badParam("date.to", ts[0], "must not be before date.from")
	case to.Sub(from) > searchMaxSpan:
		return from, to, false, badParam("date.to", ts[0], "must be at most 31 days after date.from")
	}
	return from, to, true, nil
}

// readInt reads a positive integer parameter of at most max, def when
// absent.
func readInt(v url.Values, name string, def, max int) (int, *rejection) {
	s, ok := v[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s[0])
	if err != nil || n < 1 || n > max || s[0] != strconv.Itoa(n) {
		return 0, badParam(name, s[0], "must be an integer from 1 to "+strconv.Itoa(max))
	}
	return n, nil
}

// listReply answers a list of transactions: "successful request" with
// records (when not negative) and the payments, or "cannot find
// transaction" when there is nothing at all to find.
func listReply(ts []*txn, records int, entity string, p *wireObject) reply {
	code := codeRequestOK
	if len(ts) == 0 && records <= 0 {
		code = codeNotFound
	}
	b := make([]byte, 0, 256+700*len(ts))
	b = append(b, `{"result":`...)
	b = appendResult(b, code, nil)
	if records >= 0 {
		b = append(b, `,"records":`...)
		b = strconv.AppendInt(b, int64(records), 10)
	}
	if len(ts) > 0 {
		b = append(b, `,"payments":[`...)
		for i, t := range ts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, t.json...)
		}
		b = append(b, ']')
	}
	return reply{status: http.StatusOK, contentType: contentTypeJSON, body: appendTrailer(b, entity, p.id, p.at)}
}
