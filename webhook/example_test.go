package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/webhook"
	"github.com/shopspring/decimal"
)

func ExampleDecrypt() {
	// The decryption example of OPP's documentation.
	plain, err := webhook.Decrypt(
		"000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f", // the merchant's key
		"000000000000000000000000",                     // X-Initialization-Vector
		"CE573FB7A41AB78E743180DC83FF09BD",             // X-Authentication-Tag
		[]byte("0A3471C72D9BE49A8520F79C66BBD9A12FF9")) // the body
	fmt.Println(string(plain), err)
	// Output: {"type":"PAYMENT"} <nil>
}

// A merchant's handler receives a chargeback the acquirer raised, records
// it to contest it, and sees the chargeback reversal once the representment
// is won.
func ExampleHandler() {
	const key = "3f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3"
	ctx := context.Background()
	gw := backofficetest.New()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		log.Fatal(err)
	}
	debit := gw.SeedDebit(decimal.RequireFromString("80.00"), "EUR")

	handled := map[string]bool{} // in production: a table, written with the effect
	h := webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
		if n.Type != webhook.Payment || handled[n.ID] {
			return nil // not ours, or a redelivery
		}
		handled[n.ID] = true
		switch p := n.Payment; p.PaymentType {
		case backoffice.Chargeback:
			fmt.Printf("chargeback of %s %s on debit %s: %s %s\n", p.Amount.StringFixed(2), p.Currency, p.ReferencedID[:8], p.Result.Code, p.Result.Description)
			fmt.Println("contesting it: delivery proof sent to the acquirer")
		case backoffice.ChargebackReversal:
			fmt.Printf("chargeback reversed: %s %s are ours again\n", p.Amount.StringFixed(2), p.Currency)
		}
		return nil
	})
	hooks, err := gw.DeliverWebhooks(backofficetest.DefaultEntityID, key, h)
	if err != nil {
		log.Fatal(err)
	}
	defer hooks.Stop()

	// The shopper disputes the debit; the acquirer books the chargeback.
	cb, err := gw.RaiseChargeback(debit, decimal.RequireFromString("80.00"), "000.100.202")
	if err != nil {
		log.Fatal(err)
	}
	// The representment is won: the merchant reverses the chargeback.
	if _, err := c.ReverseChargeback(ctx, cb, backoffice.ChargebackReversalRequest{Amount: decimal.RequireFromString("80.00"), Currency: "EUR"}); err != nil {
		log.Fatal(err)
	}
	for _, d := range hooks.Deliveries() {
		fmt.Println("delivered", d.PaymentID[:8], "answered", d.Status)
	}
	// Output:
	// chargeback of 80.00 EUR on debit 824db13f: 000.100.202 Account Closed
	// contesting it: delivery proof sent to the acquirer
	// chargeback reversed: 80.00 EUR are ours again
	// delivered 30eefd8f answered 200
	// delivered aef7a312 answered 200
}
