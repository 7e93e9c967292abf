package backoffice

import "github.com/oppkit/backoffice/resultcodes"

// The result codes of a chargeback reversal's follow-ups: OPP answers a
// representment with 000.100.105 and its cancellation (a representment
// reversal) with 000.100.106.
const (
	codeRepresentment         = "000.100.105" // Chargeback Representment is successful
	codeRepresentmentReversal = "000.100.106" // Chargeback Representment cancellation is successful
)

// moneyMoved reports whether a transaction whose code is of category c moved
// money: a success, a success needing review, or a chargeback the acquirer
// reported (000.100.2xx, the reason of the chargeback). Payment.Succeeded and
// AllowedOperations both answer by it, so that a UI never offers an
// operation on a payment that did not succeed, nor hides one from a payment
// that did.
func moneyMoved(c resultcodes.Category) bool {
	switch c {
	case resultcodes.Success, resultcodes.SuccessReview, resultcodes.Chargeback:
		return true
	}
	return false
}

// AllowedOperations returns the operations a payment of type t with result
// r can take, so that a merchant's UI offers only those without a round
// trip. Only a payment whose money moved (Payment.Succeeded: a success
// code, a success needing review, or a chargeback the acquirer reported
// with its 000.100.2xx reason code) can take any; a pending or rejected one
// takes none.
//
// The answer is OPP's back-office availability table, plus what OPP's API
// allows beyond it, marked (API):
//
//	Pre-Authorization      Capture, Reversal
//	Capture                Refund, Chargeback, Reversal (API)
//	Debit                  Rebill, Refund, Chargeback, Reversal (API)
//	Rebill (API)           Refund, Chargeback, Reversal
//	Credit (API)           Refund
//	Chargeback             Chargeback Reversal
//	Chargeback Reversal    Chargeback Reversal (API), except after a
//	                       representment reversal (000.100.106)
//	Refund, Reversal       none
//
// The sources of the additions: a reversal needs "at least one successful
// transaction of type (CP or DB or RB or PA)" (the text of OPP's code
// 700.400.530); a refund "at least one successful transaction of type (CP or
// DB or RB ...)" (700.400.520) and a chargeback one of "(CP or DB or RB)"
// (700.400.550); the integration guide keeps a credit's id "used later in
// refunding the credited amount if required"; the chargeback pages of OPP's
// white labels (Peach Payments, HyperPay) send a representment as a CR
// against a chargeback reversal, and a representment reversal as a CR
// against a representment (OperationReverseChargeback sends CR in all
// three cases). A representment reversal is told from the other CRs by its
// code, 000.100.106; it takes nothing more.
//
// What an operation may still take (how much is left to capture or refund,
// whether the acquirer still allows a reversal) depends on the payment's
// history and the merchant's contract, which OPP checks.
func AllowedOperations(t PaymentType, r Result) []Operation {
	if !moneyMoved(r.Category()) {
		return nil
	}
	switch t {
	case PaymentTypePreAuthorization:
		return []Operation{OperationCapture, OperationReverse}
	case PaymentTypeCapture:
		return []Operation{OperationRefund, OperationChargeback, OperationReverse}
	case PaymentTypeDebit:
		return []Operation{OperationRebill, OperationRefund, OperationChargeback, OperationReverse}
	case PaymentTypeRebill:
		return []Operation{OperationRefund, OperationChargeback, OperationReverse}
	case PaymentTypeCredit:
		return []Operation{OperationRefund}
	case PaymentTypeChargeback:
		return []Operation{OperationReverseChargeback}
	case PaymentTypeChargebackReversal:
		if r.Code == codeRepresentmentReversal {
			return nil
		}
		return []Operation{OperationReverseChargeback}
	}
	return nil
}
