package backofficetest

import (
	"net/http"
	"testing"
)

// TestNegativeTesting: a card holder that is a rejection code declines the
// initial payment with that code (HTTP 200), as OPP's test host does, and
// the declined payment takes no operation; a holder that is a success
// code, or a code outside the catalogue, is still an invalid holder.
func TestNegativeTesting(t *testing.T) {
	g := New()
	for _, pt := range []string{"PA", "DB", "CD"} {
		a := send(t, g, http.MethodPost, "/v1/payments", edit(cardForm(pt), []string{"card.holder", "800.100.152"}), DefaultToken)
		expect(t, pt+" with holder 800.100.152", a, http.StatusOK, "800.100.152")
		if a.body.ID == "" || a.body.PaymentType != pt {
			t.Errorf("%s: declined payment without id or type: %s", pt, a.raw)
		}
		op := map[string]string{"PA": "CP", "DB": "RF", "CD": "RF"}[pt]
		expect(t, op+" on the declined "+pt, operation(t, g, a.body.ID, op, "1.00", "EUR"), http.StatusBadRequest, codeRefRejected)
	}
	for _, holder := range []string{"000.100.110", "000.200.000", "123.456.789", "800.100.15"} {
		a := send(t, g, http.MethodPost, "/v1/payments", edit(cardForm("DB"), []string{"card.holder", holder}), DefaultToken)
		expect(t, "holder "+holder, a, http.StatusBadRequest, codeHolderInvalid)
	}
}
