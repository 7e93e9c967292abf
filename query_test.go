package backoffice

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
)

func TestPaymentLookup(t *testing.T) {
	c, mt := newMock(t)
	var rec recorder
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID, rec.wrap(httpmock.NewStringResponder(200,
		paymentJSON(testPayID, "", PaymentTypePreAuthorization, "92.00", "EUR", "pa-1", codeDecline, descDecline))))
	p, err := c.Payment(context.Background(), testPayID)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != testPayID || p.PaymentType != PaymentTypePreAuthorization || !p.Amount.Equal(dec("92")) || p.Result.Code != codeDecline || p.Succeeded() {
		t.Fatalf("payment %+v", p)
	}
	r := rec.all()[0]
	if r.RawQuery != "entityId="+testEntity || r.Body != "" || r.Header.Get("Content-Type") != "" {
		t.Fatalf("request %+v", r)
	}
}

func TestPaymentLookupNotFound(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID, httpmock.NewStringResponder(400,
		`{"id":"x","result":{"code":"700.100.100","description":"reference id not existing"}}`))
	_, err := c.Payment(context.Background(), testPayID)
	var e *Error
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &e) || e.Code != "700.100.100" || e.HTTPStatus != 400 {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.Payment(context.Background(), "a/b"); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("bad id: %v", err)
	}
}

func TestPaymentsByMerchantTransactionID(t *testing.T) {
	c, mt := newMock(t)
	var rec recorder
	mt.RegisterResponder("GET", base+"/v1/query", rec.wrap(func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("merchantTransactionId") == "none" {
			return httpmock.NewStringResponse(200, `{"result":{"code":"700.400.580","description":"cannot find transaction"}}`), nil
		}
		return httpmock.NewStringResponse(200, `{"result":{"code":"000.000.100","description":"successful request"},"payments":[`+
			paymentJSON("p1", testPayID, PaymentTypeRefund, "1.00", "EUR", "rf-1", codeDecline, descDecline)+","+
			paymentJSON("p2", testPayID, PaymentTypeRefund, "1.00", "EUR", "rf-1", codeOK, descOK)+`]}`), nil
	}))
	ps, err := c.PaymentsByMerchantTransactionID(context.Background(), "rf-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].ID != "p1" || ps[1].ID != "p2" || ps[0].Succeeded() || !ps[1].Succeeded() {
		t.Fatalf("payments %+v", ps)
	}
	if q := rec.all()[0].RawQuery; q != "entityId="+testEntity+"&merchantTransactionId=rf-1" {
		t.Fatalf("query %q", q)
	}
	ps, err = c.PaymentsByMerchantTransactionID(context.Background(), "none")
	if err != nil || ps == nil || len(ps) != 0 {
		t.Fatalf("none found: %v, %v; want an empty slice", ps, err)
	}
	if _, err := c.PaymentsByMerchantTransactionID(context.Background(), ""); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("empty id: %v", err)
	}
}

func TestLookupsRetryServerErrors(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID,
		httpmock.NewStringResponder(503, "busy").Then(httpmock.NewStringResponder(502, "")).Then(
			httpmock.NewStringResponder(200, paymentJSON(testPayID, "", PaymentTypeDebit, "5.00", "EUR", "db", codeOK, descOK))))
	p, err := c.Payment(context.Background(), testPayID)
	if err != nil || p.PaymentType != PaymentTypeDebit {
		t.Fatalf("Payment = %v, %v", p, err)
	}
	if n := mt.GetTotalCallCount(); n != 3 {
		t.Fatalf("%d attempts; want 3", n)
	}
	c2, mt2 := newMock(t)
	mt2.RegisterResponder("GET", base+"/v1/query/"+testPayID, httpmock.NewStringResponder(503, "busy"))
	_, err = c2.Payment(context.Background(), testPayID)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrGateway || e.HTTPStatus != 503 {
		t.Fatalf("err = %v", err)
	}
	if n := mt2.GetTotalCallCount(); n != fastRetry.MaxAttempts {
		t.Fatalf("%d attempts; want %d", n, fastRetry.MaxAttempts)
	}
}
