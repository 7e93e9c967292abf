// Command tour walks one payment life through every backoffice operation,
// against the in-memory fake OPP of package backofficetest: no account, no
// network. Run it with
//
//	go run ./examples/tour
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

// run performs the tour, printing each step to w.
func run(w io.Writer) error {
	ctx := context.Background()
	gw := backofficetest.New()
	defer gw.Close()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		return err
	}
	amount := decimal.RequireFromString
	step := func(title string, p *backoffice.Payment, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", title, err)
		}
		amt := p.Amount.StringFixed(2) + " " + p.Currency
		if p.Amount.IsZero() {
			amt = "(full)"
		}
		fmt.Fprintf(w, "%-32s %s %s %12s  %s  mtid=%s\n", title, p.PaymentType, p.ID[:12], amt, p.Result.Code, p.MerchantTransactionID)
		return nil
	}

	pa := gw.SeedPreAuthorization(amount("100.00"), "EUR")
	fmt.Fprintf(w, "%-32s PA %s %12s  (seeded in the fake)\n", "shopper authorizes", pa[:12], "100.00 EUR")

	p, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: amount("60.00"), Currency: "EUR",
		MerchantTransactionID: "order-1-cp-1", Descriptor: "Order 1, parcel 1"})
	if err := step("capture part of it", p, err); err != nil {
		return err
	}

	// The network drops OPP's answer to the next capture after OPP has
	// performed it. The SDK looks the capture up by its merchant
	// transaction id and adopts it instead of capturing twice.
	if err := gw.FailNext("CP", 1, backofficetest.DropAfterCommit); err != nil {
		return err
	}
	cp2, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: amount("40.00"), Currency: "EUR",
		MerchantTransactionID: "order-1-cp-2", Descriptor: "Order 1, parcel 2"})
	if err := step("capture the rest (answer lost)", cp2, err); err != nil {
		return err
	}
	fmt.Fprintf(w, "%-32s (OPP performed it %d time)\n", "", len(gw.CommitsFor("order-1-cp-2")))

	p, err = c.Refund(ctx, cp2.ID, backoffice.RefundRequest{Amount: amount("15.00"), Currency: "EUR",
		MerchantTransactionID: "order-1-rf-1"})
	if err := step("refund part of parcel 2", p, err); err != nil {
		return err
	}

	cb, err := c.Chargeback(ctx, p.ReferencedID, backoffice.ChargebackRequest{Amount: amount("25.00"), Currency: "EUR",
		Reason: "4853 Not as described", MerchantTransactionID: "order-1-cb-1"})
	if err := step("the bank charges parcel 2 back", cb, err); err != nil {
		return err
	}

	p, err = c.ReverseChargeback(ctx, cb.ID, backoffice.ReverseChargebackRequest{Amount: amount("25.00"), Currency: "EUR",
		MerchantTransactionID: "order-1-cr-1"})
	if err := step("representment won: reverse it", p, err); err != nil {
		return err
	}

	db := gw.SeedDebit(amount("120.00"), "EUR")
	fmt.Fprintf(w, "%-32s DB %s %12s  (seeded in the fake)\n", "hotel guest pays", db[:12], "120.00 EUR")
	p, err = c.Rebill(ctx, db, backoffice.RebillRequest{Amount: amount("18.50"), Currency: "EUR",
		MerchantTransactionID: "room-7-rb-1", MerchantMemo: "minibar"})
	if err := step("rebill the minibar", p, err); err != nil {
		return err
	}

	pa2 := gw.SeedPreAuthorization(amount("75.00"), "EUR")
	fmt.Fprintf(w, "%-32s PA %s %12s  (seeded in the fake)\n", "another shopper authorizes", pa2[:12], "75.00 EUR")
	p, err = c.Reverse(ctx, pa2, backoffice.ReverseRequest{MerchantTransactionID: "order-2-rv-1"})
	if err := step("item out of stock: reverse it", p, err); err != nil {
		return err
	}

	p, err = c.Credit(ctx, backoffice.CreditRequest{Amount: amount("10.00"), Currency: "EUR", PaymentBrand: "VISA",
		Card:                  backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
		Billing:               backoffice.Billing{City: "Berlin", Country: "DE"},
		MerchantTransactionID: "goodwill-1"})
	if err := step("goodwill credit to a card", p, err); err != nil {
		return err
	}

	// A decline is an HTTP 200 from OPP: the SDK reads the result code and
	// returns a typed error.
	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil {
		return err
	}
	_, err = c.Refund(ctx, db, backoffice.RefundRequest{Amount: amount("5.00"), Currency: "EUR",
		MerchantTransactionID: "refund-declined-1"})
	var e *backoffice.Error
	if !errors.Is(err, backoffice.ErrDeclined) || !errors.As(err, &e) {
		return fmt.Errorf("want a decline, got %v", err)
	}
	fmt.Fprintf(w, "%-32s %s %s (HTTP %d) mtid=%s\n", "a refund the bank declines", e.Code, e.Description, e.HTTPStatus, e.MerchantTransactionID)

	seen := map[string]int{}
	for _, commit := range gw.Ledger() {
		seen[commit.MerchantTransactionID]++
	}
	twice := 0
	for _, n := range seen {
		if n > 1 {
			twice++
		}
	}
	fmt.Fprintf(w, "\nthe fake's ledger: %d operations committed, %d of them more than once\n", len(gw.Ledger()), twice)
	return nil
}
