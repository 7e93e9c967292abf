package resultcodes

import "testing"

func TestCategoryStringAndPredicates(t *testing.T) {
	tests := []struct {
		c                                  Category
		name                               string
		success, review, pending, rejected bool
	}{
		{Unknown, "unknown result code", false, false, false, false},
		{Success, "successfully processed transactions", true, false, false, false},
		{SuccessReview, "successfully processed transactions that should be manually reviewed", true, true, false, false},
		{Pending, "pending transactions", false, false, true, false},
		{PendingLong, "pending transactions whose status can change even after several days", false, false, true, false},
		{Rejected3DSIntercard, "rejections due to 3Dsecure and Intercard risk checks", false, false, false, true},
		{RejectedBank, "rejections by the external bank or similar payment system", false, false, false, true},
		{RejectedCommunication, "rejections due to communication errors", false, false, false, true},
		{RejectedSystem, "rejections due to system errors", false, false, false, true},
		{RejectedAsyncWorkflow, "rejections due to error in asynchronous workflow", false, false, false, true},
		{SoftDecline, "soft declines", false, false, false, true},
		{RejectedExternalRisk, "rejections due to checks by external risk systems", false, false, false, true},
		{RejectedAddressCheck, "rejections due to address validation", false, false, false, true},
		{Rejected3DSecure, "rejections due to 3Dsecure", false, false, false, true},
		{RejectedBlacklist, "rejections due to blacklist validation", false, false, false, true},
		{RejectedRiskValidation, "rejections due to risk validation", false, false, false, true},
		{RejectedConfiguration, "rejections due to configuration validation", false, false, false, true},
		{RejectedRegistration, "rejections due to registration validation", false, false, false, true},
		{RejectedJob, "rejections due to job validation", false, false, false, true},
		{RejectedReference, "rejections due to reference validation", false, false, false, true},
		{RejectedFormat, "rejections due to format validation", false, false, false, true},
		{RejectedAddressValidation, "rejections due to address validation", false, false, false, true},
		{RejectedContact, "rejections due to contact validation", false, false, false, true},
		{RejectedAccount, "rejections due to account validation", false, false, false, true},
		{RejectedAmount, "rejections due to amount validation", false, false, false, true},
		{RejectedRiskManagement, "rejections due to risk management", false, false, false, true},
		{Chargeback, "chargeback related result codes", false, false, false, false},
		// Values outside the constants fail closed.
		{Category(27), "Category(27)", false, false, false, false},
		{Category(255), "Category(255)", false, false, false, false},
	}
	if len(tests) != 27+2 {
		t.Fatalf("table covers %d values, want all 27 categories and 2 out-of-range values", len(tests))
	}
	for i, tt := range tests {
		if i < 27 && tt.c != Category(i) {
			t.Fatalf("row %d holds %d: the constants are out of documented order", i, tt.c)
		}
		if got := tt.c.String(); got != tt.name {
			t.Errorf("Category(%d).String() = %q, want %q", tt.c, got, tt.name)
		}
		if got := tt.c.IsSuccess(); got != tt.success {
			t.Errorf("%v.IsSuccess() = %v", tt.c, got)
		}
		if got := tt.c.IsReview(); got != tt.review {
			t.Errorf("%v.IsReview() = %v", tt.c, got)
		}
		if got := tt.c.IsPending(); got != tt.pending {
			t.Errorf("%v.IsPending() = %v", tt.c, got)
		}
		if got := tt.c.IsRejected(); got != tt.rejected {
			t.Errorf("%v.IsRejected() = %v", tt.c, got)
		}
	}
}

// TestConstantsOrder pins the numeric values other packages may depend on.
func TestConstantsOrder(t *testing.T) {
	if Unknown != 0 || Success != 1 || SoftDecline != 10 || RejectedRiskManagement != 25 || Chargeback != 26 {
		t.Fatal("category constants moved")
	}
	if len(categoryNames) != int(Chargeback)+1 {
		t.Fatalf("categoryNames has %d entries, want %d", len(categoryNames), Chargeback+1)
	}
}
