package webhook

import (
	"encoding/json"

	"github.com/oppkit/backoffice"
)

// Type is the kind of a notification.
type Type string

// The notification types OPP documents.
const (
	Payment      Type = "PAYMENT"      // a transaction: its Payment is set
	Registration Type = "REGISTRATION" // a stored card or account: see Payload
	Risk         Type = "RISK"         // a risk check: see Payload
	Schedule     Type = "SCHEDULE"     // a scheduled (recurring) job: see Payload
)

// Notification is one decrypted notification.
type Notification struct {
	Type   Type
	Action string // CREATED, UPDATED, DELETED, when OPP sends one
	// ID is the id of the transaction, registration or schedule the
	// notification is about: the key to deduplicate deliveries by.
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
// {"type":"PAYMENT","action":"CREATED","payload":{...}}.
func Parse(plaintext []byte) (Notification, error) {
	var env struct {
		Type    string          `json:"type"`
		Action  string          `json:"action"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(plaintext, &env); err != nil || env.Type == "" || len(env.Payload) == 0 || env.Payload[0] != '{' {
		return Notification{}, ErrMalformedPayload
	}
	n := Notification{Type: Type(env.Type), Action: env.Action, Payload: env.Payload}
	switch n.Type {
	case Payment:
		p := new(backoffice.Payment)
		if err := json.Unmarshal(env.Payload, p); err != nil {
			return Notification{}, ErrMalformedPayload
		}
		n.Payment, n.ID = p, p.ID
	case Registration, Risk, Schedule:
		var id struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(env.Payload, &id); err != nil {
			return Notification{}, ErrMalformedPayload
		}
		n.ID = id.ID
	default:
		return Notification{}, &UnknownTypeError{Type: env.Type}
	}
	return n, nil
}
