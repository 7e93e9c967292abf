package backofficetest

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// SeedPayment describes an initial payment to seed.
type SeedPayment struct {
	// PaymentType is "PA" (the default) or "DB".
	PaymentType string
	// Amount is required: positive, at most two decimals and ten integer
	// digits.
	Amount decimal.Decimal
	// Currency defaults to "EUR".
	Currency string
	// EntityID defaults to DefaultEntityID.
	EntityID string
	// ResultCode defaults to the gateway's success code. A decline (e.g.
	// 800.100.151) or a pending code (000.200.000) seeds a payment that
	// operations refuse with 700.300.200 or 700.400.570.
	ResultCode string
	// MerchantTransactionID, if set, makes the payment visible to the query
	// by merchantTransactionId.
	MerchantTransactionID string
	// PaymentBrand defaults to "VISA".
	PaymentBrand string
}

// errUnknownCode is the error for a code OPP's catalogue does not have.
var errUnknownCode = errors.New("not in OPP's result-code catalogue (package resultcodes)")

// Seed adds an initial payment, as if the shopper had paid, and returns its
// id. It is not in the ledger and reaches no subscriber.
func (g *Gateway) Seed(p SeedPayment) (string, error) {
	if p.PaymentType == "" {
		p.PaymentType = "PA"
	}
	if p.Currency == "" {
		p.Currency = "EUR"
	}
	if p.EntityID == "" {
		p.EntityID = DefaultEntityID
	}
	if p.PaymentBrand == "" {
		p.PaymentBrand = "VISA"
	}
	var errs []error
	if p.PaymentType != "PA" && p.PaymentType != "DB" {
		errs = append(errs, fmt.Errorf("payment type %q is not PA or DB", p.PaymentType))
	}
	if p.Amount.Sign() <= 0 || !p.Amount.Equal(p.Amount.Round(2)) || len(p.Amount.Truncate(0).String()) > maxAmountInt {
		errs = append(errs, fmt.Errorf("amount %s is not positive with at most two decimals and ten integer digits", p.Amount))
	}
	if checkCurrency(p.Currency) != nil {
		errs = append(errs, fmt.Errorf("currency %q is not three capital letters", p.Currency))
	}
	if !validEntityID(p.EntityID) {
		errs = append(errs, fmt.Errorf("entity id %q is not 1-64 letters or digits", p.EntityID))
	}
	if p.ResultCode != "" {
		if _, ok := describe(p.ResultCode); !ok {
			errs = append(errs, fmt.Errorf("result code %q: %w", p.ResultCode, errUnknownCode))
		}
	}
	if checkText("merchantTransactionId", p.MerchantTransactionID, maxMTID) != nil {
		errs = append(errs, errors.New("merchantTransactionId is too long or holds control characters"))
	}
	if err := errors.Join(errs...); err != nil {
		return "", fmt.Errorf("backofficetest: Seed: %w", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	code := p.ResultCode
	if code == "" {
		code = g.successCode
	}
	now := g.tick()
	t := &txn{id: g.mintID(), entityID: p.EntityID, paymentType: p.PaymentType, amount: p.Amount, currency: p.Currency,
		brand: p.PaymentBrand, mtid: p.MerchantTransactionID, code: code, at: now}
	g.book(t, p.Amount)
	return t.id, nil
}

// SeedPreAuthorization seeds a successful PA of amount in currency for
// DefaultEntityID and returns its id. It panics if Seed fails, as
// regexp.MustCompile does: the arguments are the test's own constants.
func (g *Gateway) SeedPreAuthorization(amount decimal.Decimal, currency string) string {
	return g.mustSeed(SeedPayment{PaymentType: "PA", Amount: amount, Currency: currency})
}

// SeedDebit seeds a successful DB of amount in currency for
// DefaultEntityID and returns its id. It panics if Seed fails.
func (g *Gateway) SeedDebit(amount decimal.Decimal, currency string) string {
	return g.mustSeed(SeedPayment{PaymentType: "DB", Amount: amount, Currency: currency})
}

func (g *Gateway) mustSeed(p SeedPayment) string {
	id, err := g.Seed(p)
	if err != nil {
		panic(err)
	}
	return id
}

// SetNextResults makes the next n operations of paymentType ("CP", "RV",
// "RF", "CB", "CR", "RB", or "PA", "DB", "CD" on POST /v1/payments) that pass
// every check answer with code instead of success, HTTP 200: a decline such
// as 800.100.151 (transaction declined (invalid card)) or 900.100.300
// (timeout, uncertain result) is committed as a rejected transaction that
// moves no money; a pending code as a pending one. An operation that a rule
// refuses (HTTP 400) does not use up a queued code. Calls queue up.
func (g *Gateway) SetNextResults(paymentType string, n int, code string) error {
	var errs []error
	if !inList(paymentTypes, paymentType) {
		errs = append(errs, fmt.Errorf("payment type %q is not one of %s", paymentType, paymentTypes))
	}
	if n < 1 {
		errs = append(errs, fmt.Errorf("n is %d, must be at least 1", n))
	}
	if _, ok := describe(code); !ok {
		errs = append(errs, fmt.Errorf("result code %q: %w", code, errUnknownCode))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("backofficetest: SetNextResults: %w", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.forced[paymentType] = append(g.forced[paymentType], code)
	}
	return nil
}
