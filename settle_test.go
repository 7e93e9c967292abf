package backoffice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// BenchmarkSettleWindowWhenNothingShows measures what the settle window
// costs when the lookups never find the operation: every POST answers a
// proxy's 503 and every lookup OPP's "cannot find transaction", so each
// call waits out its window and returns *OutcomeUnknownError. With the
// default waits (250ms up to 3s) the cost is the window itself, plus one
// final lookup:
//
//	go test -run='^$' -bench=BenchmarkSettleWindowWhenNothingShows -benchtime=3x .
func BenchmarkSettleWindowWhenNothingShows(b *testing.B) {
	for _, window := range []time.Duration{0, time.Second, DefaultRetryPolicy().SettleWindow} {
		b.Run(fmt.Sprint("window ", window), func(b *testing.B) {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(503, "busy"))
			mt.RegisterResponder("GET", base+"/v1/query",
				httpmock.NewStringResponder(400, `{"result":{"code":"700.400.580","description":"cannot find transaction"}}`))
			policy := DefaultRetryPolicy()
			policy.SettleWindow = window
			c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(policy))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				_, err := c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1"), Currency: "EUR"})
				if !errors.Is(err, ErrOutcomeUnknown) {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(mt.GetCallCountInfo()["GET "+base+"/v1/query"])/float64(b.N), "lookups/op")
		})
	}
}
