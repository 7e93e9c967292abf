package backofficetest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestResolve settles pending transactions: a pending capture moves its
// money once resolved, a pending PA declined moves none, and each
// resolution reaches the subscribers with the final code.
func TestResolve(t *testing.T) {
	g := New()
	var events []string
	g.Subscribe(func(e Event) { events = append(events, string(e.Payment)) })
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.SetNextResults("CP", 1, "000.200.000"); err != nil {
		t.Fatal(err)
	}
	cp := operation(t, g, pa, "CP", "60.00", "EUR").body.ID
	if b := balanceOf(t, g, pa); !b.Captured.IsZero() {
		t.Fatalf("a pending capture captured %s", b.Captured)
	}
	if err := g.Resolve(cp, "000.100.110"); err != nil {
		t.Fatal(err)
	}
	if b := balanceOf(t, g, pa); !b.Captured.Equal(dec("60")) {
		t.Errorf("captured %s after the resolution, want 60", b.Captured)
	}
	tx, _ := g.Payment(cp)
	if tx.Status != StatusSucceeded || tx.ResultCode != "000.100.110" || !tx.Balance.Captured.Equal(dec("60")) {
		t.Errorf("capture after the resolution: %+v", tx)
	}
	if l := g.Ledger(); len(l) != 1 || l[0].ResultCode != "000.100.110" {
		t.Errorf("ledger %+v", l)
	}
	if len(events) != 2 || !strings.Contains(events[0], `"code":"000.200.000"`) || !strings.Contains(events[1], `"code":"000.100.110"`) ||
		!strings.Contains(events[1], `"id":"`+cp+`"`) {
		t.Errorf("events %q", events)
	}
	a := send(t, g, http.MethodGet, "/v1/payments/"+cp, form("entityId", DefaultEntityID), DefaultToken)
	expect(t, "lookup after the resolution", a, http.StatusOK, "000.100.110")

	pending := seed(t, g, SeedPayment{Amount: dec("10.00"), ResultCode: "000.200.000"})
	if err := g.Resolve(pending, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	if tx, _ := g.Payment(pending); tx.Status != StatusRejected || !tx.Balance.Authorized.IsZero() {
		t.Errorf("declined on resolution: %+v", tx)
	}
	var ae *ArgumentError
	if err := g.Resolve(pending, "000.100.110"); !errors.As(err, &ae) || ae.Fields[0].Field != "id" {
		t.Errorf("resolving a final transaction: %v", err)
	}
	var re *ResultError
	if err := g.Resolve("nope", "000.100.110"); !errors.As(err, &re) || re.Code != codeNotFound {
		t.Errorf("unknown id: %v", err)
	}
	for _, code := range []string{"000.200.000", "800.100.15"} {
		if err := g.Resolve(pending, code); !errors.As(err, &ae) || ae.Fields[0].Field != "code" {
			t.Errorf("Resolve(%s): %v", code, err)
		}
	}
}

// TestResolveRefused: a pending capture whose PA was reversed meanwhile
// cannot capture; it stays pending.
func TestResolveRefused(t *testing.T) {
	g := New()
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	if err := g.SetNextResults("CP", 1, "000.200.000"); err != nil {
		t.Fatal(err)
	}
	cp := operation(t, g, pa, "CP", "60.00", "EUR").body.ID
	expect(t, "reversal", operation(t, g, pa, "RV", "", ""), http.StatusOK, codeSuccessTest)
	var re *ResultError
	if err := g.Resolve(cp, "000.100.110"); !errors.As(err, &re) || re.Code != codeCannotCapture {
		t.Errorf("resolution after the reversal: %v", err)
	}
	if tx, _ := g.Payment(cp); tx.Status != StatusPending {
		t.Errorf("status %s, want pending", tx.Status)
	}
}

// TestUnclassifiedResults: a code OPP's catalogue lacks is refused by
// SetNextResults, and answered when asked with SetNextUnclassifiedResults.
func TestUnclassifiedResults(t *testing.T) {
	g := New()
	db := g.SeedDebit(dec("10.00"), "EUR")
	if err := g.SetNextResults("RF", 1, "555.555.555"); err == nil {
		t.Error("SetNextResults accepted a code the catalogue lacks")
	}
	if err := g.SetNextUnclassifiedResults("RF", 1, "555.555.555"); err != nil {
		t.Fatal(err)
	}
	a := operation(t, g, db, "RF", "1.00", "EUR")
	if a.status != http.StatusOK || a.body.Result.Code != "555.555.555" || a.body.Result.Description != "" {
		t.Errorf("HTTP %d %s", a.status, a.raw)
	}
	if b := balanceOf(t, g, db); !b.Refunded.IsZero() {
		t.Errorf("an unclassified result refunded %s", b.Refunded)
	}
}
