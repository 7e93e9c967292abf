// Command oppbo performs the back-office operations of ACI's Open Payment
// Platform (OPP) from a shell: capture, reverse, refund, chargeback,
// reverse-chargeback, rebill and credit, one at a time or from a CSV file,
// and looks payments up: by id with their linked transactions and what is
// left of them (get), by merchantTransactionId (find) and over a time frame
// (search). It is built on package backoffice only.
//
// Credentials come from the environment (OPPBO_TOKEN, OPPBO_ENTITY) or from a
// config file readable by its owner only, never from flags. The host is
// always explicit (--host test, --host live or a URL), and the live host asks
// for confirmation unless --yes is given. --fake runs every command against
// an embedded fake gateway with seeded payments, with no account and no
// network.
//
// Bulk runs (--csv) are resumable and move money exactly once: every row has
// a key (merchantTransactionId) derived from the file and the row, a journal
// records each row before it is sent and its outcome after, and a second run
// skips finished rows and looks up the rows that were in flight before it
// sends anything again.
//
// Run "oppbo help" for the commands and docs/cli.md for a walk-through.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C, a second one kills the process at once:
		// a bulk run's journal keeps its rows in flight for the next run.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}
