package webhook_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

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

// A merchant's test of its own webhook endpoint: NewRequest encrypts a
// notification as OPP does, and the handler answers it.
func ExampleNewRequest() {
	const key = "3f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3"
	endpoint := webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
		fmt.Println(n.Type, n.Action, n.ID, n.Payment.PaymentType, n.Payment.Amount.StringFixed(2), n.Payment.Result.Category())
		return nil
	})
	req, err := webhook.NewRequest(key, "https://shop.example/opp/webhook", []byte(`{"type":"PAYMENT","action":"CREATED","payload":`+
		`{"id":"8ac7a4a1845f7e6b01846011a8b1cb01","referencedId":"8ac7a4a1845f7e6b01846011a8b1db01","paymentType":"RF",`+
		`"amount":"12.50","currency":"EUR","result":{"code":"000.100.110","description":"Request successfully processed"}}}`))
	if err != nil {
		log.Fatal(err)
	}
	rec := httptest.NewRecorder()
	endpoint.ServeHTTP(rec, req)
	fmt.Println("answered", rec.Code)
	// Output:
	// PAYMENT CREATED 8ac7a4a1845f7e6b01846011a8b1cb01 RF 12.50 successfully processed transactions
	// answered 200
}

// A merchant's handler receives a chargeback the acquirer raised, contests
// it, ignores a redelivery of the same notification, and sees the
// chargeback reversal once the representment is won.
func ExampleHandler_chargeback() {
	const key = "3f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3"
	ctx := context.Background()
	gw := backofficetest.New()
	defer gw.Close()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		log.Fatal(err)
	}
	debit := gw.SeedDebit(decimal.RequireFromString("80.00"), "EUR")

	handled := map[string]bool{} // in production: a table, written with the effect
	h := webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
		if n.Type != webhook.Payment {
			return nil
		}
		if handled[n.ID] {
			fmt.Println("redelivery of", n.ID[:8], "ignored")
			return nil
		}
		handled[n.ID] = true
		switch p := n.Payment; p.PaymentType {
		case backoffice.PaymentTypeChargeback:
			fmt.Printf("%s %s on %s: %s %s, reason %s %s\n", p.PaymentType, p.ID[:8], p.ReferencedID[:8],
				p.Amount.StringFixed(2), p.Currency, p.Result.Code, p.Result.Description)
			fmt.Println("contesting it: delivery proof sent to the acquirer")
		case backoffice.PaymentTypeChargebackReversal:
			fmt.Printf("%s %s on %s: %s %s are ours again\n", p.PaymentType, p.ID[:8], p.ReferencedID[:8],
				p.Amount.StringFixed(2), p.Currency)
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
	// OPP delivers at least once: the same notification may come again.
	if _, err := hooks.Redeliver(cb); err != nil {
		log.Fatal(err)
	}
	// The representment is won: the merchant reverses the chargeback.
	if _, err := c.ReverseChargeback(ctx, cb, backoffice.ReverseChargebackRequest{Amount: decimal.RequireFromString("80.00"), Currency: "EUR"}); err != nil {
		log.Fatal(err)
	}
	for _, d := range hooks.Deliveries() {
		fmt.Println("delivery", d.Attempt, "of", d.PaymentID[:8], "answered", d.Status)
	}
	// Output:
	// CB 30eefd8f on 824db13f: 80.00 EUR, reason 000.100.202 Account Closed
	// contesting it: delivery proof sent to the acquirer
	// redelivery of 30eefd8f ignored
	// CR aef7a312 on 30eefd8f: 80.00 EUR are ours again
	// delivery 1 of 30eefd8f answered 200
	// delivery 2 of 30eefd8f answered 200
	// delivery 1 of aef7a312 answered 200
}

// OPP sends a test notification when the merchant registers or tests the
// webhook in its back office, and registers it only on a 200. It reaches
// the function like any notification, and so does a type OPP adds later:
// Known tells them apart, and returning nil acknowledges them.
func ExampleType_Known() {
	const key = "3f1c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170615f4e3"
	endpoint := webhook.Handler(key, func(ctx context.Context, n webhook.Notification) error {
		switch {
		case n.Type == webhook.Test:
			fmt.Println("test notification:", n.Action)
		case !n.Type.Known():
			fmt.Printf("%s notification %s, payload of %d bytes kept for later\n", n.Type, n.ID, len(n.Payload))
		}
		return nil
	})
	for _, plain := range []string{
		`{"type":"test","action":"webhook activation","payload":{"result":{"code":"000.000.000","description":"Transaction succeeded"}}}`,
		`{"type":"SETTLEMENT","payload":{"id":"8ac7a4a2845f7e6b0184601bd2d42b4e","total":"1520.00"}}`,
	} {
		req, err := webhook.NewRequest(key, "https://shop.example/opp/webhook", []byte(plain))
		if err != nil {
			log.Fatal(err)
		}
		rec := httptest.NewRecorder()
		endpoint.ServeHTTP(rec, req)
		fmt.Println("answered", rec.Code)
	}
	// Output:
	// test notification: webhook activation
	// answered 200
	// SETTLEMENT notification 8ac7a4a2845f7e6b0184601bd2d42b4e, payload of 59 bytes kept for later
	// answered 200
}
