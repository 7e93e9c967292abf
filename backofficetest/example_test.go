package backofficetest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// A pending pre-authorization is settled: it authorizes, and can then be
// captured.
func ExampleGateway_Resolve() {
	gw := backofficetest.New()
	pa, _ := gw.Seed(backofficetest.SeedPayment{Amount: decimal.RequireFromString("40.00"), ResultCode: "000.200.000"})
	before, _ := gw.Payment(pa)
	if err := gw.Resolve(pa, "000.100.110"); err != nil {
		fmt.Println(err)
	}
	after, _ := gw.Payment(pa)
	fmt.Println(before.Status, "→", after.Status, after.Balance.Authorized.StringFixed(2))
	// Output: pending → succeeded 40.00
}

// A result code OPP's catalogue does not hold reaches the client as
// ErrUnknownCode.
func ExampleGateway_SetNextUnclassifiedResults() {
	gw := backofficetest.New()
	c, _ := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	db := gw.SeedDebit(decimal.RequireFromString("10.00"), "EUR")
	if err := gw.SetNextUnclassifiedResults("RF", 1, "555.555.555"); err != nil {
		fmt.Println(err)
	}
	_, err := c.Refund(context.Background(), db, backoffice.RefundRequest{Amount: decimal.RequireFromString("1.00"), Currency: "EUR"})
	fmt.Println(errors.Is(err, backoffice.ErrUnknownCode))
	// Output: true
}

// The control API beside the OPP API on one server, as cmd/fakegateway
// serves them: a seeded payment, and a refused request naming its field.
func ExampleGateway_ControlHandler() {
	gw := backofficetest.New()
	ctl, err := gw.ControlHandler("my-control-token", backofficetest.ControlOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ctl.Close()
	mux := http.NewServeMux()
	mux.Handle(backofficetest.ControlPrefix, ctl)
	mux.Handle("/", gw)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(path, body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer my-control-token")
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, strings.Contains(string(data), `"status":"succeeded"`), strings.Contains(string(data), `"field":"amount"`))
	}
	post("/_fake/payments", `{"paymentType":"DB","amount":"30.00"}`)
	post("/_fake/payments", `{"paymentType":"DB","amount":"thirty"}`)
	// Output:
	// 201 true false
	// 400 false true
}
