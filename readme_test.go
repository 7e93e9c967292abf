package backoffice_test

import (
	"context"
	"errors"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// TestReadmeRefundFlow is the README's "Testing with the fake" snippet, so
// the guide cannot drift from what the code does.
func TestReadmeRefundFlow(t *testing.T) {
	ctx := context.Background()
	c, gw := backofficetest.NewClient(t) // in memory, no sockets
	db := gw.SeedDebit(decimal.RequireFromString("30.00"), "EUR")

	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil { // the bank declines the next refund
		t.Fatal(err)
	}
	_, err := c.Refund(ctx, db, backoffice.RefundRequest{Amount: decimal.RequireFromString("10"), Currency: "EUR"})
	if !errors.Is(err, backoffice.ErrDeclined) {
		t.Fatal(err)
	}

	if err := gw.FailNext("RF", 1, backofficetest.DropAfterCommit); err != nil { // OPP refunds, the answer is lost
		t.Fatal(err)
	}
	p, err := c.Refund(ctx, db, backoffice.RefundRequest{Amount: decimal.RequireFromString("10"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	commits := gw.CommitsFor(p.MerchantTransactionID)
	if len(commits) != 1 || commits[0].PaymentID != p.ID {
		t.Fatalf("the refund was committed %d times: %+v", len(commits), commits)
	}
	if tx, _ := gw.Payment(db); !tx.Balance.Refunded.Equal(decimal.RequireFromString("10")) {
		t.Fatalf("refunded %s; want 10 (the declined refund moved nothing)", tx.Balance.Refunded)
	}
}
