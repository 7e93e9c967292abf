package backofficetest

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestHistoryAndLedger: the operations referencing a payment, in order,
// declines included; the ledger holds exactly the committed ones.
func TestHistoryAndLedger(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	operation(t, g, id, "CP", "30.00", "EUR", "merchantTransactionId", "key-000a", "merchantMemo", "first", "customParameters[K]", "v")
	if err := g.SetNextResults("CP", 1, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	operation(t, g, id, "CP", "30.00", "EUR", "merchantTransactionId", "key-000b")
	operation(t, g, id, "CP", "300.00", "EUR", "merchantTransactionId", "key-000c") // 700.400.100: not committed
	operation(t, g, id, "CP", "70.00", "EUR", "merchantTransactionId", "key-000d")

	h := g.History(id)
	var got []string
	for _, tx := range h {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", tx.PaymentType, tx.Amount.StringFixed(2), tx.MerchantTransactionID, tx.ResultCode, tx.Status))
		if tx.ReferencedID != id || tx.EntityID != DefaultEntityID || tx.Currency != "EUR" {
			t.Errorf("history entry %+v", tx)
		}
	}
	want := []string{"CP 30.00 key-000a 000.100.110 succeeded", "CP 30.00 key-000b 800.100.151 rejected", "CP 70.00 key-000d 000.100.110 succeeded"}
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
	want = []string{"CP true 30.00 EUR key-000a 000.100.110", "CP true 30.00 EUR key-000b 800.100.151", "CP true 70.00 EUR key-000d 000.100.110"}
	if !slices.Equal(got, want) {
		t.Errorf("ledger\n%q\nwant\n%q", got, want)
	}
	if c := g.CommitsFor("key-000b"); len(c) != 1 || c[0].PaymentID != h[1].ID || c[0].EntityID != DefaultEntityID ||
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
