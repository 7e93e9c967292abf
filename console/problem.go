package console

import (
	"errors"
	"net/url"

	"github.com/oppkit/backoffice"
)

// problem is an error as a support agent needs to read it: what happened,
// whether money moved, and what to do next.
type problem struct {
	Kind    string // the category, as a CSS class and a test hook: "declined", "outcome-unknown", ...
	Title   string
	Meaning string // what it means for the money
	Next    string // what to do now
	Code    string // OPP's result code, when there is one
	Detail  string // OPP's description of Code, or the field problem
	Params  []backoffice.ParameterError
	Key     string // the Transaction ID, when the operation had one
	Lookup  string // URL of the Transactions view searching Key
	NDC     string
	ShortID string
	// Field is the dialog field a *backoffice.ValidationError named ("Amount",
	// "Descriptor", ...), shown next to that field instead of in a box.
	Field string
	// Spent is true when OPP answered with a result code (a definitive
	// rejection, which may be on record under the Transaction ID), so a new
	// attempt takes a new Transaction ID.
	Spent bool
}

// lookupURL is the Transactions view's search for a merchantTransactionId.
func lookupURL(base, key string) string {
	return base + "/?" + url.Values{"merchantTransactionId": {key}}.Encode()
}

// explain turns an error of the Client into a problem. base is the console's
// path prefix, key the Transaction ID the operation used ("" for a lookup).
func explain(err error, base, key string) *problem {
	p := &problem{Key: key}
	// An *OutcomeUnknownError wraps the failures that made it ambiguous
	// (a gateway error, a network error): it is read first, so that what
	// it wraps does not pass for the outcome.
	var ue *backoffice.OutcomeUnknownError
	var oe *backoffice.Error
	switch {
	case errors.As(err, &ue):
		err = backoffice.ErrOutcomeUnknown
		if ue.MerchantTransactionID != "" {
			p.Key = ue.MerchantTransactionID
		}
		p.NDC, p.ShortID = ue.NDC, ue.ShortID
	case errors.As(err, &oe):
		p.Code, p.Detail, p.Params, p.NDC, p.ShortID = oe.Code, oe.Description, oe.ParameterErrors, oe.NDC, oe.ShortID
		if oe.MerchantTransactionID != "" {
			p.Key = oe.MerchantTransactionID
		}
		// OPP answered with a result code: a definitive rejection, which
		// moved no money and may be on record under the key, so a new
		// attempt takes a new Transaction ID.
		p.Spent = oe.Code != "" && !oe.Verified
	}
	switch {
	case errors.Is(err, backoffice.ErrDeclined):
		p.Kind, p.Title = "declined", "Declined"
		p.Meaning = "The bank, the acquirer or a risk check refused the operation. No money moved."
		p.Next = "Sending the same operation again will be refused again. Tell the customer, or contact the acquirer if you think the decline is wrong."
	case errors.Is(err, backoffice.ErrInvalidRequest):
		p.Kind, p.Title = "invalid", "Check the values"
		p.Meaning = "A value was missing or not in the form OPP accepts. Nothing was sent or OPP refused it before processing: no money moved."
		p.Next = "Correct the value and submit again."
		var ve *backoffice.ValidationError
		if errors.As(err, &ve) {
			p.Field, p.Detail = ve.Field, ve.Reason
		}
	case errors.Is(err, backoffice.ErrUnauthorized):
		p.Kind, p.Title = "unauthorized", "Not permitted at OPP"
		p.Meaning = "OPP refused the merchant's credentials for this: the access token, the entity, or the account's rights for this operation. Nothing happened."
		p.Next = "This is not something a retry fixes. Ask whoever manages the merchant's OPP account to check the entity's permissions."
	case errors.Is(err, backoffice.ErrNotFound):
		p.Kind, p.Title = "not-found", "Payment not found"
		p.Meaning = "OPP does not know this payment for this merchant's entity. Nothing happened."
		p.Next = "Check the id, or search by the order's Transaction ID."
	case errors.Is(err, backoffice.ErrNotAllowed):
		p.Kind, p.Title = "not-allowed", "Not possible in this state"
		p.Meaning = "The payment cannot take this operation now: more than is left, already reversed or charged back, or not supported by the acquirer. Nothing happened."
		p.Next = "Reload the payment to see what is left, and adjust the amount or choose another operation."
	case errors.Is(err, backoffice.ErrGateway):
		p.Kind, p.Title = "gateway", "OPP or the bank had a technical problem"
		p.Meaning = "OPP, or the acquirer behind it, had a communication or system error, or asked us to slow down, and it was verified that nothing was performed."
		p.Next = "Try again in a few minutes. If it keeps happening, check OPP's status page or contact OPP support with the ids below."
	case errors.Is(err, backoffice.ErrUnknownCode):
		p.Kind, p.Title = "unknown-code", "Unrecognised answer from OPP"
		p.Meaning = "OPP answered with a result code this software does not know. It is not treated as a success: whether money moved is not clear."
		p.Next = "Do not submit again. Open the lookup below to see what OPP recorded, and ask OPP support about the code."
	case errors.Is(err, backoffice.ErrNetwork):
		p.Kind, p.Title = "network", "Could not reach OPP"
		p.Meaning = "The request could not be sent or answered at the network level, and it provably did not reach OPP: no money moved."
		p.Next = "Submit again: the form keeps its Transaction ID, so the operation cannot happen twice."
	case errors.Is(err, backoffice.ErrOutcomeUnknown):
		p.Kind, p.Title = "outcome-unknown", "Outcome unknown: the money may have moved"
		p.Meaning = "The request may have been performed by OPP, and its answer was lost. It is neither a success nor a decline yet."
		p.Next = "Do not start the operation again with a new Transaction ID. In a few minutes, look it up by its Transaction ID (link below): if a transaction shows, it happened; if nothing shows after an hour, submit this same form again or contact OPP support with the Transaction ID."
	default:
		p.Kind, p.Title = "unknown-code", "Unexpected error"
		p.Meaning = "The operation failed in a way this console does not recognise. Whether money moved is not clear."
		p.Next = "Do not submit again. Look the Transaction ID up below before doing anything else."
	}
	if p.Key != "" && (p.Kind == "outcome-unknown" || p.Kind == "unknown-code" || p.Spent) {
		p.Lookup = lookupURL(base, p.Key)
	}
	return p
}
