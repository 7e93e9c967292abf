package backofficetest

import (
	"strings"

	"github.com/shopspring/decimal"
)

// inList reports whether the space-separated list holds s.
func inList(list, s string) bool {
	for list != "" {
		var e string
		e, list, _ = strings.Cut(list, " ")
		if e == s {
			return true
		}
	}
	return false
}

// referencedOps are the operations of POST /v1/payments/{id}, initialOps
// those of POST /v1/payments; paymentTypes are both.
const (
	referencedOps = "CP RV RF CB CR RB"
	initialOps    = "PA DB CD"
	paymentTypes  = initialOps + " " + referencedOps
)

// The codes of the flows beyond the back office's availability table.
const (
	codeRVNeedsMoney          = "700.400.530" // reversal needs at least one successful transaction of type (CP or DB or RB or PA)
	codeRepresentment         = "000.100.105" // Chargeback Representment is successful
	codeRepresentmentReversal = "000.100.106" // Chargeback Representment cancellation is successful
)

// target returns the payment types op may reference, and the code that
// answers any other type. The sources, rule by rule:
//
//   - CP on a PA: OPP's back-office availability table (Pre-Authorization:
//     Capture, Reversal) and the API reference ("captures ... against the
//     same PA");
//   - RV on a PA (the table), a DB (the API reference: "reversal of a debit
//     (DB) or preauthorization (PA)"), a CP or an RB: the text of OPP's code
//     700.400.530, "reversal needs at least one successful transaction of
//     type (CP or DB or RB or PA)", which also answers any other type;
//   - RF on a DB or CP (the table), an RB (700.400.520's text, "(CP or DB
//     or RB or RC)") or a CD: the integration guide keeps a credit's id
//     "used later in refunding the credited amount if required";
//   - CB on a DB or CP (the table; the chargeback pages of OPP's white
//     labels) or an RB (700.400.550's text, "(CP or DB or RB)");
//   - CR on a CB, a chargeback reversal (the table: Chargeback: Chargeback
//     Reversal); on a CR, a representment (on a chargeback reversal) or a
//     representment reversal (on a representment), as the chargeback pages
//     of Peach Payments and HyperPay describe them (see checkCR);
//   - RB on a DB: the API reference ("a prior debit (DB payment type)
//     transaction") and the table (Debit: Rebill).
func target(op string) (types, code string) {
	switch op {
	case "CP":
		return "PA", codeInvalidType
	case "RV":
		return "PA DB CP RB", codeRVNeedsMoney
	case "RF":
		return "DB CP RB CD", codeInvalidType
	case "CB":
		return "DB CP RB", codeCBNeedsMoney
	case "CR":
		return "CB CR", codeNoChargeback
	case "RB":
		return "DB", codeInvalidType
	}
	return "", codeBadPaymentType
}

// check decides whether op may be performed on ref: it returns the 700.x
// code that refuses it, or "" and the amount op moves (for a full reversal,
// what is left to reverse). f holds the request's amount and currency.
func check(op string, ref *txn, f *fields, cfg EntityConfig) (string, decimal.Decimal) {
	switch ref.status {
	case StatusRejected:
		return codeRefRejected, decimal.Decimal{}
	case StatusPending:
		return codeRefPending, decimal.Decimal{}
	}
	if types, code := target(op); !inList(types, ref.paymentType) {
		return code, decimal.Decimal{}
	}
	if f.hasAmount && f.currency != ref.currency {
		return codeCurrencyMismatch, decimal.Decimal{}
	}
	b, amt := &ref.bal, f.amount
	switch op {
	case "CP":
		switch {
		case cfg.SingleCapture && b.Captured.Sign() > 0:
			return codeAlreadyDone, amt
		case amt.Cmp(b.Authorized.Sub(b.Captured).Sub(b.Reversed)) > 0:
			return codeCannotCapture, amt
		}
	case "RV":
		return checkReversal(ref, f, cfg)
	case "RF":
		if amt.Cmp(b.Captured.Sub(b.Refunded).Sub(b.ChargedBack).Sub(b.Reversed)) > 0 {
			return codeCannotRefund, amt
		}
	case "CB":
		available := b.Captured.Sub(b.Refunded).Sub(b.Reversed)
		switch {
		case ref.chargebacks > 0 || available.Sign() <= 0:
			return codeCannotCB, amt
		case amt.Cmp(available) > 0:
			return codeAmountMismatch, amt
		}
	case "CR":
		return checkCR(ref, amt), amt
	case "RB":
		if b.Reversed.Sign() > 0 {
			return codeAlreadyDone, amt
		}
	}
	return "", amt
}

// checkCR: a CB, a chargeback reversal and a representment each take one
// CR (700.400.410 after), for at most their own amount (700.100.200); a
// representment reversal takes none (700.400.410), since the white labels'
// pages describe no CR after it.
func checkCR(ref *txn, amt decimal.Decimal) string {
	switch {
	case ref.reversals > 0, crDepth(ref) >= 3:
		return codeCannotCR
	case amt.Cmp(ref.amount) > 0:
		return codeAmountMismatch
	}
	return ""
}

// crDepth is how many CRs lead from t down to its chargeback: 0 for
// anything but a CR, 1 for a chargeback reversal, 2 for a representment,
// 3 for a representment reversal.
func crDepth(t *txn) int {
	n := 0
	for ; t != nil && t.paymentType == "CR"; t = t.ref {
		n++
	}
	return n
}

// successCode is the code of an op on ref that succeeded, where def is the
// gateway's success code: a representment answers OPP's 000.100.105 and a
// representment reversal 000.100.106, so that a client tells them apart
// (backoffice.AllowedOperations offers nothing after the latter).
func successCode(op string, ref *txn, def string) string {
	if op != "CR" {
		return def
	}
	switch crDepth(ref) {
	case 1:
		return codeRepresentment
	case 2:
		return codeRepresentmentReversal
	}
	return def
}

// checkReversal: a PA can be reversed until it is captured (700.300.700
// after); a DB, CP or RB until it is refunded (700.400.300) or charged back
// (700.300.600); nothing can be reversed twice, nor beyond what is left
// (700.400.300), and a partial reversal needs an entity that allows it
// (700.400.300 otherwise). A reversed capture releases its part of its
// PA's authorization for good (see apply).
func checkReversal(ref *txn, f *fields, cfg EntityConfig) (string, decimal.Decimal) {
	b := &ref.bal
	var left decimal.Decimal
	if ref.paymentType == "PA" {
		if b.Captured.Sign() > 0 {
			return codeNoLongerReverse, f.amount
		}
		left = b.Authorized.Sub(b.Reversed)
	} else {
		switch {
		case b.Refunded.Sign() > 0:
			return codeCannotReverse, f.amount
		case ref.chargebacks > 0:
			return codeWasChargedBack, f.amount
		}
		left = b.Captured.Sub(b.Reversed)
	}
	switch {
	case left.Sign() <= 0:
		return codeCannotReverse, f.amount
	case !f.hasAmount:
		return "", left
	case cfg.NoPartialReversal, f.amount.Cmp(left) > 0:
		return codeCannotReverse, f.amount
	}
	return "", f.amount
}

// apply books a successful operation t, which moved amt, on its referenced
// transaction. The caller holds mu.
func apply(t *txn, amt decimal.Decimal) {
	ref := t.ref
	b := &ref.bal
	switch t.paymentType {
	case "CP":
		b.Captured = b.Captured.Add(amt)
		t.bal.Captured = amt
	case "RV":
		b.Reversed = b.Reversed.Add(amt)
		// Reversing a capture voids it: the PA's captured amount goes down
		// and the voided part of the authorization is released (reversed),
		// as a reversal of the PA itself would release it, so it cannot be
		// captured again. Reversing a rebill takes it off its DB's rebilled
		// amount. The CP's or RB's own balance shows the reversal too.
		if p := ref.ref; p != nil {
			switch ref.paymentType {
			case "CP":
				p.bal.Captured = p.bal.Captured.Sub(amt)
				p.bal.Reversed = p.bal.Reversed.Add(amt)
			case "RB":
				p.bal.Rebilled = p.bal.Rebilled.Sub(amt)
			}
		}
	case "RF":
		b.Refunded = b.Refunded.Add(amt)
	case "CB":
		b.ChargedBack = b.ChargedBack.Add(amt)
		ref.chargebacks++
		t.bal.ChargedBack = amt
	case "CR":
		b.Reversed = b.Reversed.Add(amt)
		ref.reversals++
		// A chargeback reversal gives the money back: its CB's and the
		// charged-back payment's ChargedBack go down. A representment and
		// its reversal are recorded on the CR they reference (Reversed) and
		// move no balance of the payment: the white labels' pages describe
		// them as transfers between issuer and acquirer, without saying
		// what they do to the merchant's balance.
		if ref.paymentType == "CB" {
			b.ChargedBack = b.ChargedBack.Sub(amt)
			if p := ref.ref; p != nil {
				p.bal.ChargedBack = p.bal.ChargedBack.Sub(amt)
			}
		}
	case "RB":
		b.Rebilled = b.Rebilled.Add(amt)
		t.bal.Captured = amt
	}
}

// openBalance sets the balance of a successful initial payment.
func openBalance(t *txn) {
	switch t.paymentType {
	case "PA":
		t.bal.Authorized = t.amount
	case "DB", "CD":
		// A credit's Captured is the money it sent to the card: what a
		// refund of the credit can take back.
		t.bal.Captured = t.amount
	}
}
