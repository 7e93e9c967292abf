package backofficetest

import "github.com/oppkit/backoffice/resultcodes"

// The result codes the fake answers with for its own decisions. Their
// descriptions, like those of every code a test asks for, come verbatim from
// OPP's catalogue in package resultcodes.
const (
	codeSuccessLive      = "000.000.000" // Transaction succeeded
	codeSuccessTest      = "000.100.110" // the default success: 'Merchant in Integrator Test Mode'
	codeRequestOK        = "000.000.100" // successful request (a query that found payments)
	codeMissingCard      = "100.100.100"
	codeInvalidCard      = "100.100.101"
	codeMissingMonth     = "100.100.200"
	codeInvalidMonth     = "100.100.201"
	codeMissingYear      = "100.100.300"
	codeInvalidYear      = "100.100.301"
	codeCardExpired      = "100.100.303"
	codeMissingHolder    = "100.100.400"
	codeHolderLength     = "100.100.401"
	codeHolderInvalid    = "100.100.402"
	codeMissingBrand     = "100.100.500"
	codeInvalidBrand     = "100.100.501"
	codeInvalidCVV       = "100.100.601"
	codeBrandMismatch    = "100.100.700"
	codeTestMode         = "100.300.101"
	codeMTIDTooLong      = "100.300.200"
	codeNoAmount         = "100.550.300"
	codeAmountTooLarge   = "100.550.301"
	codeAmountFormat     = "100.550.303"
	codeNoCurrency       = "100.550.400"
	codeInvalidCurrency  = "100.550.401"
	codeStreetTooLong    = "100.800.101"
	codeZipTooLong       = "100.800.201"
	codeCityTooLong      = "100.800.301"
	codeStateTooLong     = "100.800.401"
	codeInvalidCountry   = "100.800.501"
	codeBadMethod        = "200.300.403"
	codeBadParameter     = "200.300.404"
	codeNotConfigured    = "600.200.201"
	codeBadPaymentType   = "600.200.300"
	codeUnknownReference = "700.100.100"
	codeAmountMismatch   = "700.100.200"
	codeCurrencyMismatch = "700.100.500"
	codeInvalidType      = "700.300.100"
	codeRefRejected      = "700.300.200"
	codeAlreadyDone      = "700.300.300"
	codeWasChargedBack   = "700.300.600"
	codeNoLongerReverse  = "700.300.700"
	codeCannotCapture    = "700.400.100"
	codeCannotRefund     = "700.400.200"
	codeCannotReverse    = "700.400.300"
	codeCannotCB         = "700.400.400"
	codeCannotCR         = "700.400.410"
	codeNoChargeback     = "700.400.420"
	codeCBNeedsMoney     = "700.400.550"
	codeRefPending       = "700.400.570"
	codeNotFound         = "700.400.580"
	codeEntityMismatch   = "700.400.700"
	codeDuplicate        = "800.110.100"
	codeThrottled        = "800.120.100"
	codeBadAuth          = "800.900.300"
	codeNoRights         = "800.900.301"
)

// describe returns OPP's description of code, and whether the catalogue
// has it.
func describe(code string) (string, bool) {
	c, ok := resultcodes.Lookup(code)
	return c.Description, ok
}

// description returns the description of a code the fake itself chose.
func description(code string) string {
	d, _ := describe(code)
	return d
}

// Status is where a transaction stands, as its result code says.
type Status string

// The statuses of a transaction.
const (
	// StatusSucceeded is a success, a success to review manually, or a
	// booked chargeback (000.100.2xx): the money moved.
	StatusSucceeded Status = "succeeded"
	// StatusPending is an outcome that is not final (000.200.xxx,
	// 800.400.5xx, 100.400.500): no money moved yet.
	StatusPending Status = "pending"
	// StatusRejected is any other code: a decline, a communication error
	// (900.xxx), ... No money moved.
	StatusRejected Status = "rejected"
)

// statusOf classifies code with OPP's documented result-code groups.
func statusOf(code string) Status {
	switch resultcodes.Classify(code) {
	case resultcodes.Success, resultcodes.SuccessReview, resultcodes.Chargeback:
		return StatusSucceeded
	case resultcodes.Pending, resultcodes.PendingLong:
		return StatusPending
	}
	return StatusRejected
}
