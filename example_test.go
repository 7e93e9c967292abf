package backoffice_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// fake returns a client talking, in memory, to a fresh fake OPP. In a
// test, backofficetest.NewClient(t) does the same in one line.
func fake() (*backoffice.Client, *backofficetest.Gateway) {
	gw := backofficetest.New()
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		log.Fatal(err)
	}
	return c, gw
}

var eur = decimal.RequireFromString

func ExampleNew() {
	c, err := backoffice.New("my-access-token", "8a8294174e735d0c014e78cf26461790",
		backoffice.WithBaseURL(backoffice.TestURL))
	fmt.Println(c, err)

	_, err = backoffice.New("my-access-token", "8a8294174e735d0c014e78cf26461790",
		backoffice.WithBaseURL("http://eu-test.oppwa.com"))
	fmt.Println(err)
	// Output:
	// backoffice.Client{entityId: 8a8294174e735d0c014e78cf26461790, baseURL: https://eu-test.oppwa.com} <nil>
	// backoffice.New: WithBaseURL: plain http is refused except to loopback, got host "eu-test.oppwa.com"
}

func ExampleClient_Capture() {
	c, gw := fake()
	pa := gw.SeedPreAuthorization(eur("100.00"), "EUR")

	p, err := c.Capture(context.Background(), pa, backoffice.CaptureRequest{
		Amount:                eur("60.00"),
		Currency:              "EUR",
		MerchantTransactionID: "order-42-capture-1", Descriptor: "Order 42",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Currency, p.Result.Code, p.MerchantTransactionID, p.ReferencedID == pa)
	// Output: CP 60.00 EUR 000.100.110 order-42-capture-1 true
}

func ExampleClient_Reverse() {
	c, gw := fake()
	pa := gw.SeedPreAuthorization(eur("50.00"), "EUR")

	// A full reversal sends no amount and no currency.
	p, err := c.Reverse(context.Background(), pa, backoffice.ReverseRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Result.Code, p.Succeeded())

	// The authorization is gone: capturing it now is not allowed.
	_, err = c.Capture(context.Background(), pa, backoffice.CaptureRequest{Amount: eur("1"), Currency: "EUR"})
	fmt.Println(errors.Is(err, backoffice.ErrNotAllowed))
	// Output:
	// RV 000.100.110 true
	// true
}

func ExampleClient_Refund() {
	c, gw := fake()
	db := gw.SeedDebit(eur("30.00"), "EUR")

	p, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: eur("12.50"), Currency: "EUR"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Result.Code)

	// Refunding more than is left is refused with OPP's own code.
	_, err = c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: eur("20.00"), Currency: "EUR"})
	var e *backoffice.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Description, errors.Is(err, backoffice.ErrNotAllowed))
	}
	// Output:
	// RF 12.50 000.100.110
	// 700.400.200 cannot refund (refund volume exceeded or tx reversed or invalid workflow?) true
}

func ExampleClient_Chargeback() {
	c, gw := fake()
	db := gw.SeedDebit(eur("80.00"), "EUR")

	p, err := c.Chargeback(context.Background(), db, backoffice.ChargebackRequest{
		Amount: eur("80.00"), Currency: "EUR", Reason: "4837 No cardholder authorization",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Result.Code)
	// Output: CB 80.00 000.100.110
}

func ExampleClient_ReverseChargeback() {
	c, gw := fake()
	db := gw.SeedDebit(eur("80.00"), "EUR")
	cb, err := c.Chargeback(context.Background(), db, backoffice.ChargebackRequest{Amount: eur("80.00"), Currency: "EUR", Reason: "fraud"})
	if err != nil {
		log.Fatal(err)
	}

	// The representment was won: reverse the chargeback.
	cr, err := c.ReverseChargeback(context.Background(), cb.ID, backoffice.ReverseChargebackRequest{Amount: eur("80.00"), Currency: "EUR"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cr.PaymentType, cr.ReferencedID == cb.ID, cr.Result.Code)
	// Output: CR true 000.100.110
}

func ExampleClient_Rebill() {
	c, gw := fake()
	db := gw.SeedDebit(eur("100.00"), "EUR")

	// The minibar: 20.00 on top of the 100.00 already debited.
	p, err := c.Rebill(context.Background(), db, backoffice.RebillRequest{Amount: eur("20.00"), Currency: "EUR"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Result.Code)
	// Output: RB 20.00 000.100.110
}

func ExampleClient_Credit() {
	c, _ := fake()
	req := backoffice.CreditRequest{
		Amount: eur("25.00"), Currency: "EUR", PaymentBrand: "VISA",
		Card:    backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: "123"},
		Billing: backoffice.Billing{Street1: "Invalidenstr. 1", City: "Berlin", Postcode: "10115", Country: "DE"},
	}
	p, err := c.Credit(context.Background(), req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Result.Code, p.ReferencedID == "")
	fmt.Printf("%v\n", req.Card) // safe to log: masked
	// Output:
	// CD 25.00 000.100.110 true
	// {Number:420000******0000 Holder:Jane Jones ExpiryMonth:05 ExpiryYear:2034 CVV:***}
}

func ExampleClient_Payment() {
	c, gw := fake()
	pa := gw.SeedPreAuthorization(eur("10.00"), "EUR")

	p, err := c.Payment(context.Background(), pa)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Currency, backoffice.AllowedOperations(p.PaymentType, p.Result))
	// Output: PA 10.00 EUR [capture reverse]
}

func ExampleClient_PaymentsByMerchantTransactionID() {
	c, gw := fake()
	db := gw.SeedDebit(eur("10.00"), "EUR")
	if _, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: eur("4.00"), Currency: "EUR",
		MerchantTransactionID: "refund-77"}); err != nil {
		log.Fatal(err)
	}

	// After an *OutcomeUnknownError, this is how to find out what happened.
	ps, err := c.PaymentsByMerchantTransactionID(context.Background(), "refund-77")
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range ps {
		fmt.Println(p.PaymentType, p.Amount.StringFixed(2), p.Succeeded())
	}
	// Output: RF 4.00 true
}

func ExampleError() {
	c, gw := fake()
	db := gw.SeedDebit(eur("10.00"), "EUR")
	gw.SetNextResults("RF", 1, "800.100.151") // the bank declines the next refund

	_, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: eur("10.00"), Currency: "EUR",
		MerchantTransactionID: "refund-1"})
	var e *backoffice.Error
	switch {
	case errors.Is(err, backoffice.ErrDeclined) && errors.As(err, &e):
		fmt.Println("declined:", e.Code, e.Description, "HTTP", e.HTTPStatus, e.MerchantTransactionID)
	case errors.Is(err, backoffice.ErrOutcomeUnknown):
		fmt.Println("unknown: look it up later")
	}
	// Output: declined: 800.100.151 transaction declined (invalid card) HTTP 200 refund-1
}

func ExampleAllowedOperations() {
	ok := backoffice.Result{Code: "000.000.000"}
	for _, t := range []backoffice.PaymentType{backoffice.PaymentTypePreAuthorization, backoffice.PaymentTypeCapture, backoffice.PaymentTypeDebit,
		backoffice.PaymentTypeRebill, backoffice.PaymentTypeCredit, backoffice.PaymentTypeChargeback, backoffice.PaymentTypeRefund} {
		fmt.Println(t, backoffice.AllowedOperations(t, ok))
	}
	// A chargeback the acquirer reported carries its reason as its code.
	fmt.Println("CB 000.100.220", backoffice.AllowedOperations(backoffice.PaymentTypeChargeback, backoffice.Result{Code: "000.100.220"}))
	fmt.Println("declined PA", backoffice.AllowedOperations(backoffice.PaymentTypePreAuthorization, backoffice.Result{Code: "800.100.151"}))
	// Output:
	// PA [capture reverse]
	// CP [refund chargeback reverse]
	// DB [rebill refund chargeback reverse]
	// RB [refund chargeback reverse]
	// CD [refund]
	// CB [reverse_chargeback]
	// RF []
	// CB 000.100.220 [reverse_chargeback]
	// declined PA []
}
