package console_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/resultcodes"
)

// firstCode returns the catalogue's first code of category c.
func firstCode(t *testing.T, c resultcodes.Category) string {
	for _, code := range resultcodes.All() {
		if code.Category == c {
			return code.Code
		}
	}
	t.Fatalf("no code of category %v", c)
	return ""
}

// recode is a transport that hands requests to the gateway and, while on,
// rewrites the result code of the answers to POSTs: a code OPP might add
// later, which the catalogue does not know.
type recode struct {
	gw   atomic.Pointer[backofficetest.Gateway]
	on   atomic.Bool
	from string
	to   string
}

func (rc *recode) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := rc.gw.Load().RoundTrip(r)
	if err != nil || r.Method != http.MethodPost || !rc.on.Load() {
		return resp, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b = bytes.ReplaceAll(b, []byte(rc.from), []byte(rc.to))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return resp, nil
}

// TestEveryErrorCategoryRendered submits a capture that fails in each of
// the nine ways and checks what the support agent reads.
func TestEveryErrorCategoryRendered(t *testing.T) {
	for _, tc := range []struct {
		kind    string
		arrange func(e *env, rc *recode)
		amount  string
		status  int
		want    []string
		newKey  bool // OPP recorded the Transaction ID: the form gets a new one
		closed  bool // the outcome is unknown: the form is not offered again
	}{
		{kind: "declined", arrange: func(e *env, _ *recode) { e.gw.SetNextResults("CP", 1, "800.100.151") }, status: http.StatusConflict,
			want: []string{"Declined", "No money moved.", "<code>800.100.151</code> transaction declined (invalid card)"}, newKey: true},
		{kind: "invalid", arrange: func(e *env, _ *recode) { e.gw.SetNextResults("CP", 1, firstCode(t, resultcodes.RejectedFormat)) }, status: http.StatusUnprocessableEntity,
			want: []string{"Check the values", "no money moved", "<code>" + firstCode(t, resultcodes.RejectedFormat) + "</code>"}, newKey: true},
		{kind: "unauthorized", arrange: func(e *env, _ *recode) { e.gw.DenyOperations(backofficetest.DefaultToken, "CP") }, status: http.StatusForbidden,
			want: []string{"Not permitted at OPP", "<code>800.900.301</code>", "Ask whoever manages the merchant&#39;s OPP account"}, newKey: true},
		{kind: "not-found", arrange: func(e *env, _ *recode) { e.gw.SetNextResults("CP", 1, "700.100.100") }, status: http.StatusNotFound,
			want: []string{"Payment not found", "<code>700.100.100</code>"}, newKey: true},
		{kind: "not-allowed", amount: "150.00", status: http.StatusConflict,
			want: []string{"Not possible in this state", "Reload the payment to see what is left"}, newKey: true},
		{kind: "gateway", arrange: func(e *env, _ *recode) { e.gw.SetNextResults("CP", 1, firstCode(t, resultcodes.RejectedSystem)) }, status: http.StatusBadGateway,
			want: []string{"OPP or the bank had a technical problem", "Try again in a few minutes", "<code>" + firstCode(t, resultcodes.RejectedSystem) + "</code>"}, newKey: true},
		{kind: "unknown-code", arrange: func(_ *env, rc *recode) { rc.on.Store(true) }, status: http.StatusBadGateway,
			want: []string{"Unrecognised answer from OPP", "<code>000.999.999</code>", "Do not submit again", `data-test="lookup"`}, closed: true},
		{kind: "network", arrange: func(e *env, _ *recode) { e.gw.FailNext("CP", 3, backofficetest.Refused) }, status: http.StatusBadGateway,
			want: []string{"Could not reach OPP", "provably did not reach OPP", "the form keeps its Transaction ID"}},
		{kind: "outcome-unknown", arrange: func(e *env, _ *recode) {
			e.gw.FailNext("CP", 1, backofficetest.DropAfterCommit)
			var unsub func()
			unsub = e.gw.Subscribe(func(backofficetest.Event) {
				unsub()
				e.gw.InjectFault(backofficetest.Fault{Operation: "query", Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit}})
			})
		}, status: http.StatusBadGateway,
			want: []string{"Outcome unknown: the money may have moved", "Do not start the operation again with a new Transaction ID", `data-test="lookup"`}, closed: true},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			rc := &recode{from: `"000.100.110"`, to: `"000.999.999"`}
			e := newEnv(t, operator, backoffice.WithHTTPClient(&http.Client{Transport: rc}))
			rc.gw.Store(e.gw)
			pa := e.seed("PA", "100.00", "order-1")
			f := e.open(pa, backoffice.OperationCapture)
			key := f.Get("transactionId")
			f.Set("amount", "10.00")
			if tc.amount != "" {
				f.Set("amount", tc.amount)
			}
			if tc.arrange != nil {
				tc.arrange(e, rc)
			}
			p := e.post("/payments/"+pa+"/capture", f)
			e.gw.ClearFaults()
			if p.status != tc.status {
				t.Errorf("status %d, want %d", p.status, tc.status)
			}
			p.has(t, `data-problem="`+tc.kind+`"`)
			p.has(t, tc.want...)
			checkSafe(t, p)
			if tc.closed {
				p.lacks(t, `method="post"`)
				p.has(t, `href="/admin/opp/?merchantTransactionId=`+key+`"`)
				return
			}
			got := p.form().Get("transactionId")
			if tc.newKey == (got == key) || got == "" {
				t.Errorf("Transaction ID after the error %q (was %q), want a new one: %v", got, key, tc.newKey)
			}
			a := e.audit.lines(t)
			if len(a) != 1 || a[0]["outcome"] != tc.kind || a[0]["merchant_transaction_id"] != key || a[0]["user"] != "olga" {
				t.Errorf("audit %v", a)
			}
		})
	}
}

// TestOutcomeUnknownLookup follows the outcome-unknown page's link: the
// lookup by Transaction ID shows the capture OPP did commit.
func TestOutcomeUnknownLookup(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationCapture)
	f.Set("amount", "10.00")
	e.gw.FailNext("CP", 1, backofficetest.DropAfterCommit)
	unsub := e.gw.Subscribe(func(backofficetest.Event) {
		e.gw.InjectFault(backofficetest.Fault{Operation: "query", Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit}})
	})
	p := e.post("/payments/"+pa+"/capture", f)
	unsub()
	e.gw.ClearFaults()
	p.has(t, `data-problem="outcome-unknown"`)
	key := f.Get("transactionId")
	l := e.get("/?merchantTransactionId=" + key)
	c := e.gw.CommitsFor(key)
	if len(c) != 1 {
		t.Fatalf("commits %v", c)
	}
	l.has(t, c[0].PaymentID, key, "10.00 EUR")
	// Submitting the same form again shows the committed capture and sends nothing.
	again := e.post("/payments/"+pa+"/capture", f)
	again.has(t, `data-test="adopted"`, c[0].PaymentID)
	if n := len(e.gw.CommitsFor(key)); n != 1 {
		t.Errorf("%d commits", n)
	}
	if !strings.Contains(l.body, `data-test="open"`) {
		t.Error("no row")
	}
}

// TestKeyCheckFailureSendsNothing: before sending, the console asks OPP
// whether the form's Transaction ID was used already; when OPP cannot
// answer, nothing is sent and the form keeps its Transaction ID.
func TestKeyCheckFailureSendsNothing(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationCapture)
	f.Set("amount", "10.00")
	e.gw.InjectFault(backofficetest.Fault{Operation: "query", Count: 3, Kinds: []backofficetest.FaultKind{backofficetest.StatusBeforeCommit}})
	p := e.post("/payments/"+pa+"/capture", f)
	if p.status != http.StatusBadGateway {
		t.Errorf("status %d", p.status)
	}
	p.has(t, `data-problem="gateway"`, "that check failed: nothing was sent")
	if got := p.form().Get("transactionId"); got != f.Get("transactionId") {
		t.Errorf("Transaction ID %q, want the form's %q", got, f.Get("transactionId"))
	}
	if n := len(e.gw.Ledger()); n != 0 {
		t.Errorf("ledger has %d commits", n)
	}
	a := e.audit.lines(t)
	if len(a) != 1 || a[0]["outcome"] != "key_lookup_failed" {
		t.Errorf("audit %v", a)
	}
	// Once OPP answers again, the same form goes through.
	if p := e.post("/payments/"+pa+"/capture", f); p.status != http.StatusOK {
		t.Fatalf("resubmit: %d", p.status)
	}
	if n := len(e.gw.CommitsFor(f.Get("transactionId"))); n != 1 {
		t.Errorf("%d commits", n)
	}
}
