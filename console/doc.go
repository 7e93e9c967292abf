// Package console is the back office of OPP (ACI's Open Payment Platform) as
// an http.Handler that a merchant mounts in its own admin, under its own
// sign-in, roles and audit trail.
//
// It serves, for one *backoffice.Client:
//
//   - the Transactions view: search by id, short id, merchantTransactionId,
//     type, result and date range, paged, newest first;
//   - the Transaction Details view: type, amounts, result code with its
//     description and category, descriptor, memo, the linked transactions as
//     a timeline, what is left to capture, refund, reverse or charge back,
//     and the action buttons that OPP's back-office availability table, the
//     balances and the user's permissions allow;
//   - the operation dialog (Amount, Usage, Transaction ID, Memo, and the
//     bank's reason for a chargeback) and its confirmation.
//
// Mount it under any prefix with http.StripPrefix:
//
//	h, err := console.New(client, console.WithAuthenticator(auth))
//	mux.Handle("/admin/payments/", http.StripPrefix("/admin/payments", h))
//
// # Exactly once
//
// The dialog's Transaction ID (OPP's merchantTransactionId) is minted when
// the dialog is rendered and travels in the form. A second POST of the same
// form (a double click, a browser retry, a reload of the confirmation) finds
// the first one, in this process or in OPP's records, and shows its outcome
// instead of sending again: one form moves money at most once.
//
// # Roles and audit
//
// WithAuthenticator plugs in the merchant's authentication: a function from
// the request to a User with a name and the operations it may perform.
// Without it every visitor may view and none may operate. Every operation
// attempt is written to the audit logger (WithAuditLogger): who, what,
// which payment, the Transaction ID, and the outcome.
//
// # Safe by construction
//
// Pages are html/template, every form carries a CSRF token (an HMAC of a
// per-handler secret, the user and a cookie nonce), responses carry a strict
// Content-Security-Policy (no inline script or style), and the CSS and the
// small script for the copy buttons are embedded: no CDN, no framework,
// and every page works without JavaScript. The access token is never
// rendered; cards are shown as OPP masks them.
package console
