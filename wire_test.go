package backoffice

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/oppkit/backoffice/internal/form"
	"github.com/oppkit/backoffice/internal/opp"
	"github.com/shopspring/decimal"
)

const cbID = "8ac7a4a1845f7e6b01846011a8b1cb01"

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestGoldenBodies pins the exact method, path and form body of every
// operation.
func TestGoldenBodies(t *testing.T) {
	tests := []struct {
		name string
		call func(*Client) (*Payment, error)
		path string
		body string
	}{
		{"capture with every merchant field", func(c *Client) (*Payment, error) {
			return c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("10.5"), Currency: "EUR", Descriptor: "Order 42", MerchantTransactionID: "cap-0001", MerchantMemo: "packed",
				CustomParameters: map[string]string{"SHOP": "berlin", "a.b_c-d": "x&y=z"}, TestMode: TestModeExternal})
		}, "/v1/payments/" + testPayID,
			"amount=10.50&currency=EUR&customParameters%5BSHOP%5D=berlin&customParameters%5Ba.b_c-d%5D=x%26y%3Dz&descriptor=Order+42&entityId=" + testEntity +
				"&merchantMemo=packed&merchantTransactionId=cap-0001&paymentType=CP&testMode=EXTERNAL"},
		{"full reversal sends no amount and no currency", func(c *Client) (*Payment, error) {
			return c.Reverse(context.Background(), testPayID, ReverseRequest{MerchantTransactionID: "rv-00001"})
		}, "/v1/payments/" + testPayID,
			"entityId=" + testEntity + "&merchantTransactionId=rv-00001&paymentType=RV"},
		{"partial reversal sends both", func(c *Client) (*Payment, error) {
			return c.Reverse(context.Background(), testPayID, ReverseRequest{Amount: dec("5"), Currency: "EUR", MerchantTransactionID: "rv-00002"})
		}, "/v1/payments/" + testPayID,
			"amount=5.00&currency=EUR&entityId=" + testEntity + "&merchantTransactionId=rv-00002&paymentType=RV"},
		{"refund in a zero-decimal currency", func(c *Client) (*Payment, error) {
			return c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1500"), Currency: "JPY", MerchantTransactionID: "rf-00001"})
		}, "/v1/payments/" + testPayID,
			"amount=1500.00&currency=JPY&entityId=" + testEntity + "&merchantTransactionId=rf-00001&paymentType=RF"},
		{"chargeback carries the reason as a custom parameter", func(c *Client) (*Payment, error) {
			return c.Chargeback(context.Background(), testPayID, ChargebackRequest{Amount: dec("20.00"), Currency: "EUR", Reason: "4837 No cardholder authorization",
				MerchantTransactionID: "cb-00001", Descriptor: "dispute"})
		}, "/v1/payments/" + testPayID,
			"amount=20.00&currency=EUR&customParameters%5BCHARGEBACK_REASON%5D=4837+No+cardholder+authorization&descriptor=dispute&entityId=" + testEntity +
				"&merchantTransactionId=cb-00001&paymentType=CB"},
		{"chargeback without a reason sends no custom parameter", func(c *Client) (*Payment, error) {
			return c.Chargeback(context.Background(), testPayID, ChargebackRequest{Amount: dec("20.00"), Currency: "EUR", MerchantTransactionID: "cb-000002"})
		}, "/v1/payments/" + testPayID,
			"amount=20.00&currency=EUR&entityId=" + testEntity + "&merchantTransactionId=cb-000002&paymentType=CB"},
		{"chargeback reversal references the chargeback", func(c *Client) (*Payment, error) {
			return c.ReverseChargeback(context.Background(), cbID, ReverseChargebackRequest{Amount: dec("20"), Currency: "EUR", MerchantTransactionID: "cr-00001"})
		}, "/v1/payments/" + cbID,
			"amount=20.00&currency=EUR&entityId=" + testEntity + "&merchantTransactionId=cr-00001&paymentType=CR"},
		{"rebill in a three-decimal currency", func(c *Client) (*Payment, error) {
			return c.Rebill(context.Background(), testPayID, RebillRequest{Amount: dec("1.250"), Currency: "KWD", MerchantTransactionID: "rb-00001", MerchantMemo: "minibar"})
		}, "/v1/payments/" + testPayID,
			"amount=1.25&currency=KWD&entityId=" + testEntity + "&merchantMemo=minibar&merchantTransactionId=rb-00001&paymentType=RB"},
		{"stand-alone credit with card and billing", func(c *Client) (*Payment, error) {
			return c.Credit(context.Background(), CreditRequest{Amount: dec("25"), Currency: "EUR", PaymentBrand: "VISA",
				Card:                  CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: testCVV},
				Billing:               Billing{Street1: "Invalidenstr. 1", City: "Berlin", Postcode: "10115", Country: "DE"},
				MerchantTransactionID: "cd-00001", TestMode: TestModeInternal})
		}, "/v1/payments",
			"amount=25.00&billing.city=Berlin&billing.country=DE&billing.postcode=10115&billing.street1=Invalidenstr.+1&card.cvv=987&card.expiryMonth=05&card.expiryYear=2034" +
				"&card.holder=Jane+Jones&card.number=4200000000000000&currency=EUR&entityId=" + testEntity + "&merchantTransactionId=cd-00001&paymentBrand=VISA&paymentType=CD&testMode=INTERNAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			var rec recorder
			mt.RegisterResponder("POST", base+tt.path, rec.wrap(httpmock.NewStringResponder(200,
				paymentJSON("8ac7a4a1845f7e6b01846011a8b1ffff", "", PaymentTypeCapture, "1.00", "EUR", "x", codeOK, descOK))))
			if _, err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests; want 1", len(reqs))
			}
			if reqs[0].Method != "POST" || reqs[0].Path != tt.path || reqs[0].RawQuery != "" {
				t.Errorf("request = %s %s?%s; want POST %s", reqs[0].Method, reqs[0].Path, reqs[0].RawQuery, tt.path)
			}
			if h := reqs[0].Header; h.Get("Authorization") != "Bearer "+testToken || h.Get("Content-Type") != "application/x-www-form-urlencoded" ||
				h.Get("Accept") != "application/json" || h.Get("Idempotency-Key") != "" {
				t.Errorf("headers %v", h)
			}
			if reqs[0].Body != tt.body {
				t.Errorf("body\n got %s\nwant %s", reqs[0].Body, tt.body)
			}
		})
	}
}

// TestFormDropsNoField proves go-querystring emits every field of the form:
// one parameter per struct field, under the tag's exact name.
func TestFormDropsNoField(t *testing.T) {
	op := form.Credit{Operation: form.Operation{CustomParameters: form.Params{"K1": "v1", "K2": "v2"}}}
	var want []string
	var fill func(reflect.Value)
	fill = func(rv reflect.Value) {
		for i := 0; i < rv.NumField(); i++ {
			name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("url"), ",")
			switch f := rv.Field(i); f.Kind() {
			case reflect.String:
				f.SetString("v" + name)
				want = append(want, name)
			case reflect.Struct:
				fill(f)
			}
		}
	}
	fill(reflect.ValueOf(&op).Elem())
	want = append(want, "customParameters[K1]", "customParameters[K2]")
	body, err := form.Encode(&op)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, v := range vals {
		got = append(got, k)
		if len(v) != 1 {
			t.Errorf("%s sent %d times", k, len(v))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("keys\n got %v\nwant %v", got, want)
	}
	if vals.Get("card.number") != "vcard.number" || vals.Get("customParameters[K2]") != "v2" {
		t.Fatalf("values not carried: %v", vals)
	}
}

func TestGeneratedMerchantTransactionID(t *testing.T) {
	c, mt := newMock(t)
	var rec recorder
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, rec.wrap(httpmock.NewStringResponder(200,
		paymentJSON("c1", testPayID, PaymentTypeCapture, "1.00", "EUR", "", codeOK, descOK))))
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		p, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		sent, _ := url.ParseQuery(rec.all()[i].Body)
		id := sent.Get("merchantTransactionId")
		if len(id) != 16 || !opp.Alnum(id) {
			t.Fatalf("generated id %q; want 16 letters or digits", id)
		}
		if p.MerchantTransactionID != id {
			t.Fatalf("payment carries %q; sent %q", p.MerchantTransactionID, id)
		}
		if seen[id] {
			t.Fatalf("id %q generated twice", id)
		}
		seen[id] = true
	}
}

func TestRequestIsNotMutated(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(200,
		paymentJSON("c1", testPayID, PaymentTypeChargeback, "1.00", "EUR", "", codeOK, descOK)))
	params := map[string]string{"SHOP": "berlin"}
	req := ChargebackRequest{Amount: dec("1"), Currency: "EUR", Reason: "fraud", CustomParameters: params}
	before := req
	if _, err := c.Chargeback(context.Background(), testPayID, req); err != nil {
		t.Fatal(err)
	}
	if len(params) != 1 || params["SHOP"] != "berlin" || req.MerchantTransactionID != "" || !reflect.DeepEqual(req, before) {
		t.Fatalf("request mutated: %+v, params %v", req, params)
	}
}

func TestDecodePayment(t *testing.T) {
	body := `{"id":"8ac7a4a1845f7e6b01846011a8b1aaaa","referencedId":"` + testPayID + `","paymentType":"RF","paymentBrand":"VISA",` +
		`"amount":"12.50","currency":"EUR","descriptor":"4610.8883.4210 Shop","merchantTransactionId":"rf-9xxxx","merchantMemo":"memo",` +
		`"result":{"code":"000.000.000","description":"Transaction succeeded"},"resultDetails":{"ConnectorTxID1":"1111","clearingInstituteName":"Bank","Amount":12},` +
		`"customParameters":{"SHOP":"berlin"},"card":{"bin":"420000","last4Digits":"0000","holder":"Jane Jones","expiryMonth":"05","expiryYear":"2034"},` +
		`"risk":{"score":"0"},"brandNewField":{"nested":[1,2]},"buildNumber":"b@1","timestamp":"2026-11-23 08:15:30+0000","ndc":"e_1","shortId":"1234.5678.9012"}`
	var p Payment
	if err := p.UnmarshalJSON([]byte(body)); err != nil {
		t.Fatal(err)
	}
	want := Payment{
		ID: "8ac7a4a1845f7e6b01846011a8b1aaaa", ReferencedID: testPayID, PaymentType: PaymentTypeRefund, PaymentBrand: "VISA",
		Amount: dec("12.50"), Currency: "EUR", Descriptor: "4610.8883.4210 Shop", MerchantTransactionID: "rf-9xxxx", MerchantMemo: "memo",
		Result:           Result{Code: "000.000.000", Description: "Transaction succeeded"},
		ResultDetails:    map[string]string{"ConnectorTxID1": "1111", "clearingInstituteName": "Bank", "Amount": "12"},
		CustomParameters: map[string]string{"SHOP": "berlin"},
		Card:             &Card{Bin: "420000", Last4Digits: "0000", Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
		Timestamp:        time.Date(2026, 11, 23, 8, 15, 30, 0, time.UTC),
		BuildNumber:      "b@1", NDC: "e_1", ShortID: "1234.5678.9012",
	}
	if !p.Amount.Equal(want.Amount) {
		t.Fatalf("amount = %s", p.Amount)
	}
	p.Amount, want.Amount = decimal.Decimal{}, decimal.Decimal{}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("decoded\n got %+v\nwant %+v", p, want)
	}
	if !p.Succeeded() || p.Pending() || p.NeedsReview() {
		t.Fatal("000.000.000 must be a plain success")
	}
}

func TestDecodeRejectsBodiesWithoutResult(t *testing.T) {
	for _, body := range []string{`{}`, `{"id":"x"}`, `{"result":{}}`, `{"result":{"code":""}}`, `{"amount":"1e2","result":{"code":"000.000.000"}}`, `[1]`, `<html>`} {
		var p Payment
		if err := p.UnmarshalJSON([]byte(body)); err == nil {
			t.Errorf("%s decoded without error", body)
		}
	}
}
