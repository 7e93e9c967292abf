package backoffice

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Transaction search goes through OPP's transaction reports, GET /v3/query,
// where OPP's documentation steers all reporting (/v1/query still answers
// the older lookups). What OPP's "Transaction Reports" tutorial documents
// (as published on the OPP documentation hosts, e.g.
// https://hyperpay.docs.oppwa.com/tutorials/reporting/transaction):
//
//   - GET /v3/query/{id}?entityId= returns one transaction, and with
//     includeLinkedTransactions=true (default false) "all transactions
//     linked to the original";
//   - paymentTypes (e.g. PA,CP,RV) and paymentMethods (e.g. CC,DC), lists
//     separated by commas, filter the answer;
//   - a lookup by shortId needs merchantTransactionId, or date.from and
//     date.to, along with it;
//   - GET /v3/query?entityId=&merchantTransactionId= returns every
//     transaction carrying that key.
//
// Where the tutorial does not settle it (the form of date.from and date.to,
// the longest time frame, paging, the shape of a list answer), this SDK
// chooses, and package backofficetest's fake implements the same choices:
//
//   - dates are UTC "yyyy-MM-dd HH:mm:ss", the form of OPP's own
//     timestamps; both ends are inclusive, to the second;
//   - a time frame spans at most MaxSearchSpan;
//   - limit asks for a page of 1 to MaxSearchPageSize transactions
//     (DefaultSearchPageSize when absent), pageNo for a page, counting from
//     1;
//   - a list answer carries the page's transactions in payments, as
//     /v1/query does, and records, the number of matches over all pages;
//     "cannot find transaction" (700.400.580) is no match. Without records,
//     a page shorter than the page size is the last;
//   - with includeLinkedTransactions=true the answer is such a list, holding
//     the transaction asked for and those linked to it; a single payment
//     object is read as well.
//
// The order of a list is not documented either: the fake lists newest first,
// and SearchPayments yields in the order OPP sends.
const (
	// MaxSearchSpan is the longest time frame a SearchQuery may span.
	MaxSearchSpan = 31 * 24 * time.Hour
	// MaxSearchPageSize is the largest SearchQuery.PageSize.
	MaxSearchPageSize = 100
	// DefaultSearchPageSize is the page size a page has when SearchQuery
	// sends none (PageSize 0), as the fake applies it.
	DefaultSearchPageSize = 20
)

// searchTimeLayout is the form of date.from and date.to.
const searchTimeLayout = "2006-01-02 15:04:05"

// SearchQuery is a transaction search. It needs a time frame (From and To),
// a MerchantTransactionID or a ShortID; a ShortID needs a
// MerchantTransactionID or a time frame along with it. The filters narrow
// any of them.
type SearchQuery struct {
	From, To              time.Time     // the time frame (OPP's date.from / date.to, UTC), both ends inclusive, to the second
	PaymentTypes          []PaymentType // filter (OPP's paymentTypes)
	PaymentMethods        []string      // filter (OPP's paymentMethods, e.g. "CC", "DC")
	MerchantTransactionID string
	ShortID               string // OPP's short id, with a key or a time frame
	PageSize              int    // 0: OPP's default (DefaultSearchPageSize); at most MaxSearchPageSize
}

// SearchPayments returns the matches page by page, lazily; stops when the
// caller stops; respects ctx.
//
// The query is validated before anything is sent: an invalid one yields a
// single *ValidationError naming the field. Each page is one GET /v3/query,
// retried on transport errors, 429 and 5xx like the other lookups; a page
// that fails yields its error and ends the sequence. No match is an empty
// sequence. A transaction that moves to a later page while the pages are
// read (new transactions in the time frame push the others down) is yielded
// once.
func (c *Client) SearchPayments(ctx context.Context, q SearchQuery) iter.Seq2[*Payment, error] {
	base, err := q.encode(c.entityID)
	return func(yield func(*Payment, error) bool) {
		if err == nil && ctx == nil {
			err = errNoContext
		}
		if err != nil {
			yield(nil, err)
			return
		}
		params := maps.Clone(base) // the sequence may be ranged over more than once, at once
		seen := make(map[string]bool)
		got := 0
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				// Nothing sent: a network error, still matching the
				// context's own error.
				yield(nil, &NetworkError{Operation: OperationSearchPayments, Err: err})
				return
			}
			params.Set("pageNo", strconv.Itoa(page))
			ps, records, err := c.searchPage(ctx, params)
			if err != nil {
				yield(nil, err)
				return
			}
			fresh := 0
			for _, p := range ps {
				if p.ID != "" && seen[p.ID] {
					continue
				}
				seen[p.ID] = true
				fresh++
				if !yield(p, nil) {
					return
				}
			}
			got += len(ps)
			size := q.PageSize
			if size == 0 {
				size = DefaultSearchPageSize
			}
			switch {
			case len(ps) == 0:
				return
			case records >= 0 && got >= records:
				return
			case records < 0 && (len(ps) < size || fresh == 0):
				// Without records, a short page is the last, and so is a
				// page of nothing new (a server that ignores pageNo).
				return
			}
		}
	}
}

// searchPage is one GET /v3/query. records is the answer's records, or -1
// when it had none.
func (c *Client) searchPage(ctx context.Context, params url.Values) ([]*Payment, int, error) {
	ctx = c.withLabel(ctx, label{op: OperationSearchPayments, mtid: params.Get("merchantTransactionId")})
	ex := c.get(ctx, "/v3/query?"+params.Encode())
	if ex.err != nil {
		return nil, 0, &NetworkError{Operation: OperationSearchPayments, Attempts: ex.attempts, Err: ex.err}
	}
	return listOf(OperationSearchPayments, "", ex)
}

// listOf reads a list answer of /v3/query: its payments and records (-1
// when absent). "Cannot find transaction" is an empty list; an answer that
// is not OPP's is an error, never "none".
func listOf(op Operation, id string, ex exchange) ([]*Payment, int, error) {
	a := &ex.ans
	switch {
	case !a.ok:
		return nil, 0, lookupFailure(op, id, "", ex.status)
	case a.result.Code == codeNotFound:
		return nil, 0, nil
	}
	if e := a.rejection(op, id, "", ex.status); e != nil {
		return nil, 0, e
	}
	return a.payments, a.records, nil
}

// encode validates q and returns its parameters, without pageNo.
func (q *SearchQuery) encode(entityID string) (url.Values, error) {
	op := OperationSearchPayments
	fail := func(field, reason string) (url.Values, error) {
		return nil, &ValidationError{Operation: op, Field: field, Reason: reason, MerchantTransactionID: q.MerchantTransactionID}
	}
	v := url.Values{"entityId": {entityID}}
	frame := !q.From.IsZero() || !q.To.IsZero()
	switch {
	case frame && q.From.IsZero():
		return fail("From", "is required with To")
	case frame && q.To.IsZero():
		return fail("To", "is required with From")
	case frame && q.To.Before(q.From):
		return fail("To", "is before From")
	case frame && q.To.Sub(q.From) > MaxSearchSpan:
		return fail("To", fmt.Sprintf("is more than %d days after From (OPP's longest time frame)", MaxSearchSpan/(24*time.Hour)))
	case frame:
		v.Set("date.from", q.From.UTC().Format(searchTimeLayout))
		v.Set("date.to", q.To.UTC().Format(searchTimeLayout))
	}
	if q.MerchantTransactionID != "" {
		if err := checkMTID(op, q.MerchantTransactionID, true); err != nil {
			return nil, err
		}
		v.Set("merchantTransactionId", q.MerchantTransactionID)
	}
	if q.ShortID != "" {
		if !validShortID(q.ShortID) {
			return fail("ShortID", "must be OPP's short id: digits in dot-separated groups, e.g. 1234.5678.9012")
		}
		if !frame && q.MerchantTransactionID == "" {
			return fail("ShortID", "needs a MerchantTransactionID or a time frame (From and To) along with it")
		}
		v.Set("shortId", q.ShortID)
	}
	if !frame && q.MerchantTransactionID == "" {
		return fail("From", "is required: a search needs a time frame (From and To), a MerchantTransactionID or a ShortID")
	}
	if len(q.PaymentTypes) > 0 {
		types := make([]string, len(q.PaymentTypes))
		for i, t := range q.PaymentTypes {
			if !knownPaymentType(t) {
				return fail(fmt.Sprintf("PaymentTypes[%d]", i), fmt.Sprintf("%q is not an OPP payment type (PA, DB, CP, RV, RF, CB, CR, RB, CD)", string(t)))
			}
			types[i] = string(t)
		}
		v.Set("paymentTypes", strings.Join(types, ","))
	}
	if len(q.PaymentMethods) > 0 {
		for i, m := range q.PaymentMethods {
			if len(m) != 2 || !isUpper(m) {
				return fail(fmt.Sprintf("PaymentMethods[%d]", i), fmt.Sprintf("%q is not an OPP payment method: two upper-case letters, e.g. CC, DC", m))
			}
		}
		v.Set("paymentMethods", strings.Join(q.PaymentMethods, ","))
	}
	switch {
	case q.PageSize < 0 || q.PageSize > MaxSearchPageSize:
		return fail("PageSize", fmt.Sprintf("must be 0 (OPP's default) or 1-%d", MaxSearchPageSize))
	case q.PageSize > 0:
		v.Set("limit", strconv.Itoa(q.PageSize))
	}
	return v, nil
}

// knownPaymentType reports whether t is one of OPP's payment types this SDK
// knows.
func knownPaymentType(t PaymentType) bool {
	switch t {
	case PaymentTypePreAuthorization, PaymentTypeDebit, PaymentTypeCapture, PaymentTypeReversal, PaymentTypeRefund,
		PaymentTypeChargeback, PaymentTypeChargebackReversal, PaymentTypeRebill, PaymentTypeCredit:
		return true
	}
	return false
}

// validShortID reports whether s has the form of OPP's short id: groups of
// digits separated by single dots, at most 32 characters.
func validShortID(s string) bool {
	if s == "" || len(s) > 32 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
