package backoffice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
)

// txJSON is a payment object with its own timestamp, as /v3/query sends it.
func txJSON(id, ref string, pt PaymentType, amount, code, at string) string {
	s := paymentJSON(id, ref, pt, amount, "EUR", "m-"+id, code, "d")
	return strings.Replace(s, `"timestamp":"2026-11-23 08:00:00+0000"`, `"timestamp":"2026-11-23 `+at+`+0000"`, 1)
}

const (
	codePending = "000.200.000"
)

// TestPaymentDetailsGolden pins the request and the split of the answer:
// the payment asked for, and the others oldest first.
func TestPaymentDetailsGolden(t *testing.T) {
	c, mt := newMock(t)
	var rec recorder
	body := listJSON(codeQueryOK, "successful request", -1,
		txJSON("rf1", "cp1", PaymentTypeRefund, "5.00", codeOK, "08:00:03"),
		txJSON(testPayID, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
		txJSON("cp1", testPayID, PaymentTypeCapture, "30.00", codeOK, "08:00:01"),
		txJSON("cp2", testPayID, PaymentTypeCapture, "20.00", codeOK, "08:00:02"),
		txJSON(testPayID, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00")) // listed twice: kept once
	mt.RegisterResponder("GET", base+"/v3/query/"+testPayID, rec.wrap(httpmock.NewStringResponder(200, body)))
	d, err := c.PaymentDetails(context.Background(), testPayID)
	if err != nil {
		t.Fatal(err)
	}
	r := rec.all()
	if len(r) != 1 || r[0].Method != http.MethodGet || r[0].Path != "/v3/query/"+testPayID ||
		r[0].RawQuery != "entityId="+testEntity+"&includeLinkedTransactions=true" || r[0].Body != "" {
		t.Fatalf("requests %+v", r)
	}
	var linked []string
	for _, l := range d.Linked {
		linked = append(linked, l.ID)
	}
	if d.Payment.ID != testPayID || strings.Join(linked, ",") != "cp1,cp2,rf1" {
		t.Fatalf("payment %s, linked %v", d.Payment.ID, linked)
	}
	if got := fmt.Sprint(d.Remaining); got != "{50 0 0 0}" {
		t.Fatalf("remaining %s", got)
	}
	if ops := d.AllowedOperations(); !slices.Equal(ops, []Operation{OperationCapture}) {
		t.Fatalf("allowed %v", ops)
	}
}

// TestRemaining computes what is left for each kind of payment from its
// linked transactions, as the doc of Remaining states it.
func TestRemaining(t *testing.T) {
	const id = testPayID
	tests := []struct {
		name    string
		payment string
		linked  []string
		want    string // Capture Refund Reverse Chargeback
		allowed []Operation
	}{
		{"PA untouched", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"), nil,
			"100 0 100 0", []Operation{OperationCapture, OperationReverse}},
		{"PA partly captured: no reversal any more", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
			[]string{txJSON("c1", id, PaymentTypeCapture, "40.00", codeOK, "08:00:01")},
			"60 0 0 0", []Operation{OperationCapture}},
		{"PA partly reversed", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
			[]string{txJSON("r1", id, PaymentTypeReversal, "30.00", codeOK, "08:00:01")},
			"70 0 70 0", []Operation{OperationCapture, OperationReverse}},
		{"PA fully reversed (a reversal without amount)", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
			[]string{txJSON("r1", id, PaymentTypeReversal, "30.00", codeOK, "08:00:01"), txJSON("r2", id, PaymentTypeReversal, "", codeOK, "08:00:02")},
			"0 0 0 0", []Operation{}},
		{"PA fully captured", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
			[]string{txJSON("c1", id, PaymentTypeCapture, "60.00", codeOK, "08:00:01"), txJSON("c2", id, PaymentTypeCapture, "40.00", codeOK, "08:00:02")},
			"0 0 0 0", []Operation{}},
		{"declined and pending captures move nothing", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"),
			[]string{txJSON("c1", id, PaymentTypeCapture, "60.00", codeDecline, "08:00:01"), txJSON("c2", id, PaymentTypeCapture, "40.00", codePending, "08:00:02")},
			"100 0 100 0", []Operation{OperationCapture, OperationReverse}},
		{"declined PA has nothing", txJSON(id, "", PaymentTypePreAuthorization, "100.00", codeDecline, "08:00:00"), nil,
			"0 0 0 0", nil},
		{"DB untouched", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"), nil,
			"0 50 50 50", []Operation{OperationRebill, OperationRefund, OperationChargeback, OperationReverse}},
		{"DB partly refunded", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"),
			[]string{txJSON("f1", id, PaymentTypeRefund, "20.00", codeOK, "08:00:01"), txJSON("f2", id, PaymentTypeRefund, "5.50", codeOK, "08:00:02")},
			"0 24.5 0 24.5", []Operation{OperationRebill, OperationRefund, OperationChargeback}},
		{"DB charged back: one chargeback per payment", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"),
			[]string{txJSON("f1", id, PaymentTypeRefund, "10.00", codeOK, "08:00:01"), txJSON("cb", id, PaymentTypeChargeback, "40.00", codeOK, "08:00:02")},
			"0 0 0 0", []Operation{OperationRebill}},
		{"DB chargeback reversed gives the refund back", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"),
			[]string{txJSON("cb", id, PaymentTypeChargeback, "50.00", codeOK, "08:00:01"), txJSON("cr", "cb", PaymentTypeChargebackReversal, "30.00", codeOK, "08:00:02")},
			"0 30 0 0", []Operation{OperationRebill, OperationRefund}},
		{"DB reversed: no rebill", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"),
			[]string{txJSON("r", id, PaymentTypeReversal, "", codeOK, "08:00:01")},
			"0 0 0 0", []Operation{}},
		{"DB rebills are not the debit's to refund", txJSON(id, "", PaymentTypeDebit, "50.00", codeOK, "08:00:00"),
			[]string{txJSON("rb", id, PaymentTypeRebill, "10.00", codeOK, "08:00:01")},
			"0 50 50 50", []Operation{OperationRebill, OperationRefund, OperationChargeback, OperationReverse}},
		{"CP refunded and linked to its PA", txJSON(id, "pa", PaymentTypeCapture, "60.00", codeOK, "08:00:01"),
			[]string{txJSON("pa", "", PaymentTypePreAuthorization, "100.00", codeOK, "08:00:00"), txJSON("f", id, PaymentTypeRefund, "15.00", codeOK, "08:00:02"),
				txJSON("c2", "pa", PaymentTypeCapture, "40.00", codeOK, "08:00:03")},
			"0 45 0 45", []Operation{OperationRefund, OperationChargeback}},
		{"CP fully refunded", txJSON(id, "pa", PaymentTypeCapture, "60.00", codeOK, "08:00:01"),
			[]string{txJSON("f", id, PaymentTypeRefund, "60.00", codeOK, "08:00:02")},
			"0 0 0 0", []Operation{}},
		{"CB not yet reversed", txJSON(id, "db", PaymentTypeChargeback, "50.00", codeOK, "08:00:01"), nil,
			"0 0 50 0", []Operation{OperationReverseChargeback}},
		{"CB reversed", txJSON(id, "db", PaymentTypeChargeback, "50.00", codeOK, "08:00:01"),
			[]string{txJSON("cr", id, PaymentTypeChargebackReversal, "20.00", codeOK, "08:00:02")},
			"0 0 0 0", []Operation{}},
		{"CD refunded in part", txJSON(id, "", PaymentTypeCredit, "25.00", codeOK, "08:00:00"),
			[]string{txJSON("f", id, PaymentTypeRefund, "10.00", codeOK, "08:00:01")},
			"0 15 0 0", []Operation{OperationRefund}},
		{"CR takes one representment", txJSON(id, "cb", PaymentTypeChargebackReversal, "50.00", codeOK, "08:00:02"), nil,
			"0 0 50 0", []Operation{OperationReverseChargeback}},
		{"CR represented already", txJSON(id, "cb", PaymentTypeChargebackReversal, "50.00", codeOK, "08:00:02"),
			[]string{txJSON("rp", id, PaymentTypeChargebackReversal, "50.00", "000.100.105", "08:00:03")},
			"0 0 0 0", []Operation{}},
		{"representment reversal takes nothing more", txJSON(id, "rp", PaymentTypeChargebackReversal, "50.00", "000.100.106", "08:00:04"), nil,
			"0 0 0 0", nil},
		{"RF has nothing", txJSON(id, "db", PaymentTypeRefund, "5.00", codeOK, "08:00:01"), nil, "0 0 0 0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			mt.RegisterResponder("GET", base+"/v3/query/"+id, httpmock.NewStringResponder(200,
				listJSON(codeQueryOK, "successful request", -1, append([]string{tt.payment}, tt.linked...)...)))
			d, err := c.PaymentDetails(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			r := d.Remaining
			if got := fmt.Sprintf("%s %s %s %s", r.Capture, r.Refund, r.Reverse, r.Chargeback); got != tt.want {
				t.Errorf("remaining %s, want %s", got, tt.want)
			}
			if got := d.AllowedOperations(); !slices.Equal(got, tt.allowed) {
				t.Errorf("allowed %v, want %v", got, tt.allowed)
			}
		})
	}
}

// TestPaymentDetailsAnswers reads each form of answer /v3/query/{id} may
// take.
func TestPaymentDetailsAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   error // nil: success
	}{
		{"a single payment object", 200, txJSON(testPayID, "", PaymentTypeDebit, "9.00", codeOK, "08:00:00"), nil},
		{"not found", 400, `{"result":{"code":"700.400.580","description":"cannot find transaction"}}`, ErrNotFound},
		{"not found as an empty list", 200, listJSON(codeQueryOK, "successful request", -1) + "", ErrNotFound},
		{"a list without the payment", 200, listJSON(codeQueryOK, "successful request", -1, txJSON("other", "", PaymentTypeDebit, "1.00", codeOK, "08:00:00")), ErrGateway},
		{"wrong token", 401, `{"result":{"code":"800.900.300","description":"invalid authentication information"}}`, ErrUnauthorized},
		{"not an OPP answer", 200, `<html>`, ErrGateway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			body := tt.body
			if tt.name == "not found as an empty list" {
				body = strings.Replace(body, `}`, `},"payments":[]`, 1)
			}
			mt.RegisterResponder("GET", base+"/v3/query/"+testPayID, httpmock.NewStringResponder(tt.status, body))
			d, err := c.PaymentDetails(context.Background(), testPayID)
			if tt.kind == nil {
				if err != nil || d.Payment.ID != testPayID || len(d.Linked) != 0 || !d.Remaining.Refund.Equal(decimal.RequireFromString("9")) {
					t.Fatalf("got %+v, %v", d, err)
				}
				return
			}
			var e *Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &e) || e.Operation != OperationPaymentDetails || e.ReferencedID != testPayID {
				t.Fatalf("err = %v (%#v), want %v", err, err, tt.kind)
			}
		})
	}
	c, _ := newMock(t)
	if _, err := c.PaymentDetails(context.Background(), "a/b"); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("bad id: %v", err)
	}
	//lint:ignore SA1012 a nil context is what this checks
	if _, err := c.PaymentDetails(nil, testPayID); err == nil { //nolint:staticcheck
		t.Fatal("nil context accepted")
	}
}

// TestSearchRetriesLikeLookups: a throttled or failing page is retried
// like the other lookups, and a page that keeps failing ends the sequence
// with its error.
func TestSearchRetriesLikeLookups(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", httpmock.NewStringResponder(429, "").Then(httpmock.NewStringResponder(503, "busy")).Then(
		httpmock.NewStringResponder(200, listJSON(codeQueryOK, "successful request", 1, txJSON("x", "", PaymentTypeDebit, "1.00", codeOK, "08:00:00")))))
	ids, err := collect(c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "mxxxxxxx"}))
	if err != nil || strings.Join(ids, ",") != "x" || mt.GetTotalCallCount() != 3 {
		t.Fatalf("got %v, %v after %d attempts", ids, err, mt.GetTotalCallCount())
	}

	c, mt = newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query/"+testPayID, httpmock.NewStringResponder(429, "").Then(
		httpmock.NewStringResponder(200, txJSON(testPayID, "", PaymentTypeDebit, "1.00", codeOK, "08:00:00"))))
	if d, err := c.PaymentDetails(context.Background(), testPayID); err != nil || d.Payment.ID != testPayID || mt.GetTotalCallCount() != 2 {
		t.Fatalf("details %v, %v after %d attempts", d, err, mt.GetTotalCallCount())
	}

	c, mt = newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", httpmock.NewStringResponder(503, "busy"))
	ids, err = collect(c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "mxxxxxxx"}))
	var e *Error
	if len(ids) != 0 || !errors.As(err, &e) || e.Kind != ErrGateway || e.HTTPStatus != 503 || e.Operation != OperationSearchPayments ||
		mt.GetTotalCallCount() != fastRetry.MaxAttempts {
		t.Fatalf("got %v, %v after %d attempts", ids, err, mt.GetTotalCallCount())
	}
}

// TestSearchRespectsContext: a context that ends between pages ends the
// sequence with an ErrNetwork that matches the context's error, before the
// next page is asked for.
func TestSearchRespectsContext(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("GET", base+"/v3/query", httpmock.NewStringResponder(200, listJSON(codeQueryOK, "successful request", 4,
		txJSON("a", "", PaymentTypeDebit, "1.00", codeOK, "08:00:00"), txJSON("b", "", PaymentTypeDebit, "1.00", codeOK, "08:00:00"))))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var last error
	for p, err := range c.SearchPayments(ctx, SearchQuery{MerchantTransactionID: "mxxxxxxx", PageSize: 2}) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, p.ID)
		cancel()
	}
	if strings.Join(got, ",") != "a,b" || !errors.Is(last, context.Canceled) || !errors.Is(last, ErrNetwork) || mt.GetTotalCallCount() != 1 {
		t.Fatalf("got %v, %v after %d requests", got, last, mt.GetTotalCallCount())
	}
	//lint:ignore SA1012 a nil context is what this checks
	for _, err := range c.SearchPayments(nil, SearchQuery{MerchantTransactionID: "mxxxxxxx"}) { //nolint:staticcheck
		if err == nil {
			t.Fatal("nil context accepted")
		}
	}
}

// TestSearchAnswers decodes a recorded-shape page and classifies a refused
// query.
func TestSearchAnswers(t *testing.T) {
	c, mt := newMock(t)
	page := `{"result":{"code":"000.000.100","description":"successful request"},"records":1,"payments":[{"id":"8ac7a4a1845f7e6b01846011a8b1aaaa",` +
		`"paymentType":"DB","paymentBrand":"VISA","amount":"92.00","currency":"EUR","descriptor":"4610.8883.4210 Shop","merchantTransactionId":"order-9x",` +
		`"result":{"code":"000.100.110","description":"Request successfully processed in 'Merchant in Integrator Test Mode'"},` +
		`"card":{"bin":"420000","last4Digits":"0000","holder":"Jane Jones","expiryMonth":"05","expiryYear":"2034"},` +
		`"timestamp":"2026-11-23 08:00:00+0000","ndc":"x","shortId":"4610.8883.4210"}],"buildNumber":"b","timestamp":"2026-11-23 08:00:01+0000","ndc":"y"}`
	mt.RegisterResponder("GET", base+"/v3/query", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("merchantTransactionId") == "badxxxxx" {
			return httpmock.NewStringResponse(400, `{"result":{"code":"200.300.404","description":"invalid or missing parameter",`+
				`"parameterErrors":[{"name":"date.to","value":"x","message":"must be yyyy-MM-dd HH:mm:ss"}]}}`), nil
		}
		return httpmock.NewStringResponse(200, page), nil
	})
	var ps []*Payment
	for p, err := range c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "order-9x"}) {
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if len(ps) != 1 {
		t.Fatalf("%d payments", len(ps))
	}
	p := ps[0]
	if p.ID != "8ac7a4a1845f7e6b01846011a8b1aaaa" || p.PaymentType != PaymentTypeDebit || !p.Amount.Equal(dec("92")) || p.ShortID != "4610.8883.4210" ||
		p.Card == nil || p.Card.Last4Digits != "0000" || !p.Succeeded() || p.Timestamp.Format("15:04:05") != "08:00:00" {
		t.Fatalf("payment %+v", p)
	}
	_, err := collect(c.SearchPayments(context.Background(), SearchQuery{MerchantTransactionID: "badxxxxx"}))
	var e *Error
	if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &e) || len(e.ParameterErrors) != 1 || e.ParameterErrors[0].Name != "date.to" || e.HTTPStatus != 400 {
		t.Fatalf("err = %v", err)
	}
}
