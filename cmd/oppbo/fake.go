package main

import (
	"context"
	"fmt"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// The fake gateway's account.
const (
	fakeToken  = backofficetest.DefaultToken
	fakeEntity = backofficetest.DefaultEntityID
)

// fakeDay is the day the fake gateway's clock starts on (UTC): every seeded
// payment, and everything a --fake command does, has a timestamp in it.
const fakeDay = "2026-01-01"

// seeded is a payment the fake gateway starts with.
type seeded struct {
	id, kind, amount, currency, mtid, try string
}

// newFake returns a fake gateway with the same seeded payments every time
// (its ids are deterministic), so that the ids 'oppbo fake' prints work in
// every later --fake command. Each command starts from this state: what one
// command does is not seen by the next.
func newFake(latency time.Duration) (*backofficetest.Gateway, []seeded, error) {
	gw := backofficetest.New()
	var out []seeded
	add := func(typ, amount, mtid, try string) (string, error) {
		id, err := gw.Seed(backofficetest.SeedPayment{PaymentType: typ, Amount: decimal.RequireFromString(amount), Currency: "EUR", MerchantTransactionID: mtid})
		if err != nil {
			return "", err
		}
		out = append(out, seeded{id: id, kind: typ, amount: amount, currency: "EUR", mtid: mtid, try: try})
		return id, nil
	}
	steps := []struct{ typ, amount, mtid, try string }{
		{"PA", "100.00", "", "capture --amount 60.00 --currency EUR, or reverse"},
		{"DB", "80.00", "order-1001", "refund --amount 10.00 --currency EUR, chargeback, rebill; find order-1001"},
		{"DB", "1000000.00", "", "bulk refunds: refund --csv refunds.csv"},
		{"PA", "1000000.00", "", "bulk captures: capture --csv captures.csv"},
	}
	for _, s := range steps {
		if _, err := add(s.typ, s.amount, s.mtid, s.try); err != nil {
			return nil, nil, err
		}
	}
	db, err := add("DB", "50.00", "", "")
	if err != nil {
		return nil, nil, err
	}
	cb, err := gw.RaiseChargeback(db, decimal.RequireFromString("50.00"), "000.100.200")
	if err != nil {
		return nil, nil, err
	}
	out[len(out)-1].try = "charged back by " + cb
	out = append(out, seeded{id: cb, kind: "CB", amount: "50.00", currency: "EUR", try: "reverse-chargeback --amount 50.00 --currency EUR"})
	// A pre-authorization captured in part, and the capture refunded in
	// part, through the SDK: what 'get' shows as a timeline with balances.
	pa, err := add("PA", "100.00", "order-1002", "")
	if err != nil {
		return nil, nil, err
	}
	cp, rf, err := captureAndRefund(gw, pa)
	if err != nil {
		return nil, nil, err
	}
	out[len(out)-1].try = "get: captured 60.00 by the capture below, 40.00 left to capture"
	out = append(out, seeded{id: cp, kind: "CP", amount: "60.00", currency: "EUR", mtid: "order-1002-capture", try: "get: refunded 15.00 by " + rf + ", 45.00 left to refund"})
	if latency > 0 {
		if err := gw.InjectFault(backofficetest.Fault{Kinds: []backofficetest.FaultKind{backofficetest.Latency}, Latency: latency}); err != nil {
			return nil, nil, err
		}
	}
	return gw, out, nil
}

// captureAndRefund captures 60.00 of the pre-authorization pa and refunds
// 15.00 of the capture, through the SDK against gw.
func captureAndRefund(gw *backofficetest.Gateway, pa string) (cp, rf string, err error) {
	c, err := backoffice.New(fakeToken, fakeEntity, backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		return "", "", err
	}
	ctx := context.Background()
	eur := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	p, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: eur("60.00"), Currency: "EUR", MerchantTransactionID: "order-1002-capture"})
	if err != nil {
		return "", "", err
	}
	r, err := c.Refund(ctx, p.ID, backoffice.RefundRequest{Amount: eur("15.00"), Currency: "EUR", MerchantTransactionID: "order-1002-refund"})
	if err != nil {
		return "", "", err
	}
	return p.ID, r.ID, nil
}

// runFake prints the fake gateway's seeded payments.
func runFake(a *app, _ context.Context, name string, args []string) int {
	fs := a.newFlagSet(name, args)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		fmt.Fprintln(a.stderr, "oppbo fake: takes no arguments")
		return exitUsage
	}
	_, seeds, err := newFake(0)
	if err != nil {
		return a.fail(err)
	}
	fmt.Fprintln(a.stdout, "The embedded fake gateway (--fake) starts every command with these payments:")
	fmt.Fprintln(a.stdout)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tAMOUNT\tTRANSACTION ID\tTRY")
	for _, s := range seeds {
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\n", s.id, s.kind, s.amount, s.currency, dash(s.mtid), s.try)
	}
	tw.Flush()
	fmt.Fprintf(a.stdout, "\nFor example:\n  oppbo capture --fake --amount 60.00 --currency EUR %s\n  oppbo get --fake %s\n  oppbo search --fake --from %s --to %s\n",
		seeds[0].id, seeds[6].id, fakeDay, fakeDay)
	return exitOK
}
