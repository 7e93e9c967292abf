package backofficetest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/oppkit/backoffice/internal/opp"
)

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
	if err := checkToken(token); err != nil {
		return fmt.Errorf("backofficetest: AddAccount: %w", err)
	}
	for _, id := range entityIDs {
		if !validEntityID(id) {
			return fmt.Errorf("backofficetest: AddAccount: entity id %q is not 1-64 letters or digits", id)
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
	for _, op := range ops {
		if !knownOperation(op) {
			return fmt.Errorf("backofficetest: DenyOperations: unknown operation %q", op)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.accounts[token]
	if a == nil {
		return errors.New("backofficetest: DenyOperations: unknown token")
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
