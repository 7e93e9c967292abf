package backofficetest

import (
	"net/http"
	"strings"
	"testing"
)

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
	theirs := seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("10.00"), EntityID: otherEntity, MerchantTransactionID: "shared"})
	seed(t, g, SeedPayment{PaymentType: "DB", Amount: dec("10.00"), MerchantTransactionID: "shared"})

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
	a = send(t, g, http.MethodGet, "/v1/query", form("entityId", otherEntity, "merchantTransactionId", "shared"), otherToken)
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

// TestDeniedOperations: the user's role decides which operations it may
// perform (seed 004).
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
		first := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-1")
		expect(t, "first", first, http.StatusOK, ok)
		second := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-1")
		wantCommits := 2
		if blocking {
			expect(t, "duplicate", second, http.StatusOK, codeDuplicate)
			wantCommits = 1
			if second.body.ID == first.body.ID || second.body.ReferencedID != id || second.body.MerchantTransactionID != "dup-1" {
				t.Errorf("duplicate answer %s", second.raw)
			}
			if _, ok := g.Payment(second.body.ID); ok {
				t.Error("the duplicate answer's id was stored")
			}
		} else {
			expect(t, "second", second, http.StatusOK, ok)
		}
		if n := len(g.CommitsFor("dup-1")); n != wantCommits {
			t.Errorf("blocking %v: %d commits, want %d", blocking, n, wantCommits)
		}
		// Another type, reference or key is no duplicate.
		expect(t, "refund, same key", operation(t, g, first.body.ID, "RF", "10.00", "EUR", "merchantTransactionId", "dup-1"), http.StatusOK, ok)
		expect(t, "other key", operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "dup-2"), http.StatusOK, ok)
		expect(t, "no key", operation(t, g, id, "CP", "10.00", "EUR"), http.StatusOK, ok)
		expect(t, "no key again", operation(t, g, id, "CP", "10.00", "EUR"), http.StatusOK, ok)
	}
}
