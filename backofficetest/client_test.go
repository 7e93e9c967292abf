package backofficetest_test

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestClientFlows runs the SDK's real encoding, decoding and classification
// against the fake.
func TestClientFlows(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	ctx := t.Context()
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")

	cp, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("60.00"), Currency: "EUR",
		MerchantTransactionID: "order-1x", Descriptor: "Shop"})
	if err != nil {
		t.Fatal(err)
	}
	if cp.PaymentType != backoffice.PaymentTypeCapture || cp.ReferencedID != pa || !cp.Amount.Equal(dec("60")) || cp.Currency != "EUR" ||
		cp.MerchantTransactionID != "order-1x" || cp.Descriptor != "Shop" || !cp.Succeeded() || cp.Result.Code != "000.100.110" {
		t.Errorf("capture %+v", cp)
	}
	got, err := c.Payment(ctx, cp.ID)
	if err != nil || got.ID != cp.ID || !got.Amount.Equal(dec("60")) {
		t.Errorf("Payment: %+v, %v", got, err)
	}
	found, err := c.PaymentsByMerchantTransactionID(ctx, "order-1x")
	if err != nil || len(found) != 1 || found[0].ID != cp.ID {
		t.Errorf("PaymentsByMerchantTransactionID: %v, %v", found, err)
	}

	_, err = c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: dec("40.01"), Currency: "EUR"})
	var e *backoffice.Error
	if !errors.Is(err, backoffice.ErrNotAllowed) || !errors.As(err, &e) || e.Code != "700.400.100" || e.HTTPStatus != 400 {
		t.Errorf("over-capture: %v", err)
	}
	if _, err := c.Refund(ctx, pa, backoffice.RefundRequest{Amount: dec("1.00"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("refund of a PA: %v", err)
	}
	if _, err := c.Capture(ctx, "ffffffffffffffffffffffffffffffff", backoffice.CaptureRequest{Amount: dec("1.00"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotFound) {
		t.Errorf("capture of an unknown id: %v", err)
	}

	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: dec("10.00"), Currency: "EUR"})
	if !errors.Is(err, backoffice.ErrDeclined) || !errors.As(err, &e) || e.Code != "800.100.151" || e.HTTPStatus != 200 {
		t.Errorf("declined refund: %v", err)
	}
	if rf, err := c.Refund(ctx, cp.ID, backoffice.RefundRequest{Amount: dec("10.00"), Currency: "EUR"}); err != nil || !rf.Succeeded() {
		t.Errorf("refund: %+v, %v", rf, err)
	}

	db := gw.SeedDebit(dec("50.00"), "EUR")
	cb, err := c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: dec("50.00"), Currency: "EUR", Reason: "fraud"})
	if err != nil || cb.CustomParameters["CHARGEBACK_REASON"] != "fraud" {
		t.Fatalf("chargeback: %+v, %v", cb, err)
	}
	if _, err := c.Chargeback(ctx, db, backoffice.ChargebackRequest{Amount: dec("1.00"), Currency: "EUR", Reason: "fraud"}); !errors.Is(err, backoffice.ErrNotAllowed) {
		t.Errorf("second chargeback: %v", err)
	}
	if _, err := c.ReverseChargeback(ctx, cb.ID, backoffice.ReverseChargebackRequest{Amount: dec("50.00"), Currency: "EUR"}); err != nil {
		t.Errorf("chargeback reversal: %v", err)
	}
	if _, err := c.Rebill(ctx, db, backoffice.RebillRequest{Amount: dec("5.00"), Currency: "EUR"}); err != nil {
		t.Errorf("rebill: %v", err)
	}
	if _, err := c.Reverse(ctx, gw.SeedPreAuthorization(dec("10.00"), "EUR"), backoffice.ReverseRequest{}); err != nil {
		t.Errorf("full reversal: %v", err)
	}
	cd, err := c.Credit(ctx, backoffice.CreditRequest{Amount: dec("25.00"), Currency: "EUR", PaymentBrand: "VISA",
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
// committed at most once, and what the client reports agrees with the
// ledger. Without OPP's duplicate check declared, a fault that leaves no
// commit is an unknown outcome (the client never re-sends on a guess); with
// it, the client sends again and the capture is made once.
func TestClientExactlyOnce(t *testing.T) {
	tests := []struct {
		kind      backofficetest.FaultKind
		committed bool  // the faulted attempt committed
		plain     error // without the duplicate check: nil for the capture, or the category
	}{
		{backofficetest.Refused, false, nil},
		{backofficetest.ResetBeforeWrite, false, backoffice.ErrOutcomeUnknown},
		{backofficetest.ResetAfterWrite, false, backoffice.ErrOutcomeUnknown},
		{backofficetest.DropAfterCommit, true, nil},
		{backofficetest.StatusBeforeCommit, false, backoffice.ErrOutcomeUnknown},
		{backofficetest.StatusAfterCommit, true, nil},
		{backofficetest.Throttle, false, nil},
		{backofficetest.Latency, false, nil},
		{backofficetest.CommitLater, true, nil},
		{backofficetest.LaggingCommit, true, nil},
		{backofficetest.DeclineWithoutAmount, true, backoffice.ErrDeclined},
	}
	for _, dup := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%v/duplicate check %v", tt.kind, dup), func(t *testing.T) {
				policy := backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
				if tt.committed {
					policy.SettleWindow = time.Minute // look again until the late commit shows
				}
				gw := backofficetest.New(backofficetest.WithTB(t))
				hc := &http.Client{Transport: gw}
				if tt.kind == backofficetest.CommitLater {
					// It holds the attempt until it times out; the outcome
					// does not depend on how long that takes.
					hc.Timeout = 20 * time.Millisecond
				}
				opts := []backoffice.Option{backoffice.WithRetry(policy), backoffice.WithHTTPClient(hc)}
				if dup {
					gw.ConfigureEntity(backofficetest.DefaultEntityID, backofficetest.EntityConfig{DuplicateBlocking: true})
					opts = append(opts, backoffice.WithDuplicateCheck())
				}
				c := gw.Client(t, opts...)
				pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
				if err := gw.FailNext("CP", 1, tt.kind); err != nil {
					t.Fatal(err)
				}
				cp, err := c.Capture(t.Context(), pa, backoffice.CaptureRequest{Amount: dec("10.00"), Currency: "EUR",
					MerchantTransactionID: "once-1xx"})
				want := tt.plain
				if dup && want == backoffice.ErrOutcomeUnknown {
					want = nil
				}
				var captured []backofficetest.Commit
				for _, cm := range gw.CommitsFor("once-1xx") {
					if cm.ResultCode == "000.100.110" {
						captured = append(captured, cm)
					}
				}
				switch {
				case want == nil:
					if err != nil || len(captured) != 1 || captured[0].PaymentID != cp.ID {
						t.Fatalf("capture: %+v, %v; commits %+v; want exactly the capture", cp, err, captured)
					}
				case !errors.Is(err, want) || len(captured) != 0:
					t.Fatalf("capture: %+v, %v; commits %+v; want %v and nothing captured", cp, err, captured, want)
				}
				if p, _ := gw.Payment(pa); !p.Balance.Captured.Equal(dec(map[bool]string{true: "10", false: "0"}[want == nil])) {
					t.Errorf("captured %s", p.Balance.Captured)
				}
			})
		}
	}
}

// TestClientOverHTTP reaches the fake through an httptest.Server.
func TestClientOverHTTP(t *testing.T) {
	srv, gw := backofficetest.NewServer(t)
	c := gw.Client(t, backoffice.WithBaseURL(srv.URL), backoffice.WithHTTPClient(srv.Client()))
	db := gw.SeedDebit(dec("20.00"), "EUR")
	if err := gw.FailNext("RF", 1, backofficetest.DropAfterCommit); err != nil {
		t.Fatal(err)
	}
	rf, err := c.Refund(t.Context(), db, backoffice.RefundRequest{Amount: dec("20.00"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(gw.CommitsFor(rf.MerchantTransactionID)); n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
	if _, err := c.Refund(t.Context(), db, backoffice.RefundRequest{Amount: dec("0.01"), Currency: "EUR"}); !errors.Is(err, backoffice.ErrNotAllowed) {
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

// TestClientOverHTTPWithALateCommit: over a socket, CommitLater commits
// when the client's attempt gives up and hangs up; the client keeps looking
// within its settle window and adopts the commit.
func TestClientOverHTTPWithALateCommit(t *testing.T) {
	srv, gw := backofficetest.NewServer(t)
	hc := &http.Client{Transport: srv.Client().Transport, Timeout: 50 * time.Millisecond} // ends the held attempt
	c := gw.Client(t, backoffice.WithBaseURL(srv.URL), backoffice.WithHTTPClient(hc),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, SettleWindow: time.Minute}))
	db := gw.SeedDebit(dec("20.00"), "EUR")
	if err := gw.FailNext("RF", 1, backofficetest.CommitLater); err != nil {
		t.Fatal(err)
	}
	rf, err := c.Refund(t.Context(), db, backoffice.RefundRequest{Amount: dec("20.00"), Currency: "EUR", MerchantTransactionID: "late-1xx"})
	if err != nil || !rf.Succeeded() {
		t.Fatalf("refund: %+v, %v", rf, err)
	}
	if cs := gw.CommitsFor("late-1xx"); len(cs) != 1 || cs[0].PaymentID != rf.ID {
		t.Fatalf("commits %+v; want exactly the refund", cs)
	}
}
