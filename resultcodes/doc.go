// Package resultcodes classifies OPP (ACI Open Payment Platform) result
// codes and holds OPP's catalogue of known codes with their descriptions.
//
// A result code has the shape ddd.ddd.ddd, for example 800.100.153: 800,
// the bank declined; 100, it declined the authorization; 153, because the
// CVV is wrong. OPP documents 26 groups of codes, each as a regular
// expression, in this order:
//
//  1. Success: successfully processed transactions
//  2. SuccessReview: successfully processed transactions that should be manually reviewed
//  3. Pending: pending transactions (a status change within about half an hour)
//  4. PendingLong: pending transactions whose status can change even after several days
//  5. Rejected3DSIntercard: rejections due to 3Dsecure and Intercard risk checks
//  6. RejectedBank: rejections by the external bank or similar payment system
//  7. RejectedCommunication: rejections due to communication errors
//  8. RejectedSystem: rejections due to system errors
//  9. RejectedAsyncWorkflow: rejections due to error in asynchronous workflow
//  10. SoftDecline: soft declines
//  11. RejectedExternalRisk: rejections due to checks by external risk systems
//  12. RejectedAddressCheck: rejections due to address validation (800.400.1xx)
//  13. Rejected3DSecure: rejections due to 3Dsecure
//  14. RejectedBlacklist: rejections due to blacklist validation
//  15. RejectedRiskValidation: rejections due to risk validation
//  16. RejectedConfiguration: rejections due to configuration validation
//  17. RejectedRegistration: rejections due to registration validation
//  18. RejectedJob: rejections due to job validation
//  19. RejectedReference: rejections due to reference validation
//  20. RejectedFormat: rejections due to format validation
//  21. RejectedAddressValidation: rejections due to address validation (100.800.xxx)
//  22. RejectedContact: rejections due to contact validation
//  23. RejectedAccount: rejections due to account validation
//  24. RejectedAmount: rejections due to amount validation
//  25. RejectedRiskManagement: rejections due to risk management
//  26. Chargeback: chargeback related result codes
//
// The groups overlap, and the first match wins: 000.400.101 is a
// rejection (group 5), not a review success, and group 25 is entirely
// shadowed by group 11, so Classify never returns RejectedRiskManagement.
// Classify uses the newer expressions of groups 1, 8 and 11 (success now
// includes 000.400.110 and 000.400.120) and includes the soft-decline
// group. It compares bytes and integers instead of running the regular
// expressions, and does not allocate; the tests check it against the
// documented expressions on every catalogue code and under fuzzing.
//
// Classification fails closed. Anything that is not exactly ddd.ddd.ddd
// in ASCII digits, and any well-formed code that no group covers, is
// Unknown, and Unknown is neither success, pending nor rejected, so a
// caller that only acts on IsSuccess never treats an unexplained code as
// paid. Chargeback codes (000.100.2xx) describe chargebacks and are
// neither success nor rejected either.
//
// Seven catalogue codes fall outside every group and are pinned by
// exact-code overrides, checked before the groups:
//
//   - 000.500.000 and 000.500.100 ("Transaction succeeded ...") are
//     SuccessReview: the money moved, but outside the documented success
//     groups, so a human should look;
//   - 100.310.401 ("Account management type not supported") is
//     RejectedConfiguration;
//   - 100.310.402 ("Account management transaction not allowed in current
//     state") is RejectedReference;
//   - 700.600.002, 700.601.001 and 700.601.003 ("Retry blocked ...",
//     merchant advice codes from the card scheme) are RejectedBank.
//
// Codes that OPP adds later classify by their group without being in the
// catalogue. The catalogue (catalogue.go) is generated from
// testdata/opp-resultcodes.json by go generate; Lookup and All read it.
package resultcodes
