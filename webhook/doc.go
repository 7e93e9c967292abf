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
// tag in X-Authentication-Tag. A payment notification carries the same
// payment object as an API response, so a chargeback, a refund or a
// chargeback reversal that arrives as a notification is the
// *backoffice.Payment the client returns, handled by the same code, with
// its result classified by resultcodes (Payment.Result.Category,
// Payment.Succeeded, Payment.Pending):
//
//	http.Handle("/opp/webhook", webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
//		if n.Type != webhook.Payment {
//			return nil
//		}
//		return orders.Apply(ctx, n.ID, n.Payment) // idempotent on n.ID, see below
//	}))
//
// The notification types are PAYMENT (Notification.Payment is set),
// REGISTRATION, RISK and SCHEDULE, which OPP documents too (their payload is
// in Notification.Payload). Any other type is ErrUnknownType.
//
// # Delivery, retries and duplicates
//
// The handler answers 200 only when the function returns nil. Any other
// answer makes OPP deliver the notification again, at growing intervals (1,
// 2, 4, 8, 15 and 30 minutes, one hour, then daily for up to 30 days), so
// return an error only for failures worth retrying, and answer within 30
// seconds. A malformed or forged request gets 400 and the function is not
// called.
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
// # Errors and secrets
//
// Decrypt and Parse return distinct errors for a malformed key, IV, tag,
// body, payload or type, and ErrAuthentication when GCM rejects the
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
