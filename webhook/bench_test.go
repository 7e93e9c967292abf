package webhook

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

// barePayment is the payment structure a merchant would write by hand for
// a payment notification: OPP's fields as strings, nothing converted.
type barePayment struct {
	ID                    string                             `json:"id"`
	ReferencedID          string                             `json:"referencedId"`
	PaymentType           string                             `json:"paymentType"`
	PaymentBrand          string                             `json:"paymentBrand"`
	Amount                string                             `json:"amount"`
	Currency              string                             `json:"currency"`
	Descriptor            string                             `json:"descriptor"`
	MerchantTransactionID string                             `json:"merchantTransactionId"`
	MerchantMemo          string                             `json:"merchantMemo"`
	Result                struct{ Code, Description string } `json:"result"`
	ResultDetails         map[string]any                     `json:"resultDetails"`
	CustomParameters      map[string]string                  `json:"customParameters"`
	Card                  *struct {
		Bin         string `json:"bin"`
		Last4Digits string `json:"last4Digits"`
		Holder      string `json:"holder"`
		ExpiryMonth string `json:"expiryMonth"`
		ExpiryYear  string `json:"expiryYear"`
	} `json:"card"`
	Timestamp   string `json:"timestamp"`
	BuildNumber string `json:"buildNumber"`
	NDC         string `json:"ndc"`
	ShortID     string `json:"shortId"`
}

// BenchmarkParse compares what the handler does with a payment notification
// (open it, Parse it) with the least a hand-written endpoint does: a bare
// AES-GCM open and one json.Unmarshal into a hand-written structure. Both
// sub-benchmarks run in one invocation, and Interleaved alternates them and
// reports the ratio of their times (parse/bare), Parse's overhead:
//
//	go test -run '^$' -bench 'Parse|Bare' -count 6 ./webhook/
func BenchmarkParse(b *testing.B) {
	aead, err := newAEAD(vectorKey)
	if err != nil {
		b.Fatal(err)
	}
	tag, body, err := EncryptWithIV(vectorKey, vectorIV, []byte(chargebackJSON))
	if err != nil {
		b.Fatal(err)
	}
	parse := func(b *testing.B) {
		plain, err := open(aead, vectorIV, tag, body)
		if err != nil {
			b.Fatal(err)
		}
		n, err := Parse(plain)
		if err != nil || n.Payment == nil {
			b.Fatal(err)
		}
	}
	bare := func(b *testing.B) {
		plain, err := open(aead, vectorIV, tag, body)
		if err != nil {
			b.Fatal(err)
		}
		var n struct {
			Type    string      `json:"type"`
			Action  string      `json:"action"`
			Payload barePayment `json:"payload"`
		}
		if err := json.Unmarshal(plain, &n); err != nil || n.Payload.Result.Code == "" {
			b.Fatal(err)
		}
	}
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			parse(b)
		}
	})
	b.Run("BareOpenUnmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			bare(b)
		}
	})
	// Interleaved runs the two alternately, in batches of 16, and reports
	// the ratio of their total times (parse/bare) and of their fastest
	// batches (fastest-parse/fastest-bare): a machine's load changes both
	// alike, and the fastest batches are the ones it disturbed least.
	b.Run("Interleaved", func(b *testing.B) {
		var inParse, inBare time.Duration
		fastParse, fastBare := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		for b.Loop() {
			start := time.Now()
			for range 16 {
				parse(b)
			}
			mid := time.Now()
			for range 16 {
				bare(b)
			}
			p, q := mid.Sub(start), time.Since(mid)
			inParse, inBare = inParse+p, inBare+q
			fastParse, fastBare = min(fastParse, p), min(fastBare, q)
		}
		b.ReportMetric(float64(inParse)/float64(inBare), "parse/bare")
		b.ReportMetric(float64(fastParse)/float64(fastBare), "fastest-parse/fastest-bare")
	})
}
