package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

// interrupter is a transport that acts after the n-th POST reached it:
// it cancels the run (Ctrl-C), or starts an outage (every later request is
// refused, and the run goes on).
type interrupter struct {
	next   http.RoundTripper
	posts  atomic.Int64
	at     int64
	cancel context.CancelFunc
	outage atomic.Bool
	once   sync.Once
	mode   string // "cancel" or "outage"
}

func (it *interrupter) RoundTrip(req *http.Request) (*http.Response, error) {
	if it.outage.Load() {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: fmt.Errorf("connection refused (outage)")}
	}
	if req.Method == http.MethodPost && it.posts.Add(1) == it.at {
		it.once.Do(func() {
			if it.mode == "outage" {
				it.outage.Store(true)
				return
			}
			it.cancel()
		})
	}
	return it.next.RoundTrip(req)
}

// bulkFile writes a refund file of n rows over payments seeded in gw: each
// debit gets 100 refunds of 1.00, identical rows told apart by their
// position; every tenth row carries its own key.
func bulkFile(t *testing.T, gw *backofficetest.Gateway, n int) (string, []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("payment_id,amount,currency,key\n")
	var dbs []string
	for i := range n {
		if i%100 == 0 {
			dbs = append(dbs, gw.SeedDebit(dec("1000.00"), "EUR"))
		}
		key := ""
		if i%10 == 9 {
			key = fmt.Sprintf("row-%05d", i)
		}
		fmt.Fprintf(&b, "%s,1.00,EUR,%s\n", dbs[len(dbs)-1], key)
	}
	return writeFile(t, "refunds.csv", b.String(), 0o644), dbs
}

// readCSV reads a result CSV.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	must(t, err)
	return recs
}

// TestBulkResumeExactlyOnce: a file of 10,000 refunds, 25% of the requests
// faulted (dropped after commit, 5xx after commit, reset after write,
// refused, 5xx before commit) and some lookups failing, interrupted three
// times at random points (Ctrl-C, an outage, a crash that lost the outcomes
// of the calls in flight) and resumed: every row is committed exactly
// once, and the result CSV has every row's outcome and new id.
func TestBulkResumeExactlyOnce(t *testing.T) {
	n := 10000
	if raceEnabled || testing.Short() {
		n = 1000
	}
	c := newCLI(t)
	path, _ := bulkFile(t, c.gw, n)
	must(t, c.gw.InjectFault(backofficetest.Fault{Method: "POST", Probability: 0.25, Seed: 1, Kinds: []backofficetest.FaultKind{
		backofficetest.DropAfterCommit, backofficetest.StatusAfterCommit, backofficetest.ResetAfterWrite,
		backofficetest.Refused, backofficetest.StatusBeforeCommit}}))
	must(t, c.gw.InjectFault(backofficetest.Fault{Operation: "query", Probability: 0.1, Seed: 2, Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit}}))

	rng := rand.New(rand.NewPCG(7, 7))
	prevOK := map[string]bool{}
	journal := strings.TrimSuffix(path, ".csv") + ".journal"
	results := strings.TrimSuffix(path, ".csv") + ".result.csv"
	for i, mode := range []string{"cancel", "outage", "crash"} {
		ctx, cancel := context.WithCancel(t.Context())
		at := int64(n/10 + rng.IntN(n/5))
		it := &interrupter{next: c.gw, at: at, cancel: cancel, mode: mode}
		if mode == "crash" {
			it.mode = "cancel"
		}
		c.rt = it
		before := len(c.gw.Ledger())
		r := c.run(ctx, "", "refund", "--csv", path, "--concurrency", "16")
		cancel()
		if r.code == exitOK || r.code == exitUsage {
			t.Fatalf("run %d (%s at POST %d) finished everything: exit 0", i+1, mode, at)
		}
		if mode == "crash" {
			lost := loseInFlightOutcomes(t, journal, 16)
			t.Logf("crash: the outcomes of %d calls in flight were lost from the journal", lost)
		}
		t.Logf("run %d: %s after POST %d: exit %d, %d commits (%d new); %s", i+1, mode, at, r.code,
			len(c.gw.Ledger()), len(c.gw.Ledger())-before, lastLine(r.stderr, "oppbo refund:"))
		recs := readCSV(t, results)
		if len(recs) != n+1 {
			t.Fatalf("run %d: result CSV has %d rows, want %d", i+1, len(recs)-1, n)
		}
		// Rows finished in earlier runs stay finished in every result CSV.
		ok := map[string]bool{}
		for _, rec := range recs[1:] {
			if rec[5] == string(outcomeOK) {
				ok[rec[4]] = true
			}
		}
		for key := range prevOK {
			if !ok[key] {
				t.Fatalf("run %d: key %s was ok and is not any more in the result CSV", i+1, key)
			}
		}
		prevOK = ok
	}
	// The outage is over: the last run finishes the rest.
	c.gw.ClearFaults()
	c.rt = c.gw
	r := c.do("refund", "--csv", path, "--concurrency", "16")
	t.Logf("final run: exit %d, %s", r.code, lastLine(r.stderr, "oppbo refund:"))
	if r.code != exitOK {
		t.Fatalf("final run: exit %d\n%s", r.code, tail(r.stderr, 20))
	}

	recs := readCSV(t, results)
	if len(recs) != n+1 || strings.Join(recs[0], ",") != strings.Join(resultHeader, ",") {
		t.Fatalf("result CSV: %d rows, header %v", len(recs)-1, recs[0])
	}
	ids := map[string]bool{}
	for _, rec := range recs[1:] {
		line, key, out, id := rec[0], rec[4], rec[5], rec[6]
		commits := c.gw.CommitsFor(key)
		if len(commits) != 1 {
			t.Fatalf("line %s (key %s): %d commits, want exactly 1", line, key, len(commits))
		}
		if out != string(outcomeOK) || id != commits[0].PaymentID || rec[7] != commits[0].ResultCode {
			t.Fatalf("line %s: result %v, commit %+v", line, rec, commits[0])
		}
		if !commits[0].Amount.Equal(dec("1.00")) || commits[0].PaymentType != "RF" {
			t.Fatalf("line %s: commit %+v", line, commits[0])
		}
		ids[id] = true
	}
	if got := len(c.gw.Ledger()); got != n || len(ids) != n {
		t.Fatalf("ledger has %d commits and the result CSV %d ids, want %d", got, len(ids), n)
	}
	// A run of a finished file sends nothing.
	before := len(c.gw.Requests())
	if r := c.do("refund", "--csv", path); r.code != exitOK || len(c.gw.Requests()) != before {
		t.Fatalf("rerun of a finished file: exit %d, %d requests", r.code, len(c.gw.Requests())-before)
	}
}

// loseInFlightOutcomes rewrites the journal as a kill -9 would have left it:
// the "done" records of the last k rows are gone (their requests were sent,
// their outcomes never written), and a half-written record ends the file.
// "sent" records are never lost: a request leaves only after its record is
// on disk.
func loseInFlightOutcomes(t *testing.T, path string, k int) int {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	lines := strings.SplitAfter(string(data), "\n")
	lost := 0
	for i := len(lines) - 1; i > 0 && lost < k; i-- {
		if strings.Contains(lines[i], `"state":"done"`) && !strings.Contains(lines[i], `"outcome":"outcome_unknown"`) {
			lines = append(lines[:i], lines[i+1:]...)
			lost++
		}
	}
	out := strings.Join(lines, "") + `{"key":"torn","line":`
	must(t, os.WriteFile(path, []byte(out), 0o600))
	return lost
}

func lastLine(s, contains string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	last := ""
	for sc.Scan() {
		if strings.Contains(sc.Text(), contains) {
			last = sc.Text()
		}
	}
	return last
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestBulkBadRows: every bad row is reported with its line number, and
// nothing is sent, with or without --dry-run.
func TestBulkBadRows(t *testing.T) {
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("100.00"), "EUR")
	file := "payment_id,amount,currency,key,memo\n" +
		db + ",1.00,EUR,,fine\n" +
		db + ",1.001,EUR,,too many decimals\n" +
		",1.00,EUR,,no payment\n" +
		db + ",1e3,EUR,,exponent\n" +
		db + ",5,XXX,,no such currency\n" +
		db + ",0,EUR,,zero\n" +
		db + ",100,JPY,bad key!,key with a space\n" +
		db + ",2.00,EUR,dup-key-1,first\n" +
		db + ",3.00,EUR,dup-key-1,second\n" +
		db + ",1.00,EUR\n" +
		db + ",1.00,EUR,,fine again\n"
	path := writeFile(t, "bad.csv", file, 0o644)
	want := strings.Join([]string{
		path + ":3: amount: has more decimals than EUR allows (2)",
		path + ":4: payment_id is empty",
		path + `:5: amount "1e3": want digits with an optional decimal point, e.g. 10.00`,
		path + ":6: currency: is not an ISO 4217 currency code",
		path + ":7: amount: must be greater than zero",
		path + ":8: key: may hold only letters, digits and . _ : / -",
		path + ":10: key dup-key-1 is also the key of line 9: one key, one operation",
		path + ":11: has 3 fields, the header 5",
		"oppbo refund: 8 problems in " + path + "; nothing was sent",
	}, "\n") + "\n"
	for _, dry := range []bool{true, false} {
		args := []string{"refund", "--csv", path}
		if dry {
			args = append(args, "--dry-run")
		}
		r := c.do(args...)
		if r.code != exitInvalidRequest || r.stderr != want {
			t.Errorf("dry-run=%v: exit %d, stderr:\n%s\nwant:\n%s", dry, r.code, r.stderr, want)
		}
	}
	if n := len(c.gw.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if _, err := os.Stat(strings.TrimSuffix(path, ".csv") + ".journal"); !os.IsNotExist(err) {
		t.Errorf("a journal was created for a refused file: %v", err)
	}
	good := writeFile(t, "good.csv", "payment_id,amount,currency\n"+db+",1.00,EUR\n"+db+",1.00,EUR\n", 0o644)
	if r := c.do("refund", "--csv", good, "--dry-run"); r.code != exitOK || r.stderr != "oppbo refund: dry run: 2 rows are valid; nothing was sent\n" {
		t.Errorf("dry run of a good file: exit %d, %q", r.code, r.stderr)
	}
	if n := len(c.gw.Requests()); n != 0 {
		t.Fatalf("dry run: %d requests sent", n)
	}
}

// TestBulkTimeoutIsUnknown: a call still in flight when its --timeout ends
// (the gateway committed, the answer never came) is journalled as unknown,
// the run exits 10, and the next run finds it by its key instead of sending
// it again.
func TestBulkTimeoutIsUnknown(t *testing.T) {
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("100.00"), "EUR")
	path := writeFile(t, "r.csv", "payment_id,amount,currency\n"+db+",1.00,EUR\n"+db+",2.00,EUR\n", 0o644)
	must(t, c.gw.FailNext("RF", 1, backofficetest.TimeoutAfterCommit))
	r := c.do("refund", "--csv", path, "--timeout", "200ms", "--concurrency", "1")
	if r.code != exitOutcomeUnknown || !strings.Contains(r.stderr, "1 ok, 1 outcome_unknown") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	posts := countPosts(c.gw)
	r = c.do("refund", "--csv", path)
	if r.code != exitOK || !strings.Contains(r.stderr, "2 ok (1 done in earlier runs)") {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	if countPosts(c.gw) != posts {
		t.Errorf("the resume sent %d requests; the lookup should have settled the row", countPosts(c.gw)-posts)
	}
	if len(c.gw.Ledger()) != 2 {
		t.Errorf("ledger: %d commits, want 2", len(c.gw.Ledger()))
	}
}

func countPosts(gw *backofficetest.Gateway) int {
	n := 0
	for _, r := range gw.Requests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}

// TestBulkJournalSafety: a journal of another run is refused, and so is a
// file that lost rows the journal saw in flight.
func TestBulkJournalSafety(t *testing.T) {
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("100.00"), "EUR")
	path := writeFile(t, "r.csv", "payment_id,amount,currency\n"+db+",1.00,EUR\n", 0o644)
	journal := filepath.Join(filepath.Dir(path), "r.journal")
	must(t, os.WriteFile(journal, []byte(`{"version":1,"op":"capture","batch":"r"}`+"\n"), 0o600))
	if r := c.do("refund", "--csv", path); r.code != exitUsage || !strings.Contains(r.stderr, "belongs to a capture run") {
		t.Errorf("another run's journal: exit %d, %q", r.code, r.stderr)
	}
	must(t, os.WriteFile(journal, []byte(`{"version":1,"op":"refund","batch":"r"}`+"\n"+`{"key":"gone1","line":7,"state":"sent"}`+"\n"), 0o600))
	if r := c.do("refund", "--csv", path); r.code != exitUsage || !strings.Contains(r.stderr, "1 operations that may have moved money and whose rows are not in") {
		t.Errorf("orphaned key: exit %d, %q", r.code, r.stderr)
	}
	if n := len(c.gw.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestDerivedKeys: a row's key depends on the batch, the operation, the
// payment, the money and its rank among identical rows, and on nothing
// else: not its line, not its memo.
func TestDerivedKeys(t *testing.T) {
	read := func(content, batch string) []string {
		path := writeFile(t, "k.csv", content, 0o644)
		rows, probs, err := readRows(path, specFor("refund"), batch)
		if err != nil || len(probs) != 0 {
			t.Fatalf("%v %v", err, probs)
		}
		var keys []string
		for _, r := range rows {
			keys = append(keys, r.key)
		}
		return keys
	}
	a := read("payment_id,amount,currency,memo\nP1,1.00,EUR,a\nP1,1.00,EUR,b\nP2,1.00,EUR,c\n", "batch")
	b := read("payment_id,amount,currency,memo\nP0,9.00,EUR,x\nP1,1.0,eur,changed\nP2,1.00,EUR,c\nP1,1.00,EUR,b\n", "batch")
	if a[0] == a[1] || a[0] != b[1] || a[1] != b[3] || a[2] != b[2] {
		t.Errorf("keys %v and %v", a, b)
	}
	if c := read("payment_id,amount,currency,memo\nP1,1.00,EUR,a\n", "other"); c[0] == a[0] {
		t.Errorf("another batch gave the same key %s", c[0])
	}
	if len(a[0]) != 16 || strings.Trim(a[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != "" {
		t.Errorf("key %q is not 16 letters and digits", a[0])
	}
}

// TestBulkEveryOperation: every money movement runs from a CSV file, with
// its own columns, and --json prints the run's summary.
func TestBulkEveryOperation(t *testing.T) {
	c := newCLI(t)
	pa1, pa2 := c.gw.SeedPreAuthorization(dec("100.00"), "EUR"), c.gw.SeedPreAuthorization(dec("100.00"), "EUR")
	db1, db2 := c.gw.SeedDebit(dec("100.00"), "EUR"), c.gw.SeedDebit(dec("100.00"), "EUR")
	cb1, err := c.gw.RaiseChargeback(c.gw.SeedDebit(dec("30.00"), "EUR"), dec("30.00"), "000.100.200")
	must(t, err)
	tests := []struct {
		op, file, ptype string
	}{
		{"capture", "payment_id,amount,currency,memo\n" + pa1 + ",10.00,EUR,first\n" + pa1 + ",20.00,EUR,second\n", "CP"},
		{"reverse", "payment_id\n" + pa2 + "\n", "RV"},
		{"refund", "payment_id,amount,currency\n" + db1 + ",5.00,EUR\n" + db1 + ",5.00,EUR\n", "RF"},
		{"rebill", "payment_id,amount,currency,usage\n" + db1 + ",2.50,EUR,extra\n", "RB"},
		{"chargeback", "payment_id,amount,currency,reason\n" + db2 + ",40.00,EUR,fraud\n", "CB"},
		{"reverse-chargeback", "payment_id,amount,currency\n" + cb1 + ",30.00,EUR\n", "CR"},
		{"credit", "amount,currency,brand,card_number,holder,expiry\n25.00,EUR,VISA,4200000000000000,Jane Doe,12/2030\n10.00,EUR,MASTER,5454545454545454,John Roe,01/2031\n", "CD"},
	}
	for _, tt := range tests {
		path := writeFile(t, tt.op+".csv", tt.file, 0o600)
		r := c.do(tt.op, "--csv", path, "--json")
		rows := strings.Count(tt.file, "\n") - 1
		want := fmt.Sprintf(`"outcomes": {
    "ok": %d
  },`, rows)
		if r.code != exitOK || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, `"exitCode": 0`) {
			t.Errorf("%s: exit %d\n%s\n%s", tt.op, r.code, r.stdout, r.stderr)
			continue
		}
		results := strings.TrimSuffix(path, ".csv") + ".result.csv"
		recs := readCSV(t, results)
		for _, rec := range recs[1:] {
			commits := c.gw.CommitsFor(rec[4])
			if len(commits) != 1 || commits[0].PaymentType != tt.ptype || rec[6] != commits[0].PaymentID {
				t.Errorf("%s line %s: %v, commits %+v", tt.op, rec[0], rec, commits)
			}
		}
		data, _ := os.ReadFile(results)
		journal, _ := os.ReadFile(strings.TrimSuffix(path, ".csv") + ".journal")
		if strings.Contains(string(data)+string(journal), "4200000000000000") || strings.Contains(string(data)+string(journal), "5454545454545454") {
			t.Errorf("%s: a card number is in the result CSV or the journal", tt.op)
		}
	}
	for _, req := range c.gw.Requests() {
		if req.Form.Get("paymentType") == "CB" && req.Form.Get("customParameters[CHARGEBACK_REASON]") != "fraud" {
			t.Errorf("chargeback sent without its reason: %v", req.Form)
		}
	}
}

// TestBulkMalformedFiles: a file that is not a usable CSV is reported with
// the line, and nothing is sent.
func TestBulkMalformedFiles(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"bare quote", "payment_id,amount,currency\nabc,1.00,EUR\nab\"c,1.00,EUR\n", ":3: bare \" in non-quoted-field\n"},
		{"open quote", "payment_id,amount,currency\n\"abc,1.00,EUR\n", ":2: extraneous or missing \" in quoted-field\n"},
		{"empty", "", ":1: the file is empty: want a header row such as payment_id,amount,currency\n"},
		{"header only", "payment_id,amount,currency\n", ":1: the file has a header and no rows\n"},
		{"unknown column", "payment_id,amt,currency\nabc,1.00,EUR\n", ":1: unknown column \"amt\" (a refund file may have payment_id, amount, currency, key, usage, memo)\n"},
		{"missing column", "payment_id,currency\nabc,EUR\n", ":1: missing column \"amount\"\n"},
		{"reason on a refund", "payment_id,amount,currency,reason\nabc,1.00,EUR,x\n", ":1: unknown column \"reason\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t)
			path := writeFile(t, "f.csv", tt.content, 0o644)
			r := c.do("refund", "--csv", path)
			if r.code != exitInvalidRequest || !strings.Contains(r.stderr, path+tt.want) || !strings.Contains(r.stderr, "nothing was sent") {
				t.Errorf("exit %d, stderr %q; want %q", r.code, r.stderr, tt.want)
			}
			if len(c.gw.Requests()) != 0 {
				t.Errorf("requests were sent")
			}
		})
	}
}
