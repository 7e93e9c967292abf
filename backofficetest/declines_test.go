package backofficetest

import (
	"net/http"
	"testing"
)

// TestDeclineTestData: OPP's negative testing by card.holder, and the
// fake's amount convention, on initial payments and on operations.
func TestDeclineTestData(t *testing.T) {
	for _, tt := range []struct{ holder, amount, code string }{
		{"Jane Jones", "25.00", codeSuccessTest},
		{"800.100.151", "25.00", "800.100.151"},
		{"800.100.155", "25.00", "800.100.155"},
		{"100.400.080", "25.00", "100.400.080"}, // any catalogue code that is not 000.x
		{"Jane Jones", "9999.51", "800.100.151"},
		{"Jane Jones", "9999.53", "800.100.153"},
		{"Jane Jones", "9999.55", "800.100.155"},
		{"Jane Jones", "9999.62", "800.100.162"},
		{"Jane Jones", "9999.71", "800.100.171"},
		{"Jane Jones", "9999.20", "000.200.000"},
		{"Jane Jones", "9999.30", "900.100.300"},
		{"Jane Jones", "9999.52", codeSuccessTest},
		{"Jane Jones", "19999.51", codeSuccessTest},
	} {
		g := New()
		v := cardForm("DB")
		v.Set("card.holder", tt.holder)
		v.Set("amount", tt.amount)
		a := send(t, g, http.MethodPost, "/v1/payments", v, DefaultToken)
		expect(t, tt.holder+" "+tt.amount, a, http.StatusOK, tt.code)
		tx, _ := g.Payment(a.body.ID)
		if want := statusOf(tt.code); tx.Status != want || (want != StatusSucceeded) != tx.Balance.Captured.IsZero() {
			t.Errorf("%s %s: %+v", tt.holder, tt.amount, tx)
		}
	}
	// A holder that is a success or pending code, or not a code, is a name
	// with digits: refused as before.
	for _, holder := range []string{"000.100.110", "000.200.000", "800.100.15x", "555.555.555"} {
		v := cardForm("PA")
		v.Set("card.holder", holder)
		expect(t, holder, send(t, New(), http.MethodPost, "/v1/payments", v, DefaultToken), http.StatusBadRequest, codeHolderInvalid)
	}
	// The amounts decline backoffice operations too; a queued code comes first.
	g := New()
	pa := g.SeedPreAuthorization(dec("20000.00"), "EUR")
	expect(t, "CP 9999.51", operation(t, g, pa, "CP", "9999.51", "EUR"), http.StatusOK, "800.100.151")
	if err := g.SetNextResults("CP", 1, "800.100.162"); err != nil {
		t.Fatal(err)
	}
	expect(t, "queued first", operation(t, g, pa, "CP", "9999.51", "EUR"), http.StatusOK, "800.100.162")
	if b := balanceOf(t, g, pa); !b.Captured.IsZero() {
		t.Errorf("declined captures captured %s", b.Captured)
	}
}
