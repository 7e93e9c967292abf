// Package webhook receives OPP's encrypted notifications: it decrypts them
// (AES-256-GCM), parses them into typed notifications and serves them
// through an http.Handler.
//
// OPP posts each notification as a hex-encoded ciphertext, with the IV in
// the X-Initialization-Vector header and the GCM tag in
// X-Authentication-Tag, encrypted with the 64-hex-character key shown in the
// merchant's webhook configuration. A payment notification carries the same
// payment object as an API response, so a chargeback that arrives as a
// notification is a *backoffice.Payment handled by the same code as a
// response:
//
//	http.Handle("/opp/webhook", webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
//		if n.Type != webhook.Payment {
//			return nil
//		}
//		return orders.Apply(ctx, n.Payment) // must be idempotent, see below
//	}))
//
// # Delivery, retries and duplicates
//
// The handler answers 200 only when the function returns nil. Any other
// answer makes OPP deliver the notification again, at growing intervals (1,
// 2, 4, 8, 15 and 30 minutes, one hour, then daily for up to 30 days), so
// return an error only for failures worth retrying. A malformed or forged
// request gets 400 and the function is not called.
//
// Deliveries are therefore at least once, and can arrive out of order.
// Deduplicate by Notification.ID, the id of the transaction the
// notification is about: every OPP transaction (the capture, the refund, the
// chargeback) has its own id, and a redelivery carries the same one. Record
// the ids you have processed in the same database transaction as their
// effect, and skip an id you have seen.
//
// Nothing the package writes to a response or a log holds the key, the
// plaintext or card data.
package webhook
