package backoffice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/oppkit/backoffice/internal/form"
	"github.com/oppkit/backoffice/internal/money"
	"github.com/shopspring/decimal"
)

// echoTransport answers every operation with a success that echoes the
// request's form, and keeps the last body it was sent.
type echoTransport struct{ body []byte }

func (e *echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	e.body = body
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	ref := strings.TrimPrefix(r.URL.Path, "/v1/payments")
	ref = strings.TrimPrefix(ref, "/")
	answer := paymentJSON("8ac7a4a1845f7e6b01846011a8b1beef", ref, PaymentType(v.Get("paymentType")), v.Get("amount"), v.Get("currency"),
		v.Get("merchantTransactionId"), codeOK, descOK)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(answer)), ContentLength: int64(len(answer)), Request: r}, nil
}

// TestEveryRequestEncodesAsQuerystring sends random valid requests of
// every type through a Client and checks each body byte for byte against
// go-querystring's encoding of the form the request stands for: the fast
// path of the operations, and go-querystring itself for credits, send what
// go-querystring defines. The inputs are seeded, so a failure reproduces.
func TestEveryRequestEncodesAsQuerystring(t *testing.T) {
	perType := 3000 // 21,000 requests in all
	if testing.Short() {
		perType = 300
	}
	tr := &echoTransport{}
	c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 2026))
	for _, op := range []Operation{OperationCapture, OperationReverse, OperationRefund, OperationChargeback,
		OperationReverseChargeback, OperationRebill, OperationCredit} {
		compared := 0
		for range perType {
			g := randomRequest(r, op)
			var err error
			switch op { // keyed literals: a new request field leaves it zero
			case OperationCapture:
				_, err = c.Capture(ctx, testPayID, CaptureRequest{Amount: g.amount, Currency: g.currency, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationReverse:
				_, err = c.Reverse(ctx, testPayID, ReverseRequest{Amount: g.amount, Currency: g.currency, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationRefund:
				_, err = c.Refund(ctx, testPayID, RefundRequest{Amount: g.amount, Currency: g.currency, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationChargeback:
				_, err = c.Chargeback(ctx, testPayID, ChargebackRequest{Amount: g.amount, Currency: g.currency, Reason: g.reason, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationReverseChargeback:
				_, err = c.ReverseChargeback(ctx, testPayID, ReverseChargebackRequest{Amount: g.amount, Currency: g.currency, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationRebill:
				_, err = c.Rebill(ctx, testPayID, RebillRequest{Amount: g.amount, Currency: g.currency, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			case OperationCredit:
				_, err = c.Credit(ctx, CreditRequest{Amount: g.amount, Currency: g.currency, PaymentBrand: "VISA", Card: g.card, Billing: g.billing, Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, CustomParameters: g.custom, TestMode: g.testMode})
			}
			if ve := (*ValidationError)(nil); errors.As(err, &ve) {
				continue // the generator aims at valid input; the rules are not this test's subject
			}
			if err != nil {
				t.Fatalf("%s %+v: %v", op, g, err)
			}
			want := g.expected(t, op, tr.body)
			if !bytes.Equal(tr.body, want) {
				t.Fatalf("%s %+v:\n sent          %s\n go-querystring %s", op, g, tr.body, want)
			}
			compared++
		}
		if compared < perType*9/10 {
			t.Errorf("%s: only %d of %d random requests were valid", op, compared, perType)
		}
	}
}

// generated is one random request, whatever its type.
type generated struct {
	amount                         decimal.Decimal
	currency                       string
	descriptor, mtid, memo, reason string
	custom                         map[string]string
	testMode                       TestMode
	card                           CardDetails
	billing                        Billing
	fullReversal                   bool
	wantGeneratedMTID              bool
}

var (
	randCurrencies = []string{"EUR", "USD", "JPY", "KWD", "GBP"} // at most 2, 2, 0, 2, 2 decimals (OPP carries no third)
	randText       = []rune("abcXYZ019 .,-_:/&=+%?#'\"()éüß€中")
	randNames      = []rune("AZaz09_.-")
	randMTID       = []rune("AZaz09._:/-")
)

func randomRunes(r *rand.Rand, alphabet []rune, minLen, maxLen int) string {
	n := minLen + r.IntN(maxLen-minLen+1)
	var b strings.Builder
	for range n {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// maybe returns a random text half of the time, else "".
func maybe(r *rand.Rand, alphabet []rune, maxLen int) string {
	if r.IntN(2) == 0 {
		return ""
	}
	return randomRunes(r, alphabet, 1, maxLen)
}

func randomRequest(r *rand.Rand, op Operation) generated {
	g := generated{currency: randCurrencies[r.IntN(len(randCurrencies))]}
	scale := map[string]int32{"EUR": 2, "USD": 2, "JPY": 0, "KWD": 2, "GBP": 2}[g.currency]
	g.amount = decimal.New(1+r.Int64N(999_999_999), -scale)
	if op == OperationReverse && r.IntN(3) == 0 {
		g.amount, g.currency, g.fullReversal = decimal.Decimal{}, "", true
	}
	g.descriptor = maybe(r, randText, 40)
	g.mtid = maybe(r, randMTID, 64)
	g.wantGeneratedMTID = g.mtid == ""
	g.memo = maybe(r, randText, 40)
	if n := r.IntN(4); n > 0 {
		g.custom = make(map[string]string, n)
		for range n {
			g.custom[randomRunes(r, randNames, 1, 6)] = randomRunes(r, randText, 0, 12)
		}
	}
	g.testMode = []TestMode{"", TestModeExternal, TestModeInternal}[r.IntN(3)]
	if op == OperationChargeback {
		g.reason = randomRunes(r, randText, 1, 20)
	}
	if op == OperationCredit {
		g.card = CardDetails{Number: testCard, Holder: randomRunes(r, randText, 3, 30), ExpiryMonth: fmt.Sprintf("%02d", 1+r.IntN(12)),
			ExpiryYear: "2031", CVV: []string{"", testCVV, "1234"}[r.IntN(3)]}
		g.billing = Billing{Street1: maybe(r, randText, 30), Street2: maybe(r, randText, 30), City: maybe(r, randText, 20),
			State: maybe(r, randText, 10), Postcode: maybe(r, randText, 8), Country: []string{"", "DE", "FR"}[r.IntN(3)]}
	}
	return g
}

// expected is go-querystring's encoding of the form g stands for, built
// here from the request's fields, not by the SDK's builder. A generated
// merchantTransactionId is taken from the body sent, after checking its
// shape.
func (g generated) expected(t *testing.T, op Operation, sent []byte) []byte {
	t.Helper()
	f := form.Credit{Operation: form.Operation{EntityID: testEntity, PaymentType: string(op.PaymentType()),
		Descriptor: g.descriptor, MerchantTransactionID: g.mtid, MerchantMemo: g.memo, TestMode: string(g.testMode)}}
	if !g.fullReversal {
		s, err := money.Format(g.amount, g.currency)
		if err != nil {
			t.Fatal(err)
		}
		f.Amount, f.Currency = s, g.currency
	}
	if g.wantGeneratedMTID {
		v, _ := url.ParseQuery(string(sent))
		mtid := v.Get("merchantTransactionId")
		if len(mtid) != generatedMTLen || strings.ContainsFunc(mtid, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) {
			t.Fatalf("generated merchantTransactionId %q", mtid)
		}
		f.MerchantTransactionID = mtid
	}
	if len(g.custom) > 0 || op == OperationChargeback {
		f.CustomParameters = form.Params{}
		for k, v := range g.custom {
			f.CustomParameters[k] = v
		}
		if op == OperationChargeback {
			f.CustomParameters[ChargebackReasonParameter] = g.reason
		}
	}
	var v url.Values
	var err error
	if op == OperationCredit {
		f.PaymentBrand = "VISA"
		f.CardNumber, f.CardHolder, f.CardExpiryMonth, f.CardExpiryYear, f.CardCVV = g.card.Number, g.card.Holder, g.card.ExpiryMonth, g.card.ExpiryYear, g.card.CVV
		f.BillingStreet1, f.BillingStreet2, f.BillingCity, f.BillingState, f.BillingPostcode, f.BillingCountry =
			g.billing.Street1, g.billing.Street2, g.billing.City, g.billing.State, g.billing.Postcode, g.billing.Country
		v, err = query.Values(&f)
	} else {
		v, err = query.Values(&f.Operation)
	}
	if err != nil {
		t.Fatal(err)
	}
	return []byte(v.Encode())
}
