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
// Operations follow OPP's back-office availability table
// (Pre-Authorization: Capture, Reversal; Capture: Refund, Chargeback; Debit:
// Rebill, Refund, Chargeback; Chargeback: Chargeback Reversal; Refund:
// none), plus the flows OPP's API allows beyond it, each rule with its
// source in rules.go:
//
//   - the reversal of a debit (the API reference), of a capture or of a
//     rebill (the text of OPP's code 700.400.530, "reversal needs at least
//     one successful transaction of type (CP or DB or RB or PA)"), until it
//     is refunded or charged back;
//   - the refund of a rebill (700.400.520's text) and of a stand-alone
//     credit, up to the credited amount (the integration guide keeps a
//     credit's id "used later in refunding the credited amount if
//     required"), and the chargeback of a rebill (700.400.550's text);
//   - the representment, a CR on a chargeback reversal, and the
//     representment reversal, a CR on a representment, as the chargeback
//     pages of OPP's white labels Peach Payments and HyperPay describe them;
//     they answer OPP's codes 000.100.105 and 000.100.106.
//
// Captures and refunds may be partial and repeated, never beyond what is
// left; at most one chargeback per payment, and one CR per chargeback,
// chargeback reversal and representment. Each violation answers OPP's own
// result code and description, with the HTTP status OPP uses: 200 for
// processed requests (declines included), 400 for format, validation and
// reference errors, 403 for authentication and permission errors.
//
// A PA, DB or CD whose card.holder is a rejection result code of OPP's
// catalogue (800.100.152, ...) is declined with that code, HTTP 200, as
// OPP's test host does for negative testing (a white label's negative
// testing sheet for the server-to-server API); no operation is allowed on
// it (700.300.200).
//
// The choices where OPP's sources are silent or uncertain:
//
//   - a reversed capture is voided: its PA's captured amount goes down and
//     that part of the authorization is released (Balance.Reversed of the
//     PA), so it can no longer be captured, while what was never captured
//     still can; a PA whose captures are all reversed can be reversed. A
//     reversed rebill leaves its DB's rebilled amount. Whether OPP lets the
//     voided part be captured again is not documented; the fake chooses the
//     stricter answer;
//   - a representment and its reversal move no balance of the charged-back
//     payment (the pages describe them as transfers between issuer and
//     acquirer, not what they do to the merchant's balance); each is
//     recorded as the Reversed amount of the CR it references, at most
//     that CR's amount, and nothing follows a representment reversal;
//   - a malformed amount (a sign, an exponent, a comma, one or three
//     decimals, more than ten integer digits) is 200.300.404 with
//     parameterErrors naming amount, as OPP answers (a captured answer of
//     an OPP white label to amount=-20.20); OPP's list also holds
//     100.550.301 "amount too large" and 100.550.303 "amount format
//     invalid", but no captured answer shows them for a malformed amount,
//     so the fake does not use them; a missing or zero amount is
//     100.550.300 ("request contains no amount or too low amount");
//   - merchantTransactionId is 8 to 255 characters (OPP's format; longer is
//     100.300.200 "transaction id too long", shorter 200.300.404), and
//     paymentBrand must match [a-zA-Z0-9_]{1,32} (200.300.404 otherwise)
//     and be a card brand the fake knows (VISA, VISA_DEBIT, MASTER, AMEX,
//     ...; 100.100.501 otherwise);
//   - unknown or repeated parameters are 200.300.404 with parameterErrors
//     naming every one of them (card numbers masked, CVVs starred);
//   - a partial reversal where the entity allows none, or beyond what is
//     left, is 700.400.300; a chargeback beyond what was debited or
//     captured and not refunded, or a CR beyond what it references, is
//     700.100.200; a CR of anything but a CB or CR is 700.400.420, a
//     chargeback of anything but a DB, CP or RB is 700.400.550; a second
//     capture on a single-capture entity is 700.300.300; a reversal of a
//     charged-back payment is 700.300.600;
//   - an unknown id, or a payment of an entity the token does not see, is
//     700.100.100 (never "forbidden"); a payment of another entity of the
//     same token is 700.400.700; an entityId the token does not see is HTTP
//     403 with 800.900.300; a lookup of an unknown id is HTTP 400 with
//     700.400.580, and so is a query by merchantTransactionId that matches
//     nothing, as OPP answers it (some deployments answer such a query with
//     HTTP 404; a client must accept both).
//
// # Check the fake against your OPP test account
//
// Package backofficetest/conformance holds one suite of scenarios that runs
// against this fake in `go test ./...` and, with a test account, against
// OPP's test host (or a white label's), to find where the fake and OPP
// disagree:
//
//	OPP_TEST_TOKEN=... OPP_TEST_ENTITY=... go test ./backofficetest/conformance -run TestOPP -v
//
// It creates test payments only: about 20 PAs, DBs and one CD of 10 to 100
// EUR on OPP's test card (two declined on purpose) and about 50 operations
// on them. It sends about 80 requests, one a second, so it takes about two
// minutes, and refuses the live host. It prints a table of every step with
// the fake's answer, OPP's, and what differs. To send the diff upstream,
// run it with OPP_TEST_RECORD=1 and open an issue or a pull request with
// the fixture it writes (conformance/testdata/opp-<host>-<date>.json: no
// token, no entity id, card numbers masked). This package's tests replay
// every such fixture, so each recorded difference fails until the fake is
// fixed or the choice is documented above.
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
//   - act (act.go, rules.go, search.go): the OPP endpoints and the rules
//     they apply, including the transaction reports (GET /v3/query, paged,
//     and /v3/query/{id} with its linked transactions); declines.go the test
//     data that declines (OPP's card.holder negative testing, and an amount
//     convention);
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
