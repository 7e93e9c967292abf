// Package backofficetest is a fake OPP gateway for tests: a stateful,
// in-memory implementation of the backoffice API of ACI's Open Payment
// Platform that speaks its real wire format, so that a test runs the SDK's
// real encoding, decoding, classification and retries without a sandbox
// account or a network.
//
// A test gets a ready client in one line:
//
//	c, gw := backofficetest.NewClient(t)
//	pa := gw.SeedPreAuthorization(decimal.RequireFromString("100.00"), "EUR")
//	p, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("60.00"), Currency: "EUR"})
//	// p.Result.Code == "000.100.110"; gw.Payment(pa) shows 60.00 captured.
//
// The Gateway is usable three ways, sharing one state and one set of rules:
//
//   - as an http.RoundTripper (the Gateway itself), answering in memory with
//     no socket: the fast default, which NewClient uses;
//   - as an http.Handler, under httptest.Server (NewServer) or any server;
//   - as a program, `go run ./cmd/fakegateway -addr 127.0.0.1:8080`, for
//     black-box tests and tests in other languages.
//
// A consumer that mocks other services with httpmock mounts the gateway on
// its own *httpmock.MockTransport with package httpmockgateway, so that
// importing backofficetest alone does not compile httpmock.
//
// # What it enforces
//
// Every payment keeps its type, status, amounts and balance (Balance).
// Operations follow the back office's availability table (a PA can be
// captured and reversed; a capture and a debit refunded and charged back; a
// debit rebilled and, the same day, reversed; a chargeback reversed), with
// partial and repeated captures and refunds never beyond what is left, at
// most one chargeback per payment and one reversal per chargeback. Each
// violation answers OPP's own result code and description, with the HTTP
// status OPP uses: 200 for processed requests (declines included), 400 for
// format, validation and reference errors, 403 for authentication and
// permission errors. The choices where OPP documents nothing:
//
//   - a bad amount format is 100.550.303, a missing or zero amount
//     100.550.300, more than ten integer digits 100.550.301;
//   - unknown or repeated parameters are 200.300.404 with parameterErrors
//     naming every one of them (card numbers masked, CVVs starred);
//   - a partial reversal where the entity allows none, or beyond what is
//     left, is 700.400.300; a chargeback beyond what was debited or
//     captured and not refunded, or a chargeback reversal beyond its
//     chargeback, is 700.100.200; a chargeback reversal of anything but a
//     chargeback is 700.400.420, a chargeback of anything but a DB, CP or
//     RB is 700.400.550; a second capture on a single-capture entity is
//     700.300.300; a reversal of a charged-back debit is 700.300.600;
//   - an unknown id, or a payment of an entity the token does not see, is
//     700.100.100 (never "forbidden"); a payment of another entity of the
//     same token is 700.400.700; an entityId the token does not see is HTTP
//     403 with 800.900.300; a lookup of an unknown id is 700.400.580.
//
// # Test data that declines
//
// So that a test in any language, or a QA engineer with curl, can make an
// operation decline without the helpers, the fake follows OPP's published
// test-mode data, and a convention of its own where OPP publishes none:
//
//   - OPP's negative testing: on its test host, a PA, DB or CD whose
//     card.holder is a result code of the catalogue that is neither a
//     success nor pending (not 000.x), such as card.holder=800.100.151,
//     answers that code. The fake does the same (HTTP 200, rejected, no
//     money moved). OPP's public documentation lists no test card number
//     that declines, so every valid card number, 4200000000000000 and
//     4000000000000002 included, is approved.
//   - The fake's amount convention, for every payment type (the backoffice
//     operations carry no card): 9999.20 → 000.200.000 (transaction
//     pending), 9999.30 → 900.100.300 (timeout, uncertain result), 9999.51
//     → 800.100.151 (transaction declined (invalid card)), 9999.53 →
//     800.100.153 (invalid CVV), 9999.55 → 800.100.155 (amount exceeds
//     credit), 9999.62 → 800.100.162 (limit exceeded), 9999.71 →
//     800.100.171 (pick up card). Any other amount succeeds.
//
// Codes queued by SetNextResults come first, then card.holder, then the
// amount.
//
// # Unknown paths and large bodies
//
// Served over HTTP, a path that is none of OPP's endpoints is answered HTTP
// 404 with OPP's JSON and 200.300.404 (invalid or missing parameter)
// naming the parameter "path"; a body over 1 MiB HTTP 413 with 200.100.103
// (invalid Request Message. The request contains structural errors). OPP
// documents neither answer; these are the catalogue's nearest codes.
//
// # Test helpers
//
// The package's files follow what a test does:
//
//   - arrange (arrange.go): Seed, SeedPreAuthorization and SeedDebit create
//     initial payments (with a chosen result code to simulate a decline);
//     SetNextResults makes the next operations answer a given code, and
//     SetNextUnclassifiedResults one that OPP's catalogue lacks;
//     AddAccount, DenyOperations and ConfigureEntity shape accounts and
//     acquirers; Reset (resolve.go) starts again;
//   - act (act.go, rules.go): the OPP endpoints and the rules they apply;
//     declines.go the test data that declines (OPP's card.holder negative
//     testing, and an amount convention);
//   - assert (assert.go, requestlog.go): Payment and History read payments
//     back, Ledger, LedgerTail, LedgerSeq and CommitsFor list what was
//     committed, to prove exactly-once, Requests lists the last requests
//     received (redacted; see WithRequestLog);
//   - break (faults.go): InjectFault and FailNext inject network and
//     gateway faults;
//   - settle (resolve.go): Resolve moves a pending transaction to its final
//     result and notifies it;
//   - get notified (notify.go, forward.go): Subscribe, DeliverWebhooks,
//     ForwardWebhooks (in the background, redelivering on OPP's schedule),
//     RaiseChargeback and RaiseChargebackReversal;
//   - control over HTTP (control.go): Control, the same helpers as a JSON
//     API under ControlPrefix, for tests in other languages and QA with
//     curl (cmd/fakegateway serves it; its README is a curl cookbook);
//   - validation (validate.go) and OPP's answers (wire.go).
//
// A gateway built by NewClient or NewServer, or with WithTB, belongs to its
// test: a helper given arguments it refuses (a misspelt result code, an
// unknown operation) fails the test at the caller's line, so a test cannot
// ignore the mistake. A gateway built by New alone returns the same errors
// (*ArgumentError, naming each refused field) instead, for programs such as
// cmd/fakegateway and for the control API, which answers them HTTP 400.
//
// # Determinism and safety
//
// Ids, timestamps and fault draws come from deterministic sources (see
// WithIDs, WithClock and Fault.Seed): the same test produces the same
// bytes. A Gateway is safe for concurrent use. It refuses requests to the
// live host (LiveHost) and access tokens that look real, so that it can
// never be confused with production.
package backofficetest
