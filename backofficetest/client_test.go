package backofficetest_test

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

var eur = func(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestClientFlows runs the SDK's real encoding, decoding and classification
// against the fake.
func TestClientFlows(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	ctx := t.Context()
	pa := gw.SeedPreAuthorization(eur("100.00"), "EUR")

	cp, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: eur("60.00"), Currency: "EUR",
		MerchantTransactionID: "order-1", Descriptor: "Shop"})
	if err != nil {
		t.Fatal(err)
	}
	if cp.PaymentType != backoffice.PaymentTypeCapture || cp.ReferencedID != pa || !cp.Amount.Equal(eur("60")) || cp.Currency != "EUR" ||
		cp.MerchantTransactionID != "order-1" || cp.Descriptor != "Shop" || !cp.Succeeded() || cp.Result.Code != "000.100.110" {
		t.Errorf("capture %+v", cp)
	}
	got, err := c.Payment(ctx, cp.ID)
	if err != nil || got.ID != cp.ID || !got.Amount.Equal(eur("60")) {
		t.Errorf("Payment: %+v, %v", got, err)
	}
	found, err := c.PaymentsByMerchantTransactionID(ctx, "order-1")
	if err != nil || len(found) != 1 || found[0].ID != cp.ID {
		t.Errorf("PaymentsByMerchantTransactionID: %v, %v", found, err)
	}

	_, err = c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: eur("40.01"), Currency: "EUR"})
	var e *backoffice.Error
	if !errors.Is(err, backoffice.ErrNotAllowed) || !errors.As(err, &e) || e.Code != "700.400.100" || e.HTTPStatus != 400 {
		t.Errorf("over-capture: %v", err)
	}
	if _, err := c.Refund(ctx, pa, backoffice.RefundRequest{Amount: eur("1.00"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("refund of a PA: %v", err)
	}
	if _, err := c.Capture(ctx, "ffffffffffffffffffffffffffffffff", backoffice.CaptureRequest{Amount: eur("1.00"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotFound) {
		t.Errorf("capture of an unknown id: %v", err)
	}

	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: eur("10.00"), Currency: "EUR"})
	if !errors.Is(err, backoffice.ErrDeclined) || !errors.As(err, &e) || e.Code != "800.100.151" || e.HTTPStatus != 200 {
		t.Errorf("declined refund: %v", err)
	}
	if rf, err := c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: eur("10.00"), Currency: "EUR"}); err != nil || !rf.Succeeded() {
		t.Errorf("refund: %+v, %v", rf, err)
	}

	db := gw.SeedDebit(eur("50.00"), "EUR")
	cb, err := c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: eur("50.00"), Currency: "EUR", Reason: "fraud"})
	if err != nil || cb.CustomParameters["CHARGEBACK_REASON"] != "fraud" {
		t.Fatalf("chargeback: %+v, %v", cb, err)
	}
	if _, err := c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: eur("1.00"), Currency: "EUR", Reason: "fraud"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("second chargeback: %v", err)
	}
	if _, err := c.ReverseChargeback(ctx, cb.ID, backoffice.ReverseChargebackRequest{Amount: eur("50.00"), Currency: "EUR"}); err != nil {
		t.Errorf("chargeback reversal: %v", err)
	}
	if _, err := c.Rebill(ctx, db, backoffice.RebillRequest{Amount: eur("5.00"), Currency: "EUR"}); err != nil {
		t.Errorf("rebill: %v", err)
	}
	if _, err := c.Reverse(ctx, gw.SeedPreAuthorization(eur("10.00"), "EUR"), backoffice.ReverseRequest{}); err != nil {
		t.Errorf("full reversal: %v", err)
	}
	cd, err := c.Credit(ctx, backoffice.CreditRequest{Amount: eur("25.00"), Currency: "EUR", PaymentBrand: "VISA",
		Card:    backoffice.CardDetails{Number: "4200000000000000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: "123"},
		Billing: backoffice.Billing{Street1: "1 Main Street", City: "Vienna", Postcode: "1010", Country: "AT"}})
	if err != nil || cd.PaymentType != backoffice.PaymentTypeCredit || cd.Card == nil || cd.Card.Last4Digits != "0000" {
		t.Errorf("credit: %+v, %v", cd, err)
	}
	for _, r := range gw.Requests() {
		if n := r.Form.Get("card.number"); n != "" && n != "420000******0000" {
			t.Errorf("request log holds card number %q", n)
		}
	}
}

// TestClientExactlyOnce: whatever the fault, the client's operation is
// committed exactly once.
func TestClientExactlyOnce(t *testing.T) {
	kinds := []backofficetest.FaultKind{
		backofficetest.Refused, backofficetest.ResetBeforeWrite, backofficetest.ResetAfterWrite,
		backofficetest.DropAfterCommit, backofficetest.StatusBeforeCommit, backofficetest.StatusAfterCommit,
		backofficetest.Throttle, backofficetest.Latency,
	}
	for _, kind := range kinds {
		t.Run(kind.String(), func(t *testing.T) {
			c, gw := backofficetest.NewClient(t)
			pa := gw.SeedPreAuthorization(eur("100.00"), "EUR")
			if err := gw.FailNext("CP", 1, kind); err != nil {
				t.Fatal(err)
			}
			cp, err := c.Capture(t.Context(), pa, backoffice.CaptureRequest{Amount: eur("10.00"), Currency: "EUR",
				MerchantTransactionID: "once-1"})
			if err != nil {
				t.Fatalf("capture: %v", err)
			}
			commits := gw.CommitsFor("once-1")
			if len(commits) != 1 || commits[0].PaymentID != cp.ID {
				t.Errorf("commits %+v, want exactly the capture %s", commits, cp.ID)
			}
			if p, _ := gw.Payment(pa); !p.Balance.Captured.Equal(eur("10")) {
				t.Errorf("captured %s", p.Balance.Captured)
			}
		})
	}
}

// TestClientOverHTTP reaches the fake through an httptest.Server.
func TestClientOverHTTP(t *testing.T) {
	srv, gw := backofficetest.NewServer(t)
	c := gw.Client(t, backoffice.WithBaseURL(srv.URL), backoffice.WithHTTPClient(srv.Client()))
	db := gw.SeedDebit(eur("20.00"), "EUR")
	if err := gw.FailNext("RF", 1, backofficetest.DropAfterCommit); err != nil {
		t.Fatal(err)
	}
	rf, err := c.Refund(t.Context(), db, backoffice.RefundRequest{Amount: eur("20.00"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(gw.CommitsFor(rf.MerchantTransactionID)); n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
	if _, err := c.Refund(t.Context(), db, backoffice.RefundRequest{Amount: eur("0.01"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("over-refund: %v", err)
	}
}

// TestClientRefusesLive: a client configured for the live host fails the
// test at once.
func TestClientRefusesLive(t *testing.T) {
	ft := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		backofficetest.NewClient(ft, backoffice.WithBaseURL(backoffice.LiveURL))
	}()
	<-done
	if !strings.Contains(ft.msg, "refusing a client configured with the live OPP host") {
		t.Errorf("NewClient with LiveURL: %q", ft.msg)
	}
}

// fatalTB records Fatalf and ends its goroutine, as testing does.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// TestHelpersFailTheTest: a gateway that belongs to a test (NewClient,
// NewServer, WithTB) fails it when a helper is given bad arguments, with a
// message naming the helper; the same gateway without a test returns the
// error.
func TestHelpersFailTheTest(t *testing.T) {
	handler := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, tt := range []struct {
		name string
		call func(*backofficetest.Gateway) error
		want string
	}{
		{"SetNextResults", func(g *backofficetest.Gateway) error { return g.SetNextResults("RF", 1, "800.100.15") },
			`backofficetest: SetNextResults: result code "800.100.15": not in OPP's result-code catalogue (package resultcodes)`},
		{"FailNext", func(g *backofficetest.Gateway) error { return g.FailNext("XX", 1, backofficetest.Refused) },
			`backofficetest: InjectFault: unknown operation "XX"`},
		{"InjectFault", func(g *backofficetest.Gateway) error { return g.InjectFault(backofficetest.Fault{}) },
			`backofficetest: InjectFault: no fault kinds`},
		{"AddAccount", func(g *backofficetest.Gateway) error { return g.AddAccount("") },
			`backofficetest: AddAccount: token is empty`},
		{"DenyOperations", func(g *backofficetest.Gateway) error { return g.DenyOperations(backofficetest.DefaultToken, "XX") },
			`backofficetest: DenyOperations: unknown operation "XX"`},
		{"DeliverWebhooks", func(g *backofficetest.Gateway) error {
			_, err := g.DeliverWebhooks(backofficetest.DefaultEntityID, "short", handler)
			return err
		}, `backofficetest: DeliverWebhooks: webhook: key must be 64 hexadecimal characters`},
		{"Seed", func(g *backofficetest.Gateway) error {
			_, err := g.Seed(backofficetest.SeedPayment{PaymentType: "CP", Amount: decimal.RequireFromString("1")})
			return err
		}, `backofficetest: Seed: payment type "CP" is not PA, DB or CD`},
		{"SeedDebit", func(g *backofficetest.Gateway) error {
			g.SeedDebit(decimal.RequireFromString("-1"), "EUR")
			return nil
		}, `backofficetest: Seed: amount -1 is not positive with at most two decimals and ten integer digits`},
		{"RaiseChargeback", func(g *backofficetest.Gateway) error {
			_, err := g.RaiseChargeback("x", decimal.RequireFromString("1"), "000.000.000")
			return err
		}, `backofficetest: RaiseChargeback: "000.000.000" is not a chargeback reason code (000.100.2xx)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fatalTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				tt.call(backofficetest.New(backofficetest.WithTB(ft)))
			}()
			<-done
			if ft.msg != tt.want {
				t.Errorf("the test failed with %q, want %q", ft.msg, tt.want)
			}
			if tt.name == "SeedDebit" {
				return // without a test it panics, as documented
			}
			if err := tt.call(backofficetest.New()); err == nil || err.Error() != tt.want {
				t.Errorf("without a test: %v", err)
			}
		})
	}
}
