package backofficetest

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

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
