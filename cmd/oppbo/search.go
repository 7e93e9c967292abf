package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oppkit/backoffice"
)

// searchFlags are the flags of 'oppbo search': a backoffice.SearchQuery and
// how many transactions to list.
type searchFlags struct {
	from, to, types, methods, transactionID, shortID string
	limit, pageSize                                  int
}

func (f *searchFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&f.from, "from", "", "start of the time frame, inclusive: RFC 3339 (2026-01-31T09:00:00Z) or a `day` (2026-01-31: from 00:00:00 UTC)")
	fs.StringVar(&f.to, "to", "", "end of the time frame, inclusive: RFC 3339 or a `day` (2026-01-31: to 23:59:59 UTC); at most 31 days after --from")
	fs.StringVar(&f.types, "type", "", "only these payment `types`, separated by commas: PA, DB, CP, RV, RF, CB, CR, RB, CD")
	fs.StringVar(&f.methods, "method", "", "only these payment `methods`, separated by commas, e.g. CC,DC")
	fs.StringVar(&f.transactionID, "transaction-id", "", "only the transactions that carry this merchantTransactionId `key` (a search without a time frame needs it)")
	fs.StringVar(&f.shortID, "short-id", "", "only the transaction with this short `id`, e.g. 1234.5678.9012 (with a time frame or --transaction-id)")
	fs.IntVar(&f.limit, "limit", 100, "stop after `n` transactions; 0 lists every match")
	fs.IntVar(&f.pageSize, "page-size", backoffice.MaxSearchPageSize, fmt.Sprintf("transactions per request, 1-%d", backoffice.MaxSearchPageSize))
}

// searchFieldFlags names the flag that sets each field of a SearchQuery, to
// point at it when the SDK refuses the field.
var searchFieldFlags = map[string]string{
	"From": "--from", "To": "--to", "PaymentTypes": "--type", "PaymentMethods": "--method",
	"MerchantTransactionID": "--transaction-id", "ShortID": "--short-id", "PageSize": "--page-size",
}

// query turns the flags into a SearchQuery. It checks what only the CLI
// knows (the dates' forms, --limit); the SDK validates the query itself.
func (f *searchFlags) query() (backoffice.SearchQuery, error) {
	q := backoffice.SearchQuery{MerchantTransactionID: f.transactionID, ShortID: f.shortID, PageSize: f.pageSize}
	var err error
	if q.From, err = parseSearchTime("from", f.from, false); err != nil {
		return q, err
	}
	if q.To, err = parseSearchTime("to", f.to, true); err != nil {
		return q, err
	}
	if f.limit < 0 {
		return q, fmt.Errorf("--limit %d: want 0 (every match) or more", f.limit)
	}
	for _, t := range splitList(f.types) {
		q.PaymentTypes = append(q.PaymentTypes, backoffice.PaymentType(t))
	}
	q.PaymentMethods = splitList(f.methods)
	return q, nil
}

// parseSearchTime reads --from or --to: RFC 3339, or a day (UTC), which
// starts at 00:00:00, or for the end of a time frame (end) ends at 23:59:59.
func parseSearchTime(flag, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: want RFC 3339 (2026-01-31T09:00:00Z) or a day (2026-01-31, UTC)", flag, s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, nil
}

// splitList splits a comma-separated flag into upper-case items.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	items := strings.Split(s, ",")
	for i, it := range items {
		items[i] = strings.ToUpper(strings.TrimSpace(it))
	}
	return items
}

// runSearch lists the transactions that match a query
// (Client.SearchPayments), newest first as OPP sends them. Pages are
// fetched as the rows are printed, and no more once --limit rows are. A
// table by default; with --json, JSON lines: one payment object per line,
// and a failure as a last line holding an error object.
func runSearch(a *app, ctx context.Context, name string, args []string) int {
	fs := a.newFlagSet(name, args)
	var cf common
	cf.register(fs)
	fs.Lookup("json").Usage = "print JSON lines: one payment object per line, as it arrives (a failure: a last line with an error object)"
	var sf searchFlags
	sf.register(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		fmt.Fprintf(a.stderr, "oppbo search: takes no arguments, the query is in flags (--from, --to, --transaction-id, ...); got %q\n", pos[0])
		return exitUsage
	}
	q, err := sf.query()
	if err != nil {
		fmt.Fprintf(a.stderr, "oppbo search: %s\n", err)
		return exitUsage
	}
	c, _, err := a.client(&cf)
	if err != nil {
		return a.fail(err)
	}
	// --timeout bounds the whole search, every page and its retries.
	cctx, cancel := callContext(ctx, &cf)
	defer cancel()

	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	enc := json.NewEncoder(a.stdout)
	n, more := 0, false
	for p, err := range c.SearchPayments(cctx, q) {
		if err != nil {
			if n > 0 && !cf.json {
				tw.Flush()
			}
			return searchError(a, searchFailure(err), cf.json)
		}
		if sf.limit > 0 && n == sf.limit {
			more = true
			break
		}
		if cf.json {
			if err := enc.Encode(toJSON(p)); err != nil {
				return a.printed(err)
			}
		} else {
			if n == 0 {
				fmt.Fprintln(tw, transactionHeader)
			}
			transactionRow(tw, toJSON(p))
		}
		n++
	}
	if err := tw.Flush(); err != nil {
		return a.printed(err)
	}
	switch {
	case n == 0:
		fmt.Fprintln(a.stderr, "oppbo search: no transaction matches")
	case more:
		fmt.Fprintf(a.stderr, "oppbo search: stopped after %d transactions (--limit); more match: raise --limit (0 for all) or narrow the search\n", n)
	}
	return exitOK
}

// searchFailure makes an interrupted search (--timeout, Ctrl-C) between two
// pages an ErrNetwork, as it is when a page's request is cut off: nothing
// was sent for the page, and a lookup moves no money, so it is never an
// unknown outcome.
func searchFailure(err error) error {
	if _, code := classify(err); code == exitOutcomeUnknown && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return &backoffice.NetworkError{Operation: backoffice.OperationSearchPayments, Err: err}
	}
	return err
}

// searchError reports a failed search and returns its exit code: the SDK's
// error, with the flag that set a field the SDK refused; with --json, one
// line holding the error object.
func searchError(a *app, err error, asJSON bool) int {
	j, code := errorObject(err)
	var v *backoffice.ValidationError
	if errors.As(err, &v) {
		field, _, _ := strings.Cut(v.Field, "[")
		j.Error.Flag = searchFieldFlags[field]
	}
	if asJSON {
		if err := json.NewEncoder(a.stdout).Encode(j); err != nil {
			fmt.Fprintf(a.stderr, "oppbo: %s\n", err)
		}
		return code
	}
	if j.Error.Flag != "" {
		fmt.Fprintf(a.stderr, "oppbo: %s (%s)\n", err, j.Error.Flag)
	} else {
		fmt.Fprintf(a.stderr, "oppbo: %s\n", err)
	}
	return code
}
