package backofficetest

import (
	"net/http"
	"strconv"
	"testing"
)

// step is one operation of a rules scenario.
type step struct {
	on       int    // -1: the seeded payment; k: the transaction step k created
	pt       string // paymentType
	amount   string // "" sends no amount and no currency (a full reversal)
	currency string // "" means EUR when amount is set
	code     string // the expected result code
}

const (
	ok   = codeSuccessTest // the default success code
	root = -1              // step.on: the seeded payment
)

// zero is a balance with every amount zero.
var zero = Balance{}

// bal builds a balance from decimal strings; "" is zero.
func bal(authorized, captured, refunded, chargedBack, reversed, rebilled string) Balance {
	b := Balance{}
	for i, s := range []string{authorized, captured, refunded, chargedBack, reversed, rebilled} {
		if s == "" {
			s = "0"
		}
		v := dec(s)
		switch i {
		case 0:
			b.Authorized = v
		case 1:
			b.Captured = v
		case 2:
			b.Refunded = v
		case 3:
			b.ChargedBack = v
		case 4:
			b.Reversed = v
		case 5:
			b.Rebilled = v
		}
	}
	return b
}

// TestRules runs the rules of OPP's back-office availability table
// (Pre-Authorization: Capture, Reversal; Capture: Refund, Chargeback; Debit:
// Rebill, Refund, Chargeback; Chargeback: Chargeback Reversal) and of its
// API reference (partial and repeated captures and refunds, the reversal of
// a debit), each refusal with OPP's code, one scenario per row: a seeded
// payment, a sequence of operations with the exact code each must get, and
// the seeded payment's balance at the end.
func TestRules(t *testing.T) {
	pa := SeedPayment{PaymentType: "PA", Amount: dec("100.00")}
	db := SeedPayment{PaymentType: "DB", Amount: dec("100.00")}
	tests := []struct {
		name  string
		seed  SeedPayment
		cfg   EntityConfig
		steps []step
		want  Balance
	}{
		// Capture: only on a PA; full, partial, several partial up to the authorized amount.
		{"capture in full", pa, EntityConfig{}, []step{{root, "CP", "100.00", "", ok}}, bal("100", "100", "", "", "", "")},
		{"partial captures up to the authorized amount", pa, EntityConfig{}, []step{
			{root, "CP", "30.00", "", ok}, {root, "CP", "50.00", "", ok}, {root, "CP", "20.00", "", ok},
			{root, "CP", "0.01", "", codeCannotCapture},
		}, bal("100", "100", "", "", "", "")},
		{"capture over the authorized amount", pa, EntityConfig{}, []step{{root, "CP", "100.01", "", codeCannotCapture}}, bal("100", "", "", "", "", "")},
		{"capture over what is left", pa, EntityConfig{}, []step{
			{root, "CP", "60.00", "", ok}, {root, "CP", "40.01", "", codeCannotCapture}, {root, "CP", "40", "", ok},
		}, bal("100", "100", "", "", "", "")},
		{"capture of a debit", db, EntityConfig{}, []step{{root, "CP", "10.00", "", codeInvalidType}}, bal("", "100", "", "", "", "")},
		{"capture of a capture", pa, EntityConfig{}, []step{{root, "CP", "10.00", "", ok}, {0, "CP", "5.00", "", codeInvalidType}}, bal("100", "10", "", "", "", "")},
		{"single-capture entity", pa, EntityConfig{SingleCapture: true}, []step{
			{root, "CP", "10.00", "", ok}, {root, "CP", "10.00", "", codeAlreadyDone},
		}, bal("100", "10", "", "", "", "")},
		{"capture in another currency", pa, EntityConfig{}, []step{{root, "CP", "10.00", "USD", codeCurrencyMismatch}}, bal("100", "", "", "", "", "")},
		{"capture of a declined PA", SeedPayment{Amount: dec("100"), ResultCode: "800.100.151"}, EntityConfig{}, []step{
			{root, "CP", "10.00", "", codeRefRejected}, {root, "RV", "", "", codeRefRejected},
		}, zero},
		{"capture of a pending PA", SeedPayment{Amount: dec("100"), ResultCode: "000.200.000"}, EntityConfig{}, []step{
			{root, "CP", "10.00", "", codeRefPending},
		}, zero},
		{"capture of a PA that timed out at the bank", SeedPayment{Amount: dec("100"), ResultCode: "900.100.300"}, EntityConfig{}, []step{
			{root, "CP", "10.00", "", codeRefRejected},
		}, zero},

		// Reversal of a PA: full without amount; partial if the entity allows it; once.
		{"full reversal of a PA, then anything else", pa, EntityConfig{}, []step{
			{root, "RV", "", "", ok}, {root, "RV", "", "", codeCannotReverse}, {root, "CP", "10.00", "", codeCannotCapture},
			{root, "RF", "10.00", "", codeInvalidType}, {root, "CB", "10.00", "", codeCBNeedsMoney}, {root, "RV", "10.00", "", codeCannotReverse},
		}, bal("100", "", "", "", "100", "")},
		{"reversal of a captured PA", pa, EntityConfig{}, []step{
			{root, "CP", "10.00", "", ok}, {root, "RV", "", "", codeNoLongerReverse}, {root, "RV", "10.00", "", codeNoLongerReverse},
		}, bal("100", "10", "", "", "", "")},
		{"partial reversal, capture of the rest", pa, EntityConfig{}, []step{
			{root, "RV", "40.00", "", ok}, {root, "CP", "60.01", "", codeCannotCapture}, {root, "CP", "60.00", "", ok},
		}, bal("100", "60", "", "", "40", "")},
		{"partial reversal, then the rest", pa, EntityConfig{}, []step{
			{root, "RV", "40.00", "", ok}, {root, "RV", "", "", ok}, {root, "CP", "0.01", "", codeCannotCapture},
		}, bal("100", "", "", "", "100", "")},
		{"partial reversal over what is left", pa, EntityConfig{}, []step{{root, "RV", "100.01", "", codeCannotReverse}}, bal("100", "", "", "", "", "")},
		{"partial reversal where the entity forbids it", pa, EntityConfig{NoPartialReversal: true}, []step{
			{root, "RV", "40.00", "", codeCannotReverse}, {root, "RV", "", "", ok},
		}, bal("100", "", "", "", "100", "")},
		{"partial reversal in another currency", pa, EntityConfig{}, []step{{root, "RV", "40.00", "GBP", codeCurrencyMismatch}}, bal("100", "", "", "", "", "")},

		// Reversal of a DB (same-day void) until refunded or charged back.
		{"reversal of a debit", db, EntityConfig{}, []step{
			{root, "RV", "", "", ok}, {root, "RV", "", "", codeCannotReverse}, {root, "RF", "1.00", "", codeCannotRefund},
			{root, "CB", "1.00", "", codeCannotCB}, {root, "RB", "1.00", "", codeAlreadyDone},
		}, bal("", "100", "", "", "100", "")},
		{"reversal of a refunded debit", db, EntityConfig{}, []step{{root, "RF", "1.00", "", ok}, {root, "RV", "", "", codeCannotReverse}}, bal("", "100", "1", "", "", "")},
		{"reversal of a charged-back debit", db, EntityConfig{}, []step{{root, "CB", "1.00", "", ok}, {root, "RV", "", "", codeWasChargedBack}}, bal("", "100", "", "1", "", "")},
		{"reversal of a capture", pa, EntityConfig{}, []step{{root, "CP", "10.00", "", ok}, {0, "RV", "", "", ok}}, bal("100", "0", "", "", "10", "")},

		// Refund of a DB or CP: partial, repeated, never beyond what is left.
		{"partial refunds of a debit", db, EntityConfig{}, []step{
			{root, "RF", "30.00", "", ok}, {root, "RF", "70.00", "", ok}, {root, "RF", "0.01", "", codeCannotRefund},
		}, bal("", "100", "100", "", "", "")},
		{"refund over the debited amount", db, EntityConfig{}, []step{{root, "RF", "100.01", "", codeCannotRefund}}, bal("", "100", "", "", "", "")},
		{"refunds of a capture", pa, EntityConfig{}, []step{
			{root, "CP", "60.00", "", ok}, {0, "RF", "60.00", "", ok}, {0, "RF", "0.01", "", codeCannotRefund},
		}, bal("100", "60", "", "", "", "")},
		{"refund of a PA", pa, EntityConfig{}, []step{{root, "RF", "10.00", "", codeInvalidType}}, bal("100", "", "", "", "", "")},
		{"refund of a refund", db, EntityConfig{}, []step{{root, "RF", "10.00", "", ok}, {0, "RF", "1.00", "", codeInvalidType}}, bal("", "100", "10", "", "", "")},
		{"refund after a partial chargeback", db, EntityConfig{}, []step{
			{root, "CB", "40.00", "", ok}, {root, "RF", "60.01", "", codeCannotRefund}, {root, "RF", "60.00", "", ok},
		}, bal("", "100", "60", "40", "", "")},
		{"refund in another currency", db, EntityConfig{}, []step{{root, "RF", "10.00", "USD", codeCurrencyMismatch}}, bal("", "100", "", "", "", "")},

		// Chargeback of a DB or CP: full or partial, at most one.
		{"chargeback in full, then a second", db, EntityConfig{}, []step{
			{root, "CB", "100.00", "", ok}, {root, "CB", "1.00", "", codeCannotCB}, {root, "RF", "0.01", "", codeCannotRefund},
		}, bal("", "100", "", "100", "", "")},
		{"partial chargeback, then a second", db, EntityConfig{}, []step{{root, "CB", "10.00", "", ok}, {root, "CB", "10.00", "", codeCannotCB}}, bal("", "100", "", "10", "", "")},
		{"chargeback over the amount", db, EntityConfig{}, []step{{root, "CB", "100.01", "", codeAmountMismatch}}, bal("", "100", "", "", "", "")},
		{"chargeback over what was not refunded", db, EntityConfig{}, []step{{root, "RF", "90.00", "", ok}, {root, "CB", "10.01", "", codeAmountMismatch}}, bal("", "100", "90", "", "", "")},
		{"chargeback of a fully refunded debit", db, EntityConfig{}, []step{{root, "RF", "100.00", "", ok}, {root, "CB", "1.00", "", codeCannotCB}}, bal("", "100", "100", "", "", "")},
		{"chargeback of a capture", pa, EntityConfig{}, []step{{root, "CP", "50.00", "", ok}, {0, "CB", "50.00", "", ok}, {0, "CB", "1.00", "", codeCannotCB}}, bal("100", "50", "", "", "", "")},
		{"chargeback of a PA", pa, EntityConfig{}, []step{{root, "CB", "10.00", "", codeCBNeedsMoney}}, bal("100", "", "", "", "", "")},
		{"chargeback in another currency", db, EntityConfig{}, []step{{root, "CB", "10.00", "CHF", codeCurrencyMismatch}}, bal("", "100", "", "", "", "")},

		// Chargeback reversal: only on a CB, at most once, up to its amount.
		{"chargeback reversal in full", db, EntityConfig{}, []step{
			{root, "CB", "50.00", "", ok}, {0, "CR", "50.00", "", ok}, {0, "CR", "50.00", "", codeCannotCR}, {root, "CB", "1.00", "", codeCannotCB},
		}, bal("", "100", "", "0", "", "")},
		{"partial chargeback reversal", db, EntityConfig{}, []step{{root, "CB", "50.00", "", ok}, {0, "CR", "20.00", "", ok}, {0, "CR", "1.00", "", codeCannotCR}}, bal("", "100", "", "30", "", "")},
		{"chargeback reversal over the chargeback", db, EntityConfig{}, []step{{root, "CB", "50.00", "", ok}, {0, "CR", "50.01", "", codeAmountMismatch}}, bal("", "100", "", "50", "", "")},
		{"chargeback reversal of a debit", db, EntityConfig{}, []step{{root, "CR", "10.00", "", codeNoChargeback}}, bal("", "100", "", "", "", "")},
		{"refund after a chargeback reversal", db, EntityConfig{}, []step{
			{root, "CB", "100.00", "", ok}, {0, "CR", "100.00", "", ok}, {root, "RF", "100.00", "", ok},
		}, bal("", "100", "100", "0", "", "")},

		// Rebill: only on a DB, additive.
		{"rebills of a debit", db, EntityConfig{}, []step{{root, "RB", "5.00", "", ok}, {root, "RB", "7.50", "", ok}, {1, "RF", "7.50", "", ok}, {1, "RF", "0.01", "", codeCannotRefund}}, bal("", "100", "", "", "", "12.5")},
		{"rebill of a PA", pa, EntityConfig{}, []step{{root, "RB", "5.00", "", codeInvalidType}}, bal("100", "", "", "", "", "")},
		{"rebill of a capture", pa, EntityConfig{}, []step{{root, "CP", "5.00", "", ok}, {0, "RB", "5.00", "", codeInvalidType}}, bal("100", "5", "", "", "", "")},
		{"rebill in another currency", db, EntityConfig{}, []step{{root, "RB", "5.00", "USD", codeCurrencyMismatch}}, bal("", "100", "", "", "", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New()
			g.ConfigureEntity(DefaultEntityID, tt.cfg)
			rootID := seed(t, g, tt.seed)
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
		})
	}
}
