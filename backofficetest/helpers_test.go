package backofficetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestSeed covers the defaults and the choices of a seeded payment.
func TestSeed(t *testing.T) {
	g := New()
	id := seed(t, g, SeedPayment{Amount: dec("12.30")})
	p, found := g.Payment(id)
	want := Transaction{ID: id, EntityID: DefaultEntityID, PaymentType: "PA", Status: StatusSucceeded, ResultCode: ok,
		ResultDescription: "Request successfully processed in 'Merchant in Integrator Test Mode'", Amount: dec("12.30"),
		Currency: "EUR", PaymentBrand: "VISA", Descriptor: shortID(id) + " backofficetest", Balance: bal("12.3", "", "", "", "", ""),
		Timestamp: epoch}
	if !found || !sameTransaction(p, want) {
		t.Errorf("seeded\n%+v\nwant\n%+v", p, want)
	}

	declined := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("5"), Currency: "GBP", EntityID: otherEntity,
		ResultCode: "800.100.151", MerchantTransactionID: "order-1", PaymentBrand: "MASTER"})
	p, _ = g.Payment(declined)
	if p.Status != StatusRejected || p.ResultCode != "800.100.151" || p.ResultDescription != "transaction declined (invalid card)" ||
		p.PaymentType != "DB" || p.Currency != "GBP" || p.EntityID != otherEntity || p.MerchantTransactionID != "order-1" ||
		p.PaymentBrand != "MASTER" || !sameBalance(p.Balance, zero) {
		t.Errorf("declined seed %+v", p)
	}
	pending := seed(t, g, SeedPayment{Amount: dec("5"), ResultCode: "000.200.000"})
	if p, _ := g.Payment(pending); p.Status != StatusPending || !sameBalance(p.Balance, zero) {
		t.Errorf("pending seed %+v", p)
	}
	review := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("5"), ResultCode: "000.400.000"})
	if p, _ := g.Payment(review); p.Status != StatusSucceeded || !p.Balance.Captured.Equal(dec("5")) {
		t.Errorf("review seed %+v", p)
	}
	if l := g.Ledger(); len(l) != 0 {
		t.Errorf("seeds are in the ledger: %+v", l)
	}

	for _, bad := range []SeedPayment{
		{},
		{Amount: dec("-1")},
		{Amount: dec("1.001")},
		{Amount: dec("12345678901")},
		{PaymentType: "CP", Amount: dec("1")},
		{Amount: dec("1"), Currency: "eur"},
		{Amount: dec("1"), EntityID: "x y"},
		{Amount: dec("1"), ResultCode: "123.456.789"},
		{Amount: dec("1"), MerchantTransactionID: strings.Repeat("m", 256)},
	} {
		if _, err := g.Seed(bad); err == nil {
			t.Errorf("Seed(%+v): no error", bad)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SeedPreAuthorization of a zero amount did not panic")
		}
	}()
	g.SeedPreAuthorization(dec("0"), "EUR")
}

func sameTransaction(a, b Transaction) bool {
	return a.ID == b.ID && a.EntityID == b.EntityID && a.ReferencedID == b.ReferencedID && a.PaymentType == b.PaymentType &&
		a.Status == b.Status && a.ResultCode == b.ResultCode && a.ResultDescription == b.ResultDescription &&
		a.Amount.Equal(b.Amount) && a.Currency == b.Currency && a.PaymentBrand == b.PaymentBrand &&
		a.MerchantTransactionID == b.MerchantTransactionID && a.Descriptor == b.Descriptor && a.MerchantMemo == b.MerchantMemo &&
		maps.Equal(a.CustomParameters, b.CustomParameters) && sameBalance(a.Balance, b.Balance) && a.Timestamp.Equal(b.Timestamp)
}

// TestHistoryAndLedger: the operations referencing a payment, in order,
// declines included; the ledger holds exactly the committed ones.
func TestHistoryAndLedger(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	operation(t, g, id, "CP", "30.00", "EUR", "merchantTransactionId", "a", "merchantMemo", "first", "customParameters[K]", "v")
	if err := g.SetNextResults("CP", 1, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	operation(t, g, id, "CP", "30.00", "EUR", "merchantTransactionId", "b")
	operation(t, g, id, "CP", "300.00", "EUR", "merchantTransactionId", "c") // 700.400.100: not committed
	operation(t, g, id, "CP", "70.00", "EUR", "merchantTransactionId", "d")

	h := g.History(id)
	var got []string
	for _, tx := range h {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", tx.PaymentType, tx.Amount.StringFixed(2), tx.MerchantTransactionID, tx.ResultCode, tx.Status))
		if tx.ReferencedID != id || tx.EntityID != DefaultEntityID || tx.Currency != "EUR" {
			t.Errorf("history entry %+v", tx)
		}
	}
	want := []string{"CP 30.00 a 000.100.110 succeeded", "CP 30.00 b 800.100.151 rejected", "CP 70.00 d 000.100.110 succeeded"}
	if !slices.Equal(got, want) {
		t.Errorf("history\n%q\nwant\n%q", got, want)
	}
	if h[0].MerchantMemo != "first" || h[0].CustomParameters["K"] != "v" || !h[0].Balance.Captured.Equal(dec("30")) {
		t.Errorf("first capture %+v", h[0])
	}
	h[0].CustomParameters["K"] = "changed"
	if g.History(id)[0].CustomParameters["K"] != "v" {
		t.Error("History shares its maps with the gateway")
	}
	if b := balanceOf(t, g, id); !sameBalance(b, bal("100", "100", "", "", "", "")) {
		t.Errorf("balance %s", showBalance(b))
	}

	l := g.Ledger()
	got = got[:0]
	for _, c := range l {
		got = append(got, fmt.Sprintf("%s %t %s %s %s %s", c.PaymentType, c.ReferencedID == id, c.Amount.StringFixed(2), c.Currency, c.MerchantTransactionID, c.ResultCode))
	}
	want = []string{"CP true 30.00 EUR a 000.100.110", "CP true 30.00 EUR b 800.100.151", "CP true 70.00 EUR d 000.100.110"}
	if !slices.Equal(got, want) {
		t.Errorf("ledger\n%q\nwant\n%q", got, want)
	}
	if c := g.CommitsFor("b"); len(c) != 1 || c[0].PaymentID != h[1].ID || c[0].EntityID != DefaultEntityID ||
		!c[0].Timestamp.Equal(epoch.Add(2*time.Second)) {
		t.Errorf("CommitsFor(b) %+v", c)
	}
	if g.History("unknown") != nil {
		t.Error("History of an unknown id")
	}
	if _, found := g.Payment("unknown"); found {
		t.Error("Payment of an unknown id")
	}
}

// TestSetNextResults: the next N operations of a type answer with a code,
// HTTP 200, committed, moving no money; a rule's refusal does not use one
// up.
func TestSetNextResults(t *testing.T) {
	g := New()
	id := g.SeedDebit(dec("100.00"), "EUR")
	if err := g.SetNextResults("RF", 2, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetNextResults("RF", 1, "900.100.300"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetNextResults("RF", 1, "000.200.000"); err != nil {
		t.Fatal(err)
	}
	expect(t, "over-refund", operation(t, g, id, "RF", "100.01", "EUR"), http.StatusBadRequest, codeCannotRefund)
	for i, code := range []string{"800.100.151", "800.100.151", "900.100.300", "000.200.000", ok} {
		a := operation(t, g, id, "RF", "10.00", "EUR", "merchantTransactionId", fmt.Sprint("r", i))
		expect(t, "refund "+fmt.Sprint(i), a, http.StatusOK, code)
		if c := g.CommitsFor(fmt.Sprint("r", i)); len(c) != 1 || c[0].ResultCode != code {
			t.Errorf("refund %d: commits %+v", i, c)
		}
	}
	if b := balanceOf(t, g, id); !b.Refunded.Equal(dec("10")) {
		t.Errorf("refunded %s, want 10 (only the last refund moved money)", b.Refunded)
	}
	a := operation(t, g, id, "RF", "10.00", "EUR")
	expect(t, "after the queue", a, http.StatusOK, ok)
	pending := g.History(id)[3]
	expect(t, "RF of a pending refund", operation(t, g, pending.ID, "RF", "1.00", "EUR"), http.StatusBadRequest, codeRefPending)

	if err := g.SetNextResults("PA", 1, "800.100.153"); err != nil {
		t.Fatal(err)
	}
	pa := send(t, g, http.MethodPost, "/v1/payments", cardForm("PA"), DefaultToken)
	expect(t, "declined PA", pa, http.StatusOK, "800.100.153")
	expect(t, "CP of the declined PA", operation(t, g, pa.body.ID, "CP", "1.00", "EUR"), http.StatusBadRequest, codeRefRejected)

	for _, bad := range []struct {
		pt   string
		n    int
		code string
	}{{"XX", 1, ok}, {"CP", 0, ok}, {"CP", 1, "123.456.789"}, {"", 1, ok}, {"CP RF", 1, ok}} {
		if err := g.SetNextResults(bad.pt, bad.n, bad.code); err == nil {
			t.Errorf("SetNextResults(%q, %d, %q): no error", bad.pt, bad.n, bad.code)
		}
	}
}

// TestSuccessCode: a gateway can answer as the live host does.
func TestSuccessCode(t *testing.T) {
	g := New(WithSuccessCode("000.000.000"))
	id := g.SeedPreAuthorization(dec("10.00"), "EUR")
	a := operation(t, g, id, "CP", "10.00", "EUR")
	expect(t, "CP", a, http.StatusOK, "000.000.000")
	if a.body.Result.Description != "Transaction succeeded" {
		t.Errorf("description %q", a.body.Result.Description)
	}
	defer func() {
		if recover() == nil {
			t.Error("WithSuccessCode of a decline did not panic")
		}
	}()
	New(WithSuccessCode("800.100.151"))
}

// TestEvents: subscribers get every committed operation's payment object,
// declines included; not seeds, not rejections; until they unsubscribe.
func TestEvents(t *testing.T) {
	g := New()
	var mu sync.Mutex
	var events []Event
	unsubscribe := g.Subscribe(func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	})
	var second int
	unsubscribeSecond := g.Subscribe(func(Event) { second++ })
	id := g.SeedDebit(dec("100.00"), "EUR")
	rf := operation(t, g, id, "RF", "10.00", "EUR")
	expect(t, "over-refund", operation(t, g, id, "RF", "1000.00", "EUR"), http.StatusBadRequest, codeCannotRefund)
	if err := g.SetNextResults("RF", 1, "800.100.152"); err != nil {
		t.Fatal(err)
	}
	declined := operation(t, g, id, "RF", "10.00", "EUR")
	unsubscribeSecond()
	unsubscribeSecond()
	cb, err := g.RaiseChargeback(id, dec("20.00"), "000.100.220")
	if err != nil {
		t.Fatal(err)
	}
	unsubscribe()
	operation(t, g, id, "RF", "1.00", "EUR")

	if len(events) != 3 || second != 2 {
		t.Fatalf("%d events, %d to the second subscriber; want 3 and 2", len(events), second)
	}
	for i, want := range []string{rf.raw, declined.raw} {
		if events[i].EntityID != DefaultEntityID || string(events[i].Payment) != want {
			t.Errorf("event %d: %s\nwant the response body %s", i, events[i].Payment, want)
		}
	}
	var p wireBody
	if err := json.Unmarshal(events[2].Payment, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID != cb || p.PaymentType != "CB" || p.ReferencedID != id || p.Amount != "20.00" || p.Result.Code != "000.100.220" ||
		p.Result.Description != "Fraudulent Transaction" {
		t.Errorf("chargeback event %s", events[2].Payment)
	}
	events[0].Payment[0] = 'X'
	if a := send(t, g, http.MethodGet, "/v1/payments/"+rf.body.ID, form("entityId", DefaultEntityID), DefaultToken); a.raw != rf.raw {
		t.Error("a subscriber changing its event changed the gateway's record")
	}
}

// TestRaiseChargeback: acquirer-initiated chargebacks and their reversals
// follow the merchant's rules.
func TestRaiseChargeback(t *testing.T) {
	g := New()
	db := g.SeedDebit(dec("100.00"), "EUR")
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	for name, call := range map[string]func() (string, error){
		"not a chargeback code": func() (string, error) { return g.RaiseChargeback(db, dec("1"), "000.100.110") },
		"unknown code":          func() (string, error) { return g.RaiseChargeback(db, dec("1"), "000.100.298") },
		"three decimals":        func() (string, error) { return g.RaiseChargeback(db, dec("1.001"), "000.100.200") },
	} {
		if _, err := call(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	refusals := []struct {
		name string
		call func() (string, error)
		code string
	}{
		{"unknown payment", func() (string, error) { return g.RaiseChargeback("nope", dec("1"), "000.100.200") }, codeUnknownReference},
		{"on a PA", func() (string, error) { return g.RaiseChargeback(pa, dec("1"), "000.100.200") }, codeCBNeedsMoney},
		{"over the amount", func() (string, error) { return g.RaiseChargeback(db, dec("100.01"), "000.100.200") }, codeAmountMismatch},
		{"reversal of a DB", func() (string, error) { return g.RaiseChargebackReversal(db) }, codeNoChargeback},
	}
	for _, r := range refusals {
		_, err := r.call()
		var re *ResultError
		if !errors.As(err, &re) || re.Code != r.code || re.Description != description(r.code) {
			t.Errorf("%s: %v, want %s", r.name, err, r.code)
		}
	}
	cb, err := g.RaiseChargeback(db, decimal.Decimal{}, "000.100.232")
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := g.Payment(cb); p.ResultCode != "000.100.232" || p.ResultDescription != "Liability Shift" || !p.Amount.Equal(dec("100")) {
		t.Errorf("chargeback %+v", p)
	}
	if _, err := g.RaiseChargeback(db, dec("1"), "000.100.200"); err == nil || err.Error() != "backofficetest: 700.400.400 cannot chargeback (already chargebacked or invalid workflow?)" {
		t.Errorf("second chargeback: %v", err)
	}
	cr, err := g.RaiseChargebackReversal(cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.RaiseChargebackReversal(cb); err == nil {
		t.Error("second chargeback reversal: no error")
	}
	if b := balanceOf(t, g, db); !sameBalance(b, bal("", "100", "", "0", "", "")) {
		t.Errorf("balance %s", showBalance(b))
	}
	l := g.Ledger()
	if len(l) != 2 || l[0].PaymentID != cb || l[1].PaymentID != cr || l[1].ResultCode != ok || !l[1].Amount.Equal(dec("100")) {
		t.Errorf("ledger %+v", l)
	}
}

// TestDeterminism: two gateways fed the same requests give the same ids,
// timestamps and bodies; WithIDs and WithClock replace the sources.
func TestDeterminism(t *testing.T) {
	run := func(g *Gateway) []string {
		var out []string
		id := g.SeedPreAuthorization(dec("100.00"), "EUR")
		out = append(out, id)
		for _, amount := range []string{"10.00", "20.00", "500.00"} {
			out = append(out, operation(t, g, id, "CP", amount, "EUR").raw)
		}
		out = append(out, send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken).raw)
		return out
	}
	a, b := run(New()), run(New())
	if !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%q\n%q", a, b)
	}
	n := 0
	at := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	g := New(WithIDs(func() string { n++; return fmt.Sprintf("%032x", n) }), WithClock(func() time.Time { return at }))
	c := run(g)
	if c[0] != "00000000000000000000000000000001" || !strings.Contains(c[1], `"id":"00000000000000000000000000000002"`) ||
		!strings.Contains(c[1], `"timestamp":"2030-05-06 07:08:09+0000"`) {
		t.Errorf("injected sources not used: %q", c[:2])
	}
}

// TestConcurrentCapturesNeverOverspend: 32 goroutines hammering one PA.
func TestConcurrentCapturesNeverOverspend(t *testing.T) {
	g := New()
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	db := g.SeedDebit(dec("100.00"), "EUR")
	const workers, each = 32, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				target, pt := pa, "CP"
				if (w+i)%2 == 1 {
					target, pt = db, "RF"
				}
				a, err := trySend(t.Context(), g, http.MethodPost, "/v1/payments/"+target,
					form("entityId", DefaultEntityID, "paymentType", pt, "amount", "1.00", "currency", "EUR"), DefaultToken)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				codes[pt+" "+a.body.Result.Code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	want := map[string]int{"CP " + ok: 100, "CP " + codeCannotCapture: 60, "RF " + ok: 100, "RF " + codeCannotRefund: 60}
	if !maps.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	if b := balanceOf(t, g, pa); !b.Captured.Equal(dec("100")) {
		t.Errorf("captured %s", b.Captured)
	}
	if b := balanceOf(t, g, db); !b.Refunded.Equal(dec("100")) {
		t.Errorf("refunded %s", b.Refunded)
	}
	if n := len(g.Ledger()); n != 200 {
		t.Errorf("%d commits, want 200", n)
	}
}
