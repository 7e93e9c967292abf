package backofficetest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSeed covers the defaults and the choices of a seeded payment.
func TestSeed(t *testing.T) {
	g := New()
	id := seed(t, g, SeedPayment{Amount: dec("12.30")})
	p, found := g.Payment(id)
	want := Transaction{ID: id, EntityID: DefaultEntityID, PaymentType: "PA", Status: StatusSucceeded, ResultCode: ok,
		ResultDescription: "Request successfully processed in 'Merchant in Integrator Test Mode'", Amount: dec("12.30"),
		Currency: "EUR", PaymentBrand: "VISA", Descriptor: shortID(id) + " backofficetest", Balance: bal("12.3", "", "", "", "", ""),
		Timestamp: epoch}
	if !found || !sameTransaction(p, want) {
		t.Errorf("seeded\n%+v\nwant\n%+v", p, want)
	}

	declined := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("5"), Currency: "GBP", EntityID: otherEntity,
		ResultCode: "800.100.151", MerchantTransactionID: "order-1x", PaymentBrand: "MASTER"})
	p, _ = g.Payment(declined)
	if p.Status != StatusRejected || p.ResultCode != "800.100.151" || p.ResultDescription != "transaction declined (invalid card)" ||
		p.PaymentType != "DB" || p.Currency != "GBP" || p.EntityID != otherEntity || p.MerchantTransactionID != "order-1x" ||
		p.PaymentBrand != "MASTER" || !sameBalance(p.Balance, zero) {
		t.Errorf("declined seed %+v", p)
	}
	pending := seed(t, g, SeedPayment{Amount: dec("5"), ResultCode: "000.200.000"})
	if p, _ := g.Payment(pending); p.Status != StatusPending || !sameBalance(p.Balance, zero) {
		t.Errorf("pending seed %+v", p)
	}
	review := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("5"), ResultCode: "000.400.000"})
	if p, _ := g.Payment(review); p.Status != StatusSucceeded || !p.Balance.Captured.Equal(dec("5")) {
		t.Errorf("review seed %+v", p)
	}
	if l := g.Ledger(); len(l) != 0 {
		t.Errorf("seeds are in the ledger: %+v", l)
	}

	for _, bad := range []SeedPayment{
		{},
		{Amount: dec("-1")},
		{Amount: dec("1.001")},
		{Amount: dec("12345678901")},
		{PaymentType: "CP", Amount: dec("1")},
		{Amount: dec("1"), Currency: "eur"},
		{Amount: dec("1"), EntityID: "x y"},
		{Amount: dec("1"), ResultCode: "123.456.789"},
		{Amount: dec("1"), MerchantTransactionID: strings.Repeat("m", 256)},
	} {
		if _, err := g.Seed(bad); err == nil {
			t.Errorf("Seed(%+v): no error", bad)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("SeedPreAuthorization of a zero amount did not panic")
		}
	}()
	g.SeedPreAuthorization(dec("0"), "EUR")
}

func sameTransaction(a, b Transaction) bool {
	return a.ID == b.ID && a.EntityID == b.EntityID && a.ReferencedID == b.ReferencedID && a.PaymentType == b.PaymentType &&
		a.Status == b.Status && a.ResultCode == b.ResultCode && a.ResultDescription == b.ResultDescription &&
		a.Amount.Equal(b.Amount) && a.Currency == b.Currency && a.PaymentBrand == b.PaymentBrand &&
		a.MerchantTransactionID == b.MerchantTransactionID && a.Descriptor == b.Descriptor && a.MerchantMemo == b.MerchantMemo &&
		maps.Equal(a.CustomParameters, b.CustomParameters) && sameBalance(a.Balance, b.Balance) && a.Timestamp.Equal(b.Timestamp)
}

// TestSetNextResults: the next N operations of a type answer with a code,
// HTTP 200, committed, moving no money; a rule's refusal does not use one
// up.
func TestSetNextResults(t *testing.T) {
	g := New()
	id := g.SeedDebit(dec("100.00"), "EUR")
	if err := g.SetNextResults("RF", 2, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetNextResults("RF", 1, "900.100.300"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetNextResults("RF", 1, "000.200.000"); err != nil {
		t.Fatal(err)
	}
	expect(t, "over-refund", operation(t, g, id, "RF", "100.01", "EUR"), http.StatusBadRequest, codeCannotRefund)
	for i, code := range []string{"800.100.151", "800.100.151", "900.100.300", "000.200.000", ok} {
		a := operation(t, g, id, "RF", "10.00", "EUR", "merchantTransactionId", fmt.Sprint("refund-", i))
		expect(t, "refund "+fmt.Sprint(i), a, http.StatusOK, code)
		if c := g.CommitsFor(fmt.Sprint("refund-", i)); len(c) != 1 || c[0].ResultCode != code {
			t.Errorf("refund %d: commits %+v", i, c)
		}
	}
	if b := balanceOf(t, g, id); !b.Refunded.Equal(dec("10")) {
		t.Errorf("refunded %s, want 10 (only the last refund moved money)", b.Refunded)
	}
	a := operation(t, g, id, "RF", "10.00", "EUR")
	expect(t, "after the queue", a, http.StatusOK, ok)
	pending := g.History(id)[3]
	expect(t, "RF of a pending refund", operation(t, g, pending.ID, "RF", "1.00", "EUR"), http.StatusBadRequest, codeRefPending)

	if err := g.SetNextResults("PA", 1, "800.100.153"); err != nil {
		t.Fatal(err)
	}
	pa := send(t, g, http.MethodPost, "/v1/payments", cardForm("PA"), DefaultToken)
	expect(t, "declined PA", pa, http.StatusOK, "800.100.153")
	expect(t, "CP of the declined PA", operation(t, g, pa.body.ID, "CP", "1.00", "EUR"), http.StatusBadRequest, codeRefRejected)

	for _, bad := range []struct {
		pt   string
		n    int
		code string
	}{{"XX", 1, ok}, {"CP", 0, ok}, {"CP", 1, "123.456.789"}, {"", 1, ok}, {"CP RF", 1, ok}} {
		if err := g.SetNextResults(bad.pt, bad.n, bad.code); err == nil {
			t.Errorf("SetNextResults(%q, %d, %q): no error", bad.pt, bad.n, bad.code)
		}
	}
}

// TestSuccessCode: a gateway can answer as the live host does.
func TestSuccessCode(t *testing.T) {
	g := New(WithSuccessCode("000.000.000"))
	id := g.SeedPreAuthorization(dec("10.00"), "EUR")
	a := operation(t, g, id, "CP", "10.00", "EUR")
	expect(t, "CP", a, http.StatusOK, "000.000.000")
	if a.body.Result.Description != "Transaction succeeded" {
		t.Errorf("description %q", a.body.Result.Description)
	}
	defer func() {
		if recover() == nil {
			t.Error("WithSuccessCode of a decline did not panic")
		}
	}()
	New(WithSuccessCode("800.100.151"))
}

// TestDeterminism: two gateways fed the same requests give the same ids,
// timestamps and bodies; WithIDs and WithClock replace the sources.
func TestDeterminism(t *testing.T) {
	run := func(g *Gateway) []string {
		var out []string
		id := g.SeedPreAuthorization(dec("100.00"), "EUR")
		out = append(out, id)
		for _, amount := range []string{"10.00", "20.00", "500.00"} {
			out = append(out, operation(t, g, id, "CP", amount, "EUR").raw)
		}
		out = append(out, send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken).raw)
		return out
	}
	a, b := run(New()), run(New())
	if !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%q\n%q", a, b)
	}
	n := 0
	at := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	g := New(WithIDs(func() string { n++; return fmt.Sprintf("%032x", n) }), WithClock(func() time.Time { return at }))
	c := run(g)
	if c[0] != "00000000000000000000000000000001" || !strings.Contains(c[1], `"id":"00000000000000000000000000000002"`) ||
		!strings.Contains(c[1], `"timestamp":"2030-05-06 07:08:09+0000"`) {
		t.Errorf("injected sources not used: %q", c[:2])
	}
}

// TestConcurrentCapturesNeverOverspend: 32 goroutines hammering one PA.
func TestConcurrentCapturesNeverOverspend(t *testing.T) {
	g := New()
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	db := g.SeedDebit(dec("100.00"), "EUR")
	const workers, each = 32, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				target, pt := pa, "CP"
				if (w+i)%2 == 1 {
					target, pt = db, "RF"
				}
				a, err := trySend(t.Context(), g, http.MethodPost, "/v1/payments/"+target,
					form("entityId", DefaultEntityID, "paymentType", pt, "amount", "1.00", "currency", "EUR"), DefaultToken)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				codes[pt+" "+a.body.Result.Code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	want := map[string]int{"CP " + ok: 100, "CP " + codeCannotCapture: 60, "RF " + ok: 100, "RF " + codeCannotRefund: 60}
	if !maps.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	if b := balanceOf(t, g, pa); !b.Captured.Equal(dec("100")) {
		t.Errorf("captured %s", b.Captured)
	}
	if b := balanceOf(t, g, db); !b.Refunded.Equal(dec("100")) {
		t.Errorf("refunded %s", b.Refunded)
	}
	if n := len(g.Ledger()); n != 200 {
		t.Errorf("%d commits, want 200", n)
	}
}

const (
	otherToken  = "other-merchant-token"
	otherEntity = "0123456789abcdef0123456789abcdef"
	thirdEntity = "abcdef0123456789abcdef0123456789"
)

// TestAuthentication: a missing, malformed or unknown token is HTTP 403
// with 800.900.300 on every endpoint, and commits nothing.
func TestAuthentication(t *testing.T) {
	g := New()
	id := g.SeedDebit(dec("10.00"), "EUR")
	v := form("entityId", DefaultEntityID, "paymentType", "RF", "amount", "1.00", "currency", "EUR")
	for _, auth := range []string{"", "Bearer", "Bearer unknown", "Basic " + DefaultToken, "Token " + DefaultToken} {
		req := httpRequest(t, http.MethodPost, testURL+"/v1/payments/"+id, v.Encode())
		req.Header.Set("Authorization", auth)
		a := roundTrip(t, g, req)
		expect(t, "Authorization: "+auth, a, http.StatusForbidden, codeBadAuth)
		if a.body.PaymentType != "RF" {
			t.Errorf("paymentType %q: OPP echoes it on an authentication failure", a.body.PaymentType)
		}
	}
	a := send(t, g, http.MethodGet, "/v1/payments/"+id, form("entityId", DefaultEntityID), "unknown")
	expect(t, "GET", a, http.StatusForbidden, codeBadAuth)
	a = send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID, "merchantTransactionId", "x"), "")
	expect(t, "query", a, http.StatusForbidden, codeBadAuth)
	req := httpRequest(t, http.MethodPost, testURL+"/v1/payments/"+id, v.Encode())
	req.Header.Set("Authorization", "bearer "+DefaultToken)
	expect(t, "lower-case scheme", roundTrip(t, g, req), http.StatusOK, ok)
	if l := g.Ledger(); len(l) != 1 {
		t.Errorf("ledger %+v, want only the authenticated refund", l)
	}
}

// TestEntityScoping: a token sees only its entities' payments; another
// account's payment is "not found", never "forbidden".
func TestEntityScoping(t *testing.T) {
	g := New()
	if err := g.AddAccount(otherToken, otherEntity); err != nil {
		t.Fatal(err)
	}
	mine := g.SeedDebit(dec("10.00"), "EUR")
	theirs := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("10.00"), EntityID: otherEntity, MerchantTransactionID: "sharedxx"})
	seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("10.00"), MerchantTransactionID: "sharedxx"})

	refund := func(token, entity, id string) answer {
		return send(t, g, http.MethodPost, "/v1/payments/"+id,
			form("entityId", entity, "paymentType", "RF", "amount", "1.00", "currency", "EUR"), token)
	}
	expect(t, "another account's payment", refund(otherToken, otherEntity, mine), http.StatusBadRequest, codeUnknownReference)
	expect(t, "an unknown id", refund(otherToken, otherEntity, "ffffffffffffffffffffffffffffffff"), http.StatusBadRequest, codeUnknownReference)
	expect(t, "an entity of another account", refund(otherToken, DefaultEntityID, mine), http.StatusForbidden, codeBadAuth)
	expect(t, "own payment", refund(otherToken, otherEntity, theirs), http.StatusOK, ok)

	a := send(t, g, http.MethodGet, "/v1/payments/"+mine, form("entityId", otherEntity), otherToken)
	expect(t, "GET another account's payment", a, http.StatusBadRequest, codeNotFound)
	a = send(t, g, http.MethodGet, "/v1/query", form("entityId", otherEntity, "merchantTransactionId", "sharedxx"), otherToken)
	expect(t, "query", a, http.StatusOK, codeRequestOK)
	if len(a.body.Payments) != 1 || !strings.Contains(string(a.body.Payments[0]), theirs) {
		t.Errorf("query sees other entities' payments: %s", a.raw)
	}

	// One account, two entities: a payment of the other entity is a
	// channel mismatch.
	if err := g.AddAccount(otherToken, thirdEntity); err != nil {
		t.Fatal(err)
	}
	expect(t, "wrong entity", refund(otherToken, thirdEntity, theirs), http.StatusBadRequest, codeEntityMismatch)
	if b := balanceOf(t, g, mine); !b.Refunded.IsZero() {
		t.Errorf("refunded %s", b.Refunded)
	}
}

// TestDeniedOperations: the user's permissions decide which operations it
// may perform, as OPP's back office makes operations depend on "transaction
// type, status, and user permissions".
func TestDeniedOperations(t *testing.T) {
	g := New()
	if err := g.AddAccount(otherToken, DefaultEntityID); err != nil {
		t.Fatal(err)
	}
	if err := g.DenyOperations(otherToken, "RF", "query"); err != nil {
		t.Fatal(err)
	}
	id := g.SeedDebit(dec("10.00"), "EUR")
	op := func(token, pt string) answer {
		return send(t, g, http.MethodPost, "/v1/payments/"+id,
			form("entityId", DefaultEntityID, "paymentType", pt, "amount", "1.00", "currency", "EUR"), token)
	}
	a := op(otherToken, "RF")
	expect(t, "denied refund", a, http.StatusForbidden, codeNoRights)
	if a.body.PaymentType != "RF" {
		t.Errorf("paymentType %q", a.body.PaymentType)
	}
	expect(t, "allowed rebill", op(otherToken, "RB"), http.StatusOK, ok)
	expect(t, "other token's refund", op(DefaultToken, "RF"), http.StatusOK, ok)
	a = send(t, g, http.MethodGet, "/v1/payments/"+id, form("entityId", DefaultEntityID), otherToken)
	expect(t, "denied query", a, http.StatusForbidden, codeNoRights)
	if l := g.Ledger(); len(l) != 2 {
		t.Errorf("ledger has %d commits, want 2", len(l))
	}
}

// TestAccountErrors: the helpers refuse what they cannot honour.
func TestAccountErrors(t *testing.T) {
	g := New()
	for name, err := range map[string]error{
		"empty token":        g.AddAccount(""),
		"token with spaces":  g.AddAccount("a b"),
		"real-looking token": g.AddAccount("OGE4Mjk0MTc0YjdlY2IyODAxNGI5Njk5MjIwMDE1Y2N8c3k2S0pzVDg=", DefaultEntityID),
		"bad entity":         g.AddAccount("t", "not-an-entity!"),
		"unknown token":      g.DenyOperations("nobody", "CP"),
		"unknown operation":  g.DenyOperations(DefaultToken, "XX"),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if looksLive(DefaultToken) || looksLive("short") || !looksLive("OGE4Mjk0MTc0YjdlY2IyODAxNGI5Njk5MjIwMDE1Y2N8c3k2S0pzVDg") {
		t.Error("looksLive misjudges")
	}
}

// TestDuplicateBlocking: when an entity blocks duplicates, a second request
// with the same (entityId, merchantTransactionId, paymentType, referenced
// id) answers 800.110.100 with a new id, HTTP 200, and commits nothing.
func TestDuplicateBlocking(t *testing.T) {
	for _, blocking := range []bool{false, true} {
		g := New()
		g.ConfigureEntity(DefaultEntityID, EntityConfig{DuplicateBlocking: blocking})
		id := g.SeedPreAuthorization(dec("100.00"), "EUR")
		first := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-0001")
		expect(t, "first", first, http.StatusOK, ok)
		second := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-0001")
		wantCommits := 2
		if blocking {
			expect(t, "duplicate", second, http.StatusOK, codeDuplicate)
			wantCommits = 1
			if second.body.ID == first.body.ID || second.body.ReferencedID != id || second.body.MerchantTransactionID != "dup-0001" {
				t.Errorf("duplicate answer %s", second.raw)
			}
			if _, ok := g.Payment(second.body.ID); ok {
				t.Error("the duplicate answer's id was stored")
			}
		} else {
			expect(t, "second", second, http.StatusOK, ok)
		}
		if n := len(g.CommitsFor("dup-0001")); n != wantCommits {
			t.Errorf("blocking %v: %d commits, want %d", blocking, n, wantCommits)
		}
		// Another type, reference or key is no duplicate.
		expect(t, "refund, same key", operation(t, g, first.body.ID, "RF", "10.00", "EUR", "merchantTransactionId", "dup-0001"), http.StatusOK, ok)
		expect(t, "other key", operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-0002"), http.StatusOK, ok)
		expect(t, "no key", operation(t, g, id, "CP", "10.00", "EUR"), http.StatusOK, ok)
		expect(t, "no key again", operation(t, g, id, "CP", "10.00", "EUR"), http.StatusOK, ok)
	}
}
