package backoffice

import (
	"errors"
	"fmt"
	"strings"

	"github.com/oppkit/backoffice/resultcodes"
)

// The error categories. Every error a Client returns matches exactly one of
// them with errors.Is; errors.As gets the details (*Error, *ValidationError,
// *NetworkError, *OutcomeUnknownError).
var (
	// ErrDeclined: the bank, the acquirer or a risk check refused the
	// operation. The money did not move. Retrying the same request will not
	// help.
	ErrDeclined = errors.New("declined")
	// ErrInvalidRequest: a parameter was missing or malformed. Caught before
	// sending (*ValidationError, naming the field) or by OPP (*Error, with
	// ParameterErrors).
	ErrInvalidRequest = errors.New("invalid request")
	// ErrUnauthorized: the access token is wrong, or it may not perform this
	// operation on this entity, or the entity is not configured for it.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound: the referenced payment does not exist for this entity.
	ErrNotFound = errors.New("not found")
	// ErrNotAllowed: the referenced payment cannot take this operation in
	// its current state (capturing more than was authorized, refunding a
	// pre-authorization, a second chargeback, ...).
	ErrNotAllowed = errors.New("operation not allowed in this state")
	// ErrGateway: OPP or the acquirer had a communication or system error,
	// or throttled the request, and nothing was performed: OPP said so in
	// its answer. Trying again later is safe. An error status without
	// OPP's answer on a money movement is never ErrGateway: it is
	// ErrOutcomeUnknown until OPP shows what happened.
	ErrGateway = errors.New("gateway error")
	// ErrUnknownCode: OPP answered with a result code that no documented
	// group covers. It is never treated as a success; check the payment.
	ErrUnknownCode = errors.New("unknown result code")
	// ErrNetwork: for a money movement, the request provably never left
	// this process (connection refused, DNS failure, TLS certificate
	// refused, or the context was already done before anything was sent;
	// the last still matches context.Canceled or
	// context.DeadlineExceeded). For a lookup, its answer could not be
	// read.
	ErrNetwork = errors.New("network error")
	// ErrOutcomeUnknown: a money movement may or may not have happened and
	// the SDK could not find out. Look it up later by the error's
	// MerchantTransactionID; never treat it as a success or a decline.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// ParameterError is OPP's report on one request parameter.
type ParameterError struct {
	Name    string
	Value   string // as OPP echoed it; card numbers and CVVs are masked
	Message string
}

// Error is a rejection reported by OPP: its result code, or an HTTP status
// with no readable body. errors.Is matches it against its category sentinel
// (Kind).
type Error struct {
	Operation             Operation            // what the call was doing
	Kind                  error                // the category sentinel: ErrDeclined, ErrNotFound, ...
	Code                  string               // OPP's result code; empty when the body was unreadable
	Description           string               // OPP's description of Code
	Category              resultcodes.Category // the result-code group of Code
	HTTPStatus            int
	PaymentID             string // the id OPP gave this request, if any
	ReferencedID          string // the payment the operation referred to
	MerchantTransactionID string
	ParameterErrors       []ParameterError
	// NDC and ShortID are OPP's ids of the request and of the transaction,
	// when its answer carried them: give them to OPP's support.
	NDC, ShortID string
	// Verified is true when the rejection was not read from the call's
	// own answer but from the record OPP showed when the SDK looked the
	// operation up by merchantTransactionId (after an ambiguous failure,
	// before sending with WithLookBeforeSend, or in AwaitOutcome): nothing
	// was performed.
	Verified bool
}

// Error describes the rejection without secrets or URLs.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("backoffice: ")
	b.WriteString(string(e.Operation))
	if e.ReferencedID != "" {
		b.WriteString(" " + e.ReferencedID)
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s %s", e.Code, strings.TrimSpace(e.Description))
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	for _, p := range e.ParameterErrors {
		fmt.Fprintf(&b, "; %s: %s", p.Name, p.Message)
	}
	if e.Verified {
		b.WriteString("; verified not performed")
	}
	if e.MerchantTransactionID != "" {
		b.WriteString(" [merchantTransactionId=" + e.MerchantTransactionID + "]")
	}
	return b.String()
}

// Is reports whether target is e's category sentinel.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Declined reports whether the bank, acquirer or a risk check refused.
func (e *Error) Declined() bool { return e.Kind == ErrDeclined }

// ValidationError is bad input caught before anything was sent. It names the
// field, never its value.
type ValidationError struct {
	Operation             Operation
	Field                 string // the Go field, e.g. "Amount", "Card.Number", "CustomParameters[x y]"
	Reason                string
	MerchantTransactionID string // when the caller set one
}

// Error names the field and what is wrong with it.
func (e *ValidationError) Error() string {
	if e.Operation == "" {
		return "backoffice: " + e.Field + " " + e.Reason
	}
	return "backoffice: " + string(e.Operation) + ": " + e.Field + " " + e.Reason
}

// Is matches ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

// NetworkError is a request that could not be completed at the transport
// level and whose outcome is known: for a money movement, it provably never
// left this process (connection refused, DNS failure, TLS certificate
// refused, or the context was done before anything was sent). Err is the
// transport error, with no query string in any URL, or the context's error.
type NetworkError struct {
	Operation             Operation
	MerchantTransactionID string
	Attempts              int
	Err                   error
}

// Error describes the failure.
func (e *NetworkError) Error() string {
	s := fmt.Sprintf("backoffice: %s: network error after %d attempt(s): %v", e.Operation, e.Attempts, e.Err)
	switch {
	case e.MerchantTransactionID != "" && e.Operation.MovesMoney():
		s += " [merchantTransactionId=" + e.MerchantTransactionID + "; not sent]"
	case e.MerchantTransactionID != "":
		s += " [merchantTransactionId=" + e.MerchantTransactionID + "]"
	}
	return s
}

// Unwrap returns the transport error.
func (e *NetworkError) Unwrap() error { return e.Err }

// Is matches ErrNetwork.
func (e *NetworkError) Is(target error) bool { return target == ErrNetwork }

// OutcomeUnknownError reports a money movement whose result could not be
// established: the request may have been performed. It matches
// ErrOutcomeUnknown and nothing else: Cause, Reconcile and Conflict explain
// it, but are fields, not wrapped errors, so that no switch on another
// category can mistake it for a failure that is safe to retry.
//
// Settle it with Client.AwaitOutcome (or look the operation up by
// MerchantTransactionID with Client.PaymentsByMerchantTransactionID) before
// doing anything else; never send it again with a new id.
type OutcomeUnknownError struct {
	Operation             Operation
	ReferencedID          string
	MerchantTransactionID string
	// PaymentID is set when OPP recorded the operation with an uncertain
	// result (e.g. 900.100.300 timeout at the bank).
	PaymentID string
	// NDC and ShortID are OPP's ids of the last answer and of the
	// transaction, when one carried them: give them to OPP's support.
	NDC, ShortID string
	// Cause is what made the outcome ambiguous: a transport error after the
	// request may have been written, an HTTP status without OPP's answer,
	// OPP's own "uncertain" code, or the caller's context ending.
	Cause error
	// Reconcile is why the lookups by merchantTransactionId could not
	// decide: a lookup OPP did not answer (5xx, HTML, timeout), or nil when
	// OPP answered that it had no such operation (yet) within the settle
	// window, or when no lookup was tried.
	Reconcile error
	// Conflict is set when OPP holds a transaction with this
	// merchantTransactionId that contradicts the request (another type,
	// referenced payment, amount or currency): it names what differs. The
	// key was used for something else, so the SDK neither adopted that
	// transaction nor sent the request again.
	Conflict string
}

// Error describes what is unknown and the key to look it up.
func (e *OutcomeUnknownError) Error() string {
	s := "backoffice: " + string(e.Operation)
	if e.ReferencedID != "" {
		s += " " + e.ReferencedID
	}
	s += ": outcome unknown, look it up by merchantTransactionId=" + e.MerchantTransactionID
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	if e.Conflict != "" {
		s += "; conflicting record: " + e.Conflict
	}
	if e.Reconcile != nil {
		s += "; lookup: " + e.Reconcile.Error()
	}
	return s
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// kindOf maps a result-code category to the error sentinel a merchant
// branches on. Success, review, pending and chargeback codes are not errors
// and map to nil. This is the one table between resultcodes and the SDK's
// errors; codeKinds refines it for single codes.
var kindOf = [...]error{
	resultcodes.Unknown:                   ErrUnknownCode,
	resultcodes.Success:                   nil,
	resultcodes.SuccessReview:             nil,
	resultcodes.Pending:                   nil,
	resultcodes.PendingLong:               nil,
	resultcodes.Rejected3DSIntercard:      ErrDeclined,
	resultcodes.RejectedBank:              ErrDeclined,
	resultcodes.RejectedCommunication:     ErrGateway,
	resultcodes.RejectedSystem:            ErrGateway,
	resultcodes.RejectedAsyncWorkflow:     ErrDeclined,
	resultcodes.SoftDecline:               ErrDeclined,
	resultcodes.RejectedExternalRisk:      ErrDeclined,
	resultcodes.RejectedAddressCheck:      ErrDeclined,
	resultcodes.Rejected3DSecure:          ErrDeclined,
	resultcodes.RejectedBlacklist:         ErrDeclined,
	resultcodes.RejectedRiskValidation:    ErrDeclined,
	resultcodes.RejectedConfiguration:     ErrUnauthorized,
	resultcodes.RejectedRegistration:      ErrInvalidRequest,
	resultcodes.RejectedJob:               ErrInvalidRequest,
	resultcodes.RejectedReference:         ErrNotAllowed,
	resultcodes.RejectedFormat:            ErrInvalidRequest,
	resultcodes.RejectedAddressValidation: ErrInvalidRequest,
	resultcodes.RejectedContact:           ErrInvalidRequest,
	resultcodes.RejectedAccount:           ErrInvalidRequest,
	resultcodes.RejectedAmount:            ErrInvalidRequest,
	resultcodes.RejectedRiskManagement:    ErrDeclined,
	resultcodes.Chargeback:                nil,
}

// codeKinds overrides kindOf for codes whose group says less than the code.
var codeKinds = map[string]error{
	"700.100.100": ErrNotFound,     // reference id not existing
	"700.400.580": ErrNotFound,     // cannot find transaction
	"800.900.100": ErrUnauthorized, // sender authorization failed
	"800.900.201": ErrUnauthorized, // unknown channel
	"800.900.300": ErrUnauthorized, // invalid authentication information
	"800.900.301": ErrUnauthorized, // user has no sufficient rights
	"800.900.302": ErrUnauthorized, // Authorization failed
	"800.900.401": ErrUnauthorized, // Invalid IP number
	"800.120.100": ErrGateway,      // Rejected by Throttling.
	"800.600.100": ErrGateway,      // transaction is being already processed
	"800.120.402": ErrGateway,      // payment already processing: the twin of 800.600.100
}

// kindFor returns the sentinel for code, nil when code is not an error.
func kindFor(code string, c resultcodes.Category) error {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	if int(c) < len(kindOf) {
		return kindOf[c]
	}
	return ErrUnknownCode
}

// kindForStatus is the sentinel for an HTTP error status whose body carried
// no result code.
func kindForStatus(status int) error {
	switch {
	case status == 401 || status == 403:
		return ErrUnauthorized
	case status == 404:
		return ErrNotFound
	case status == 429 || status >= 500:
		return ErrGateway
	case status >= 400:
		return ErrInvalidRequest
	}
	return ErrUnknownCode
}
