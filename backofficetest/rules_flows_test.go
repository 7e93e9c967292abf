package backofficetest

import (
	"net/http"
	"strconv"
	"testing"
)

// TestRulesBeyondTheTable runs the flows OPP's API allows beyond its
// back-office availability table: the refund of a credit, the reversal of a
// capture or a rebill, and the representment chain (a CR on a chargeback
// reversal, then a CR on the representment). Each scenario checks the codes,
// the root payment's balance and the balances of the transactions its steps
// created.
func TestRulesBeyondTheTable(t *testing.T) {
	pa := SeedPayment{PaymentType: "PA", Amount: dec("100.00")}
	db := SeedPayment{PaymentType: "DB", Amount: dec("100.00")}
	credit := SeedPayment{PaymentType: "CD"} // created over the wire: Seed makes only PAs and DBs
	tests := []struct {
		name  string
		seed  SeedPayment
		steps []step
		want  Balance
		own   map[int]Balance // the balance of the transaction step k created
	}{
		// Refund of a credit, up to the credited amount (25.00).
		{"refunds of a credit", credit, []step{
			{root, "RF", "10.00", "", ok}, {root, "RF", "15.01", "", codeCannotRefund}, {root, "RF", "15.00", "", ok}, {root, "RF", "0.01", "", codeCannotRefund},
		}, bal("", "25", "25", "", "", ""), nil},
		{"refund of a credit in another currency", credit, []step{{root, "RF", "10.00", "USD", codeCurrencyMismatch}}, bal("", "25", "", "", "", ""), nil},
		{"a credit cannot be reversed, charged back or rebilled", credit, []step{
			{root, "RV", "", "", codeRVNeedsMoney}, {root, "CB", "1.00", "", codeCBNeedsMoney}, {root, "RB", "1.00", "", codeInvalidType}, {root, "CP", "1.00", "", codeInvalidType},
		}, bal("", "25", "", "", "", ""), nil},

		// Reversal of a capture: the capture is voided, its PA's captured
		// amount goes down and the voided part of the authorization is
		// released: it cannot be captured again, but what was never
		// captured still can be.
		{"full reversal of a capture", pa, []step{
			{root, "CP", "60.00", "", ok}, {0, "RV", "", "", ok}, {0, "RV", "", "", codeCannotReverse}, {0, "RF", "0.01", "", codeCannotRefund},
			{0, "CB", "0.01", "", codeCannotCB}, {root, "CP", "40.01", "", codeCannotCapture}, {root, "CP", "40.00", "", ok},
		}, bal("100", "40", "", "", "60", ""), map[int]Balance{0: bal("", "60", "", "", "60", "")}},
		{"partial reversal of a capture, refund of the rest", pa, []step{
			{root, "CP", "60.00", "", ok}, {0, "RV", "20.00", "", ok}, {0, "RF", "40.01", "", codeCannotRefund}, {0, "RF", "40.00", "", ok},
			{0, "RV", "", "", codeCannotReverse},
		}, bal("100", "40", "", "", "20", ""), map[int]Balance{0: bal("", "60", "40", "", "20", "")}},
		{"a PA whose captures are all reversed can be reversed", pa, []step{
			{root, "CP", "60.00", "", ok}, {root, "RV", "", "", codeNoLongerReverse}, {0, "RV", "", "", ok}, {root, "RV", "", "", ok},
			{root, "CP", "0.01", "", codeCannotCapture},
		}, bal("100", "0", "", "", "100", ""), nil},
		{"reversal of a refunded capture", pa, []step{{root, "CP", "60.00", "", ok}, {0, "RF", "1.00", "", ok}, {0, "RV", "", "", codeCannotReverse}},
			bal("100", "60", "", "", "", ""), map[int]Balance{0: bal("", "60", "1", "", "", "")}},
		{"reversal of a charged-back capture", pa, []step{{root, "CP", "60.00", "", ok}, {0, "CB", "1.00", "", ok}, {0, "RV", "", "", codeWasChargedBack}},
			bal("100", "60", "", "", "", ""), map[int]Balance{0: bal("", "60", "", "1", "", "")}},
		{"partial reversal of a capture beyond it", pa, []step{{root, "CP", "60.00", "", ok}, {0, "RV", "60.01", "", codeCannotReverse}},
			bal("100", "60", "", "", "", ""), nil},

		// Reversal of a rebill: it leaves its DB's rebilled amount.
		{"reversal of a rebill", db, []step{
			{root, "RB", "5.00", "", ok}, {0, "RV", "", "", ok}, {0, "RV", "", "", codeCannotReverse}, {0, "RF", "0.01", "", codeCannotRefund},
			{root, "RB", "2.00", "", ok},
		}, bal("", "100", "", "", "", "2"), map[int]Balance{0: bal("", "5", "", "", "5", "")}},
		{"partial reversal of a rebill", db, []step{{root, "RB", "5.00", "", ok}, {0, "RV", "2.00", "", ok}, {0, "RF", "3.00", "", ok}},
			bal("", "100", "", "", "", "3"), map[int]Balance{0: bal("", "5", "3", "", "2", "")}},

		// Reversal of anything else: 700.400.530's own text.
		{"reversal of a refund or a chargeback", db, []step{
			{root, "RF", "10.00", "", ok}, {0, "RV", "", "", codeRVNeedsMoney}, {root, "CB", "10.00", "", ok}, {2, "RV", "", "", codeRVNeedsMoney},
		}, bal("", "100", "10", "10", "", ""), nil},

		// Representment: a CR on a chargeback reversal (000.100.105), and
		// its reversal, a CR on the representment (000.100.106); each
		// once, for at most what it references, and nothing after.
		{"representment and its reversal", db, []step{
			{root, "CB", "50.00", "", ok}, {0, "CR", "50.00", "", ok}, {1, "CR", "50.00", "", codeRepresentment}, {1, "CR", "1.00", "", codeCannotCR},
			{2, "CR", "50.00", "", codeRepresentmentReversal}, {2, "CR", "1.00", "", codeCannotCR}, {4, "CR", "1.00", "", codeCannotCR},
		}, bal("", "100", "", "0", "", ""), map[int]Balance{
			0: bal("", "", "", "0", "50", ""), 1: bal("", "", "", "", "50", ""), 2: bal("", "", "", "", "50", ""), 4: zero,
		}},
		{"partial representment", db, []step{
			{root, "CB", "50.00", "", ok}, {0, "CR", "30.00", "", ok}, {1, "CR", "30.01", "", codeAmountMismatch}, {1, "CR", "20.00", "", codeRepresentment},
			{3, "CR", "20.01", "", codeAmountMismatch}, {3, "CR", "5.00", "", codeRepresentmentReversal},
		}, bal("", "100", "", "20", "", ""), map[int]Balance{0: bal("", "", "", "20", "30", ""), 1: bal("", "", "", "", "20", ""), 3: bal("", "", "", "", "5", "")}},
		{"representment in another currency", db, []step{{root, "CB", "50.00", "", ok}, {0, "CR", "50.00", "", ok}, {1, "CR", "50.00", "USD", codeCurrencyMismatch}},
			bal("", "100", "", "0", "", ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New()
			var rootID string
			if tt.seed.PaymentType == "CD" {
				a := send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken)
				expect(t, "CD", a, http.StatusOK, ok)
				rootID = a.body.ID
			} else {
				rootID = seed(t, g, tt.seed)
			}
			var ids []string
			for i, s := range tt.steps {
				on := rootID
				if s.on >= 0 {
					on = ids[s.on]
				}
				cur := s.currency
				if cur == "" {
					cur = "EUR"
				}
				a := operation(t, g, on, s.pt, s.amount, cur)
				want := http.StatusOK
				if statusOf(s.code) != StatusSucceeded {
					want = http.StatusBadRequest
				}
				expect(t, "step "+strconv.Itoa(i)+" "+s.pt+" "+s.amount, a, want, s.code)
				ids = append(ids, a.body.ID)
			}
			if got := balanceOf(t, g, rootID); !sameBalance(got, tt.want) {
				t.Errorf("balance %s, want %s", showBalance(got), showBalance(tt.want))
			}
			for k, want := range tt.own {
				if got := balanceOf(t, g, ids[k]); !sameBalance(got, want) {
					t.Errorf("step %d's balance %s, want %s", k, showBalance(got), showBalance(want))
				}
			}
		})
	}
}

// TestFlowCodesAreOPPs: the codes of the flows beyond the table carry OPP's
// text.
func TestFlowCodesAreOPPs(t *testing.T) {
	for code, want := range map[string]string{
		codeRVNeedsMoney:          "reversal needs at least one successful transaction of type (CP or DB or RB or PA)",
		codeRepresentment:         "Chargeback Representment is successful",
		codeRepresentmentReversal: "Chargeback Representment cancellation is successful",
	} {
		if got, ok := describe(code); !ok || got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
		if code != codeRVNeedsMoney && statusOf(code) != StatusSucceeded {
			t.Errorf("%s is not a success", code)
		}
	}
}

// TestRaiseOnAChargebackReversal: RaiseChargebackReversal on a chargeback
// reversal books a representment, with its code.
func TestRaiseOnAChargebackReversal(t *testing.T) {
	g := New()
	db := g.SeedDebit(dec("100.00"), "EUR")
	cb, err := g.RaiseChargeback(db, dec("40.00"), "000.100.201")
	if err != nil {
		t.Fatal(err)
	}
	cr, err := g.RaiseChargebackReversal(cb)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := g.RaiseChargebackReversal(cr)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := g.Payment(rp); p.ResultCode != codeRepresentment || !p.Amount.Equal(dec("40")) || p.ReferencedID != cr {
		t.Errorf("representment %+v", p)
	}
	if p, _ := g.Payment(cr); p.ResultCode != ok {
		t.Errorf("chargeback reversal %+v", p)
	}
}
