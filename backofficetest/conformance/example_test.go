package conformance_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/backofficetest/conformance"
)

// ExampleRun runs the suite against the fake gateway in memory, as `go
// test ./...` does, and lists the steps whose answers miss the documented
// expectation: none.
func ExampleRun() {
	rep, err := conformance.Run(context.Background(), conformance.FakeTarget(backofficetest.New()), conformance.Scenarios())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d scenarios, %d steps, %d requests, %d unmet\n", len(rep.Results), rep.Steps(), rep.Requests, len(rep.Unmet()))
	// Output: 18 scenarios, 80 steps, 80 requests, 0 unmet
}

// ExampleCheckHost: the suite creates payments, so it runs against test
// hosts only.
func ExampleCheckHost() {
	for _, u := range []string{"https://eu-test.oppwa.com", "https://sandbox-card.peachpayments.com/v1", "https://eu-prod.oppwa.com"} {
		fmt.Println(u, conformance.CheckHost(u) == nil)
	}
	// Output:
	// https://eu-test.oppwa.com true
	// https://sandbox-card.peachpayments.com/v1 true
	// https://eu-prod.oppwa.com false
}

// ExampleWriteTable compares the answers of a gateway that succeeds with
// 000.100.112 (as a white label's connector test mode does), standing in
// for OPP's test host, with the fake's, and prints the table TestOPP
// prints.
func ExampleWriteTable() {
	scenarios := conformance.Scenarios()[:1]
	fake, _ := conformance.Run(context.Background(), conformance.FakeTarget(backofficetest.New()), scenarios)
	opp, _ := conformance.Run(context.Background(), conformance.FakeTarget(backofficetest.New(backofficetest.WithSuccessCode("000.100.112"))), scenarios)
	opp.Host, opp.Recorded = "eu-test.oppwa.com", time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	conformance.WriteTable(os.Stdout, fake, opp)
	// Output:
	// SCENARIO                      STEP            FAKE             OPP (eu-test.oppwa.com)  DIFFERS
	// capture/partial-and-repeated  pa              200 000.100.110  200 000.100.112          code 000.100.110 ≠ 000.100.112
	//                               cp 40.00        200 000.100.110  200 000.100.112          code 000.100.110 ≠ 000.100.112
	//                               cp 60.00        200 000.100.110  200 000.100.112          code 000.100.110 ≠ 000.100.112
	//                               cp 0.01 beyond  400 700.400.100  400 700.400.100          =
	// 3 of 4 steps differ (OPP recorded eu-test.oppwa.com at 2026-11-28 12:00 UTC)
	// fields +[...] are sent by the fake only, −[...] by OPP only
}
