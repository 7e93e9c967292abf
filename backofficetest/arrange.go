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
	// PaymentType is "PA" (the default), "DB" or "CD".
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
	// operations refuse with 700.300.200 or 700.400.570; Resolve settles a
	// pending one.
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
	id, err := g.seed(p)
	return id, g.refused(err)
}

func (g *Gateway) seed(p SeedPayment) (string, error) {
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
	e := &ArgumentError{Helper: "Seed"}
	if !inList(initialOps, p.PaymentType) {
		e.add("paymentType", "payment type %q is not PA, DB or CD", p.PaymentType)
	}
	// The exponent first: a hostile one makes Round and String take minutes.
	if p.Amount.Sign() <= 0 || money.CheckExponent(p.Amount) != nil || !p.Amount.Equal(p.Amount.Round(2)) || len(p.Amount.Truncate(0).String()) > maxAmountInt {
		e.add("amount", "amount %s is not positive with at most two decimals and ten integer digits", money.String(p.Amount))
	}
	if checkCurrency(p.Currency) != nil {
		e.add("currency", "currency %q is not three capital letters", p.Currency)
	}
	if !validEntityID(p.EntityID) {
		e.add("entityId", "entity id %q is not 1-64 letters or digits", p.EntityID)
	}
	if p.ResultCode != "" {
		if _, ok := describe(p.ResultCode); !ok {
			e.add("resultCode", "result code %q: %v", p.ResultCode, errUnknownCode)
		}
	}
	if checkText("merchantTransactionId", p.MerchantTransactionID, maxMTID) != nil {
		e.add("merchantTransactionId", "merchantTransactionId is too long or holds control characters")
	}
	if !knownBrand(p.PaymentBrand) {
		e.add("paymentBrand", "payment brand %q is not a card brand the gateway accepts", p.PaymentBrand)
	}
	if err := e.err(); err != nil {
		return "", err
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
// moves no money; a pending code as a pending one, which Resolve settles
// later. An operation that a rule refuses (HTTP 400) does not use up a
// queued code. Calls queue up.
//
// code must be in OPP's result-code catalogue (package resultcodes), so that
// a misspelt code fails the test instead of testing something else. To make
// the gateway answer a well-formed code that the catalogue lacks, as OPP
// does when it introduces new codes (a client classifies those as
// backoffice.ErrUnknownCode), use SetNextUnclassifiedResults.
func (g *Gateway) SetNextResults(paymentType string, n int, code string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.setNextResults(paymentType, n, code, false))
}

// SetNextUnclassifiedResults is SetNextResults for a code that OPP's
// catalogue does not hold: code must have OPP's shape (ddd.ddd.ddd) and must
// not be in the catalogue. The operation is committed as rejected (no money
// moves) and answered HTTP 200 with an empty description, so that a test can
// see how a client treats a code it cannot classify.
func (g *Gateway) SetNextUnclassifiedResults(paymentType string, n int, code string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.setNextResults(paymentType, n, code, true))
}

func (g *Gateway) setNextResults(paymentType string, n int, code string, unclassified bool) error {
	e := &ArgumentError{Helper: "SetNextResults"}
	if unclassified {
		e.Helper = "SetNextUnclassifiedResults"
	}
	if !inList(paymentTypes, paymentType) {
		e.add("paymentType", "payment type %q is not one of %s", paymentType, paymentTypes)
	}
	if n < 1 {
		e.add("n", "n is %d, must be at least 1", n)
	}
	_, known := describe(code)
	switch {
	case !unclassified && !known:
		e.add("code", "result code %q: %v", code, errUnknownCode)
	case unclassified && known:
		e.add("code", "result code %q is in OPP's result-code catalogue; use SetNextResults", code)
	case unclassified && !codeShape(code):
		e.add("code", "result code %q does not have OPP's shape ddd.ddd.ddd", code)
	}
	if err := e.err(); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.forced[paymentType] = append(g.forced[paymentType], code)
	}
	return nil
}

// codeShape reports whether code looks like ddd.ddd.ddd.
func codeShape(code string) bool {
	if len(code) != 11 || code[3] != '.' || code[7] != '.' {
		return false
	}
	return opp.Digits(code[0:3]) && opp.Digits(code[4:7]) && opp.Digits(code[8:11])
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
// confused with a real gateway. So is the token of a ControlHandler: the
// control API and the OPP API never share a token.
func (g *Gateway) AddAccount(token string, entityIDs ...string) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	return g.refused(g.addAccount(token, entityIDs))
}

func (g *Gateway) addAccount(token string, entityIDs []string) error {
	e := &ArgumentError{Helper: "AddAccount"}
	if err := checkToken(token); err != nil {
		e.add("token", "%v", err)
	}
	for _, id := range entityIDs {
		if !validEntityID(id) {
			e.add("entityIds", "entity id %q is not 1-64 letters or digits", id)
		}
	}
	if err := e.err(); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.controlTokens[token] {
		e.add("token", "token is the control API's token")
		return e.err()
	}
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
	return g.refused(g.denyOperations(token, ops))
}

func (g *Gateway) denyOperations(token string, ops []string) error {
	e := &ArgumentError{Helper: "DenyOperations"}
	for _, op := range ops {
		if !knownOperation(op) {
			e.add("operations", "unknown operation %q", op)
			return e.err()
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.accounts[token]
	if a == nil {
		e.add("token", "unknown token")
		return e.err()
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

// ArgumentError is a helper's refusal of its arguments: a gateway that
// belongs to a test (WithTB) fails the test with it, others return it. The
// control API (ControlHandler) answers it with HTTP 400 and the fields.
type ArgumentError struct {
	Helper string       // the helper: "Seed", "SetNextResults", ...
	Fields []FieldError // what is wrong, one entry per problem
	errs   []error      // the errors behind Fields, for errors.Is
}

// FieldError is one refused argument.
type FieldError struct {
	Field   string `json:"field"`   // the argument's name in the control API's JSON: "amount", "paymentType", ...
	Message string `json:"message"` // what is wrong with it
}

// Error returns "backofficetest: <helper>: <message>", one message a line.
func (e *ArgumentError) Error() string {
	var b strings.Builder
	b.WriteString("backofficetest: " + e.Helper + ": ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.Message)
	}
	return b.String()
}

func (e *ArgumentError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// addErr records err about field.
func (e *ArgumentError) addErr(field string, err error) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: err.Error()})
	e.errs = append(e.errs, err)
}

// Unwrap returns the errors behind the fields, such as webhook.ErrInvalidKey.
func (e *ArgumentError) Unwrap() []error { return e.errs }

// err returns e if it holds a problem, or nil.
func (e *ArgumentError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// refused fails the gateway's test with err if err is an *ArgumentError,
// and returns err.
func (g *Gateway) refused(err error) error {
	if g.tb != nil {
		g.tb.Helper()
	}
	var ae *ArgumentError
	if errors.As(err, &ae) {
		return g.misuse(err)
	}
	return err
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
