package backofficetest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestHostileExponents: Seed and RaiseChargeback refuse an amount whose
// exponent is out of range before any arithmetic, and their errors print it
// without expanding it. The timeout only guards against a hang (a minute,
// far beyond any machine's load); it is not a speed assertion.
func TestHostileExponents(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		g := New()
		db := g.SeedDebit(dec("100.00"), "EUR")
		for _, a := range []decimal.Decimal{decimal.New(1, math.MinInt32), decimal.New(1, 1e7), decimal.New(1, math.MaxInt32)} {
			_, err := g.Seed(SeedPayment{Amount: a})
			if err == nil || !strings.Contains(err.Error(), "amount 1e") {
				t.Errorf("Seed(1e%d): %v", a.Exponent(), err)
			}
			_, err = g.RaiseChargeback(db, a, "000.100.200")
			if err == nil || !strings.Contains(err.Error(), "amount 1e") {
				t.Errorf("RaiseChargeback(1e%d): %v", a.Exponent(), err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("a hostile exponent hung the gateway")
	}
}
