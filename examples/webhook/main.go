// Command webhook shows a merchant's webhook endpoint receiving a chargeback
// from the fake OPP and answering it: it serves webhook.Handler over HTTP on
// loopback, lets the fake acquirer raise a chargeback (delivered encrypted,
// twice, as OPP may), and reverses the chargeback once the representment is
// won. No account, no network beyond loopback:
//
//	go run ./examples/webhook
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/webhook"
	"github.com/shopspring/decimal"
)

// key is the webhook key of the merchant's OPP configuration (64 hex
// characters). A real one comes from a secret store, never from code.
const key = "6d2f1a8c4b9e07d35f1c2a4e8b6d0f9a3c5e7b1d2f4a6c8e0b9d7f5a3c1e2d4f"

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(1)
	}
}

// disputes is the merchant's store of chargebacks to contest, keyed by the
// chargeback's id so that a redelivered notification changes nothing.
type disputes struct {
	mu   sync.Mutex
	seen map[string]bool
	open []*backoffice.Payment
}

func run(w io.Writer) error {
	ctx := context.Background()
	gw := backofficetest.New()
	defer gw.Close()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		return err
	}

	store := &disputes{seen: map[string]bool{}}
	endpoint := httptest.NewServer(webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
		store.mu.Lock()
		defer store.mu.Unlock()
		if n.Type != webhook.Payment {
			return nil
		}
		if store.seen[n.ID] {
			fmt.Fprintf(w, "  endpoint: %s %s again: already handled, answering 200\n", n.Payment.PaymentType, n.ID[:12])
			return nil
		}
		store.seen[n.ID] = true
		p := n.Payment
		fmt.Fprintf(w, "  endpoint: %s %s on %s, %s %s, result %s %q\n", p.PaymentType, p.ID[:12], p.ReferencedID[:12],
			p.Amount.StringFixed(2), p.Currency, p.Result.Code, p.Result.Description)
		if p.PaymentType == backoffice.PaymentTypeChargeback {
			store.open = append(store.open, p)
			fmt.Fprintln(w, "  endpoint: chargeback recorded; the evidence goes to the acquirer")
		}
		return nil
	}))
	defer endpoint.Close()
	hooks, err := gw.DeliverWebhooksTo(backofficetest.DefaultEntityID, key, endpoint.URL, endpoint.Client())
	if err != nil {
		return err
	}
	defer hooks.Stop()

	debit := gw.SeedDebit(decimal.RequireFromString("80.00"), "EUR")
	fmt.Fprintf(w, "shopper paid 80.00 EUR: debit %s\n", debit[:12])

	fmt.Fprintln(w, "the acquirer books a chargeback (the shopper says: fraud):")
	cbID, err := gw.RaiseChargeback(debit, decimal.RequireFromString("80.00"), "000.100.220")
	if err != nil {
		return err
	}
	// OPP delivers at least once: the same notification can come again.
	fmt.Fprintln(w, "OPP delivers the same notification again:")
	if _, err := hooks.Redeliver(cbID); err != nil {
		return err
	}

	fmt.Fprintln(w, "the representment is won; the merchant reverses the chargeback:")
	cb := store.open[0]
	cr, err := c.ReverseChargeback(ctx, cb.ID, backoffice.ReverseChargebackRequest{Amount: cb.Amount, Currency: cb.Currency})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "client: %s %s %s %s\n", cr.PaymentType, cr.ID[:12], cr.Amount.StringFixed(2), cr.Result.Code)

	for _, d := range hooks.Deliveries() {
		fmt.Fprintf(w, "delivery %d of %s answered HTTP %d\n", d.Attempt, d.PaymentID[:12], d.Status)
	}
	return nil
}
