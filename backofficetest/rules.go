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

// target returns the payment types op may reference (seed 004's
// availability table, plus the reversal of a debit that seed 003 allows, and
// refunds and chargebacks of a rebill as OPP's 700.400.520/550 texts list),
// and the code that answers any other type.
func target(op string) (types, code string) {
	switch op {
	case "CP":
		return "PA", codeInvalidType
	case "RV":
		return "PA DB", codeInvalidType
	case "RF":
		return "DB CP RB", codeInvalidType
	case "CB":
		return "DB CP RB", codeCBNeedsMoney
	case "CR":
		return "CB", codeNoChargeback
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
		switch {
		case ref.reversals > 0:
			return codeCannotCR, amt
		case amt.Cmp(ref.amount) > 0:
			return codeAmountMismatch, amt
		}
	case "RB":
		if b.Reversed.Sign() > 0 {
			return codeAlreadyDone, amt
		}
	}
	return "", amt
}

// checkReversal: a PA can be reversed until it is captured (700.300.700
// after), a DB until it is refunded (700.400.300) or charged back
// (700.300.600); nothing can be reversed twice, nor beyond what is left
// (700.400.300), and a partial reversal needs an entity that allows it
// (700.400.300 otherwise).
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
	case "RF":
		b.Refunded = b.Refunded.Add(amt)
	case "CB":
		b.ChargedBack = b.ChargedBack.Add(amt)
		ref.chargebacks++
		t.bal.ChargedBack = amt
	case "CR":
		b.Reversed = b.Reversed.Add(amt)
		b.ChargedBack = b.ChargedBack.Sub(amt)
		ref.reversals++
		if p := ref.ref; p != nil {
			p.bal.ChargedBack = p.bal.ChargedBack.Sub(amt)
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
	case "DB":
		t.bal.Captured = t.amount
	}
}
