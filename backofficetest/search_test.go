package backofficetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// perform runs op on id for amount through the SDK.
func perform(ctx context.Context, c *backoffice.Client, op backoffice.Operation, id string, amt decimal.Decimal) (*backoffice.Payment, error) {
	switch op {
	case backoffice.OperationCapture:
		return c.Capture(ctx, id, backoffice.CaptureRequest{Amount: amt, Currency: "EUR"})
	case backoffice.OperationReverse:
		if amt.IsZero() {
			return c.Reverse(ctx, id, backoffice.ReverseRequest{}) // a full reversal
		}
		return c.Reverse(ctx, id, backoffice.ReverseRequest{Amount: amt, Currency: "EUR"})
	case backoffice.OperationRefund:
		return c.Refund(ctx, id, backoffice.RefundRequest{Amount: amt, Currency: "EUR"})
	case backoffice.OperationChargeback:
		return c.Chargeback(ctx, id, backoffice.ChargebackRequest{Amount: amt, Currency: "EUR", Reason: "4837"})
	case backoffice.OperationReverseChargeback:
		return c.ReverseChargeback(ctx, id, backoffice.ReverseChargebackRequest{Amount: amt, Currency: "EUR"})
	case backoffice.OperationRebill:
		return c.Rebill(ctx, id, backoffice.RebillRequest{Amount: amt, Currency: "EUR"})
	}
	return nil, fmt.Errorf("no operation %s", op)
}

// must is perform that fails the test on an error.
func must(t *testing.T, c *backoffice.Client, op backoffice.Operation, id, amt string) string {
	t.Helper()
	var a decimal.Decimal
	if amt != "" {
		a = dec(amt)
	}
	p, err := perform(t.Context(), c, op, id, a)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", op, amt, id, err)
	}
	return p.ID
}

// left is what Remaining says is left for op.
func left(r backoffice.Remaining, op backoffice.Operation) decimal.Decimal {
	switch op {
	case backoffice.OperationCapture:
		return r.Capture
	case backoffice.OperationRefund:
		return r.Refund
	case backoffice.OperationChargeback:
		return r.Chargeback
	case backoffice.OperationReverse, backoffice.OperationReverseChargeback:
		return r.Reverse
	}
	return decimal.Zero
}

// TestRemainingMatchesTheFakesRules: what PaymentDetails says is left is
// exactly what the fake then accepts. For every operation the back-office
// table offers on the payment, the fake refuses a cent more than Remaining
// and accepts exactly Remaining; an operation AllowedOperations drops is
// refused even for a cent.
func TestRemainingMatchesTheFakesRules(t *testing.T) {
	type scenario struct {
		name  string
		build func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string // the payment to probe
		want  string                                                                      // Capture Refund Reverse Chargeback
	}
	pa := func(_ *testing.T, _ *backoffice.Client, gw *backofficetest.Gateway) string {
		return gw.SeedPreAuthorization(dec("100.00"), "EUR")
	}
	db := func(_ *testing.T, _ *backoffice.Client, gw *backofficetest.Gateway) string {
		return gw.SeedDebit(dec("50.00"), "EUR")
	}
	scenarios := []scenario{
		{"PA untouched", pa, "100 0 100 0"},
		{"PA partly captured", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := pa(t, c, gw)
			must(t, c, backoffice.OperationCapture, id, "40")
			return id
		}, "60 0 0 0"},
		{"PA partly reversed", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := pa(t, c, gw)
			must(t, c, backoffice.OperationReverse, id, "30")
			return id
		}, "70 0 70 0"},
		{"CP partly refunded", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			cp := must(t, c, backoffice.OperationCapture, pa(t, c, gw), "40")
			must(t, c, backoffice.OperationRefund, cp, "10")
			return cp
		}, "0 30 0 30"},
		{"DB untouched", db, "0 50 50 50"},
		{"DB partly refunded", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := db(t, c, gw)
			must(t, c, backoffice.OperationRefund, id, "20")
			return id
		}, "0 30 0 30"},
		{"DB charged back", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := db(t, c, gw)
			must(t, c, backoffice.OperationChargeback, id, "30")
			return id
		}, "0 20 0 0"},
		{"DB chargeback partly reversed", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := db(t, c, gw)
			cb := must(t, c, backoffice.OperationChargeback, id, "30")
			must(t, c, backoffice.OperationReverseChargeback, cb, "10")
			return id
		}, "0 30 0 0"},
		{"CB", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			return must(t, c, backoffice.OperationChargeback, db(t, c, gw), "30")
		}, "0 0 30 0"},
		{"CB reversed", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			cb := must(t, c, backoffice.OperationChargeback, db(t, c, gw), "30")
			must(t, c, backoffice.OperationReverseChargeback, cb, "30")
			return cb
		}, "0 0 0 0"},
		{"RB", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			return must(t, c, backoffice.OperationRebill, db(t, c, gw), "10")
		}, "0 10 10 10"},
		{"DB fully reversed", func(t *testing.T, c *backoffice.Client, gw *backofficetest.Gateway) string {
			id := db(t, c, gw)
			must(t, c, backoffice.OperationReverse, id, "")
			return id
		}, "0 0 0 0"},
	}
	cent := dec("0.01")
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			c, gw := backofficetest.NewClient(t)
			id := sc.build(t, c, gw)
			d, err := c.PaymentDetails(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			r := d.Remaining
			if got := fmt.Sprintf("%s %s %s %s", r.Capture, r.Refund, r.Reverse, r.Chargeback); got != sc.want {
				t.Fatalf("remaining %s, want %s", got, sc.want)
			}
			allowed := d.AllowedOperations()
			for _, op := range backoffice.AllowedOperations(d.Payment.PaymentType, d.Payment.Result) {
				t.Run(string(op), func(t *testing.T) {
					c, gw := backofficetest.NewClient(t)
					id := sc.build(t, c, gw)
					if !slices.Contains(allowed, op) {
						if _, err := perform(t.Context(), c, op, id, cent); !errors.Is(err, backoffice.ErrNotAllowed) {
							t.Fatalf("%s is not allowed, but the fake answered %v", op, err)
						}
						return
					}
					if op == backoffice.OperationRebill { // no balance bounds a rebill
						if _, err := perform(t.Context(), c, op, id, cent); err != nil {
							t.Fatalf("rebill allowed, but the fake refused it: %v", err)
						}
						return
					}
					max := left(r, op)
					if _, err := perform(t.Context(), c, op, id, max.Add(cent)); err == nil {
						t.Fatalf("the fake accepted %s of %s, a cent more than Remaining", op, max.Add(cent))
					}
					if _, err := perform(t.Context(), c, op, id, max); err != nil {
						t.Fatalf("the fake refused %s of exactly Remaining %s: %v", op, max, err)
					}
				})
			}
		})
	}
}

// TestFakeSearchPaging pages a time frame the way OPP does: limit per page,
// pageNo from 1, newest first, records over all pages; and pageNo past the
// end is an empty page.
func TestFakeSearchPaging(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	var seeded []string
	for i := range 45 {
		seeded = append(seeded, gw.SeedDebit(dec(fmt.Sprintf("%d.00", i+1)), "EUR"))
	}
	slices.Reverse(seeded) // newest first
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, size := range []int{0, 20, 45, 100} {
		before := len(gw.Requests())
		var got []string
		for p, err := range c.SearchPayments(t.Context(), backoffice.SearchQuery{From: day, To: day.Add(time.Hour), PageSize: size}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p.ID)
		}
		if !slices.Equal(got, seeded) {
			t.Fatalf("page size %d: got %d payments, want the 45 seeded newest first", size, len(got))
		}
		eff := size
		if eff == 0 {
			eff = backoffice.DefaultSearchPageSize
		}
		reqs := gw.Requests()[before:]
		if want := (45 + eff - 1) / eff; len(reqs) != want {
			t.Fatalf("page size %d: %d requests, want %d", size, len(reqs), want)
		}
		for i, r := range reqs {
			if r.Path != "/v3/query" || r.Form.Get("pageNo") != fmt.Sprint(i+1) {
				t.Fatalf("request %d: %s %v", i, r.Path, r.Form)
			}
		}
	}

	// The time frame is inclusive to the second: the first debit was booked
	// at 00:00:00, the second at 00:00:01.
	var got []string
	for p, err := range c.SearchPayments(t.Context(), backoffice.SearchQuery{From: day, To: day.Add(time.Second)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.ID)
	}
	if !slices.Equal(got, seeded[43:]) {
		t.Fatalf("first two seconds: %v, want %v", got, seeded[43:])
	}

	status, body := get(t, gw, "/v3/query?entityId="+backofficetest.DefaultEntityID+"&date.from=2026-01-01+00:00:00&date.to=2026-01-01+01:00:00&limit=20&pageNo=4")
	if status != 200 || !strings.Contains(body, `"code":"000.000.100"`) || !strings.Contains(body, `"records":45`) || strings.Contains(body, `"payments"`) {
		t.Fatalf("page past the end: %d %s", status, body)
	}
}

// TestFakeSearchFilters finds payments by short id, merchantTransactionId,
// paymentTypes and paymentMethods, and a payment's whole family by id.
func TestFakeSearchFilters(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	pa := gw.SeedPreAuthorization(dec("100.00"), "EUR")
	cp, err := c.Capture(t.Context(), pa, backoffice.CaptureRequest{Amount: dec("60"), Currency: "EUR", MerchantTransactionID: "order-0001"})
	if err != nil {
		t.Fatal(err)
	}
	rf := must(t, c, backoffice.OperationRefund, cp.ID, "5")
	other := gw.SeedDebit(dec("9.00"), "EUR")
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	frame := backoffice.SearchQuery{From: day, To: day.Add(time.Hour)}

	search := func(q backoffice.SearchQuery) []string {
		t.Helper()
		var ids []string
		for p, err := range c.SearchPayments(t.Context(), q) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		return ids
	}
	q := frame
	q.ShortID = cp.ShortID
	if got := search(q); !slices.Equal(got, []string{cp.ID}) {
		t.Errorf("short id in a time frame: %v", got)
	}
	if got := search(backoffice.SearchQuery{ShortID: cp.ShortID, MerchantTransactionID: "order-0001"}); !slices.Equal(got, []string{cp.ID}) {
		t.Errorf("short id with its key: %v", got)
	}
	if got := search(backoffice.SearchQuery{ShortID: cp.ShortID, MerchantTransactionID: "order-2x"}); len(got) != 0 {
		t.Errorf("short id with another key: %v", got)
	}
	q = frame
	q.PaymentTypes = []backoffice.PaymentType{backoffice.PaymentTypeCapture, backoffice.PaymentTypeRefund}
	if got := search(q); !slices.Equal(got, []string{rf, cp.ID}) {
		t.Errorf("CP and RF: %v", got)
	}
	q.PaymentMethods = []string{"DC"}
	if got := search(q); len(got) != 0 {
		t.Errorf("debit cards: %v", got)
	}
	q.PaymentMethods = []string{"DC", "CC"}
	if got := search(q); len(got) != 2 {
		t.Errorf("credit or debit cards: %v", got)
	}

	d, err := c.PaymentDetails(t.Context(), rf)
	if err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, l := range d.Linked {
		linked = append(linked, l.ID)
	}
	if d.Payment.ID != rf || !slices.Equal(linked, []string{pa, cp.ID}) {
		t.Errorf("family of the refund: %s %v", d.Payment.ID, linked)
	}
	_, body := get(t, gw, "/v3/query/"+pa+"?entityId="+backofficetest.DefaultEntityID+"&includeLinkedTransactions=true&paymentTypes=PA,RF")
	if ids := payments(t, body); !slices.Equal(ids, []string{pa, rf}) {
		t.Errorf("family filtered to PA and RF: %v", ids)
	}
	status, body := get(t, gw, "/v3/query/"+other+"?entityId="+backofficetest.DefaultEntityID+"&paymentTypes=PA")
	if status != 400 || !strings.Contains(body, `"code":"700.400.580"`) {
		t.Errorf("a DB filtered to PA: %d %s", status, body)
	}
	_, err = c.PaymentDetails(t.Context(), "8ac7a4a1845f7e6b01846011a8b10000")
	if !errors.Is(err, backoffice.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

// TestFakeSearchRefuses answers bad report queries as OPP answers bad
// parameters: 200.300.404 naming the parameter.
func TestFakeSearchRefuses(t *testing.T) {
	_, gw := backofficetest.NewClient(t)
	e := "entityId=" + backofficetest.DefaultEntityID
	frame := "&date.from=2026-01-01+00:00:00&date.to=2026-01-02+00:00:00"
	tests := []struct {
		name, method, path string
		status             int
		code, param        string
	}{
		{"time frame longer than 31 days", "GET", "/v3/query?" + e + "&date.from=2026-01-01+00:00:00&date.to=2026-02-01+00:00:01", 400, "200.300.404", "date.to"},
		{"to before from", "GET", "/v3/query?" + e + "&date.from=2026-01-02+00:00:00&date.to=2026-01-01+00:00:00", 400, "200.300.404", "date.to"},
		{"from alone", "GET", "/v3/query?" + e + "&date.from=2026-01-02+00:00:00", 400, "200.300.404", "date.to"},
		{"a date not in OPP's form", "GET", "/v3/query?" + e + "&date.from=2026-01-02T00:00:00Z&date.to=2026-01-03+00:00:00", 400, "200.300.404", "date.from"},
		{"nothing to search by", "GET", "/v3/query?" + e + "&paymentTypes=DB", 400, "200.300.404", "date.from"},
		{"short id alone", "GET", "/v3/query?" + e + "&shortId=1234.5678.9012", 400, "200.300.404", "shortId"},
		{"limit too large", "GET", "/v3/query?" + e + frame + "&limit=101", 400, "200.300.404", "limit"},
		{"page 0", "GET", "/v3/query?" + e + frame + "&pageNo=0", 400, "200.300.404", "pageNo"},
		{"unknown payment type", "GET", "/v3/query?" + e + frame + "&paymentTypes=DB,XX", 400, "600.200.300", "paymentTypes"},
		{"bad payment method", "GET", "/v3/query?" + e + frame + "&paymentMethods=credit", 400, "200.300.404", "paymentMethods"},
		{"unknown parameter", "GET", "/v3/query?" + e + frame + "&sort=asc", 400, "200.300.404", "sort"},
		{"includeLinkedTransactions neither true nor false", "GET", "/v3/query/8ac7a4a1845f7e6b01846011a8b10000?" + e + "&includeLinkedTransactions=yes", 400, "200.300.404", "includeLinkedTransactions"},
		{"no entity", "GET", "/v3/query?" + frame[1:], 400, "200.300.404", "entityId"},
		{"POST", "POST", "/v3/query?" + e, 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, gw, tt.method, tt.path)
			var w struct {
				Result struct {
					Code            string `json:"code"`
					ParameterErrors []struct {
						Name string `json:"name"`
					} `json:"parameterErrors"`
				} `json:"result"`
			}
			if err := json.Unmarshal([]byte(body), &w); err != nil || status != tt.status {
				t.Fatalf("%d %s", status, body)
			}
			if tt.code == "" {
				return
			}
			if w.Result.Code != tt.code || len(w.Result.ParameterErrors) != 1 || w.Result.ParameterErrors[0].Name != tt.param {
				t.Fatalf("%d %s; want %s on %s", status, body, tt.code, tt.param)
			}
		})
	}

	// A white label's prefix before /v3/ is accepted, as before /v1/.
	if status, body := get(t, gw, "/opp/v3/query?"+e+frame); status != 200 || !strings.Contains(body, "700.400.580") {
		t.Fatalf("prefixed path: %d %s", status, body)
	}
}

// TestFakeSearchScopesToTheEntity: another entity's payments are neither
// listed nor found by id.
func TestFakeSearchScopesToTheEntity(t *testing.T) {
	_, gw := backofficetest.NewClient(t)
	const other = "0123456789abcdef0123456789abcdef"
	if err := gw.AddAccount("other-token-0001", other); err != nil {
		t.Fatal(err)
	}
	id, err := gw.Seed(backofficetest.SeedPayment{PaymentType: "DB", Amount: dec("5.00"), Currency: "EUR", EntityID: other})
	if err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, gw, "/v3/query?entityId="+backofficetest.DefaultEntityID+"&date.from=2026-01-01+00:00:00&date.to=2026-01-02+00:00:00"); !strings.Contains(body, "700.400.580") {
		t.Fatalf("listed another entity's payment: %s", body)
	}
	if status, body := get(t, gw, "/v3/query/"+id+"?entityId="+backofficetest.DefaultEntityID); status != 400 || !strings.Contains(body, "700.400.580") {
		t.Fatalf("found another entity's payment: %d %s", status, body)
	}
}

func get(t *testing.T, gw *backofficetest.Gateway, path string) (int, string) {
	t.Helper()
	return do(t, gw, http.MethodGet, path)
}

// do sends one request to gw as the default account.
func do(t *testing.T, gw *backofficetest.Gateway, method, path string) (int, string) {
	t.Helper()
	u, err := url.Parse("https://eu-test.oppwa.com" + path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), method, u.String(), nil)
	req.Header.Set("Authorization", "Bearer "+backofficetest.DefaultToken)
	resp, err := (&http.Client{Transport: gw}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// payments returns the ids of a list answer's payments.
func payments(t *testing.T, body string) []string {
	t.Helper()
	var w struct {
		Payments []struct {
			ID string `json:"id"`
		} `json:"payments"`
	}
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var ids []string
	for _, p := range w.Payments {
		ids = append(ids, p.ID)
	}
	return ids
}

// TestFakeSearchThrottled: the fake throttles report queries like the other
// lookups, and the client retries them the same way.
func TestFakeSearchThrottled(t *testing.T) {
	c, gw := backofficetest.NewClient(t)
	id := gw.SeedDebit(dec("7.00"), "EUR")
	if err := gw.FailNext("query", 2, backofficetest.Throttle); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var got []string
	for p, err := range c.SearchPayments(t.Context(), backoffice.SearchQuery{From: day, To: day.Add(time.Hour)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.ID)
	}
	if !slices.Equal(got, []string{id}) || len(gw.Requests()) != 3 {
		t.Fatalf("got %v after %d requests", got, len(gw.Requests()))
	}
	if err := gw.FailNext("query", 1, backofficetest.Throttle); err != nil {
		t.Fatal(err)
	}
	if d, err := c.PaymentDetails(t.Context(), id); err != nil || d.Payment.ID != id || len(gw.Requests()) != 5 {
		t.Fatalf("details %v, %v after %d requests", d, err, len(gw.Requests()))
	}
}
