package webhook

import (
	"encoding/json"

	"github.com/oppkit/backoffice"
)

// Type is the kind of a notification, as OPP spells it.
type Type string

// The notification types OPP documents. OPP may send others: Parse and
// Handler pass them on with their payload, and Known tells them apart.
const (
	Payment      Type = "PAYMENT"      // a transaction: its Payment is set
	Registration Type = "REGISTRATION" // a stored card or account: see Payload
	Risk         Type = "RISK"         // a risk check: see Payload
	Schedule     Type = "SCHEDULE"     // a scheduled (recurring) job: see Payload
	// Test is the notification OPP sends when a merchant registers or tests
	// a webhook in the back office ("action":"webhook activation"; its
	// payload carries a result). OPP registers the webhook only if the
	// endpoint answers it with 200, which Handler does when the function
	// returns nil. OPP spells this type in lower case.
	Test Type = "test"
)

// Known reports whether t is one of the types OPP documents: PAYMENT,
// REGISTRATION, RISK, SCHEDULE or test. An unknown type is still an
// authentic notification; a handler that does not act on it should return
// nil, so that OPP does not deliver it again for 30 days.
func (t Type) Known() bool {
	switch t {
	case Payment, Registration, Risk, Schedule, Test:
		return true
	}
	return false
}

// Notification is one decrypted notification.
type Notification struct {
	Type Type
	// Action is the action OPP sends with some notifications (CREATED,
	// UPDATED, DELETED for a registration; "webhook activation" for a
	// test); empty when there is none.
	Action string
	// ID is the id of the transaction, registration or schedule the
	// notification is about: the key to deduplicate deliveries by. For a
	// type this package does not know, it is the payload's "id" when that
	// is a string, and empty otherwise.
	ID string
	// Payment is the transaction of a PAYMENT notification, decoded as the
	// client decodes an API response (amounts as decimals, the result code
	// classified by resultcodes); nil for other types.
	Payment *backoffice.Payment
	// Payload is the notification's payload as sent, for the fields the
	// SDK does not model and for the other types.
	Payload json.RawMessage
}

// String describes the notification for a log line: its type, action and
// id and, for a payment, its payment type and result code. It never shows
// the payload, which is plaintext, so %v and %+v of a Notification are safe
// to log.
func (n Notification) String() string {
	s := "webhook." + string(n.Type)
	if n.Action != "" {
		s += " " + n.Action
	}
	s += " id=" + n.ID
	if p := n.Payment; p != nil {
		s += " paymentType=" + string(p.PaymentType) + " result=" + p.Result.Code
	}
	return s
}

// Parse reads a decrypted notification:
// {"type":"PAYMENT","action":"CREATED","payload":{...}}. A notification
// needs a type and an object as payload; a PAYMENT payload is decoded into
// Notification.Payment and needs a result code and amounts in OPP's
// format, and the documented types' "id" must be a string. Anything else is
// ErrMalformedPayload.
//
// A type Parse does not know (Type.Known is false) is not an error: the
// notification comes back with its Type, Action, Payload and, when the
// payload has a string "id", its ID.
//
// Parse reads the notification in one pass: the payload of a PAYMENT
// notification is decoded straight into the payment while the envelope is
// read, not kept and decoded again.
func Parse(plaintext []byte) (Notification, error) {
	var env envelope
	if err := json.Unmarshal(plaintext, &env); err == nil {
		if payload, ok := payloadValue(plaintext); ok {
			return env.notification(payload)
		}
	}
	return parseInTwoPasses(plaintext)
}

// envelope is a notification, its payload decoded as a payment whatever its
// type: Parse's one pass. A payload that is not a payment's shape makes
// json.Unmarshal fail, and Parse then reads the notification in two passes.
type envelope struct {
	Type    string      `json:"type"`
	Action  string      `json:"action"`
	Payload wirePayment `json:"payload"`
}

// notification completes Parse's one pass; payload is the raw payload, the
// bytes env.Payload was decoded from.
func (env *envelope) notification(payload []byte) (Notification, error) {
	if env.Type == "" || len(payload) == 0 || payload[0] != '{' {
		return Notification{}, ErrMalformedPayload
	}
	n := Notification{Type: Type(env.Type), Action: env.Action, ID: env.Payload.ID, Payload: append(json.RawMessage(nil), payload...)}
	if n.Type == Payment {
		p, err := payment(&env.Payload)
		if err != nil {
			return Notification{}, ErrMalformedPayload
		}
		n.Payment = p
	}
	return n, nil
}

// parseInTwoPasses is Parse for what its one pass cannot read: the envelope
// with its payload kept as sent, then the payload decoded by type, a
// payment by backoffice.Payment's own UnmarshalJSON. It defines Parse's
// result; the one pass gives the same whenever it applies.
func parseInTwoPasses(plaintext []byte) (Notification, error) {
	var env struct {
		Type    string          `json:"type"`
		Action  string          `json:"action"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(plaintext, &env); err != nil || env.Type == "" || len(env.Payload) == 0 || env.Payload[0] != '{' {
		return Notification{}, ErrMalformedPayload
	}
	n := Notification{Type: Type(env.Type), Action: env.Action, Payload: env.Payload}
	switch {
	case n.Type == Payment: // the client's own decoding
		p := new(backoffice.Payment)
		if err := json.Unmarshal(env.Payload, p); err != nil {
			return Notification{}, ErrMalformedPayload
		}
		n.Payment, n.ID = p, p.ID
	case n.Type.Known():
		var id struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(env.Payload, &id); err != nil {
			return Notification{}, ErrMalformedPayload
		}
		n.ID = id.ID
	default: // a type OPP does not document: its payload's shape is unknown
		var id struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(env.Payload, &id) == nil {
			var s string
			if json.Unmarshal(id.ID, &s) == nil {
				n.ID = s
			}
		}
	}
	return n, nil
}
