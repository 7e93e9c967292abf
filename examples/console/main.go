// Command console serves the embeddable back office of package console on
// the in-memory fake OPP of package backofficetest, with a few payments
// seeded: no account, no network. Run it with
//
//	go run ./examples/console
//
// and open the URL it prints. Everyone is the operator "demo", who may
// perform every operation; -viewer makes everyone a viewer, who sees no
// action buttons.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
	"github.com/shopspring/decimal"
)

// prefix is where the example mounts the console, as a merchant's admin
// would mount it under its own path.
const prefix = "/backoffice"

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	viewer := flag.Bool("viewer", false, "make everyone a viewer, with no operation permitted")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *addr, *viewer, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}

// run serves the console on addr until ctx ends, printing its URL to out.
func run(ctx context.Context, addr string, viewer bool, out io.Writer) error {
	mux, err := setup(viewer, slog.New(slog.NewTextHandler(out, nil)))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "OPP back office on the fake gateway: http://%s%s/\n", ln.Addr(), prefix)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// setup seeds the fake gateway and returns the admin's mux with the console
// mounted under prefix.
func setup(viewer bool, audit *slog.Logger) (*http.ServeMux, error) {
	gw := backofficetest.New(backofficetest.WithClock(time.Now))
	client, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		return nil, err
	}
	if err := seed(client, gw); err != nil {
		return nil, err
	}
	user := console.User{Name: "demo", Operations: console.AllOperations()}
	if viewer {
		user = console.User{Name: "viewer"}
	}
	h, err := console.New(client,
		console.WithAuthenticator(func(*http.Request) (console.User, error) { return user, nil }),
		console.WithAuditLogger(audit))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, h))
	mux.Handle("/{$}", http.RedirectHandler(prefix+"/", http.StatusFound))
	return mux, nil
}

// seed creates a few payments with some history.
func seed(c *backoffice.Client, gw *backofficetest.Gateway) error {
	ctx := context.Background()
	amt := decimal.RequireFromString
	var errs []error
	add := func(p backofficetest.SeedPayment) string {
		id, err := gw.Seed(p)
		errs = append(errs, err)
		return id
	}
	add(backofficetest.SeedPayment{PaymentType: "PA", Amount: amt("250.00"), Currency: "EUR", MerchantTransactionID: "order-1001"})
	add(backofficetest.SeedPayment{PaymentType: "DB", Amount: amt("49.90"), Currency: "EUR", MerchantTransactionID: "order-1002"})
	add(backofficetest.SeedPayment{PaymentType: "PA", Amount: amt("120.00"), Currency: "GBP", MerchantTransactionID: "order-1003", PaymentBrand: "MASTER"})
	add(backofficetest.SeedPayment{PaymentType: "DB", Amount: amt("15.00"), Currency: "EUR", MerchantTransactionID: "order-1004", ResultCode: "800.100.151"})
	pa := add(backofficetest.SeedPayment{PaymentType: "PA", Amount: amt("80.00"), Currency: "EUR", MerchantTransactionID: "order-1005"})
	db := add(backofficetest.SeedPayment{PaymentType: "DB", Amount: amt("300.00"), Currency: "EUR", MerchantTransactionID: "order-1006", PaymentBrand: "AMEX"})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cp, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: amt("50.00"), Currency: "EUR", MerchantTransactionID: "order-1005-cp", Descriptor: "Order 1005"})
	if err != nil {
		return err
	}
	if _, err := c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: amt("10.00"), Currency: "EUR", MerchantTransactionID: "order-1005-rf", MerchantMemo: "Damaged item"}); err != nil {
		return err
	}
	_, err = c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: amt("300.00"), Currency: "EUR", Reason: "4837 No cardholder authorization", MerchantTransactionID: "order-1006-cb"})
	return err
}
