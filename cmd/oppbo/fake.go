package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// The fake gateway's account.
const (
	fakeToken  = backofficetest.DefaultToken
	fakeEntity = backofficetest.DefaultEntityID
)

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
	if latency > 0 {
		if err := gw.InjectFault(backofficetest.Fault{Kinds: []backofficetest.FaultKind{backofficetest.Latency}, Latency: latency}); err != nil {
			return nil, nil, err
		}
	}
	return gw, out, nil
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
	fmt.Fprintf(a.stdout, "\nFor example:\n  oppbo capture --fake --amount 60.00 --currency EUR %s\n  oppbo get --fake %s\n", seeds[0].id, seeds[1].id)
	return exitOK
}
