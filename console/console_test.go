package console_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
)

func TestNewValidatesOptions(t *testing.T) {
	c, _ := backofficetest.NewClient(t)
	if _, err := console.New(nil); err == nil || err.Error() != "console: New: client is nil" {
		t.Errorf("New(nil) = %v", err)
	}
	_, err := console.New(c, console.WithCSRFSecret([]byte("short")), console.WithAuthenticator(nil), console.WithAuditLogger(nil), console.WithClock(nil), nil)
	want := "console: WithCSRFSecret: the secret has 5 bytes, at least 32 are required\n" +
		"console: WithAuthenticator: auth is nil\n" +
		"console: WithAuditLogger: logger is nil\n" +
		"console: WithClock: now is nil\n" +
		"console: New: nil option"
	if err == nil || err.Error() != want {
		t.Errorf("New with bad options = %v, want\n%s", err, want)
	}
}

const wantCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// inlineRE finds inline script, inline style and event handler attributes,
// which the Content-Security-Policy would block.
var inlineRE = regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=`)

// checkSafe checks the headers every page carries, that nothing inline is
// rendered, and that the access token never is.
func checkSafe(t *testing.T, p page) {
	t.Helper()
	if got := p.header.Get("Content-Security-Policy"); got != wantCSP {
		t.Errorf("Content-Security-Policy = %q", got)
	}
	if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", p.header)
	}
	if m := inlineRE.FindString(p.body); m != "" {
		t.Errorf("page has inline code %q", m)
	}
	if strings.Contains(p.body, backofficetest.DefaultToken) {
		t.Error("page shows the access token")
	}
}

func TestTransactionsViewNewestFirst(t *testing.T) {
	e := newEnv(t, operator)
	a := e.seed("PA", "10.00", "order-a")
	b := e.seed("DB", "20.00", "order-b")
	c := e.seed("PA", "30.00", "order-c")
	p := e.get("/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	checkSafe(t, p)
	p.has(t, `href="/admin/opp/assets/console.css"`, `src="/admin/opp/assets/console.js"`, `value="2025-12-28"`, `value="2026-01-03"`,
		"10.00 EUR", "20.00 EUR", "30.00 EUR")
	ic, ib, ia := strings.Index(p.body, c), strings.Index(p.body, b), strings.Index(p.body, a)
	if !(ic < ib && ib < ia) || ia < 0 {
		t.Errorf("rows not newest first: positions %d %d %d", ic, ib, ia)
	}
	if !strings.Contains(p.body, `href="/admin/opp/payments/`+a+`"`) {
		t.Error("no link to the details of", a)
	}
}

func TestTransactionsSearch(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "10.00", "order-a")
	db := e.seed("DB", "20.00", "order-b")
	declined, err := e.gw.Seed(backofficetest.SeedPayment{PaymentType: "DB", Amount: amt("5.00"), MerchantTransactionID: "order-x", ResultCode: "800.100.151"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.client.Payment(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	all := []string{pa, db, declined}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"id", "id=" + pa, []string{pa}},
		{"merchantTransactionId", "merchantTransactionId=order-b", []string{db}},
		{"short id", "shortId=" + p.ShortID + "&merchantTransactionId=order-b", []string{db}},
		{"type", "type=DB", []string{db, declined}},
		{"result rejected", "result=rejected", []string{declined}},
		{"result succeeded", "result=succeeded", []string{pa, db}},
		{"type and result", "type=DB&result=succeeded", []string{db}},
		{"date range", "from=2026-01-01&to=2026-01-01", all},
		{"empty date range", "from=2025-12-01&to=2025-12-02", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := e.get("/?" + tc.query)
			if p.status != http.StatusOK {
				t.Fatalf("status %d", p.status)
			}
			for _, id := range all {
				shown := strings.Contains(p.body, `/payments/`+id+`"`)
				if want := strings.Contains(strings.Join(tc.want, " "), id); shown != want {
					t.Errorf("%s shown = %v, want %v", id, shown, want)
				}
			}
			if len(tc.want) == 0 {
				p.has(t, `data-test="empty"`)
			}
		})
	}
}

func TestTransactionsSearchRefusesBadInputNextToTheField(t *testing.T) {
	e := newEnv(t, operator)
	for _, tc := range []struct{ query, field, reason string }{
		{"from=2025-01-01&to=2026-01-01", `name="to" value="2026-01-01" aria-invalid="true"`, "is more than 31 days after From"},
		{"from=yesterday&to=2026-01-01", `name="from" value="yesterday" aria-invalid="true"`, "must be a date (yyyy-mm-dd)"},
	} {
		p := e.get("/?" + tc.query)
		p.has(t, tc.field, `data-problem="invalid"`, tc.reason)
	}
}

func TestTransactionsPaged(t *testing.T) {
	e := newEnv(t, operator)
	var ids []string
	for i := range 30 {
		ids = append(ids, e.seed("DB", fmt.Sprintf("%d.00", i+1), fmt.Sprintf("order-%02d", i)))
	}
	p1 := e.get("/")
	if n := strings.Count(p1.body, `data-test="open"`); n != 25 {
		t.Fatalf("page 1 has %d rows, want 25", n)
	}
	p1.has(t, ids[29], ids[5], `rel="next"`, `href="/admin/opp/?from=2025-12-28&amp;page=2&amp;to=2026-01-03"`)
	p1.lacks(t, ids[4], `rel="prev"`)
	p2 := e.get("/?from=2025-12-28&page=2&to=2026-01-03")
	if n := strings.Count(p2.body, `data-test="open"`); n != 5 {
		t.Fatalf("page 2 has %d rows, want 5", n)
	}
	p2.has(t, ids[4], ids[0], `rel="prev"`)
	p2.lacks(t, ids[5], `rel="next"`)
}

func TestDetailsView(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	cp, err := e.client.Capture(ctx, pa, backoffice.CaptureRequest{Amount: amt("60.00"), Currency: "EUR", MerchantTransactionID: "order-1-cp", Descriptor: "Parcel 1", MerchantMemo: "first parcel"})
	if err != nil {
		t.Fatal(err)
	}
	p := e.get("/payments/" + pa)
	if p.status != http.StatusOK {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	checkSafe(t, p)
	p.has(t, "Pre-Authorization", "100.00 EUR", "000.100.110", "Request successfully processed", "successfully processed transactions",
		"Left to capture</dt><dd class=\"num-l\">40.00 EUR",
		`data-op="capture"`, `href="/admin/opp/payments/`+pa+`/capture"`,
		`data-test="timeline"`, cp.ID, "order-1-cp", "60.00 EUR")
	p.lacks(t, `data-op="reverse"`, `data-op="refund"`)

	c := e.get("/payments/" + cp.ID)
	c.has(t, "Capture", "Parcel 1", "first parcel", `data-op="refund"`, `data-op="chargeback"`, "Left to refund", "Left to charge back",
		`href="/admin/opp/payments/`+pa+`"`)
}

func TestDetailsViewerSeesNoButtons(t *testing.T) {
	e := newEnv(t, viewer)
	pa := e.seed("PA", "100.00", "order-1")
	p := e.get("/payments/" + pa)
	p.lacks(t, "data-op=", `method="post"`)
	p.has(t, `data-test="withheld"`, "Your role does not allow: Capture, Reversal.", "view only")
	d := e.get("/payments/" + pa + "/capture")
	if d.status != http.StatusForbidden {
		t.Errorf("viewer's dialog: %d", d.status)
	}
	d.has(t, "Your role does not allow Capture")
}

func TestDetailsUnknownPayment(t *testing.T) {
	e := newEnv(t, operator)
	p := e.get("/payments/0123456789abcdef0123456789abcdef")
	if p.status != http.StatusNotFound {
		t.Errorf("status %d", p.status)
	}
	p.has(t, `data-problem="not-found"`, "OPP does not know this payment")
}

func TestDialogPrefilled(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	if _, err := e.client.Capture(ctx, pa, backoffice.CaptureRequest{Amount: amt("25.50"), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	p := e.get("/payments/" + pa + "/capture")
	checkSafe(t, p)
	f := p.form()
	if f.Get("amount") != "74.50" {
		t.Errorf("amount pre-filled with %q, want 74.50", f.Get("amount"))
	}
	if !regexp.MustCompile(`^[A-Za-z0-9]{16}$`).MatchString(f.Get("transactionId")) || f.Get("csrf") == "" {
		t.Errorf("form = %v", f)
	}
	if f2 := e.open(pa, backoffice.OperationCapture); f2.Get("transactionId") == f.Get("transactionId") {
		t.Error("two dialogs got the same Transaction ID")
	}
	p.has(t, `name="usage"`, `name="memo"`, `name="transactionId"`, "Amount (EUR)")
	p.lacks(t, `name="reason"`)
	// A capture is not on a debit's menu.
	db := e.seed("DB", "10.00", "order-2")
	if p := e.get("/payments/" + db + "/capture"); p.status != http.StatusConflict {
		t.Errorf("capture dialog on a DB: %d", p.status)
	}
	if p := e.get("/payments/" + db + "/explode"); p.status != http.StatusNotFound {
		t.Errorf("unknown operation: %d", p.status)
	}
}

func TestSubmitCapture(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationCapture)
	key := f.Get("transactionId")
	f.Set("amount", "30.00")
	f.Set("usage", "Parcel 1")
	f.Set("memo", "agent note")
	p := e.post("/payments/"+pa+"/capture", f)
	if p.status != http.StatusOK {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	checkSafe(t, p)
	commits := e.gw.CommitsFor(key)
	if len(commits) != 1 || commits[0].PaymentType != "CP" || commits[0].ReferencedID != pa || !commits[0].Amount.Equal(amt("30.00")) {
		t.Fatalf("commits for %s: %+v", key, commits)
	}
	newID := commits[0].PaymentID
	p.has(t, `data-test="confirmation"`, `<code data-copy-source data-test="new-id">`+newID+`</code>`,
		`<code data-copy-source data-test="key">`+key+`</code>`, `data-copy hidden>Copy</button>`, "30.00 EUR")
	p.lacks(t, `data-test="adopted"`)
	tx, _ := e.gw.Payment(newID)
	if tx.Descriptor != "Parcel 1" || tx.MerchantMemo != "agent note" {
		t.Errorf("committed %+v", tx)
	}
	audit := e.audit.lines(t)
	want := map[string]any{"level": "INFO", "msg": "console operation", "user": "olga", "operation": "capture", "payment_id": pa,
		"merchant_transaction_id": key, "amount": "30.00", "currency": "EUR", "outcome": "succeeded", "result_code": "000.100.110", "new_payment_id": newID}
	if len(audit) != 1 || fmt.Sprint(audit[0]) != fmt.Sprint(want) {
		t.Errorf("audit log = %v\nwant %v", audit, want)
	}
}

func TestResubmitMovesMoneyOnce(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationCapture)
	key := f.Get("transactionId")
	f.Set("amount", "10.00")
	first := e.post("/payments/"+pa+"/capture", f)
	second := e.post("/payments/"+pa+"/capture", f)
	if first.status != http.StatusOK || second.status != http.StatusOK {
		t.Fatalf("statuses %d %d", first.status, second.status)
	}
	second.has(t, `data-test="adopted"`, key)
	if n := len(e.gw.CommitsFor(key)); n != 1 {
		t.Fatalf("%d commits for one form", n)
	}
	// A new console (another instance, or after a restart) finds the
	// first submission in OPP's records.
	e.restart()
	f2 := e.open(pa, backoffice.OperationCapture)
	f2.Set("transactionId", key)
	f2.Set("amount", "10.00")
	third := e.post("/payments/"+pa+"/capture", f2)
	third.has(t, `data-test="adopted"`, e.gw.CommitsFor(key)[0].PaymentID)
	if n := len(e.gw.CommitsFor(key)); n != 1 {
		t.Fatalf("%d commits after a restart", n)
	}
}

func TestConcurrentSubmitsMoveMoneyOnce(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationCapture)
	f.Set("amount", "10.00")
	var wg sync.WaitGroup
	pages := make([]page, 5)
	for i := range pages {
		wg.Go(func() {
			resp, err := e.http.PostForm(e.srv.URL+prefix+"/payments/"+pa+"/capture", f)
			if err != nil {
				t.Error(err)
				return
			}
			pages[i] = readPage(t, resp)
		})
	}
	wg.Wait()
	if n := len(e.gw.CommitsFor(f.Get("transactionId"))); n != 1 {
		t.Fatalf("%d commits for five concurrent submissions", n)
	}
	adopted := 0
	for _, p := range pages {
		if p.status != http.StatusOK {
			t.Errorf("status %d", p.status)
		}
		if strings.Contains(p.body, `data-test="adopted"`) {
			adopted++
		}
	}
	if adopted != 4 {
		t.Errorf("%d pages say the form was already submitted, want 4", adopted)
	}
}

func TestSubmitRefusesBadCSRF(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	good := e.open(pa, backoffice.OperationCapture)
	for _, tc := range []struct {
		name  string
		form  func() url.Values
		setup func()
	}{
		{"no token", func() url.Values { f := clone(good); f.Del("csrf"); return f }, nil},
		{"forged token", func() url.Values { f := clone(good); f.Set("csrf", "AAAA"); return f }, nil},
		{"another user's token", func() url.Values { return clone(good) }, func() { e.user.Name = "mallory" }},
		{"no cookie", func() url.Values { return clone(good) }, func() { e.http.Jar, _ = newJar() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			p := e.post("/payments/"+pa+"/capture", tc.form())
			if p.status != http.StatusForbidden {
				t.Errorf("status %d", p.status)
			}
			p.has(t, "Form expired", "Nothing was sent")
		})
	}
	// A browser's cross-site POST is refused even with a valid token.
	e.http.Jar, _ = newJar()
	e.user.Name = "olga"
	f := e.open(pa, backoffice.OperationCapture)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+prefix+"/payments/"+pa+"/capture", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if p := readPage(t, resp); p.status != http.StatusForbidden || !strings.Contains(p.body, "sent from another site") {
		t.Errorf("cross-site POST: %d", p.status)
	}
	if n := len(e.gw.Ledger()); n != 0 {
		t.Errorf("ledger has %d commits", n)
	}
	a := e.audit.lines(t)
	if last := a[len(a)-1]; last["outcome"] != "refused_cross_origin" {
		t.Errorf("audit %v", last)
	}
	for _, l := range a[:len(a)-1] {
		if l["outcome"] != "refused_csrf" || l["level"] != "WARN" {
			t.Errorf("audit %v", l)
		}
	}
}

func TestSubmitRefusesWithoutPermission(t *testing.T) {
	e := newEnv(t, console.User{Name: "rita", Operations: []backoffice.Operation{backoffice.OperationRefund}})
	pa := e.seed("PA", "100.00", "order-1")
	db := e.seed("DB", "10.00", "order-2")
	csrf := e.open(db, backoffice.OperationRefund).Get("csrf")
	p := e.post("/payments/"+pa+"/capture", url.Values{"csrf": {csrf}, "amount": {"10.00"}, "transactionId": {"k1"}})
	if p.status != http.StatusForbidden {
		t.Errorf("status %d", p.status)
	}
	p.has(t, "Your role does not allow Capture")
	if n := len(e.gw.Ledger()); n != 0 {
		t.Errorf("ledger has %d commits", n)
	}
	a := e.audit.lines(t)
	if len(a) != 1 || a[0]["outcome"] != "refused_permission" || a[0]["user"] != "rita" || a[0]["operation"] != "capture" {
		t.Errorf("audit %v", a)
	}
}

func TestUnauthenticated(t *testing.T) {
	c, _ := backofficetest.NewClient(t)
	h, err := console.New(c, console.WithAuthenticator(func(*http.Request) (console.User, error) { return console.User{}, errors.New("no session") }))
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, h)
	resp, err := http.Get(srv + "/")
	if err != nil {
		t.Fatal(err)
	}
	p := readPage(t, resp)
	if p.status != http.StatusUnauthorized {
		t.Errorf("status %d", p.status)
	}
	p.has(t, "Not signed in")
}

func TestDefaultIsViewOnly(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	pa := gw.SeedPreAuthorization(amt("10.00"), "EUR")
	h, err := console.New(c)
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, h)
	resp, err := http.Get(srv + "/payments/" + pa)
	if err != nil {
		t.Fatal(err)
	}
	p := readPage(t, resp)
	p.has(t, "view only", "Your role does not allow: Capture, Reversal.")
	p.lacks(t, "data-op=")
}

func TestValidationShownNextToTheField(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"too many decimals", "amount", "1.234", `<p class="field-err" id="amount-err" data-error="amount">Amount has more decimals than EUR allows (2)</p>`},
		{"not a number", "amount", "ten", `data-error="amount">Amount must be a number such as 12.50</p>`},
		{"zero", "amount", "0", `data-error="amount">Amount must be greater than zero</p>`},
		{"usage too long", "usage", strings.Repeat("u", 128), `data-error="usage">Usage is longer than 127 characters</p>`},
		{"bad transaction id", "transactionId", "a b", `data-error="transactionId">Transaction ID may hold only letters, digits and . _ : / -</p>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := e.open(pa, backoffice.OperationCapture)
			f.Set(tc.field, tc.value)
			p := e.post("/payments/"+pa+"/capture", f)
			if p.status != http.StatusUnprocessableEntity {
				t.Errorf("status %d", p.status)
			}
			p.has(t, tc.want)
			if got := p.form(); got.Get("transactionId") != f.Get("transactionId") || got.Get(tc.field) != tc.value {
				t.Errorf("the form lost what was typed: %v", got)
			}
		})
	}
	if n := len(e.gw.Ledger()); n != 0 {
		t.Errorf("ledger has %d commits", n)
	}
}

func TestChargebackAsksForTheReason(t *testing.T) {
	e := newEnv(t, operator)
	db := e.seed("DB", "50.00", "order-1")
	p := e.get("/payments/" + db + "/chargeback")
	p.has(t, `name="reason"`, "Bank's reason")
	f := p.form()
	if f.Get("amount") != "50.00" {
		t.Errorf("amount %q", f.Get("amount"))
	}
	f.Set("reason", "4837 No cardholder authorization")
	if r := e.post("/payments/"+db+"/chargeback", f); r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	c := e.gw.CommitsFor(f.Get("transactionId"))
	if len(c) != 1 {
		t.Fatalf("commits %v", c)
	}
	tx, _ := e.gw.Payment(c[0].PaymentID)
	if tx.PaymentType != "CB" || tx.CustomParameters[backoffice.ChargebackReasonParameter] != "4837 No cardholder authorization" {
		t.Errorf("chargeback %+v", tx)
	}
	cb := e.get("/payments/" + c[0].PaymentID)
	cb.has(t, "Chargeback reason</dt><dd>4837 No cardholder authorization", `data-op="reverse_chargeback"`)
}

func TestFullReversalSendsNoAmount(t *testing.T) {
	e := newEnv(t, operator)
	pa := e.seed("PA", "100.00", "order-1")
	f := e.open(pa, backoffice.OperationReverse)
	if f.Get("amount") != "100.00" {
		t.Fatalf("amount %q", f.Get("amount"))
	}
	if p := e.post("/payments/"+pa+"/reverse", f); p.status != http.StatusOK {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	c := e.gw.CommitsFor(f.Get("transactionId"))
	if len(c) != 1 || !c[0].Amount.IsZero() || c[0].Currency != "" {
		t.Errorf("reversal committed %+v, want a full reversal", c)
	}
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestAssetsEmbedded(t *testing.T) {
	e := newEnv(t, viewer)
	for path, ctype := range map[string]string{
		"/assets/console.css": "text/css; charset=utf-8",
		"/assets/console.js":  "text/javascript; charset=utf-8",
		"/assets/favicon.svg": "image/svg+xml",
	} {
		p := e.get(path)
		if p.status != http.StatusOK || p.header.Get("Content-Type") != ctype || len(p.body) < 100 {
			t.Errorf("%s: %d %q %d bytes", path, p.status, p.header.Get("Content-Type"), len(p.body))
		}
		if p.header.Get("Content-Security-Policy") != wantCSP {
			t.Errorf("%s without the CSP", path)
		}
	}
	if p := e.get("/assets/nothing.js"); p.status != http.StatusNotFound {
		t.Errorf("unknown asset: %d", p.status)
	}
}

func TestMountedAtTheRoot(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	pa := gw.SeedPreAuthorization(amt("10.00"), "EUR")
	h, err := console.New(c, console.WithAuthenticator(func(*http.Request) (console.User, error) { return operator, nil }))
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, h)
	resp, err := http.Get(srv + "/payments/" + pa)
	if err != nil {
		t.Fatal(err)
	}
	p := readPage(t, resp)
	p.has(t, `href="/assets/console.css"`, `href="/payments/`+pa+`/capture"`, `<a class="brand" href="/">`)
}
