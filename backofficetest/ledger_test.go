package backofficetest

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
)

// TestLedgerReads: CommitsFor reads the index, in commit order and across
// entities; LedgerTail and LedgerSeq agree with Ledger; a Reset ends a
// LedgerSeq.
func TestLedgerReads(t *testing.T) {
	g := New()
	pa := g.SeedPreAuthorization(dec("1000.00"), "EUR")
	for i := range 600 {
		operation(t, g, pa, "CP", "1.00", "EUR", "merchantTransactionId", "mtid-000"+strconv.Itoa(i%3))
	}
	operation(t, g, pa, "CP", "5000.00", "EUR", "merchantTransactionId", "mtid-0000") // refused: not in the ledger
	all := g.Ledger()
	if len(all) != 600 || g.LedgerLen() != 600 {
		t.Fatalf("%d commits, LedgerLen %d", len(all), g.LedgerLen())
	}
	var want []Commit
	for _, c := range all {
		if c.MerchantTransactionID == "mtid-0001" {
			want = append(want, c)
		}
	}
	if got := g.CommitsFor("mtid-0001"); len(got) != 200 || !slices.Equal(got, want) {
		t.Errorf("CommitsFor: %d commits", len(got))
	}
	if got := g.CommitsFor("none"); got != nil {
		t.Errorf("CommitsFor(none) = %v", got)
	}
	if got := g.LedgerTail(3); !slices.Equal(got, all[597:]) {
		t.Errorf("LedgerTail(3) = %v", got)
	}
	if got := g.LedgerTail(10_000); !slices.Equal(got, all) {
		t.Errorf("LedgerTail(10000): %d commits", len(got))
	}
	if got := g.LedgerTail(-1); len(got) != 0 {
		t.Errorf("LedgerTail(-1) = %v", got)
	}
	var seq []Commit
	for c := range g.LedgerSeq() {
		seq = append(seq, c)
	}
	if !slices.Equal(seq, all) {
		t.Errorf("LedgerSeq: %d commits", len(seq))
	}
	n := 0
	for range g.LedgerSeq() {
		if n++; n == 10 {
			break
		}
	}
	// The loop's body may call the gateway; a Reset ends the iteration.
	n = 0
	for range g.LedgerSeq() {
		if n++; n == 1 {
			g.Reset()
		}
	}
	if n != ledgerChunk {
		t.Errorf("after a Reset, LedgerSeq yielded %d commits; want the %d already read", n, ledgerChunk)
	}
	if g.LedgerLen() != 0 || g.CommitsFor("mtid-0001") != nil {
		t.Error("Reset left commits")
	}
}

var (
	bigLedgerOnce sync.Once
	bigLedger     *Gateway
)

// millionCommits returns a gateway with 1,000,000 commits, 10 per
// merchantTransactionId, built once (its transactions carry no JSON).
func millionCommits() *Gateway {
	bigLedgerOnce.Do(func() {
		g := New()
		ref := &txn{id: "pa", paymentType: "PA"}
		for i := range 1_000_000 {
			t := &txn{id: strconv.Itoa(i), entityID: DefaultEntityID, ref: ref, paymentType: "CP", amount: dec("1.00"),
				currency: "EUR", mtid: "m" + strconv.Itoa(i/10), code: codeSuccessTest, at: epoch}
			g.ledger = append(g.ledger, t)
			g.commits[t.mtid] = append(g.commits[t.mtid], t)
		}
		bigLedger = g
	})
	return bigLedger
}

// BenchmarkCommitsFor compares CommitsFor's index with the scan of the
// whole ledger it replaced, at 1M commits.
func BenchmarkCommitsFor(b *testing.B) {
	g := millionCommits()
	b.Run("index", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if len(g.CommitsFor("m"+strconv.Itoa(i%100_000))) != 10 {
				b.Fatal("wrong commits")
			}
			i += 7919
		}
	})
	b.Run("scan", func(b *testing.B) {
		i := 0
		for b.Loop() {
			mtid := "m" + strconv.Itoa(i%100_000)
			g.mu.Lock()
			var out []Commit
			for _, t := range g.ledger {
				if t.mtid == mtid {
					out = append(out, t.commit())
				}
			}
			g.mu.Unlock()
			if len(out) != 10 {
				b.Fatal("wrong commits")
			}
			i += 7919
		}
	})
}

// BenchmarkLedgerRead compares reading the last 100 commits of a 1M-commit
// ledger by copying it all (Ledger), by LedgerTail, and the whole ledger
// by Ledger and by LedgerSeq.
func BenchmarkLedgerRead(b *testing.B) {
	g := millionCommits()
	for _, bm := range []struct {
		name string
		read func() int
	}{
		{"last100/Ledger", func() int { return len(g.Ledger()[1_000_000-100:]) }},
		{"last100/LedgerTail", func() int { return len(g.LedgerTail(100)) }},
		{"all/Ledger", func() int { return len(g.Ledger()) }},
		{"all/LedgerSeq", func() int {
			n := 0
			for range g.LedgerSeq() {
				n++
			}
			return n
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if n := bm.read(); n != 100 && n != 1_000_000 {
					b.Fatal(fmt.Sprint(n, " commits"))
				}
			}
		})
	}
}
