package backofficetest

import (
	"strings"
	"testing"

	"github.com/oppkit/backoffice/resultcodes"
)

// TestOwnCodesAreKnown: every code the fake decides on is in OPP's
// catalogue, and the codes the issue names carry OPP's text verbatim.
func TestOwnCodesAreKnown(t *testing.T) {
	for _, code := range []string{
		codeSuccessLive, codeSuccessTest, codeRequestOK, codeMissingCard, codeInvalidCard, codeMissingMonth, codeInvalidMonth,
		codeMissingYear, codeInvalidYear, codeCardExpired, codeMissingHolder, codeHolderLength, codeHolderInvalid,
		codeMissingBrand, codeInvalidBrand, codeInvalidCVV, codeBrandMismatch, codeTestMode, codeMTIDTooLong, codeNoAmount,
		codeAmountTooLarge, codeAmountFormat, codeNoCurrency, codeInvalidCurrency, codeStreetTooLong, codeZipTooLong,
		codeCityTooLong, codeStateTooLong, codeInvalidCountry, codeBadMethod, codeBadParameter, codeNotConfigured,
		codeBadPaymentType, codeUnknownReference, codeAmountMismatch, codeCurrencyMismatch, codeInvalidType, codeRefRejected,
		codeAlreadyDone, codeWasChargedBack, codeNoLongerReverse, codeCannotCapture, codeCannotRefund, codeCannotReverse,
		codeCannotCB, codeCannotCR, codeNoChargeback, codeCBNeedsMoney, codeRefPending, codeNotFound, codeEntityMismatch,
		codeDuplicate, codeThrottled, codeBadAuth, codeNoRights,
	} {
		if c, ok := resultcodes.Lookup(code); !ok || strings.TrimSpace(c.Description) == "" {
			t.Errorf("%s is not in the catalogue", code)
		}
	}
	// Pinned here, independently of the catalogue.
	for code, want := range map[string]string{
		"700.400.100": "cannot capture (PA value exceeded, PA reverted or invalid workflow?)",
		"700.400.200": "cannot refund (refund volume exceeded or tx reversed or invalid workflow?)",
		"700.400.300": "cannot reverse (already refunded|reversed, invalid workflow or amount exceeded)",
		"700.400.400": "cannot chargeback (already chargebacked or invalid workflow?)",
		"700.100.100": "reference id not existing",
		"800.900.300": "invalid authentication information",
		"800.100.151": "transaction declined (invalid card)",
		"900.100.300": "timeout, uncertain result",
	} {
		if d := description(code); d != want {
			t.Errorf("%s: %q, want %q", code, d, want)
		}
	}
}

// TestStatus follows the catalogue's categories.
func TestStatus(t *testing.T) {
	for code, want := range map[string]Status{
		"000.000.000": StatusSucceeded, "000.100.110": StatusSucceeded, "000.400.000": StatusSucceeded,
		"000.100.220": StatusSucceeded, "000.200.000": StatusPending, "800.400.500": StatusPending,
		"800.100.151": StatusRejected, "900.100.300": StatusRejected, "000.400.101": StatusRejected, "999.999.999": StatusRejected,
	} {
		if got := statusOf(code); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}
