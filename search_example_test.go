package backoffice_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/oppkit/backoffice"
)

func ExampleClient_SearchPayments() {
	c, gw := fake()
	ctx := context.Background()
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
	gw.SeedDebit(dec("25.00"), "EUR")
	if _, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("60"), Currency: "EUR", MerchantTransactionID: "order-7-cp"}); err != nil {
		log.Fatal(err)
	}

	// Every pre-authorization and debit of a day, newest first, two per page.
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := backoffice.SearchQuery{
		From:         day,
		To:           day.Add(24*time.Hour - time.Second),
		PaymentTypes: []backoffice.PaymentType{backoffice.PaymentTypePreAuthorization, backoffice.PaymentTypeDebit},
		PageSize:     2,
	}
	for p, err := range c.SearchPayments(ctx, q) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Currency, p.Succeeded())
	}

	// A query OPP would refuse is refused before anything is sent.
	for _, err := range c.SearchPayments(ctx, backoffice.SearchQuery{ShortID: "1234.5678.9012"}) {
		fmt.Println(err)
	}
	// Output:
	// DB 25.00 EUR true
	// PA 100.00 EUR true
	// backoffice: search_payments: ShortID needs a MerchantTransactionID or a time frame (From and To) along with it
}

func ExampleClient_PaymentDetails() {
	c, gw := fake()
	ctx := context.Background()
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
	cp, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("60"), Currency: "EUR"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: dec("15"), Currency: "EUR"}); err != nil {
		log.Fatal(err)
	}

	for _, id := range []string{pa, cp.ID} {
		d, err := c.PaymentDetails(ctx, id)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.Payment.PaymentType, d.Payment.Amount.StringFixed(2), "linked:", len(d.Linked))
		for _, l := range d.Linked {
			fmt.Println("  ", l.PaymentType, l.Amount.StringFixed(2))
		}
		r := d.Remaining
		fmt.Println("   left to capture", r.Capture.StringFixed(2), "reverse", r.Reverse.StringFixed(2),
			"refund", r.Refund.StringFixed(2), "charge back", r.Chargeback.StringFixed(2))
		fmt.Println("   allowed:", d.AllowedOperations())
	}
	// Output:
	// PA 100.00 linked: 2
	//    CP 60.00
	//    RF 15.00
	//    left to capture 40.00 reverse 0.00 refund 0.00 charge back 0.00
	//    allowed: [capture]
	// CP 60.00 linked: 2
	//    PA 100.00
	//    RF 15.00
	//    left to capture 0.00 reverse 0.00 refund 45.00 charge back 45.00
	//    allowed: [refund chargeback]
}
