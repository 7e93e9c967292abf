package console

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oppkit/backoffice"
)

// pageSize is how many transactions a page of the Transactions view shows.
const pageSize = 25

// maxPage bounds how deep the Transactions view pages (each page reads the
// ones before it).
const maxPage = 200

// searchForm is the Transactions view's search, as the form sent it.
type searchForm struct {
	ID, ShortID, MTID string
	Type, Result      string
	From, To          string
	Page              int
}

// option is a choice of a select box.
type option struct {
	Value, Label string
	Selected     bool
}

// transactionsPage is the data of the Transactions view.
type transactionsPage struct {
	Form     searchForm
	Types    []option
	Results  []option
	Rows     []txn
	Problem  *problem
	Field    string // the search field a *ValidationError named
	Searched string // what was searched, in words
	Prev     string // URL of the previous page, "" on the first
	Next     string // URL of the next page, "" on the last
}

// resultFilters are the Transactions view's result choices, as the status
// colours group result codes.
var resultFilters = []option{
	{Value: "", Label: "Any result"},
	{Value: "succeeded", Label: "Succeeded"},
	{Value: "pending", Label: "Pending"},
	{Value: "rejected", Label: "Rejected"},
}

// matchResult reports whether t passes the result filter f.
func matchResult(f string, t txn) bool {
	switch f {
	case "succeeded":
		return t.Status == "ok" || t.Status == "review" || t.Status == "chargeback"
	case "pending":
		return t.Status == "pending"
	case "rejected":
		return t.Status == "rejected" || t.Status == "unknown"
	}
	return true
}

// readSearch reads the search from the query string.
func readSearch(q url.Values, now time.Time) searchForm {
	f := searchForm{
		ID:      strings.TrimSpace(q.Get("id")),
		ShortID: strings.TrimSpace(q.Get("shortId")),
		MTID:    strings.TrimSpace(q.Get("merchantTransactionId")),
		Type:    q.Get("type"),
		Result:  q.Get("result"),
		From:    q.Get("from"),
		To:      q.Get("to"),
		Page:    1,
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		f.Page = min(n, maxPage)
	}
	if f.From == "" && f.To == "" && f.ID == "" && f.MTID == "" {
		f.From = formatDate(now.AddDate(0, 0, -6))
		f.To = formatDate(now)
	}
	return f
}

// values is the form as a query string, for the paging links.
func (f searchForm) values(page int) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("id", f.ID)
	set("shortId", f.ShortID)
	set("merchantTransactionId", f.MTID)
	set("type", f.Type)
	set("result", f.Result)
	set("from", f.From)
	set("to", f.To)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// transactions serves the Transactions view.
func (h *Handler) transactions(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(w, r)
	if !ok {
		return
	}
	base := basePath(r)
	f := readSearch(r.URL.Query(), h.now())
	data := &transactionsPage{Form: f, Results: slices.Clone(resultFilters)}
	data.Types = append(data.Types, option{Value: "", Label: "Any type"})
	for _, t := range slices.Sorted(maps.Keys(typeNames)) {
		data.Types = append(data.Types, option{Value: string(t), Label: typeName(t) + " (" + string(t) + ")", Selected: string(t) == f.Type})
	}
	for i := range data.Results {
		data.Results[i].Selected = data.Results[i].Value == f.Result
	}
	rows, more, err := h.search(r.Context(), base, f)
	if err != nil {
		data.Problem = explain(err, base, "")
		var ve *backoffice.ValidationError
		if errors.As(err, &ve) {
			data.Field = searchField(ve.Field)
			data.Problem.Field, data.Problem.Detail = "", ve.Field+" "+ve.Reason
			data.Problem.Meaning = "The search cannot be run as it is. Nothing was searched."
			data.Problem.Next = "Correct the marked field and search again."
		}
		if errors.Is(err, backoffice.ErrNotFound) {
			data.Problem = nil
		}
	}
	data.Rows = rows
	if f.Page > 1 {
		data.Prev = base + "/?" + f.values(f.Page-1).Encode()
	}
	if more {
		data.Next = base + "/?" + f.values(f.Page+1).Encode()
	}
	h.render(w, r, http.StatusOK, "transactions", user, "Transactions", data)
}

// searchField maps a SearchQuery field to the search form's input.
func searchField(f string) string {
	switch f {
	case "From":
		return "from"
	case "To":
		return "to"
	case "ShortID":
		return "shortId"
	case "MerchantTransactionID":
		return "merchantTransactionId"
	case "PaymentTypes":
		return "type"
	}
	return ""
}

// search runs the form's search and returns its page, newest first, and
// whether more matches follow.
func (h *Handler) search(ctx context.Context, base string, f searchForm) ([]txn, bool, error) {
	keep := func(p *backoffice.Payment) bool {
		return (f.Type == "" || string(p.PaymentType) == f.Type) && matchResult(f.Result, view(p, ""))
	}
	if f.ID != "" {
		p, err := h.client.Payment(ctx, f.ID)
		if err != nil {
			return nil, false, err
		}
		if !keep(p) {
			return nil, false, nil
		}
		return []txn{view(p, base)}, false, nil
	}
	q := backoffice.SearchQuery{
		MerchantTransactionID: f.MTID,
		ShortID:               f.ShortID,
		PageSize:              100,
	}
	if f.Type != "" {
		q.PaymentTypes = []backoffice.PaymentType{backoffice.PaymentType(f.Type)}
	}
	if f.From != "" || f.To != "" {
		from, err := time.Parse(dateLayout, f.From)
		if err != nil {
			return nil, false, &backoffice.ValidationError{Field: "From", Reason: "must be a date (yyyy-mm-dd)"}
		}
		to, err := time.Parse(dateLayout, f.To)
		if err != nil {
			return nil, false, &backoffice.ValidationError{Field: "To", Reason: "must be a date (yyyy-mm-dd)"}
		}
		q.From, q.To = from, to.Add(24*time.Hour-time.Second)
	}
	var all []*backoffice.Payment
	skip := (f.Page - 1) * pageSize
	for p, err := range h.client.SearchPayments(ctx, q) {
		if err != nil {
			return nil, false, err
		}
		if !keep(p) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		all = append(all, p)
		if len(all) > pageSize {
			break
		}
	}
	more := len(all) > pageSize
	if more {
		all = all[:pageSize]
	}
	slices.SortStableFunc(all, func(a, b *backoffice.Payment) int { return b.Timestamp.Compare(a.Timestamp) })
	rows := make([]txn, len(all))
	for i, p := range all {
		rows[i] = view(p, base)
	}
	return rows, more, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.SortedFunc(maps.Keys(m), cmp.Compare[string])
}
