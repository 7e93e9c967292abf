package backoffice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

var (
	nov1 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	nov2 = time.Date(2026, 11, 2, 12, 30, 15, 0, time.UTC)
)

// listJSON is a /v3/query list answer.
func listJSON(code, desc string, records int, payments ...string) string {
	var b strings.Builder
	b.WriteString(`{"result":{"code":"` + code + `","description":"` + desc + `"}`)
	if records >= 0 {
		b.WriteString(`,"records":` + strconv.Itoa(records))
	}
	if len(payments) > 0 {
		b.WriteString(`,"payments":[` + strings.Join(payments, ",") + `]`)
	}
	b.WriteString(`,"buildNumber":"b1","timestamp":"2026-11-23 08:00:00+0000","ndc":"x"}`)
	return b.String()
}

const codeQueryOK = "000.000.100"

// collect runs a search to its end.
func collect(seq func(func(*Payment, error) bool)) (ids []string, err error) {
	for p, e := range seq {
		if e != nil {
			return ids, e
		}
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// TestSearchGoldenQueries pins the exact path and query of each search.
func TestSearchGoldenQueries(t *testing.T) {
	tests := []struct {
		name string
		q    SearchQuery
		want string
	}{
		{"time frame with filters and page size", SearchQuery{From: nov1, To: nov2, PaymentTypes: []PaymentType{PaymentTypePreAuthorization, PaymentTypeCapture},
			PaymentMethods: []string{"CC", "DC"}, PageSize: 50},
			"date.from=2026-11-01+00%3A00%3A00&date.to=2026-11-02+12%3A30%3A15&entityId=" + testEntity + "&limit=50&pageNo=1&paymentMethods=CC%2CDC&paymentTypes=PA%2CCP"},
		{"time frame in another zone is sent in UTC", SearchQuery{From: nov1.In(time.FixedZone("CET", 3600)), To: nov2.Add(-time.Hour).In(time.FixedZone("X", -5*3600))},
			"date.from=2026-11-01+00%3A00%3A00&date.to=2026-11-02+11%3A30%3A15&entityId=" + testEntity + "&pageNo=1"},
		{"short id with a merchant transaction id", SearchQuery{ShortID: "1234.5678.9012", MerchantTransactionID: "order-42"},
			"entityId=" + testEntity + "&merchantTransactionId=order-42&pageNo=1&shortId=1234.5678.9012"},
		{"short id with a time frame", SearchQuery{ShortID: "1234.5678.9012", From: nov1, To: nov2},
			"date.from=2026-11-01+00%3A00%3A00&date.to=2026-11-02+12%3A30%3A15&entityId=" + testEntity + "&pageNo=1&shortId=1234.5678.9012"},
		{"merchant transaction id alone", SearchQuery{MerchantTransactionID: "order-42"},
			"entityId=" + testEntity + "&merchantTransactionId=order-42&pageNo=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			var rec recorder
			mt.RegisterResponder("GET", base+"/v3/query", rec.wrap(httpmock.NewStringResponder(200, listJSON(codeNotFound, "cannot find transaction", -1))))
			ids, err := collect(c.SearchPayments(context.Background(), tt.q))
			if err != nil || len(ids) != 0 {
				t.Fatalf("got %v, %v; want no match", ids, err)
			}
			reqs := rec.all()
			if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/v3/query" || reqs[0].RawQuery != tt.want || reqs[0].Body != "" {
				t.Fatalf("requests %+v\nwant GET /v3/query?%s", reqs, tt.want)
			}
		})
	}
}

// TestSearchPages reads pages lazily: the next page is asked for only when
// the caller wants more, and the sequence ends when records are all read.
func TestSearchPages(t *testing.T) {
	pay := func(id string) string {
		return paymentJSON(id, "", PaymentTypeDebit, "10.00", "EUR", "m-"+id, codeOK, descOK)
	}
	pages := map[string]string{
		"1": listJSON(codeQueryOK, "successful request", 5, pay("a1"), pay("a2")),
		"2": listJSON(codeQueryOK, "successful request", 5, pay("a3"), pay("a4")),
		"3": listJSON(codeQueryOK, "successful request", 5, pay("a5")),
	}
	c, mt := newMock(t)
	var rec recorder
	mt.RegisterResponder("GET", base+"/v3/query", rec.wrap(func(req *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, pages[req.URL.Query().Get("pageNo")]), nil
	}))
	q := SearchQuery{From: nov1, To: nov2, PageSize: 2}

	ids, err := collect(c.SearchPayments(context.Background(), q))
	if err != nil || strings.Join(ids, ",") != "a1,a2,a3,a4,a5" {
		t.Fatalf("all: %v, %v", ids, err)
	}
	var got []string
	for _, r := range rec.all() {
		got = append(got, r.RawQuery)
	}
	prefix := "date.from=2026-11-01+00%3A00%3A00&date.to=2026-11-02+12%3A30%3A15&entityId=" + testEntity + "&limit=2&pageNo="
	if want := []string{prefix + "1", prefix + "2", prefix + "3"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("queries\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The caller stops after three: page 3 is never asked for.
	before := len(rec.all())
	n := 0
	for p, err := range c.SearchPayments(context.Background(), q) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			if p.ID != "a3" {
				t.Fatalf("third is %s", p.ID)
			}
			break
		}
	}
	if sent := len(rec.all()) - before; sent != 2 {
		t.Fatalf("stopping after 3 sent %d requests, want 2", sent)
	}
}

// TestSearchWithoutRecords ends on a short page when OPP sends no records,
// and yields a transaction that moved to the next page once.
func TestSearchWithoutRecords(t *testing.T) {
	pay := func(id string) string {
		return paymentJSON(id, "", PaymentTypeDebit, "10.00", "EUR", "mxxxxxxx", codeOK, descOK)
	}
	pages := map[string]string{
		"1": listJSON(codeQueryOK, "successful request", -1, pay("b1"), pay("b2")),
		"2": listJSON(codeQueryOK, "successful request", -1, pay("b2"), pay("b3")),
		"3": listJSON(codeQueryOK, "successful request", -1, pay("b4")),
	}
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", func(req *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, pages[req.URL.Query().Get("pageNo")]), nil
	})
	ids, err := collect(c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: 2}))
	if err != nil || strings.Join(ids, ",") != "b1,b2,b3,b4" {
		t.Fatalf("got %v, %v", ids, err)
	}

	// A server that ignores pageNo: the second page brings nothing new, and
	// the search ends there instead of asking forever.
	c, mt = newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", httpmock.NewStringResponder(200, pages["1"]))
	ids, err = collect(c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: 2}))
	if err != nil || strings.Join(ids, ",") != "b1,b2" || mt.GetTotalCallCount() != 2 {
		t.Fatalf("got %v, %v after %d requests", ids, err, mt.GetTotalCallCount())
	}
}

// TestSearchValidation refuses bad queries before anything is sent, naming
// the field.
func TestSearchValidation(t *testing.T) {
	tests := []struct {
		name  string
		q     SearchQuery
		field string
	}{
		{"nothing to search by", SearchQuery{PaymentTypes: []PaymentType{PaymentTypeDebit}}, "From"},
		{"From without To", SearchQuery{From: nov1}, "To"},
		{"To without From", SearchQuery{To: nov2}, "From"},
		{"To before From", SearchQuery{From: nov2, To: nov1}, "To"},
		{"time frame longer than OPP allows", SearchQuery{From: nov1, To: nov1.Add(MaxSearchSpan + time.Second)}, "To"},
		{"short id alone", SearchQuery{ShortID: "1234.5678.9012"}, "ShortID"},
		{"short id not in OPP's form", SearchQuery{ShortID: "12a4.5678", MerchantTransactionID: "mxxxxxxx"}, "ShortID"},
		{"unknown payment type", SearchQuery{MerchantTransactionID: "mxxxxxxx", PaymentTypes: []PaymentType{PaymentTypeDebit, "XX"}}, "PaymentTypes[1]"},
		{"lower-case payment type", SearchQuery{MerchantTransactionID: "mxxxxxxx", PaymentTypes: []PaymentType{"db"}}, "PaymentTypes[0]"},
		{"bad payment method", SearchQuery{MerchantTransactionID: "mxxxxxxx", PaymentMethods: []string{"cc"}}, "PaymentMethods[0]"},
		{"bad merchant transaction id", SearchQuery{MerchantTransactionID: "a bxxxxx"}, "MerchantTransactionID"},
		{"page size too large", SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: MaxSearchPageSize + 1}, "PageSize"},
		{"negative page size", SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: -1}, "PageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newMock(t) // any request fails the test
			n := 0
			for p, err := range c.SearchPayments(context.Background(), tt.q) {
				n++
				var ve *ValidationError
				if p != nil || !errors.As(err, &ve) || ve.Field != tt.field || ve.Operation != OperationSearchPayments || !errors.Is(err, ErrInvalidRequest) {
					t.Fatalf("got %v, %v; want a ValidationError on %s", p, err, tt.field)
				}
			}
			if n != 1 {
				t.Fatalf("yielded %d times, want once", n)
			}
		})
	}
	ok := SearchQuery{From: nov1, To: nov1.Add(MaxSearchSpan), PageSize: MaxSearchPageSize}
	if _, err := ok.encode(testEntity); err != nil {
		t.Fatalf("the longest time frame and the largest page: %v", err)
	}
}

// TestSearchSequenceReused: one sequence ranged over twice at once makes
// two independent searches.
func TestSearchSequenceReused(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", func(req *http.Request) (*http.Response, error) {
		page := req.URL.Query().Get("pageNo")
		return httpmock.NewStringResponse(200, listJSON(codeQueryOK, "successful request", 2,
			paymentJSON("p"+page, "", PaymentTypeDebit, "1.00", "EUR", "mxxxxxxx", codeOK, descOK))), nil
	})
	seq := c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: 1})
	done := make(chan string, 2)
	for range 2 {
		go func() {
			ids, err := collect(seq)
			done <- fmt.Sprint(ids, err)
		}()
	}
	for range 2 {
		if got := <-done; got != "[p1 p2] <nil>" {
			t.Fatalf("got %s", got)
		}
	}
}
