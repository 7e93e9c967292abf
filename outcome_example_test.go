package backoffice_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// handleRefund is the README's "Handling outcomes" in code: what to do with
// each category a money movement can end in.
func handleRefund(ctx context.Context, c *backoffice.Client, paymentID, key string) string {
	p, err := c.Refund(ctx, paymentID, backoffice.RefundRequest{Amount: dec("10.00"), Currency: "EUR", MerchantTransactionID: key})
	var u *backoffice.OutcomeUnknownError
	if errors.As(err, &u) {
		// It may have happened. Never send it again under a new key: wait
		// for OPP to show it (here up to a minute; a background job can
		// wait longer, by key alone, with AwaitMerchantTransaction).
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		p, err = c.AwaitOutcome(wctx, u)
	}
	switch {
	case err == nil && p.Pending():
		return "pending: look it up later with Payment(" + p.ID + ")"
	case err == nil:
		return "refunded " + p.Amount.StringFixed(2) + " " + p.Currency
	case errors.Is(err, backoffice.ErrDeclined):
		return "declined: tell the customer, do not retry the same request"
	case errors.Is(err, backoffice.ErrGateway), errors.Is(err, backoffice.ErrNetwork):
		return "not performed: safe to try again later with the same key"
	case errors.Is(err, backoffice.ErrOutcomeUnknown):
		return "still unknown: keep the key " + key + " and resolve it later"
	}
	return "refused: " + err.Error() // invalid, unauthorized, not found, not allowed, unknown code
}

func ExampleClient_AwaitOutcome() {
	gw := backofficetest.New()
	defer gw.Close()
	// One lookup after an ambiguous failure, so that this example ends
	// unknown first.
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	db := gw.SeedDebit(dec("30.00"), "EUR")
	// OPP refunds and answers 502; its query API shows the refund one lookup late.
	if err := gw.FailNext("RF", 1, backofficetest.LaggingCommit); err != nil {
		log.Fatal(err)
	}
	fmt.Println(handleRefund(context.Background(), c, db, "refund-42"))
	fmt.Println(len(gw.CommitsFor("refund-42")), "refund committed")
	// Output:
	// refunded 10.00 EUR
	// 1 refund committed
}

func ExampleWithDuplicateCheck() {
	gw := backofficetest.New()
	defer gw.Close()
	gw.ConfigureEntity(backofficetest.DefaultEntityID, backofficetest.EntityConfig{DuplicateBlocking: true})
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}),
		backoffice.WithDuplicateCheck()) // OPP's support enabled it for this entity
	if err != nil {
		log.Fatal(err)
	}
	pa := gw.SeedPreAuthorization(dec("50.00"), "EUR")
	// A proxy answers 503 before OPP sees the capture: the client cannot
	// know that, looks it up, finds nothing, and may send again only
	// because OPP would refuse a second capture under the same key.
	if err := gw.FailNext("CP", 1, backofficetest.StatusBeforeCommit); err != nil {
		log.Fatal(err)
	}
	p, err := c.Capture(context.Background(), pa, backoffice.CaptureRequest{Amount: dec("50.00"), Currency: "EUR", MerchantTransactionID: "cap-1xxx"})
	fmt.Println(p.Succeeded(), err, len(gw.CommitsFor("cap-1xxx")))
	// Output: true <nil> 1
}

func ExampleWithLookBeforeSend() {
	gw := backofficetest.New()
	defer gw.Close()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}), backoffice.WithLookBeforeSend())
	if err != nil {
		log.Fatal(err)
	}
	db := gw.SeedDebit(dec("30.00"), "EUR")
	// A job queue delivers the refund job twice.
	for range 2 {
		p, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: dec("10.00"), Currency: "EUR", MerchantTransactionID: "job-1xxx"})
		fmt.Println(p.Amount.StringFixed(2), err)
	}
	fmt.Println(len(gw.CommitsFor("job-1xxx")), "refund committed")
	// Output:
	// 10.00 <nil>
	// 10.00 <nil>
	// 1 refund committed
}

func ExampleClient_AwaitMerchantTransaction() {
	c, gw := fake()
	defer gw.Close()
	db := gw.SeedDebit(dec("30.00"), "EUR")
	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil { // the bank declines the refund
		log.Fatal(err)
	}
	if _, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: dec("5.00"), Currency: "EUR",
		MerchantTransactionID: "refund-job-9"}); !errors.Is(err, backoffice.ErrDeclined) {
		log.Fatal(err)
	}

	// Later, another process holds only the key.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := c.AwaitMerchantTransaction(ctx, "refund-job-9")
	var e *backoffice.Error
	if errors.As(err, &e) {
		fmt.Println(e.Operation, e.Code, e.Verified)
	}
	// Output: refund 800.100.151 true
}

func ExamplePayment_Uncertain() {
	for _, code := range []string{"900.100.300", "000.000.000", "800.100.151"} {
		p := backoffice.Payment{Result: backoffice.Result{Code: code}}
		fmt.Println(code, p.Uncertain())
	}
	// Output:
	// 900.100.300 true
	// 000.000.000 false
	// 800.100.151 false
}
