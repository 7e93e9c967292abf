package backoffice

// AllowedOperations answers seed 004's availability table: which operations
// a payment of type t with result r can take, so a merchant's UI can offer
// only those without a round trip. Only a payment whose money moved
// (r's code is a success or success-needing-review code) can take any.
//
//	Pre-Authorization  Capture, Reversal
//	Capture            Refund, Chargeback
//	Debit              Rebill, Refund, Chargeback
//	Chargeback         Chargeback Reversal
//	Refund             none
//
// The API also allows reversing a debit where the acquirer supports it; the
// back office does not offer it, and neither does this table. What an
// operation may still take (how much is left to capture or refund) depends
// on the payment's history, which OPP checks.
func AllowedOperations(t PaymentType, r Result) []Operation {
	if !r.Category().IsSuccess() {
		return nil
	}
	switch t {
	case PaymentTypePreAuthorization:
		return []Operation{OperationCapture, OperationReverse}
	case PaymentTypeCapture:
		return []Operation{OperationRefund, OperationChargeback}
	case PaymentTypeDebit:
		return []Operation{OperationRebill, OperationRefund, OperationChargeback}
	case PaymentTypeChargeback:
		return []Operation{OperationReverseChargeback}
	}
	return nil
}
