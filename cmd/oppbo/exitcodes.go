package main

import (
	"errors"

	"github.com/oppkit/backoffice"
)

// The exit codes. Each error category of the SDK has its own, so that a
// shell script can tell a decline from an unknown outcome.
const (
	exitOK              = 0  // the operation succeeded (or is pending at OPP)
	exitUsage           = 1  // bad flags or arguments, missing or unsafe configuration, live run not confirmed
	exitDeclined        = 2  // the bank, acquirer or a risk check refused; no money moved
	exitInvalidRequest  = 3  // a parameter is missing or malformed (caught before sending, or by OPP)
	exitUnauthorized    = 4  // the token may not do this on this entity
	exitNotFound        = 5  // no such payment (or no transaction with that merchantTransactionId)
	exitNotAllowed      = 6  // the payment cannot take this operation in its state
	exitGateway         = 7  // OPP or the acquirer failed and nothing was performed; trying later is safe
	exitUnknownCode     = 8  // OPP answered a code no documented group covers; check the payment
	exitNetwork         = 9  // the request could not be sent; nothing was performed
	exitOutcomeUnknown  = 10 // the money may or may not have moved: look it up by merchantTransactionId
	exitBulkFailed      = 11 // a bulk run finished and some rows failed (none unknown), or its result CSV could not be written
	exitBulkInterrupted = 12 // a bulk run stopped before every row was done (none unknown): run it again
)

// exitCodeHelp is the table printed by --help and in docs/cli.md.
const exitCodeHelp = `Exit codes:
  0   ok: the operation succeeded, or OPP holds it as pending
  1   usage or configuration error (nothing was sent)
  2   declined by the bank, acquirer or a risk check (no money moved)
  3   invalid request (a field is missing or malformed)
  4   unauthorized (token, entity or permission)
  5   not found
  6   operation not allowed in the payment's state
  7   gateway error, verified that nothing was performed (safe to try later)
  8   unknown result code (never a success: check the payment)
  9   network error, nothing was sent
  10  outcome unknown: the money may have moved; look it up with
      'oppbo find <merchantTransactionId>' before anything else
  11  bulk run: finished, some rows failed (see the result CSV)
  12  bulk run: interrupted before every row was done; run it again to resume
  A bulk run exits 10 if any row's outcome is unknown, else 12 if it was
  interrupted, else 11 if any row failed, else 0.
`

// outcome names a row's or a call's result, as the result CSV, the journal
// and --json write it.
type outcome string

const (
	outcomeOK           outcome = "ok"
	outcomePending      outcome = "pending"
	outcomeDeclined     outcome = "declined"
	outcomeInvalid      outcome = "invalid_request"
	outcomeUnauthorized outcome = "unauthorized"
	outcomeNotFound     outcome = "not_found"
	outcomeNotAllowed   outcome = "not_allowed"
	outcomeGateway      outcome = "gateway_error"
	outcomeUnknownCode  outcome = "unknown_code"
	outcomeNetwork      outcome = "network_error"
	outcomeUnknown      outcome = "outcome_unknown"
	outcomeRejected     outcome = "rejected" // a rejection found by a lookup on resume
	outcomeNotAttempted outcome = "not_attempted"
)

// categories pairs each SDK sentinel with its outcome and exit code.
// ErrOutcomeUnknown comes first: an *OutcomeUnknownError unwraps to its
// cause and to the failure of its lookup, which match other categories
// (a lookup that failed with a 503 is an ErrGateway), and an unknown outcome
// must never be reported as anything else.
var categories = []struct {
	sentinel error
	outcome  outcome
	code     int
}{
	{backoffice.ErrOutcomeUnknown, outcomeUnknown, exitOutcomeUnknown},
	{backoffice.ErrDeclined, outcomeDeclined, exitDeclined},
	{backoffice.ErrInvalidRequest, outcomeInvalid, exitInvalidRequest},
	{backoffice.ErrUnauthorized, outcomeUnauthorized, exitUnauthorized},
	{backoffice.ErrNotFound, outcomeNotFound, exitNotFound},
	{backoffice.ErrNotAllowed, outcomeNotAllowed, exitNotAllowed},
	{backoffice.ErrGateway, outcomeGateway, exitGateway},
	{backoffice.ErrUnknownCode, outcomeUnknownCode, exitUnknownCode},
	{backoffice.ErrNetwork, outcomeNetwork, exitNetwork},
}

// classify maps an SDK error to its outcome and exit code. An error that
// matches no category (which the SDK promises never happens) is reported as
// an unknown outcome: the CLI never guesses that money did not move.
func classify(err error) (outcome, int) {
	for _, c := range categories {
		if errors.Is(err, c.sentinel) {
			return c.outcome, c.code
		}
	}
	return outcomeUnknown, exitOutcomeUnknown
}
