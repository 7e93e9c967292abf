package backofficetest

import (
	"iter"
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
	// FormOmitted reports parameters longer than 8 KiB, which were not
	// kept (Form is empty).
	FormOmitted bool
	Fault       FaultKind // the fault injected into it, if any
	Time        time.Time
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
// stopped by a fault before committing are not either. It copies the whole
// ledger: LedgerTail, LedgerSeq and CommitsFor read parts of it without.
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
// mtid, oldest first. It reads an index: its cost does not grow with the
// ledger.
func (g *Gateway) CommitsFor(mtid string) []Commit {
	g.mu.Lock()
	defer g.mu.Unlock()
	found := g.commits[mtid]
	if len(found) == 0 {
		return nil
	}
	out := make([]Commit, len(found))
	for i, t := range found {
		out[i] = t.commit()
	}
	return out
}

// LedgerLen returns the number of commits in the ledger.
func (g *Gateway) LedgerLen() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.ledger)
}

// LedgerTail returns the last n commits of the ledger (all of them when it
// holds fewer), oldest first, copying only those.
func (g *Gateway) LedgerTail(n int) []Commit {
	g.mu.Lock()
	defer g.mu.Unlock()
	n = max(0, min(n, len(g.ledger)))
	out := make([]Commit, n)
	for i, t := range g.ledger[len(g.ledger)-n:] {
		out[i] = t.commit()
	}
	return out
}

// ledgerChunk is how many commits LedgerSeq reads per lock.
const ledgerChunk = 256

// LedgerSeq iterates over the ledger, oldest first, without copying it: it
// reads a few hundred commits at a time under the gateway's lock and yields
// them without it, so the loop's body may call the gateway. Commits added
// during the iteration are yielded too; a Reset ends it.
func (g *Gateway) LedgerSeq() iter.Seq[Commit] {
	return func(yield func(Commit) bool) {
		var buf [ledgerChunk]Commit
		g.mu.Lock()
		gen := g.ledgerGen
		g.mu.Unlock()
		for i := 0; ; {
			g.mu.Lock()
			if g.ledgerGen != gen {
				g.mu.Unlock()
				return
			}
			n := copyCommits(buf[:], g.ledger[min(i, len(g.ledger)):])
			g.mu.Unlock()
			if n == 0 {
				return
			}
			for _, c := range buf[:n] {
				if !yield(c) {
					return
				}
			}
			i += n
		}
	}
}

// copyCommits fills dst with the commits of ledger, and returns how many.
func copyCommits(dst []Commit, ledger []*txn) int {
	n := min(len(dst), len(ledger))
	for i, t := range ledger[:n] {
		dst[i] = t.commit()
	}
	return n
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
