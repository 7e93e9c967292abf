package backoffice

import (
	"reflect"
	"testing"

	"github.com/oppkit/backoffice/resultcodes"
)

// TestAllowedOperations pins the table: OPP's back-office availability
// table plus what the API allows, for a plain success.
func TestAllowedOperations(t *testing.T) {
	ok := Result{Code: "000.000.000"}
	tests := []struct {
		t    PaymentType
		r    Result
		want []Operation
	}{
		{PaymentTypePreAuthorization, ok, []Operation{OperationCapture, OperationReverse}},
		{PaymentTypeCapture, ok, []Operation{OperationRefund, OperationChargeback, OperationReverse}},
		{PaymentTypeDebit, ok, []Operation{OperationRebill, OperationRefund, OperationChargeback, OperationReverse}},
		{PaymentTypeRebill, ok, []Operation{OperationRefund, OperationChargeback, OperationReverse}},
		{PaymentTypeCredit, ok, []Operation{OperationRefund}},
		{PaymentTypeChargeback, ok, []Operation{OperationReverseChargeback}},
		{PaymentTypeChargebackReversal, ok, []Operation{OperationReverseChargeback}},                          // a representment
		{PaymentTypeChargebackReversal, Result{Code: "000.100.105"}, []Operation{OperationReverseChargeback}}, // a representment's reversal
		{PaymentTypeChargebackReversal, Result{Code: "000.100.106"}, nil},                                     // a representment reversal: the end
		{PaymentTypeRefund, ok, nil},
		{PaymentTypeReversal, ok, nil},
		{"XX", ok, nil},
	}
	for _, tt := range tests {
		if got := AllowedOperations(tt.t, tt.r); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AllowedOperations(%s, %s) = %v; want %v", tt.t, tt.r.Code, got, tt.want)
		}
	}
}

// TestAllowedOperationsBySuccessCategory: every success-like category
// (Success, SuccessReview, Chargeback) gets operations, every other none;
// in particular a chargeback the acquirer raised (000.100.2xx) can be
// reversed.
func TestAllowedOperationsBySuccessCategory(t *testing.T) {
	tests := []struct {
		code     string
		category resultcodes.Category
		cb       []Operation // what a CB with this code may take
	}{
		{"000.000.000", resultcodes.Success, []Operation{OperationReverseChargeback}},
		{"000.100.110", resultcodes.Success, []Operation{OperationReverseChargeback}},
		{"000.400.000", resultcodes.SuccessReview, []Operation{OperationReverseChargeback}},
		{"000.100.200", resultcodes.Chargeback, []Operation{OperationReverseChargeback}},
		{"000.100.220", resultcodes.Chargeback, []Operation{OperationReverseChargeback}},
		{"000.200.000", resultcodes.Pending, nil},
		{"800.400.500", resultcodes.PendingLong, nil},
		{"800.100.151", resultcodes.RejectedBank, nil},
		{"100.550.300", resultcodes.RejectedAmount, nil},
		{"700.400.580", resultcodes.RejectedReference, nil},
		{"800.900.300", resultcodes.RejectedFormat, nil},
		{"garbage", resultcodes.Unknown, nil},
	}
	for _, tt := range tests {
		r := Result{Code: tt.code}
		if c := r.Category(); c != tt.category {
			t.Fatalf("%s is %v; the test expects %v", tt.code, c, tt.category)
		}
		if got := AllowedOperations(PaymentTypeChargeback, r); !reflect.DeepEqual(got, tt.cb) {
			t.Errorf("AllowedOperations(CB, %s) = %v; want %v", tt.code, got, tt.cb)
		}
	}
}

// TestAllowedOperationsAgreeWithSucceeded: for every code of the
// catalogue and every payment type that can take operations, a payment
// has operations exactly when it Succeeded (the one exception: a
// representment reversal, which succeeded and ends its chain).
func TestAllowedOperationsAgreeWithSucceeded(t *testing.T) {
	types := []PaymentType{PaymentTypePreAuthorization, PaymentTypeDebit, PaymentTypeCapture, PaymentTypeRebill,
		PaymentTypeCredit, PaymentTypeChargeback, PaymentTypeChargebackReversal}
	categories := map[resultcodes.Category]bool{}
	for _, code := range resultcodes.All() {
		categories[code.Category] = true
		r := Result{Code: code.Code}
		for _, pt := range types {
			p := Payment{PaymentType: pt, Result: r}
			has := len(AllowedOperations(pt, r)) > 0
			want := p.Succeeded() && !(pt == PaymentTypeChargebackReversal && code.Code == "000.100.106")
			if has != want {
				t.Errorf("%s %s (%v): AllowedOperations has operations = %v, Succeeded = %v", pt, code.Code, code.Category, has, p.Succeeded())
			}
		}
	}
	for _, c := range []resultcodes.Category{resultcodes.Success, resultcodes.SuccessReview, resultcodes.Chargeback, resultcodes.Pending, resultcodes.RejectedBank} {
		if !categories[c] {
			t.Errorf("the catalogue has no code of category %v: the test covers less than it says", c)
		}
	}
}
