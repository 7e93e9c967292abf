package backoffice_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// ExampleWithObserver counts attempts and outcomes by category, as a
// metrics exporter would: a capture whose answer is lost (one POST, one
// lookup, adopted) and a refund the bank declines.
func ExampleWithObserver() {
	attempts := map[string]int{}
	outcomes := map[string]int{}
	obs := backoffice.Observer{
		Attempt: func(_ context.Context, a backoffice.AttemptInfo) {
			attempts[fmt.Sprintf("%s #%d status=%d code=%s failure=%q", a.Operation, a.Attempt, a.HTTPStatus, a.ResultCode, a.Failure)]++
		},
		Outcome: func(_ context.Context, o backoffice.OutcomeInfo) {
			label := "ok"
			if o.Category != nil {
				label = o.Category.Error()
			}
			outcomes[string(o.Operation)+" "+label]++
		},
	}
	gw := backofficetest.New()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}), backoffice.WithObserver(obs))
	if err != nil {
		fmt.Println(err)
		return
	}
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
	gw.FailNext("CP", 1, backofficetest.DropAfterCommit) // OPP captures, the answer is lost
	c.Capture(context.Background(), pa, backoffice.CaptureRequest{Amount: dec("10.00"), Currency: "EUR"})
	db := gw.SeedDebit(dec("30.00"), "EUR")
	gw.SetNextResults("RF", 1, "800.100.151")
	c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: dec("5.00"), Currency: "EUR"})

	for _, m := range []map[string]int{attempts, outcomes} {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Println(m[k], k)
		}
	}
	// Output:
	// 1 capture #1 status=0 code= failure="transport error after the request may have been written"
	// 1 payments_by_merchant_transaction_id #1 status=200 code=000.000.100 failure=""
	// 1 refund #1 status=200 code=800.100.151 failure=""
	// 1 capture ok
	// 1 refund declined
}
