package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

// day is the time frame of the fake gateway's clock: everything a test
// seeds or does has a timestamp in it.
var day = []string{"--from", fakeDay, "--to", fakeDay}

func search(args ...string) []string { return append(append([]string{"search"}, day...), args...) }

// queries returns the /v3/query requests the gateway received since the
// first skip requests.
func queries(gw *backofficetest.Gateway, skip int) []url.Values {
	var out []url.Values
	for _, r := range gw.Requests()[skip:] {
		if strings.HasPrefix(r.Path, "/v3/query") {
			out = append(out, r.Form)
		}
	}
	return out
}

// tableIDs returns the ID column of a search table.
func tableIDs(t *testing.T, out string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "TIMESTAMP ") {
		t.Fatalf("no table header in %q", out)
	}
	var ids []string
	for _, l := range lines[1:] {
		ids = append(ids, strings.Fields(l)[1])
	}
	return ids
}

// jsonLines parses search --json output: one payment object per line.
func jsonLines(t *testing.T, out string) []paymentJSON {
	t.Helper()
	var ps []paymentJSON
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var p paymentJSON
		if err := json.Unmarshal([]byte(l), &p); err != nil || p.ID == "" {
			t.Fatalf("line %q is not a payment object: %v", l, err)
		}
		ps = append(ps, p)
	}
	return ps
}

// TestSearchPages: a search over more transactions than one page reads the
// pages one after another, newest first, as a table and as JSON lines; and
// --limit stops reading pages once it has its rows.
func TestSearchPages(t *testing.T) {
	c := newCLI(t)
	var seeded []string // oldest first
	for i := range 7 {
		if i%2 == 0 {
			seeded = append(seeded, c.gw.SeedPreAuthorization(dec(fmt.Sprintf("%d.00", 10+i)), "EUR"))
		} else {
			seeded = append(seeded, c.gw.SeedDebit(dec(fmt.Sprintf("%d.50", 10+i)), "EUR"))
		}
	}
	newestFirst := slices.Clone(seeded)
	slices.Reverse(newestFirst)

	n := len(c.gw.Requests())
	r := c.do(search("--page-size", "3")...)
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "search/pages.txt", r.stdout)
	if ids := tableIDs(t, r.stdout); !slices.Equal(ids, newestFirst) {
		t.Errorf("ids %v, want %v", ids, newestFirst)
	}
	qs := queries(c.gw, n)
	var pages []string
	for _, q := range qs {
		pages = append(pages, q.Get("pageNo")+"/"+q.Get("limit")+" "+q.Get("date.from")+".."+q.Get("date.to"))
	}
	want := []string{"1/3 2026-01-01 00:00:00..2026-01-01 23:59:59", "2/3 2026-01-01 00:00:00..2026-01-01 23:59:59", "3/3 2026-01-01 00:00:00..2026-01-01 23:59:59"}
	if !slices.Equal(pages, want) {
		t.Errorf("requests %q, want %q", pages, want)
	}

	// JSON lines: the same payments, one object per line, in the same order.
	r = c.do(search("--page-size", "3", "--json")...)
	if r.code != exitOK {
		t.Fatalf("--json: exit %d, %s", r.code, r.stderr)
	}
	golden(t, "search/pages.jsonl", r.stdout)
	ps := jsonLines(t, r.stdout)
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, newestFirst) || ps[0].PaymentType != "PA" || ps[0].Amount != "16.00" || ps[1].PaymentType != "DB" || ps[1].Amount != "15.50" {
		t.Errorf("--json: %+v", ps)
	}

	// --limit: 4 rows need 2 pages of 3 and no third; stderr says that
	// more match.
	tests := []struct {
		limit    string
		rows     int
		requests int
		stderr   string
	}{
		{"4", 4, 2, "oppbo search: stopped after 4 transactions (--limit); more match: raise --limit (0 for all) or narrow the search\n"},
		{"3", 3, 2, "oppbo search: stopped after 3 transactions (--limit); more match: raise --limit (0 for all) or narrow the search\n"},
		{"7", 7, 3, ""},
		{"0", 7, 3, ""},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			n := len(c.gw.Requests())
			args := search("--page-size", "3", "--limit", tt.limit)
			if asJSON {
				args = append(args, "--json")
			}
			r := c.do(args...)
			var got []string
			if asJSON {
				for _, p := range jsonLines(t, r.stdout) {
					got = append(got, p.ID)
				}
			} else {
				got = tableIDs(t, r.stdout)
			}
			if r.code != exitOK || !slices.Equal(got, newestFirst[:tt.rows]) || r.stderr != tt.stderr || len(queries(c.gw, n)) != tt.requests {
				t.Errorf("--limit %s json=%v: exit %d, %d requests, rows %v, stderr %q; want %d requests, rows %v, stderr %q",
					tt.limit, asJSON, r.code, len(queries(c.gw, n)), got, r.stderr, tt.requests, newestFirst[:tt.rows], tt.stderr)
			}
		}
	}
}

// TestSearchDefaults: by default a search asks for pages of 100 and stops
// after 100 rows; --limit 0 lists every match.
func TestSearchDefaults(t *testing.T) {
	c := newCLI(t)
	for range 120 {
		c.gw.SeedDebit(dec("1.00"), "EUR")
	}
	n := len(c.gw.Requests())
	r := c.do(search()...)
	if ids := tableIDs(t, r.stdout); r.code != exitOK || len(ids) != 100 || !strings.Contains(r.stderr, "stopped after 100 transactions") {
		t.Errorf("exit %d, %d rows, stderr %q", r.code, len(ids), r.stderr)
	}
	if qs := queries(c.gw, n); len(qs) != 2 || qs[0].Get("limit") != "100" {
		t.Errorf("requests %v", qs)
	}
	r = c.do(search("--limit", "0", "--json")...)
	if ps := jsonLines(t, r.stdout); r.code != exitOK || len(ps) != 120 || r.stderr != "" {
		t.Errorf("--limit 0: exit %d, %d rows, stderr %q", r.code, len(ps), r.stderr)
	}
}

// TestSearchFilters: --type, --method, --transaction-id and --short-id
// narrow the search; dates in RFC 3339 are sent in UTC; no match is an
// empty answer, exit 0.
func TestSearchFilters(t *testing.T) {
	c := newCLI(t)
	pa := c.gw.SeedPreAuthorization(dec("100.00"), "EUR")
	c.gw.SeedDebit(dec("30.00"), "EUR")
	r := c.do("capture", pa, "--amount", "60.00", "--currency", "EUR", "--transaction-id", "filter-capture-1", "--json")
	var cp paymentJSON
	must(t, json.Unmarshal([]byte(r.stdout), &cp))
	r = c.do("refund", cp.ID, "--amount", "5.00", "--currency", "EUR", "--transaction-id", "filter-refund-1", "--json")
	var rf paymentJSON
	must(t, json.Unmarshal([]byte(r.stdout), &rf))

	tests := []struct {
		name  string
		args  []string
		ids   []string
		param string // a parameter of the request: name=value
	}{
		{"types", search("--type", "CP,RF"), []string{rf.ID, cp.ID}, "paymentTypes=CP,RF"},
		{"types in lower case", search("--type", "cp, rf"), []string{rf.ID, cp.ID}, "paymentTypes=CP,RF"},
		{"method", search("--method", "cc", "--type", "PA"), []string{pa}, "paymentMethods=CC"},
		{"key without a time frame", []string{"search", "--transaction-id", "filter-refund-1"}, []string{rf.ID}, "merchantTransactionId=filter-refund-1"},
		{"short id", search("--short-id", cp.ShortID), []string{cp.ID}, "shortId=" + cp.ShortID},
		{"RFC 3339 in another zone", []string{"search", "--from", "2026-01-01T01:00:02+01:00", "--to", "2026-01-01T00:00:02Z"}, []string{cp.ID}, "date.from=2026-01-01 00:00:02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(c.gw.Requests())
			r := c.do(tt.args...)
			if ids := tableIDs(t, r.stdout); r.code != exitOK || !slices.Equal(ids, tt.ids) {
				t.Errorf("exit %d, ids %v, want %v; stderr %q", r.code, ids, tt.ids, r.stderr)
			}
			k, v, _ := strings.Cut(tt.param, "=")
			if qs := queries(c.gw, n); len(qs) != 1 || qs[0].Get(k) != v {
				t.Errorf("requests %v, want one with %s", qs, tt.param)
			}
		})
	}

	for _, asJSON := range []bool{false, true} {
		args := search("--method", "DC")
		if asJSON {
			args = append(args, "--json")
		}
		if r := c.do(args...); r.code != exitOK || r.stdout != "" || r.stderr != "oppbo search: no transaction matches\n" {
			t.Errorf("no match, json=%v: exit %d, stdout %q, stderr %q", asJSON, r.code, r.stdout, r.stderr)
		}
	}
}

// TestSearchBadInput: a flag the CLI cannot read is a usage error (exit 1)
// naming the flag; a query the SDK refuses keeps the SDK's exit code (3,
// invalid request) and names the flag too. Nothing is sent either way.
func TestSearchBadInput(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--from", "2026-13-01", "--to", "2026-01-31"}, exitUsage, `oppbo search: --from "2026-13-01": want RFC 3339 (2026-01-31T09:00:00Z) or a day (2026-01-31, UTC)`},
		{[]string{"--from", "2026-01-01", "--to", "yesterday"}, exitUsage, `oppbo search: --to "yesterday": want RFC 3339`},
		{[]string{"--from", "2026-01-01T10:00:00", "--to", "2026-01-02"}, exitUsage, `oppbo search: --from "2026-01-01T10:00:00": want RFC 3339`},
		{append(slices.Clone(day), "--limit", "-1"), exitUsage, "oppbo search: --limit -1: want 0 (every match) or more"},
		{append(slices.Clone(day), "0123456789abcdef0123456789abcdef"), exitUsage, "oppbo search: takes no arguments"},
		{append(slices.Clone(day), "--limit", "ten"), exitUsage, `invalid value "ten" for flag -limit`},
		{nil, exitInvalidRequest, "From is required: a search needs a time frame (From and To), a MerchantTransactionID or a ShortID (--from)"},
		{[]string{"--from", "2026-01-02", "--to", "2026-01-01"}, exitInvalidRequest, "To is before From (--to)"},
		{[]string{"--from", "2026-01-01", "--to", "2026-02-01"}, exitInvalidRequest, "To is more than 31 days after From (OPP's longest time frame) (--to)"},
		{[]string{"--to", "2026-02-01"}, exitInvalidRequest, "From is required with To (--from)"},
		{append(slices.Clone(day), "--type", "CP,XX"), exitInvalidRequest, `PaymentTypes[1] "XX" is not an OPP payment type (PA, DB, CP, RV, RF, CB, CR, RB, CD) (--type)`},
		{append(slices.Clone(day), "--method", "C"), exitInvalidRequest, `PaymentMethods[0] "C" is not an OPP payment method: two upper-case letters, e.g. CC, DC (--method)`},
		{append(slices.Clone(day), "--page-size", "101"), exitInvalidRequest, "PageSize must be 0 (OPP's default) or 1-100 (--page-size)"},
		{[]string{"--short-id", "1234.5678.9012"}, exitInvalidRequest, "ShortID needs a MerchantTransactionID or a time frame (From and To) along with it (--short-id)"},
		{append(slices.Clone(day), "--short-id", "12ab"), exitInvalidRequest, "ShortID must be OPP's short id: digits in dot-separated groups, e.g. 1234.5678.9012 (--short-id)"},
		{[]string{"--transaction-id", "order 1001!"}, exitInvalidRequest, "MerchantTransactionID may hold only letters, digits and . _ : / - (--transaction-id)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			c := newCLI(t)
			r := c.do(append([]string{"search"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit %d, stderr with %q", r.code, r.stderr, r.stdout, tt.code, tt.stderr)
			}
			if tt.code == exitInvalidRequest {
				// --json: the error as one line, naming the field and the flag.
				r := c.do(append([]string{"search", "--json"}, tt.args...)...)
				var e errorJSON
				if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || r.code != tt.code || strings.Count(r.stdout, "\n") != 1 ||
					e.Error.Category != outcomeInvalid || e.Error.ExitCode != tt.code || e.Error.Field == "" || !strings.HasSuffix(tt.stderr, "("+e.Error.Flag+")") {
					t.Errorf("--json: exit %d, %q (%v)", r.code, r.stdout, err)
				}
			}
			if n := len(c.gw.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// TestSearchExitCodes: a failed search exits with its category's code; the
// rows read before a page failed are printed, and with --json the error is
// the last line.
func TestSearchExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		arrange  func(c *cli) context.Context
		code     int
		rows     int // printed before the failure
		category outcome
	}{
		{"gateway", func(c *cli) context.Context {
			must(t, c.gw.FailNext("query", 3, backofficetest.StatusBeforeCommit))
			return context.Background()
		}, exitGateway, 0, outcomeGateway},
		{"unauthorized", func(c *cli) context.Context {
			must(t, c.gw.DenyOperations(backofficetest.DefaultToken, "query"))
			return context.Background()
		}, exitUnauthorized, 0, outcomeUnauthorized},
		{"network", func(c *cli) context.Context {
			must(t, c.gw.FailNext("query", 3, backofficetest.Refused))
			return context.Background()
		}, exitNetwork, 0, outcomeNetwork},
		{"interrupted", func(c *cli) context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, exitNetwork, 0, outcomeNetwork},
		{"second page fails", func(c *cli) context.Context {
			c.rt = failPage{c.gw, "2"}
			return context.Background()
		}, exitGateway, 3, outcomeGateway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				c := newCLI(t)
				for range 5 {
					c.gw.SeedDebit(dec("1.00"), "EUR")
				}
				ctx := tt.arrange(c)
				args := search("--page-size", "3")
				if asJSON {
					args = append(args, "--json")
				}
				r := c.run(ctx, "", args...)
				if r.code != tt.code {
					t.Fatalf("json=%v: exit %d, want %d; stderr %q", asJSON, r.code, tt.code, r.stderr)
				}
				if !asJSON {
					rows := 0
					if tt.rows > 0 {
						rows = len(tableIDs(t, r.stdout))
					}
					if rows != tt.rows || !strings.HasPrefix(r.stderr, "oppbo: backoffice: search_payments: ") {
						t.Errorf("%d rows, stderr %q", rows, r.stderr)
					}
					continue
				}
				lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
				var e errorJSON
				must(t, json.Unmarshal([]byte(lines[len(lines)-1]), &e))
				if len(lines) != tt.rows+1 || e.Error.Category != tt.category || e.Error.ExitCode != tt.code {
					t.Errorf("--json: %q", r.stdout)
				}
				if tt.rows > 0 {
					jsonLines(t, strings.Join(lines[:tt.rows], "\n"))
				}
			}
		})
	}
}

// failPage is a transport that answers 503 to every request for one page
// of a search.
type failPage struct {
	next http.RoundTripper
	page string
}

func (f failPage) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.Path, "/v3/query") && req.URL.Query().Get("pageNo") == f.page {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
	}
	return f.next.RoundTrip(req)
}
