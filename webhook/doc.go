// Package webhook receives OPP's encrypted notifications: it decrypts them
// (AES-256-GCM), parses them into typed notifications and serves them
// through an http.Handler.
//
// # Setup
//
// In OPP's back office, configure a webhook URL for the entity; OPP shows a
// 64-hexadecimal-character key for it. Keep the key in a secret store and
// mount Handler at the URL. OPP posts each notification as a hex-encoded
// ciphertext, with the IV in the X-Initialization-Vector header and the GCM
// tag in X-Authentication-Tag; a merchant who chose JSON-wrapped
// notifications gets the same hex ciphertext as {"encryptedBody":"…"}, and
// Handler and Decrypt accept both forms. A payment notification carries the
// same payment object as an API response, so a chargeback, a refund or a
// chargeback reversal that arrives as a notification is the
// *backoffice.Payment the client returns, handled by the same code, with
// its result classified by resultcodes (Payment.Result.Category,
// Payment.Succeeded, Payment.Pending):
//
//	http.Handle("/opp/webhook", webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
//		if n.Type != webhook.Payment {
//			return nil // test, registration, risk, schedule, or a type OPP added later
//		}
//		return orders.Apply(ctx, n.ID, n.Payment) // idempotent on n.ID, see below
//	}))
//
// # Notification types
//
// The types OPP documents are PAYMENT (Notification.Payment is set),
// REGISTRATION, RISK and SCHEDULE (their payload is in Notification.Payload),
// and test. OPP sends a test notification, {"type":"test","action":"webhook
// activation","payload":{…}}, when a merchant registers or tests a webhook
// in the back office, and registers the webhook only if the endpoint
// answers 200: the Test notification reaches the function like the others,
// and a function that returns nil for it lets the registration succeed.
//
// OPP may send types it does not document yet. Such a notification is
// authentic once GCM has accepted it, so it is not rejected: Parse returns
// it with its Type, Action, raw Payload and, when the payload has a string
// "id", its ID, and Handler passes it to the function and answers what the
// function answers. Type.Known tells the documented types from the others.
// Rejecting an authentic notification would gain nothing: OPP would deliver
// it again, for up to 30 days (see below).
//
// # Delivery, retries and duplicates
//
// The handler answers 200 only when the function returns nil. Any other
// answer makes OPP deliver the notification again, at growing intervals (1,
// 2, 4, 8, 15 and 30 minutes, one hour, then daily for up to 30 days), so
// return an error only for failures worth retrying, return nil for what you
// do not act on, and answer within 30 seconds. Only a request that is not
// an authentic notification (a malformed or forged one, or a plaintext that
// is not a notification) gets 400, and the function is not called.
//
// Deliveries are therefore at least once, and can arrive out of order.
// Deduplicate by Notification.ID, the payload's id: for a payment, the id
// of the transaction the notification is about. Every OPP transaction (the
// capture, the refund, the chargeback, the chargeback reversal) has its own
// id, and a redelivery carries the same one. Record the ids you have
// processed in the same database transaction as their effect (a unique
// index on the id does it), skip an id you have seen, and answer 200 for
// it. Do not rely on the order: a chargeback reversal can arrive before
// its chargeback; its ReferencedID names the chargeback.
//
// # Sources
//
// The encryption (AES-256-GCM, hexadecimal body, IV and tag in headers) and
// the test vector of Decrypt's example are OPP's webhook documentation
// ("decryption example"). The notification envelope
// {"type","action","payload"} and the four documented types are OPP's
// webhook payload documentation, as published on its white-label hosts
// (for example hyperpay.docs.oppwa.com). The test notification sent on
// registration, and the advice to acknowledge any authentic notification,
// are reported by integrators; Peach Payments, which runs on OPP, states
// that registration sends a test notification and fails unless the
// endpoint answers 200. The JSON-wrapped body: Peach Payments asks each
// merchant to choose "JSON wrapped notifications or plain text", and an
// integrator's published handler for those notifications reads the hex
// ciphertext from the body's encryptedBody field, with the same two
// headers. OPP's own pages do not show the wrapped form; a body that is
// neither form is ErrInvalidBody.
//
// # Errors and secrets
//
// Decrypt and Parse return distinct errors for a malformed key, IV, tag,
// body or notification, and ErrAuthentication when GCM rejects the
// message. Nothing the package returns as an error, writes to a response or
// logs holds the key, the plaintext or card data.
//
// # Testing a handler
//
// NewRequest builds the request OPP would send for a notification, and
// Encrypt and EncryptWithIV encrypt one by hand. With the fake gateway,
// backofficetest.Gateway.DeliverWebhooks sends every operation the gateway
// commits, and every chargeback it is told to raise, to a handler.
package webhook
