package console_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
	"github.com/shopspring/decimal"
)

// findBrowser returns the path of a Chromium or Chrome: $CHROMIUM if set,
// else the first of the usual names on $PATH.
func findBrowser() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium for the test, or skips the test when
// there is none (it fails instead in CI, where one must be installed).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := findBrowser()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found in CI: install Debian's chromium package (apt-get install chromium) or set CHROMIUM")
		}
		t.Skip("no Chromium found: the console's browser test needs one. Install it (apt-get install chromium) or set CHROMIUM=/path/to/chrome, then run: go test -run TestBrowser ./console")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-prompt-on-repost", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 860),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// A bound for a browser that hangs, not a speed requirement.
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// screenshot saves the viewport as docs/console-NAME.png when
// UPDATE_SCREENSHOTS=1, for the README.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "console-"+name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser uses the console in a real browser as a support agent would:
// it searches for a pre-authorization, captures part of it through the
// dialog, refunds part of the capture, books a chargeback and reverses it,
// checking the confirmation and the fake's ledger at each step; it
// double-clicks Submit and finds one commit; and a viewer sees no buttons.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	// Every message of the page's console: a Content-Security-Policy
	// violation, a failed asset or a script error shows up here.
	var (
		msgMu    sync.Mutex
		messages []string
		endSeen  = make(chan struct{})
	)
	listenCtx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	consoleMessages := chromedp.Console(listenCtx)
	go func() {
		for m, err := range consoleMessages {
			if err != nil {
				return
			}
			if m.Text == "browser-test-end" {
				close(endSeen)
				return
			}
			msgMu.Lock()
			messages = append(messages, string(m.Type)+": "+m.Text)
			msgMu.Unlock()
		}
	}()
	fake, gw := backofficetest.NewServer(t)
	client := gw.Client(t, backoffice.WithBaseURL(fake.URL), backoffice.WithHTTPClient(fake.Client()))
	var user atomic.Pointer[console.User]
	user.Store(&console.User{Name: "olga", Operations: console.AllOperations()})
	audit := &syncBuffer{}
	h, err := console.New(client,
		console.WithAuditLogger(slog.New(slog.NewJSONHandler(audit, nil))),
		console.WithAuthenticator(func(*http.Request) (console.User, error) { return *user.Load(), nil }),
		console.WithClock(func() time.Time { return today }))
	if err != nil {
		t.Fatal(err)
	}
	var posts atomic.Int32
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := srv.URL + prefix

	seed := func(typ, amount, cur, mtid, brand, code string) string {
		id, err := gw.Seed(backofficetest.SeedPayment{PaymentType: typ, Amount: decimal.RequireFromString(amount), Currency: cur,
			MerchantTransactionID: mtid, PaymentBrand: brand, ResultCode: code})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	seed("DB", "49.90", "EUR", "order-0998", "VISA", "")
	seed("PA", "120.00", "GBP", "order-0999", "MASTER", "")
	seed("DB", "15.00", "EUR", "order-1000", "VISA", "800.100.151")
	pa := seed("PA", "250.00", "EUR", "order-1001", "VISA", "")
	seed("DB", "74.00", "CHF", "order-1002", "AMEX", "")
	seed("PA", "18.50", "EUR", "order-1003", "VISA", "000.200.000")

	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	value := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("value of %s: %v", sel, err)
		}
		return s
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	// operate fills the open dialog and submits it, and checks the
	// confirmation against the fake's ledger: one commit of type typ,
	// amount and reference ref under the dialog's Transaction ID.
	var operateNoCopy func(amount, typ, ref string) string
	operate := func(amount, typ, ref string, extra map[string]string) (newID string) {
		t.Helper()
		for sel, v := range extra {
			do(chromedp.SetValue(chromedp.CSS(sel), v))
		}
		newID = operateNoCopy(amount, typ, ref)
		if n := count(`button[data-copy]:not([hidden])`); n != 2 {
			t.Errorf("%d copy buttons shown on the confirmation, want 2", n)
		}
		return newID
	}
	operateNoCopy = func(amount, typ, ref string) (newID string) {
		t.Helper()
		key := value("#transactionId")
		do(chromedp.SetValue(chromedp.CSS("#amount"), amount))
		click("#submit")
		do(chromedp.WaitVisible(chromedp.CSS(`[data-test=confirmation]`)))
		newID, gotKey := text(`[data-test=new-id]`), text(`[data-test=key]`)
		if gotKey != key {
			t.Errorf("confirmation shows Transaction ID %q, the dialog had %q", gotKey, key)
		}
		c := gw.CommitsFor(key)
		if len(c) != 1 || c[0].PaymentID != newID || c[0].PaymentType != typ || c[0].ReferencedID != ref || !c[0].Amount.Equal(decimal.RequireFromString(amount)) {
			t.Fatalf("ledger for %s: %+v, want one %s of %s on %s with id %s", key, c, typ, amount, ref, newID)
		}
		return newID
	}

	// The Transactions view: newest first, everything seeded.
	do(chromedp.Navigate(base + "/"))
	do(chromedp.WaitVisible(chromedp.CSS("table.grid")))
	if n := count(`[data-test=open]`); n != 6 {
		t.Fatalf("the Transactions view shows %d rows, want 6", n)
	}
	if css, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".top")).display`)); err != nil || css != "flex" {
		t.Fatalf("the stylesheet did not load (header display %q, %v)", css, err)
	}

	// Search for the PA by type and Transaction ID and open it.
	do(chromedp.SetValue(chromedp.CSS(`select[name=type]`), "PA"),
		chromedp.SetValue(chromedp.CSS(`input[name=merchantTransactionId]`), "order-1001"))
	click(`form.search button[type=submit]`)
	if n := count(`[data-test=open]`); n != 1 {
		t.Fatalf("the search shows %d rows, want 1", n)
	}
	click(`[data-test=open]`)
	do(chromedp.WaitVisible(chromedp.CSS(`[data-test=actions]`)))
	if got := text(`.head h1`); got != "PA Pre-Authorization 250.00 EUR" {
		t.Errorf("details heading %q", got)
	}
	if n := count(`[data-op]`); n != 2 || count(`[data-op=capture]`) != 1 || count(`[data-op=reverse]`) != 1 {
		t.Fatalf("the PA shows %d buttons, want Capture and Reversal", n)
	}

	// Capture part of it.
	click(`[data-op=capture]`)
	if got := value("#amount"); got != "250.00" {
		t.Errorf("the capture dialog pre-fills %q, want 250.00", got)
	}
	do(chromedp.SetValue(chromedp.CSS("#amount"), "100.00"), chromedp.SetValue(chromedp.CSS("#usage"), "Order 1001, parcel 1"))
	screenshot(t, ctx, "dialog")
	cp := operate("100.00", "CP", pa, nil)

	// Refund part of the capture.
	click(`a[href$="/payments/` + cp + `"].btn`)
	do(chromedp.WaitVisible(chromedp.CSS(`[data-op=refund]`)))
	if count(`[data-op=refund]`) != 1 || count(`[data-op=chargeback]`) != 1 {
		t.Fatal("the capture does not offer Refund and Chargeback")
	}
	screenshot(t, ctx, "details")
	click(`[data-op=refund]`)
	if got := value("#amount"); got != "100.00" {
		t.Errorf("the refund dialog pre-fills %q, want 100.00", got)
	}
	operate("30.00", "RF", cp, map[string]string{"#memo": "damaged item"})

	// Book a chargeback of what is left, with the bank's reason.
	click(`[data-test=back]`)
	click(`[data-op=chargeback]`)
	if got := value("#amount"); got != "70.00" {
		t.Errorf("the chargeback dialog pre-fills %q, want 70.00", got)
	}
	cb := operate("70.00", "CB", cp, map[string]string{"#reason": "4837 No cardholder authorization"})
	if tx, _ := gw.Payment(cb); tx.CustomParameters[backoffice.ChargebackReasonParameter] != "4837 No cardholder authorization" {
		t.Errorf("the chargeback's reason: %v", tx.CustomParameters)
	}

	// Reverse the chargeback.
	click(`a[href$="/payments/` + cb + `"].btn`)
	click(`[data-op=reverse_chargeback]`)
	operate("70.00", "CR", cb, nil)

	// Double-click Submit: one commit.
	do(chromedp.Navigate(base + "/payments/" + pa + "/capture"))
	do(chromedp.WaitVisible(chromedp.CSS("#submit")))
	key := value("#transactionId")
	before := posts.Load()
	do(chromedp.SetValue(chromedp.CSS("#amount"), "20.00"))
	box, err := chromedp.Run(ctx, chromedp.Dimensions(chromedp.CSS("#submit")))
	if err != nil {
		t.Fatal(err)
	}
	x, y := (box.Content[0]+box.Content[4])/2, (box.Content[1]+box.Content[5])/2
	// A person's double click: two presses, the second with click count 2.
	do(chromedp.MouseClickXY(x, y), chromedp.MouseClickXY(x, y, chromedp.ClickCount(2)))
	do(chromedp.WaitVisible(chromedp.CSS(`[data-test=confirmation]`)))
	if c := gw.CommitsFor(key); len(c) != 1 || !c[0].Amount.Equal(decimal.RequireFromString("20.00")) {
		t.Fatalf("a double-click committed %+v", c)
	}
	// Chromium itself sends one POST for a double click on a submit
	// button; the console's guarantee does not depend on it.
	sent := posts.Load() - before
	t.Logf("the double-click sent %d POSTs", sent)
	if sent < 1 {
		t.Error("no POST reached the console")
	}
	// A retried POST (the browser re-sending the form on reload) reaches
	// the console and commits nothing: it shows the first outcome.
	if _, err := chromedp.RunResponse(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if got := posts.Load() - before; got != sent+1 {
		t.Errorf("the reload sent %d POSTs, want 1", got-sent)
	}
	do(chromedp.WaitVisible(chromedp.CSS(`[data-test=adopted]`)))
	if c := gw.CommitsFor(key); len(c) != 1 || text(`[data-test=new-id]`) != c[0].PaymentID {
		t.Fatalf("after a retried POST the ledger has %+v", c)
	}

	// The Transactions view after the session, for the README.
	do(chromedp.Navigate(base + "/"))
	do(chromedp.WaitVisible(chromedp.CSS("table.grid")))
	if n := count(`[data-test=open]`); n != 11 {
		t.Errorf("the Transactions view shows %d rows, want 11", n)
	}
	screenshot(t, ctx, "transactions")

	// A viewer sees no buttons.
	user.Store(&console.User{Name: "vic"})
	do(chromedp.Navigate(base + "/payments/" + pa))
	do(chromedp.WaitVisible(chromedp.CSS(`[data-test=actions]`)))
	if n := count(`[data-op]`); n != 0 {
		t.Errorf("a viewer sees %d buttons", n)
	}
	if got := text(`[data-test=withheld]`); got != "Your role does not allow: Capture." {
		t.Errorf("viewer's note %q", got)
	}
	if len(gw.Ledger()) != 5 {
		t.Errorf("ledger has %d commits, want 5", len(gw.Ledger()))
	}

	// Without JavaScript the pages still work: the dialog submits and the
	// confirmation shows its ids, with the copy buttons left hidden.
	setScripts := func(disabled bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled})
			return err
		})
	}
	user.Store(&console.User{Name: "olga", Operations: console.AllOperations()})
	do(setScripts(true), chromedp.Navigate(base+"/payments/"+pa))
	click(`[data-op=capture]`)
	noJS := operateNoCopy("5.00", "CP", pa)
	if n := count(`button[data-copy]:not([hidden])`); n != 0 {
		t.Errorf("without JavaScript %d copy buttons are shown", n)
	}
	do(setScripts(false))
	if tx, ok := gw.Payment(noJS); !ok || tx.PaymentType != "CP" {
		t.Errorf("the capture without JavaScript: %+v", tx)
	}

	// On a phone the pages fit the screen: no sideways scrolling.
	do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"/payments/"+cp))
	do(chromedp.WaitVisible(chromedp.CSS(`[data-test=actions]`)))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("the details page is %d pixels wide on a 390-pixel phone (%v)", w, err)
	}
	screenshot(t, ctx, "phone")
	do(chromedp.Navigate(base + "/"))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("the Transactions view is %d pixels wide on a 390-pixel phone (%v)", w, err)
	}
	do(chromedp.EmulateReset())

	// The page's console stayed clean.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`console.log("browser-test-end")`)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-endSeen:
	case <-ctx.Done():
		t.Fatal("the console listener never saw the end marker")
	}
	msgMu.Lock()
	if len(messages) != 0 {
		t.Errorf("the browser's console has messages:\n%s", strings.Join(messages, "\n"))
	}
	msgMu.Unlock()

	var outcomes []string
	for _, l := range audit.lines(t) {
		outcomes = append(outcomes, l["operation"].(string)+":"+l["outcome"].(string))
	}
	// When Chromium sends the double click's second POST, it abandons the
	// first: that request's context ends while the console checks the key,
	// and nothing is sent for it (key_lookup_failed), or it finished first
	// and the second shows it (already_submitted). Either way one commit.
	var clicks []string
	for _, o := range outcomes[4 : len(outcomes)-2] {
		if o != "capture:key_lookup_failed" && o != "capture:already_submitted" {
			clicks = append(clicks, o)
		}
	}
	outcomes = append(append(outcomes[:4:4], clicks...), outcomes[len(outcomes)-2:]...)
	want := "capture:succeeded refund:succeeded chargeback:succeeded reverse_chargeback:succeeded capture:succeeded capture:already_submitted capture:succeeded"
	if got := strings.Join(outcomes, " "); got != want {
		t.Errorf("audit log outcomes %q, want %q (the double click's abandoned or repeated POSTs left out)", got, want)
	}
}
