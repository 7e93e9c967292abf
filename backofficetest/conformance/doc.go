// Package conformance holds one suite of scenarios that drive OPP's
// backoffice wire API, written once and run against two targets: the fake
// gateway of package backofficetest (in `go test ./...` and CI, where every
// step must meet its expectation) and OPP's test host, or a white label's,
// with a merchant's test account. The fake is worth using only if code that
// passes against it passes against OPP; this suite is how anyone with a
// test account holds it against the real thing.
//
// The scenarios (Scenarios) cover every rule of OPP's back-office
// availability table and API rules (partial and repeated captures,
// over-capture, refunds up to what is captured, full and partial reversal,
// a reversal after a capture, rebill, chargeback once, chargeback reversal,
// representment, refund of a credit, operations on declined and on reversed
// payments), lookups by id and by merchantTransactionId with and without a
// match, bad parameters (format, length, unknown parameter) and a reused
// merchantTransactionId. Initial PAs, DBs and CDs are created with raw HTTP
// (POST /v1/payments) and OPP's published test card; the backoffice
// operations and lookups go through a backoffice.Client; malformed
// requests, which the Client refuses to send, go as raw HTTP.
//
// Each step records what came back (Observation): the HTTP status, the
// result code, and which fields the body carries, never their values. Each
// step also carries its expectation (Expect) and the documentation it rests
// on (Expect.Source), until a recorded OPP answer confirms or corrects it.
//
// # Check the fake against your OPP test account
//
// One command, with the test account's access token and entity id:
//
//	OPP_TEST_TOKEN=... OPP_TEST_ENTITY=... go test ./backofficetest/conformance -run TestOPP -v
//
// Add OPP_TEST_URL=https://sandbox-card.peachpayments.com (or your white
// label's test host) to leave eu-test.oppwa.com; the suite refuses OPP's
// live host, known white-label live hosts, and any host whose name does not
// say it is a test host, and stops at the first answer carrying the live
// success code 000.000.000. Without the two variables the test is skipped
// with this command as its message.
//
// What it creates on the account: test payments only, about 20 of them
// (PAs, DBs and one CD of 10 to 100 EUR on OPP's test card VISA
// 4200000000000000; two are declined on purpose through OPP's negative
// testing, the card holder being the decline code) and about 50 operations
// on them (captures, reversals, refunds, rebills, chargebacks and their
// reversals), plus 5 lookups and 7 malformed requests that OPP refuses.
//
// How long it takes: about 80 requests, sent one at a time with a pause of
// one second between two (OPP_TEST_PAUSE=2s for more), so about two
// minutes; a request OPP throttles is waited out (30 seconds) and sent once
// more. Against the fake there is no pause and the suite runs in
// milliseconds.
//
// What it prints: a table of every step, with what the fake answers, what
// OPP answered, and what differs, then the count of differences; each
// difference fails the test. To send it upstream, run it with
// OPP_TEST_RECORD=1 (or -args -opp.record): it writes OPP's answers as a
// fixture, testdata/opp-<host>-<date>.json, redacted (no token, no entity
// id, card numbers masked to their first six and last four digits, CVVs
// starred), dated and naming the host. Open an issue or a pull request with
// that file and the table. Once the fixture is in the repository, the
// fake's own tests replay it (Replay): every recorded difference fails
// them until the fake is fixed or the choice is documented in
// backofficetest's package doc and listed by DocumentedDifferences.
//
// # Using the suite elsewhere
//
// Run runs any scenarios against any Target (FakeTarget, TargetFromEnv, or
// a fake behind httptest); Check runs OPP and a fresh fake and Compare and
// WriteTable show their differences; WriteFixture, ReadFixtures and Replay
// record and replay them. A Session is what a scenario drives, so a
// merchant can add scenarios of their own.
package conformance
