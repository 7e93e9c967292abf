package main

import (
	"context"
	"fmt"
)

// runGet looks a payment up by its OPP id with the transactions linked to
// it, what they leave of it and the operations it still takes
// (Client.PaymentDetails).
func runGet(a *app, ctx context.Context, name string, args []string) int {
	fs := a.newFlagSet(name, args)
	var cf common
	cf.register(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(a.stderr, "oppbo get: want one payment id, got %d arguments\n", len(pos))
		return exitUsage
	}
	c, _, err := a.client(&cf)
	if err != nil {
		return a.fail(err)
	}
	cctx, cancel := callContext(ctx, &cf)
	defer cancel()
	d, err := c.PaymentDetails(cctx, pos[0])
	if err != nil {
		return printError(a.stdout, a.stderr, err, cf.json)
	}
	return a.printed(printDetails(a.stdout, d, cf.json))
}

// runFind lists the transactions that carry a merchantTransactionId
// (Client.PaymentsByMerchantTransactionID). None found exits 5 (not found),
// with an empty list under --json.
func runFind(a *app, ctx context.Context, name string, args []string) int {
	fs := a.newFlagSet(name, args)
	var cf common
	cf.register(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(a.stderr, "oppbo find: want one merchantTransactionId, got %d arguments\n", len(pos))
		return exitUsage
	}
	c, _, err := a.client(&cf)
	if err != nil {
		return a.fail(err)
	}
	cctx, cancel := callContext(ctx, &cf)
	defer cancel()
	ps, err := c.PaymentsByMerchantTransactionID(cctx, pos[0])
	if err != nil {
		return printError(a.stdout, a.stderr, err, cf.json)
	}
	if len(ps) == 0 {
		if cf.json {
			writeJSON(a.stdout, []paymentJSON{})
		}
		fmt.Fprintf(a.stderr, "oppbo: no transaction carries merchantTransactionId %s: it was not performed (or OPP has not recorded it yet)\n", pos[0])
		return exitNotFound
	}
	return a.printed(printPayments(a.stdout, ps, cf.json))
}
