package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/resultcodes"
)

// bulkFlags are the flags of a bulk run.
type bulkFlags struct {
	csv, result, journal, batch string
	concurrency                 int
	dryRun                      bool
}

const maxConcurrency = 64

func (b *bulkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.csv, "csv", "", "bulk run: one operation per row of this CSV `file` (header: payment_id,amount,currency[,key,usage,memo])")
	fs.StringVar(&b.result, "result", "", "bulk run: write each row's outcome, new id and code to this CSV `file` (default FILE.result.csv)")
	fs.StringVar(&b.journal, "journal", "", "bulk run: the journal `file` that makes the run resumable (default FILE.journal)")
	fs.StringVar(&b.batch, "batch", "", "bulk run: the `name` the rows' keys are derived from (default the file's name without extension)")
	fs.IntVar(&b.concurrency, "concurrency", 8, fmt.Sprintf("bulk run: operations in flight at once (1-%d)", maxConcurrency))
	fs.BoolVar(&b.dryRun, "dry-run", false, "bulk run: check every row and report all problems; send nothing")
}

func (b *bulkFlags) set() bool {
	return b.result != "" || b.journal != "" || b.batch != "" || b.dryRun || b.concurrency != 8
}

// rowResult is a row's outcome in this run.
type rowResult struct {
	rowOutcome
	skipped bool // finished in an earlier run
}

// bulkRun is one run over a bulk file.
type bulkRun struct {
	a      *app
	spec   opSpec
	cf     *common
	c      *backoffice.Client
	rows   []row
	states map[string]keyState // the journal as the run found it
	j      *journal
	prog   progress
}

// runBulk runs a bulk file: it checks every row, then performs them with
// bounded concurrency, journalling each, and writes the result CSV.
func (a *app) runBulk(ctx context.Context, spec opSpec, cf *common, b *bulkFlags) int {
	if b.concurrency < 1 || b.concurrency > maxConcurrency {
		fmt.Fprintf(a.stderr, "oppbo %s: --concurrency must be 1-%d\n", spec.name, maxConcurrency)
		return exitUsage
	}
	if b.batch == "" {
		b.batch = defaultBatch(b.csv)
	}
	stem := strings.TrimSuffix(b.csv, filepath.Ext(b.csv))
	if b.result == "" {
		b.result = stem + ".result.csv"
	}
	if b.journal == "" {
		b.journal = stem + ".journal"
	}
	rows, probs, err := readRows(b.csv, spec, b.batch)
	if err != nil {
		return a.fail(err)
	}
	more, err := validateRows(spec, rows, probs)
	if err != nil {
		return a.fail(err)
	}
	probs = append(probs, more...)
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].line < probs[j].line })
		for _, p := range probs {
			fmt.Fprintf(a.stderr, "%s:%d: %s\n", b.csv, p.line, p.msg)
		}
		fmt.Fprintf(a.stderr, "oppbo %s: %s in %s; nothing was sent\n", spec.name, count(len(probs), "problem"), b.csv)
		return exitInvalidRequest
	}
	if b.dryRun {
		fmt.Fprintf(a.stderr, "oppbo %s: dry run: %d rows are valid; nothing was sent\n", spec.name, len(rows))
		return exitOK
	}
	c, s, err := a.client(cf)
	if err != nil {
		return a.fail(err)
	}
	j, states, err := openJournal(b.journal, journalHeader{Version: 1, Op: string(spec.op), Batch: b.batch})
	if err != nil {
		return a.fail(err)
	}
	defer j.Close()
	if orphans := orphaned(rows, states); len(orphans) > 0 {
		fmt.Fprintf(a.stderr, "oppbo %s: the journal %s holds %d operations that may have moved money and whose rows are not in %s any more (keys %s).\n"+
			"Restore those rows, or settle each with 'oppbo find <key>', before running this file.\n",
			spec.name, b.journal, len(orphans), b.csv, strings.Join(orphans, ", "))
		return exitUsage
	}
	if !a.confirm(s, cf, fmt.Sprintf("%s %d rows from %s", spec.name, len(rows), b.csv)) {
		return exitUsage
	}
	r := &bulkRun{a: a, spec: spec, cf: cf, c: c, rows: rows, states: states, j: j}
	r.prog = newProgress(a.stderr, spec.name, len(rows))
	results := r.run(ctx, b.concurrency)
	r.prog.finish()
	code := r.summarise(results, b)
	if err := writeResults(b.result, rows, results); err != nil {
		fmt.Fprintf(a.stderr, "oppbo: the result CSV could not be written (the journal holds every outcome; run the same command again to write it): %v\n", err)
		if code == exitOK {
			code = exitBulkFailed
		}
	}
	if err := j.failed(); err != nil {
		fmt.Fprintf(a.stderr, "oppbo: %v: rows after the failure were not sent\n", err)
	}
	return code
}

// orphaned lists the journal's keys whose money may have moved but whose
// rows are not in the file.
func orphaned(rows []row, states map[string]keyState) []string {
	keys := make(map[string]bool, len(rows))
	for _, rw := range rows {
		keys[rw.key] = true
	}
	var out []string
	for k, s := range states {
		if s.unresolved() && !keys[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// run performs the rows with n workers. When ctx ends it hands out no more
// rows; calls in flight finish (within --timeout) and are journalled, as
// unknown if that is what they came to.
func (r *bulkRun) run(ctx context.Context, n int) []rowResult {
	// Rows the journal finished are done: they count at once.
	results := make([]rowResult, len(r.rows))
	var todo []int
	for i, rw := range r.rows {
		if st := r.states[rw.key]; st.done != nil && st.done.Outcome.final() {
			results[i] = rowResult{rowOutcome: *st.done, skipped: true}
			r.prog.add(rw, results[i])
			continue
		}
		results[i].Outcome = outcomeNotAttempted
		todo = append(todo, i)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = r.process(ctx, r.rows[i])
				r.prog.add(r.rows[i], results[i])
			}
		}()
	}
	stopped := false
feed:
	for _, i := range todo {
		select {
		case next <- i:
		case <-ctx.Done():
			stopped = true
			break feed
		}
		if r.j.failed() != nil {
			break
		}
	}
	close(next)
	if stopped {
		r.prog.note("stopping: no new rows; waiting for the calls in flight (Ctrl-C again to quit at once, the journal keeps them)")
	}
	wg.Wait()
	return results
}

// process performs one row exactly once across runs. A row the journal
// saw sent without a final outcome is looked up by its key first, and sent
// again only when OPP answers that it has no such transaction.
func (r *bulkRun) process(ctx context.Context, rw row) rowResult {
	if ctx.Err() != nil || r.j.failed() != nil {
		return rowResult{rowOutcome: rowOutcome{Outcome: outcomeNotAttempted}}
	}
	// Calls that have started finish even after Ctrl-C, bounded by
	// --timeout; an interrupted call is an unknown outcome, journalled.
	cctx, cancel := callContext(context.WithoutCancel(ctx), r.cf)
	defer cancel()
	if st := r.states[rw.key]; st.sent {
		if o, settled := r.settle(cctx, rw); settled {
			return r.finish(rw, o)
		}
		if ctx.Err() != nil {
			return rowResult{rowOutcome: rowOutcome{Outcome: outcomeNotAttempted}}
		}
	}
	if err := r.j.record(journalRecord{Key: rw.key, Line: rw.line, State: "sent"}); err != nil {
		return rowResult{rowOutcome: rowOutcome{Outcome: outcomeNotAttempted}}
	}
	p, err := perform(cctx, r.c, r.spec.op, rw.ref, rw.f)
	return r.finish(rw, callOutcome(p, err))
}

// finish journals a row's outcome.
func (r *bulkRun) finish(rw row, o rowOutcome) rowResult {
	if err := r.j.record(journalRecord{Key: rw.key, Line: rw.line, State: "done", rowOutcome: o}); err != nil {
		// The outcome is not durable: the next run looks the row up.
		r.prog.note(fmt.Sprintf("line %d: %v", rw.line, err))
	}
	return rowResult{rowOutcome: o}
}

// settle looks up a row that an earlier run sent. settled is false when
// OPP answered that no transaction carries the key: the row may be sent.
// A failed lookup, or a record that contradicts the row, settles it as
// unknown: nothing is sent on a guess.
func (r *bulkRun) settle(ctx context.Context, rw row) (rowOutcome, bool) {
	ps, err := r.c.PaymentsByMerchantTransactionID(ctx, rw.key)
	if err != nil {
		return rowOutcome{Outcome: outcomeUnknown, Description: "lookup failed: " + err.Error()}, true
	}
	if len(ps) == 0 {
		return rowOutcome{}, false
	}
	amount, _ := parseAmount(rw.f.amount)
	var found *backoffice.Payment
	for _, p := range ps {
		if p.PaymentType != r.spec.op.PaymentType() || p.ReferencedID != rw.ref {
			continue
		}
		if p.Currency != "" && rw.f.currency != "" && (p.Currency != rw.f.currency || !p.Amount.Equal(amount)) {
			continue
		}
		if found == nil || !found.Succeeded() {
			found = p
		}
	}
	if found == nil {
		return rowOutcome{Outcome: outcomeUnknown, Description: fmt.Sprintf("%d transactions carry the key and none matches the row: check with oppbo find %s", len(ps), rw.key)}, true
	}
	return paymentOutcome(found), true
}

// paymentOutcome is the outcome of a transaction OPP recorded.
func paymentOutcome(p *backoffice.Payment) rowOutcome {
	o := rowOutcome{ID: p.ID, Code: p.Result.Code, Description: p.Result.Description}
	switch cat := p.Result.Category(); {
	case p.Pending():
		o.Outcome = outcomePending
	case p.Succeeded():
		o.Outcome = outcomeOK
	case cat == resultcodes.RejectedCommunication || p.Result.Code == "800.120.100" || p.Result.Code == "800.600.100" || p.Result.Code == "800.110.100":
		o.Outcome = outcomeUnknown // OPP itself did not know
	case cat == resultcodes.Unknown:
		o.Outcome = outcomeUnknownCode
	default:
		o.Outcome = outcomeRejected
	}
	return o
}

// callOutcome is the outcome of an SDK call.
func callOutcome(p *backoffice.Payment, err error) rowOutcome {
	if err == nil {
		o := rowOutcome{Outcome: outcomeOK, ID: p.ID, Code: p.Result.Code, Description: p.Result.Description}
		if p.Pending() {
			o.Outcome = outcomePending
		}
		return o
	}
	out, _ := classify(err)
	o := rowOutcome{Outcome: out, Description: err.Error()}
	var e *backoffice.Error
	var u *backoffice.OutcomeUnknownError
	switch {
	case errors.As(err, &e):
		o.ID, o.Code, o.Description = e.PaymentID, e.Code, e.Description
		if o.Description == "" {
			o.Description = err.Error()
		}
	case errors.As(err, &u):
		o.ID = u.PaymentID
	}
	return o
}

// resultHeader is the result CSV's header.
var resultHeader = []string{"line", "payment_id", "amount", "currency", "key", "outcome", "id", "code", "description"}

// writeResults writes the result CSV: every row of the file, in its order,
// with its outcome (not_attempted for rows a stopped run did not reach).
// It replaces the file atomically.
func writeResults(path string, rows []row, results []rowResult) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := csv.NewWriter(tmp)
	w.Write(resultHeader)
	for i, rw := range rows {
		res := results[i]
		ref := rw.ref
		if ref == "" && rw.last4 != "" {
			ref = "card ..." + rw.last4
		}
		w.Write([]string{strconv.Itoa(rw.line), ref, rw.f.amount, rw.f.currency, rw.key, string(res.Outcome), res.ID, res.Code, res.Description})
	}
	w.Flush()
	if err := errors.Join(w.Error(), tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// summarise prints the run's summary and returns its exit code.
func (r *bulkRun) summarise(results []rowResult, b *bulkFlags) int {
	counts := map[outcome]int{}
	skipped := 0
	for _, res := range results {
		counts[res.Outcome]++
		if res.skipped {
			skipped++
		}
	}
	failed := 0
	for o, n := range counts {
		if o != outcomeOK && o != outcomePending && o != outcomeUnknown && o != outcomeNotAttempted {
			failed += n
		}
	}
	var parts []string
	for _, o := range []outcome{outcomeOK, outcomePending, outcomeDeclined, outcomeRejected, outcomeInvalid, outcomeUnauthorized, outcomeNotFound,
		outcomeNotAllowed, outcomeGateway, outcomeUnknownCode, outcomeNetwork, outcomeUnknown, outcomeNotAttempted} {
		if counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
		}
	}
	fmt.Fprintf(r.a.stderr, "oppbo %s: %d rows: %s (%d done in earlier runs)\nresults: %s\njournal: %s\n",
		r.spec.name, len(results), strings.Join(parts, ", "), skipped, b.result, b.journal)
	code := exitOK
	switch {
	case counts[outcomeUnknown] > 0:
		fmt.Fprintf(r.a.stderr, "%d rows have an unknown outcome: run the same command again to look them up and finish them\n", counts[outcomeUnknown])
		code = exitOutcomeUnknown
	case counts[outcomeNotAttempted] > 0:
		fmt.Fprintf(r.a.stderr, "stopped before %d rows: run the same command again to finish them\n", counts[outcomeNotAttempted])
		code = exitBulkInterrupted
	case failed > 0:
		code = exitBulkFailed
	}
	if r.cf.json {
		writeJSON(r.a.stdout, bulkSummary{Operation: r.spec.name, Rows: len(results), Outcomes: counts,
			DoneEarlier: skipped, Result: b.result, Journal: b.journal, ExitCode: code})
	}
	return code
}

// bulkSummary is a bulk run's summary as --json prints it.
type bulkSummary struct {
	Operation   string          `json:"operation"`
	Rows        int             `json:"rows"`
	Outcomes    map[outcome]int `json:"outcomes"`
	DoneEarlier int             `json:"doneEarlier"`
	Result      string          `json:"result"`
	Journal     string          `json:"journal"`
	ExitCode    int             `json:"exitCode"`
}

// count writes n and noun, in the plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
