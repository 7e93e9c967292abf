package backofficetest

import (
	"maps"
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// Balance is what happened to a transaction's money, from its successful
// operations. Declined and pending transactions have a zero Balance.
type Balance struct {
	// Authorized is a PA's authorized amount; zero for other types.
	Authorized decimal.Decimal
	// Captured is what a PA's captures took, less what reversals of those
	// captures voided; for a DB, CP, RB or CD its own amount (the money it
	// moved).
	Captured decimal.Decimal
	// Refunded is the sum of the refunds referencing it.
	Refunded decimal.Decimal
	// ChargedBack is its chargeback's amount less what chargeback reversals
	// gave back; for a CB, its own amount less its reversal.
	ChargedBack decimal.Decimal
	// Reversed is what reversals released (a PA's authorization, including
	// the part a reversed capture gave back) or voided (a DB, CP or RB);
	// for a CB, what its chargeback reversal gave back; for a chargeback
	// reversal or a representment, the amount of the CR that references it
	// (a representment, a representment reversal).
	Reversed decimal.Decimal
	// Rebilled is the sum of a DB's rebills, less what reversals of them
	// voided.
	Rebilled decimal.Decimal
}

// Transaction is a snapshot of one transaction of the gateway.
type Transaction struct {
	ID                    string
	EntityID              string
	ReferencedID          string // empty for PA, DB and CD
	PaymentType           string // "PA", "CP", ...
	Status                Status
	ResultCode            string
	ResultDescription     string          // OPP's description of ResultCode, verbatim
	Amount                decimal.Decimal // as requested; zero for a full reversal
	Currency              string
	PaymentBrand          string
	MerchantTransactionID string
	Descriptor            string
	MerchantMemo          string
	CustomParameters      map[string]string // a copy; CHARGEBACK_REASON is a chargeback's reason
	Balance               Balance
	Timestamp             time.Time
}

// Commit is one entry of the ledger: an operation the gateway committed,
// whatever its result code and whatever then happened to its response.
type Commit struct {
	PaymentID             string
	EntityID              string
	PaymentType           string
	ReferencedID          string
	MerchantTransactionID string
	Amount                decimal.Decimal // as requested; zero for a full reversal
	Currency              string
	ResultCode            string
	Timestamp             time.Time
}

// Request is a request the gateway received, redacted: the Authorization
// header is never kept, card.number keeps its first six and last four
// digits, and card.cvv reads "***".
type Request struct {
	Method string
	Path   string
	Form   url.Values // the POST body, or the GET query
	Fault  FaultKind  // the fault injected into it, if any
	Time   time.Time
}

func (t *txn) snapshot() Transaction {
	return Transaction{
		ID:                    t.id,
		EntityID:              t.entityID,
		ReferencedID:          t.refID(),
		PaymentType:           t.paymentType,
		Status:                t.status,
		ResultCode:            t.code,
		ResultDescription:     description(t.code),
		Amount:                t.amount,
		Currency:              t.currency,
		PaymentBrand:          t.brand,
		MerchantTransactionID: t.mtid,
		Descriptor:            t.descriptor,
		MerchantMemo:          t.memo,
		CustomParameters:      maps.Clone(t.custom),
		Balance:               t.bal,
		Timestamp:             t.at,
	}
}

// Payment returns a snapshot of the transaction id, of any entity, and
// whether it exists.
func (g *Gateway) Payment(id string) (Transaction, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := g.txns[id]
	if t == nil {
		return Transaction{}, false
	}
	return t.snapshot(), true
}

// History returns the transactions that reference id (its captures,
// reversals, refunds, chargebacks, rebills; a chargeback's reversals), in
// the order they were committed, declined ones included.
func (g *Gateway) History(id string) []Transaction {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := g.txns[id]
	if t == nil {
		return nil
	}
	out := make([]Transaction, len(t.children))
	for i, c := range t.children {
		out[i] = c.snapshot()
	}
	return out
}

// Ledger returns every committed operation, oldest first: what a test
// counts to prove an operation happened exactly once. Seeded payments are not
// in it; operations answered with an HTTP 4xx, refused as duplicates, or
// stopped by a fault before committing are not either.
func (g *Gateway) Ledger() []Commit {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Commit, len(g.ledger))
	for i, t := range g.ledger {
		out[i] = t.commit()
	}
	return out
}

// CommitsFor returns the ledger's commits that carry merchantTransactionId
// mtid, oldest first.
func (g *Gateway) CommitsFor(mtid string) []Commit {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Commit
	for _, t := range g.ledger {
		if t.mtid == mtid {
			out = append(out, t.commit())
		}
	}
	return out
}

// Requests returns every request the gateway received, oldest first,
// redacted. A request stopped by a Refused or ResetBeforeWrite fault never
// reached it.
func (g *Gateway) Requests() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]Request, len(g.requests))
	for i, r := range g.requests {
		form, _ := url.ParseQuery(r.params) // kept only if it parsed, or re-encoded
		out[i] = Request{Method: r.method, Path: r.path, Form: form, Fault: r.fault, Time: r.at}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
