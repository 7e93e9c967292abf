package console

import (
	"slices"

	"github.com/oppkit/backoffice"
)

// User is the person using the console, as the merchant's authentication
// knows it: a name for the audit log and the operations it may perform.
// A User with no Operations is a viewer.
type User struct {
	// Name identifies the user in the audit log and in CSRF tokens.
	Name string
	// Operations are the money movements the user may perform, among
	// OperationCapture, OperationReverse, OperationRefund,
	// OperationChargeback, OperationReverseChargeback and OperationRebill.
	Operations []backoffice.Operation
}

// Can reports whether the user may perform op.
func (u User) Can(op backoffice.Operation) bool {
	return slices.Contains(u.Operations, op)
}

// consoleOps are the operations the console offers, in the order its
// buttons are shown: those of OPP's back-office availability table.
var consoleOps = []backoffice.Operation{
	backoffice.OperationCapture,
	backoffice.OperationReverse,
	backoffice.OperationRefund,
	backoffice.OperationRebill,
	backoffice.OperationChargeback,
	backoffice.OperationReverseChargeback,
}

// AllOperations returns every operation the console offers, for a User who
// may perform them all.
func AllOperations() []backoffice.Operation {
	return slices.Clone(consoleOps)
}

// opLabel is the button and dialog title of an operation, as OPP's back
// office names it.
func opLabel(op backoffice.Operation) string {
	switch op {
	case backoffice.OperationCapture:
		return "Capture"
	case backoffice.OperationReverse:
		return "Reversal"
	case backoffice.OperationRefund:
		return "Refund"
	case backoffice.OperationRebill:
		return "Rebill"
	case backoffice.OperationChargeback:
		return "Chargeback"
	case backoffice.OperationReverseChargeback:
		return "Chargeback Reversal"
	}
	return string(op)
}

// parseOp returns the console operation named s in a URL.
func parseOp(s string) (backoffice.Operation, bool) {
	for _, op := range consoleOps {
		if string(op) == s {
			return op, true
		}
	}
	return "", false
}
