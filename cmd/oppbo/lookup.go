package main

import (
	"context"
	"fmt"

	"github.com/oppkit/backoffice"
)

// runGet looks a payment up by its OPP id with the transactions linked to
// it, what they leave of it and the operations it still takes
// (Client.PaymentDetails).
func runGet(a *app, ctx context.Context, name string, args []string) int {
	return a.lookup(ctx, name, args, "payment id", func(ctx context.Context, c *backoffice.Client, id string, cf *common) int {
		d, err := c.PaymentDetails(ctx, id)
		if err != nil {
			return printError(a.stdout, a.stderr, err, cf.json)
		}
		return a.printed(printDetails(a.stdout, d, cf.json))
	})
}

// lookup parses a lookup command's flags and its one argument (what it
// names), builds the client and calls do within the command's timeout.
func (a *app) lookup(ctx context.Context, name string, args []string, what string,
	do func(context.Context, *backoffice.Client, string, *common) int) int {
	fs := a.newFlagSet(name, args)
	var cf common
	cf.register(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(a.stderr, "oppbo %s: want one %s, got %d arguments\n", name, what, len(pos))
		return exitUsage
	}
	c, _, err := a.client(&cf)
	if err != nil {
		return a.fail(err)
	}
	cctx, cancel := callContext(ctx, &cf)
	defer cancel()
	return do(cctx, c, pos[0], &cf)
}

// runFind lists the transactions that carry a merchantTransactionId
// (Client.PaymentsByMerchantTransactionID). None found exits 5 (not found),
// with an empty list under --json.
func runFind(a *app, ctx context.Context, name string, args []string) int {
	return a.lookup(ctx, name, args, "merchantTransactionId", func(cctx context.Context, c *backoffice.Client, key string, cf *common) int {
		ps, err := c.PaymentsByMerchantTransactionID(cctx, key)
		if err != nil {
			return printError(a.stdout, a.stderr, err, cf.json)
		}
		if len(ps) == 0 {
			if cf.json {
				writeJSON(a.stdout, []paymentJSON{})
			}
			fmt.Fprintf(a.stderr, "oppbo: no transaction carries merchantTransactionId %s: it was not performed (or OPP has not recorded it yet)\n", key)
			return exitNotFound
		}
		return a.printed(printPayments(a.stdout, ps, cf.json))
	})
}
