package resultcodes

import "strconv"

// Category is one of OPP's documented result-code groups. The groups are
// tried in the documented order and the first match wins; a code that no
// group covers, or a string that is not a result code at all, is Unknown.
type Category uint8

// The categories, in OPP's documented order (rows 1 to 26 of the
// result-code table). Unknown is the zero value so that an unclassified
// code fails closed.
const (
	Unknown                   Category = iota // not a result code, or covered by no group
	Success                                   // successfully processed transactions
	SuccessReview                             // successfully processed, should be manually reviewed
	Pending                                   // pending: a status change within about half an hour
	PendingLong                               // pending: the status can change even after several days
	Rejected3DSIntercard                      // rejections due to 3Dsecure and Intercard risk checks
	RejectedBank                              // rejections by the external bank or similar payment system
	RejectedCommunication                     // rejections due to communication errors
	RejectedSystem                            // rejections due to system errors
	RejectedAsyncWorkflow                     // rejections due to error in asynchronous workflow
	SoftDecline                               // soft declines (e.g. the issuer asks for 3-D Secure)
	RejectedExternalRisk                      // rejections due to checks by external risk systems
	RejectedAddressCheck                      // rejections due to address validation (by the bank, 800.400.1)
	Rejected3DSecure                          // rejections due to 3Dsecure
	RejectedBlacklist                         // rejections due to blacklist validation
	RejectedRiskValidation                    // rejections due to risk validation
	RejectedConfiguration                     // rejections due to configuration validation
	RejectedRegistration                      // rejections due to registration validation
	RejectedJob                               // rejections due to job validation
	RejectedReference                         // rejections due to reference validation
	RejectedFormat                            // rejections due to format validation
	RejectedAddressValidation                 // rejections due to address validation (100.800)
	RejectedContact                           // rejections due to contact validation
	RejectedAccount                           // rejections due to account validation
	RejectedAmount                            // rejections due to amount validation
	RejectedRiskManagement                    // rejections due to risk management (shadowed: see Classify)
	Chargeback                                // chargeback related result codes (000.100.2xx)
)

// categoryNames holds the documented wording of each category, indexed by
// Category. Both address-validation groups keep OPP's identical wording.
var categoryNames = [...]string{
	Unknown:                   "unknown result code",
	Success:                   "successfully processed transactions",
	SuccessReview:             "successfully processed transactions that should be manually reviewed",
	Pending:                   "pending transactions",
	PendingLong:               "pending transactions whose status can change even after several days",
	Rejected3DSIntercard:      "rejections due to 3Dsecure and Intercard risk checks",
	RejectedBank:              "rejections by the external bank or similar payment system",
	RejectedCommunication:     "rejections due to communication errors",
	RejectedSystem:            "rejections due to system errors",
	RejectedAsyncWorkflow:     "rejections due to error in asynchronous workflow",
	SoftDecline:               "soft declines",
	RejectedExternalRisk:      "rejections due to checks by external risk systems",
	RejectedAddressCheck:      "rejections due to address validation",
	Rejected3DSecure:          "rejections due to 3Dsecure",
	RejectedBlacklist:         "rejections due to blacklist validation",
	RejectedRiskValidation:    "rejections due to risk validation",
	RejectedConfiguration:     "rejections due to configuration validation",
	RejectedRegistration:      "rejections due to registration validation",
	RejectedJob:               "rejections due to job validation",
	RejectedReference:         "rejections due to reference validation",
	RejectedFormat:            "rejections due to format validation",
	RejectedAddressValidation: "rejections due to address validation",
	RejectedContact:           "rejections due to contact validation",
	RejectedAccount:           "rejections due to account validation",
	RejectedAmount:            "rejections due to amount validation",
	RejectedRiskManagement:    "rejections due to risk management",
	Chargeback:                "chargeback related result codes",
}

// String returns OPP's documented wording for the category, such as
// "successfully processed transactions" or "rejections due to
// communication errors", and "unknown result code" for Unknown. A value
// outside the defined constants is printed as "Category(N)".
func (c Category) String() string {
	if int(c) < len(categoryNames) {
		return categoryNames[c]
	}
	return "Category(" + strconv.Itoa(int(c)) + ")"
}

// IsSuccess reports whether the money moved: c is Success or SuccessReview.
// Chargeback is not a success even though its codes start with 000.
func (c Category) IsSuccess() bool {
	return c == Success || c == SuccessReview
}

// IsReview reports whether c is SuccessReview: the transaction succeeded
// but should be manually reviewed before goods are released.
func (c Category) IsReview() bool {
	return c == SuccessReview
}

// IsPending reports whether c is Pending or PendingLong: the outcome is
// not final yet and must be polled for or awaited via webhook.
func (c Category) IsPending() bool {
	return c == Pending || c == PendingLong
}

// IsRejected reports whether c is one of the rejection groups, from
// Rejected3DSIntercard to RejectedRiskManagement, SoftDecline included.
//
// Unknown is not rejected: it is neither success, pending nor rejected, and
// callers must treat it as a failure they cannot explain (fail closed).
// Chargeback is not rejected either: its codes (000.100.2xx) are carried by
// chargeback transactions and give the bank's chargeback reason; they say
// nothing about whether a payment request was accepted, so Chargeback is
// neither success nor rejected by these predicates.
func (c Category) IsRejected() bool {
	return c >= Rejected3DSIntercard && c <= RejectedRiskManagement
}
