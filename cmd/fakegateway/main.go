// Command fakegateway serves the fake OPP gateway of package backofficetest
// over HTTP, for black-box tests and tests written in other languages. It
// speaks OPP's wire format (POST /v1/payments, POST /v1/payments/{id},
// GET /v1/payments/{id}, GET /v1/query/{id}, GET /v1/query) with the state,
// rules and result codes of backofficetest.Gateway.
//
// Usage:
//
//	go run ./cmd/fakegateway [-addr 127.0.0.1:8080] [-seed-pa 100.00] [-seed-db 50.00] [-currency EUR] [-live-codes] [-allow-remote]
//
// It prints what a test needs as KEY=value lines (BASE_URL, TOKEN,
// ENTITY_ID, and PA_ID / DB_ID for seeded payments), so that a shell can
// eval them, and stops cleanly on SIGINT or SIGTERM. It listens only on a
// loopback address unless -allow-remote is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(1)
	}
}

// shutdownGrace bounds how long a stop waits for requests in flight.
const shutdownGrace = 5 * time.Second

// run serves the gateway until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakegateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	allowRemote := fs.Bool("allow-remote", false, "allow an -addr that is not a loopback address")
	seedPA := fs.String("seed-pa", "", "seed a pre-authorization (PA) of this `amount`, e.g. 100.00, and print PA_ID")
	seedDB := fs.String("seed-db", "", "seed a debit (DB) of this `amount` and print DB_ID")
	currency := fs.String("currency", "EUR", "`currency` of the seeded payments")
	liveCodes := fs.Bool("live-codes", false, "answer successes with 000.000.000 (as the live host) instead of 000.100.110")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := checkAddr(*addr, *allowRemote); err != nil {
		return err
	}
	var opts []backofficetest.Option
	if *liveCodes {
		opts = append(opts, backofficetest.WithSuccessCode("000.000.000"))
	}
	gw := backofficetest.New(opts...)
	seeded, err := seed(gw, *seedPA, *seedDB, *currency)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(stdout, "BASE_URL=http://%s\nTOKEN=%s\nENTITY_ID=%s\n", ln.Addr(), backofficetest.DefaultToken, backofficetest.DefaultEntityID)
	for _, s := range seeded {
		fmt.Fprintf(stdout, "%s=%s\n", s.name, s.id)
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	gw.Close() // releases requests held by injected faults
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkAddr refuses to listen beyond this machine unless asked to.
func checkAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if allowRemote {
		return nil
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; pass -allow-remote to listen on it", addr)
}

// seededPayment is a payment seeded from the flags.
type seededPayment struct{ name, id string }

func seed(gw *backofficetest.Gateway, pa, db, currency string) ([]seededPayment, error) {
	var out []seededPayment
	for _, s := range [...]struct{ name, typ, amount string }{{"PA_ID", "PA", pa}, {"DB_ID", "DB", db}} {
		if s.amount == "" {
			continue
		}
		amount, err := decimal.NewFromString(s.amount)
		if err != nil {
			return nil, fmt.Errorf("-seed-%s %q: not an amount", strings.ToLower(s.typ), s.amount)
		}
		id, err := gw.Seed(backofficetest.SeedPayment{PaymentType: s.typ, Amount: amount, Currency: currency})
		if err != nil {
			return nil, err
		}
		out = append(out, seededPayment{s.name, id})
	}
	return out, nil
}
