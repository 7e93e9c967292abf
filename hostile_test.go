package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestHostileAmountsAreRefused: an amount whose exponent is out of range
// is refused before any request and before any arithmetic, and a credit
// holding one prints, logs and marshals without expanding it. The timeout
// only guards against a hang (a minute, far beyond any machine's load); it
// is not a speed assertion.
func TestHostileAmountsAreRefused(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, mt := newMock(t)
		ctx := context.Background()
		card := CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"}
		for _, tt := range []struct {
			amount decimal.Decimal
			reason string
		}{
			{decimal.New(1, math.MinInt32), "has an exponent below -128 (round it to its currency's minor units first)"},
			{decimal.New(1, -1e7), "has an exponent below -128 (round it to its currency's minor units first)"},
			{decimal.New(1, 1e7), "has more than 10 integer digits"},
			{decimal.New(1, math.MaxInt32), "has more than 10 integer digits"},
		} {
			calls := map[Operation]func() error{
				OperationCapture: func() error {
					_, err := c.Capture(ctx, testPayID, CaptureRequest{Amount: tt.amount, Currency: "EUR"})
					return err
				},
				OperationReverse: func() error {
					_, err := c.Reverse(ctx, testPayID, ReverseRequest{Amount: tt.amount, Currency: "EUR"})
					return err
				},
				OperationCredit: func() error {
					_, err := c.Credit(ctx, CreditRequest{Amount: tt.amount, Currency: "EUR", PaymentBrand: "VISA", Card: card})
					return err
				},
			}
			for op, call := range calls {
				err := call()
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Field != "Amount" || ve.Reason != tt.reason || ve.Operation != op {
					t.Errorf("%s of 1e%d: %v; want Amount %s", op, tt.amount.Exponent(), err, tt.reason)
				}
			}
			credit := CreditRequest{Amount: tt.amount, Currency: "EUR", Card: card}
			want := fmt.Sprintf("1e%d", tt.amount.Exponent())
			if s := fmt.Sprint(credit); !strings.Contains(s, "Amount:"+want+" ") {
				t.Errorf("%%v = %s", s)
			}
			if b, err := json.Marshal(credit); err != nil || !strings.Contains(string(b), `"Amount":"`+want+`"`) {
				t.Errorf("json = %s, %v", b, err)
			}
			var buf strings.Builder
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("credit", "req", credit)
			if !strings.Contains(buf.String(), `"Amount":"`+want+`"`) {
				t.Errorf("slog = %s", buf.String())
			}
		}
		if n := mt.GetTotalCallCount(); n != 0 {
			t.Errorf("%d requests sent; want none", n)
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("a hostile exponent hung the client")
	}
}
