package backofficetest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/internal/opp"
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
	if g.tb != nil {
		g.tb.Helper()
	}
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
	// The exponent first: a hostile one makes Round and String take minutes.
	if p.Amount.Sign() <= 0 || money.CheckExponent(p.Amount) != nil || !p.Amount.Equal(p.Amount.Round(2)) || len(p.Amount.Truncate(0).String()) > maxAmountInt {
		errs = append(errs, fmt.Errorf("amount %s is not positive with at most two decimals and ten integer digits", money.String(p.Amount)))
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
		return "", g.misuse(fmt.Errorf("backofficetest: Seed: %w", err))
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
// DefaultEntityID and returns its id. If Seed refuses the arguments, it
// fails the test the gateway belongs to (see WithTB), or panics as
// regexp.MustCompile does: the arguments are the test's own constants.
func (g *Gateway) SeedPreAuthorization(amount decimal.Decimal, currency string) string {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.mustSeed(SeedPayment{PaymentType: "PA", Amount: amount, Currency: currency})
}

// SeedDebit seeds a successful DB of amount in currency for
// DefaultEntityID and returns its id. It fails the test or panics as
// SeedPreAuthorization does.
func (g *Gateway) SeedDebit(amount decimal.Decimal, currency string) string {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.mustSeed(SeedPayment{PaymentType: "DB", Amount: amount, Currency: currency})
}

func (g *Gateway) mustSeed(p SeedPayment) string {
	if g.tb != nil {
		g.tb.Helper()
	}
	id, err := g.Seed(p)
	if err != nil {
		panic(err) // a gateway of a test has failed it already
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
	if g.tb != nil {
		g.tb.Helper()
	}
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
		return g.misuse(fmt.Errorf("backofficetest: SetNextResults: %w", err))
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.forced[paymentType] = append(g.forced[paymentType], code)
	}
	return nil
}

// account is what one access token may do.
type account struct {
	entities map[string]bool // the entities the token sees
	denied   map[string]bool // the operations ("CP", ..., "query") it may not perform
}

// EntityConfig is how an entity's acquirer behaves. The zero value is the
// default: multiple partial captures, partial reversals and stand-alone
// credits allowed, no duplicate blocking.
type EntityConfig struct {
	// SingleCapture allows one capture per pre-authorization: a second one
	// answers 700.300.300 (already refunded, captured or reversed).
	SingleCapture bool
	// NoPartialReversal refuses a reversal that carries an amount, with
	// 700.400.300 (cannot reverse ... invalid workflow or amount exceeded).
	NoPartialReversal bool
	// DuplicateBlocking answers 800.110.100 (duplicate transaction, HTTP 200,
	// with a new id, committing nothing) to a request whose entityId,
	// merchantTransactionId, paymentType and referenced payment match an
	// already committed transaction.
	DuplicateBlocking bool
	// NoCredits refuses stand-alone credits (CD) with 600.200.201
	// (Channel/Merchant not configured for this payment method).
	NoCredits bool
}

// operations are the names DenyOperations and Fault.Operation accept:
// OPP's payment types, and "query" for every lookup.
var operations = [...]string{"PA", "DB", "CD", "CP", "RV", "RF", "CB", "CR", "RB", opQuery}

// opQuery names the lookups (every GET) in DenyOperations and faults.
const opQuery = "query"

func knownOperation(op string) bool {
	for _, o := range operations {
		if o == op {
			return true
		}
	}
	return false
}

// AddAccount makes token an access token that sees entityIDs (in addition to
// those it already sees). A token that looks like a real OPP access token
// (base64 of "<32 hex>|<password>") is refused: the fake must never be
// confused with a real gateway.
func (g *Gateway) AddAccount(token string, entityIDs ...string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	if err := checkToken(token); err != nil {
		return g.misuse(fmt.Errorf("backofficetest: AddAccount: %w", err))
	}
	for _, id := range entityIDs {
		if !validEntityID(id) {
			return g.misuse(fmt.Errorf("backofficetest: AddAccount: entity id %q is not 1-64 letters or digits", id))
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.accounts[token]
	if a == nil {
		a = &account{entities: make(map[string]bool)}
		g.accounts[token] = a
	}
	for _, id := range entityIDs {
		a.entities[id] = true
	}
	return nil
}

// DenyOperations withdraws the right to perform ops from token's account,
// as a user role does in OPP's back office: such a request answers HTTP 403
// with 800.900.301 (user authorization failed, user has no sufficient rights
// to process transaction). An op is a payment type ("PA", "DB", "CD", "CP",
// "RV", "RF", "CB", "CR", "RB") or "query" for every lookup.
func (g *Gateway) DenyOperations(token string, ops ...string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	for _, op := range ops {
		if !knownOperation(op) {
			return g.misuse(fmt.Errorf("backofficetest: DenyOperations: unknown operation %q", op))
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.accounts[token]
	if a == nil {
		return g.misuse(errors.New("backofficetest: DenyOperations: unknown token"))
	}
	if a.denied == nil {
		a.denied = make(map[string]bool)
	}
	for _, op := range ops {
		a.denied[op] = true
	}
	return nil
}

// ConfigureEntity sets how entityID's acquirer behaves, replacing its
// previous configuration. It applies to requests received afterwards.
func (g *Gateway) ConfigureEntity(entityID string, cfg EntityConfig) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.entities[entityID] = cfg
}

func checkToken(token string) error {
	switch {
	case token == "":
		return errors.New("token is empty")
	case strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return errors.New("token contains spaces or control characters")
	case looksLive(token):
		return errors.New("refusing what looks like a real OPP access token; use a made-up one")
	}
	return nil
}

// looksLive reports whether token has the shape of a real OPP access token:
// base64 of "<userId>|<password>", the user id being 32 hex digits.
func looksLive(token string) bool {
	if len(token) < 48 {
		return false
	}
	for _, enc := range [...]*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(token)
		if err != nil {
			continue
		}
		user, pass, ok := strings.Cut(string(raw), "|")
		return ok && pass != "" && len(user) == 32 && isHex(user)
	}
	return false
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func validEntityID(id string) bool { return id != "" && len(id) <= 64 && opp.Alnum(id) }
