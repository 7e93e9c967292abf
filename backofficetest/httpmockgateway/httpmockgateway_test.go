package httpmockgateway_test

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/backofficetest/httpmockgateway"
	"github.com/shopspring/decimal"
)

// TestRegister: the gateway answers OPP's endpoints on a shared httpmock
// transport, the consumer's other mocks answer theirs, and faults and
// reconciliation work through it.
func TestRegister(t *testing.T) {
	gw := backofficetest.New()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "https://api.example.com/ping", httpmock.NewStringResponder(http.StatusOK, "pong"))
	httpmockgateway.Register(mt, gw, backoffice.TestURL+"/")
	hc := &http.Client{Transport: mt}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID, backoffice.WithHTTPClient(hc),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	pa, err := gw.Seed(backofficetest.SeedPayment{PaymentType: "PA", Amount: decimal.RequireFromString("100.00"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Capture(t.Context(), pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("10.00"), Currency: "EUR", MerchantTransactionID: "mock-cp-1"})
	if err != nil || p.PaymentType != backoffice.PaymentTypeCapture {
		t.Fatalf("capture through httpmock: %+v, %v", p, err)
	}
	if got, _ := gw.Payment(pa); !got.Balance.Captured.Equal(decimal.RequireFromString("10")) {
		t.Errorf("captured %s, want 10", got.Balance.Captured)
	}
	got, err := c.Payment(t.Context(), p.ID)
	if err != nil || got.ID != p.ID {
		t.Errorf("lookup through httpmock: %+v, %v", got, err)
	}

	resp, err := hc.Get("https://api.example.com/ping")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "pong" {
		t.Errorf("the other mock answered %q", body)
	}
	if _, err := hc.Get(backoffice.TestURL + "/v2/other"); err == nil {
		t.Error("an unregistered route was answered")
	}

	if err := gw.FailNext("CP", 1, backofficetest.DropAfterCommit); err != nil {
		t.Fatal(err)
	}
	_, err = c.Capture(t.Context(), pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("5.00"), Currency: "EUR", MerchantTransactionID: "mock-cp-2"})
	var unknown *backoffice.OutcomeUnknownError
	if err != nil && !errors.As(err, &unknown) {
		t.Fatalf("dropped capture: %v", err)
	}
	if n := len(gw.CommitsFor("mock-cp-2")); n != 1 {
		t.Errorf("%d commits of the dropped capture, want 1", n)
	}
	if len(mt.GetCallCountInfo()) == 0 {
		t.Error("httpmock counted no calls")
	}
}

// TestRegisterRefusesLive: mounted on the live host's URL, the gateway still
// refuses every request.
func TestRegisterRefusesLive(t *testing.T) {
	gw := backofficetest.New()
	mt := httpmock.NewMockTransport()
	httpmockgateway.Register(mt, gw, backoffice.LiveURL)
	req, _ := http.NewRequest(http.MethodGet, backoffice.LiveURL+"/v1/query/abc?entityId="+backofficetest.DefaultEntityID, nil)
	req.Header.Set("Authorization", "Bearer "+backofficetest.DefaultToken)
	if _, err := (&http.Client{Transport: mt}).Do(req); err == nil {
		t.Error("httpmock on the live host: no error")
	}
	if n := len(gw.Requests()); n != 0 {
		t.Errorf("%d requests reached the gateway", n)
	}
}
