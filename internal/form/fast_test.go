package form

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
)

// slowEncode is go-querystring's encoding of op: the definition the fast
// path must match byte for byte.
func slowEncode(t testing.TB, op *Operation) string {
	t.Helper()
	v, err := query.Values(op)
	if err != nil {
		t.Fatal(err)
	}
	return v.Encode()
}

// alphabet mixes what OPP's parameters hold (digits, letters, '.', '-', ':')
// with what needs escaping (space, '&', '=', '+', '%', '[', ']', '/', '~',
// non-ASCII), so that random strings exercise every escaping case.
var alphabet = []rune("aZ09.-_:/ &=+%[]~?#é€\x00\n")

func randomString(r *rand.Rand, maxLen int) string {
	var b strings.Builder
	for range r.IntN(maxLen + 1) {
		b.WriteRune(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

// randomOperation fills every string field of Operation by reflection, so
// that a field added to Operation is exercised without changing this
// test, each field empty a quarter of the time; and 0 to 6 custom
// parameters, with names that are often prefixes of one another.
func randomOperation(r *rand.Rand) *Operation {
	op := &Operation{}
	v := reflect.ValueOf(op).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			if r.IntN(4) > 0 {
				f.SetString(randomString(r, 12))
			}
		case reflect.Map:
			switch n := r.IntN(8); n {
			case 0: // nil
			case 1:
				f.Set(reflect.MakeMap(f.Type())) // empty, not nil
			default:
				p := make(Params, n-1)
				base := randomString(r, 3)
				for range n - 1 {
					p[base+randomString(r, 2)] = randomString(r, 6)
				}
				f.Set(reflect.ValueOf(p))
			}
		default:
			panic("randomOperation: no generator for field " + v.Type().Field(i).Name)
		}
	}
	return op
}

// TestEncodeMatchesQuerystring proves the fast path byte-identical to
// go-querystring on 20,000 random operations (seeded, so a failure
// reproduces), and on the zero Operation.
func TestEncodeMatchesQuerystring(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	cases := []*Operation{{}}
	for range 20000 {
		cases = append(cases, randomOperation(r))
	}
	for i, op := range cases {
		got, err := Encode(op)
		if err != nil {
			t.Fatal(err)
		}
		if want := slowEncode(t, op); string(got) != want {
			t.Fatalf("case %d: %#v\nfast:          %s\ngo-querystring: %s", i, op, got, want)
		}
	}
}

// TestEncodeKnownBodies pins the fast path on the bodies the operations
// send, names and order as OPP receives them.
func TestEncodeKnownBodies(t *testing.T) {
	for _, tc := range []struct {
		op   Operation
		want string
	}{
		{Operation{EntityID: "e1", PaymentType: "RV"}, "entityId=e1&paymentType=RV"},
		{Operation{EntityID: "e1", PaymentType: "CP", Amount: "10.00", Currency: "EUR", MerchantTransactionID: "order-42"},
			"amount=10.00&currency=EUR&entityId=e1&merchantTransactionId=order-42&paymentType=CP"},
		{Operation{EntityID: "e1", PaymentType: "CB", Amount: "1.00", Currency: "EUR", Descriptor: "Order 42 & co",
			MerchantMemo: "m", TestMode: "EXTERNAL", CustomParameters: Params{"CHARGEBACK_REASON": "4837", "A": "x", "AB": "y", "a": "z"}},
			"amount=1.00&currency=EUR&customParameters%5BAB%5D=y&customParameters%5BA%5D=x&customParameters%5BCHARGEBACK_REASON%5D=4837" +
				"&customParameters%5Ba%5D=z&descriptor=Order+42+%26+co&entityId=e1&merchantMemo=m&paymentType=CB&testMode=EXTERNAL"},
		{Operation{}, "entityId=&paymentType="},
	} {
		got, err := Encode(&tc.op)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.want {
			t.Errorf("Encode(%+v)\n got %s\nwant %s", tc.op, got, tc.want)
		}
		if slow := slowEncode(t, &tc.op); slow != tc.want {
			t.Errorf("go-querystring: %s\n          want %s", slow, tc.want)
		}
	}
}

// TestEncodeCreditUsesQuerystring: a credit is not on the fast path, and
// a nil *Operation encodes as go-querystring encodes it (nothing).
func TestEncodeCreditUsesQuerystring(t *testing.T) {
	c := &Credit{Operation: Operation{EntityID: "e1", PaymentType: "CD", Amount: "5.00"}, CardHolder: "Jane Roe", BillingCity: "Köln"}
	got, err := Encode(c)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := query.Values(c)
	if string(got) != v.Encode() {
		t.Errorf("credit: %s; want %s", got, v.Encode())
	}
	if got, err := Encode((*Operation)(nil)); err != nil || len(got) != 0 {
		t.Errorf("nil operation: %q, %v", got, err)
	}
}

// FuzzEncode compares the fast path with go-querystring on fuzzed fields
// and two custom parameters.
func FuzzEncode(f *testing.F) {
	f.Add("e1", "CP", "10.00", "EUR", "Order 42", "order-42", "memo", "EXTERNAL", "A", "x", "AB", "y")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, entity, typ, amount, currency, descriptor, mtid, memo, testMode, k1, v1, k2, v2 string) {
		op := &Operation{EntityID: entity, PaymentType: typ, Amount: amount, Currency: currency, Descriptor: descriptor,
			MerchantTransactionID: mtid, MerchantMemo: memo, TestMode: testMode}
		if k1 != "" || k2 != "" {
			op.CustomParameters = Params{k1: v1, k2: v2}
		}
		got, err := Encode(op)
		if err != nil {
			t.Fatal(err)
		}
		if want := slowEncode(t, op); string(got) != want {
			t.Fatalf("%#v\nfast:          %s\ngo-querystring: %s", op, got, want)
		}
	})
}

// BenchmarkEncode compares the fast path with go-querystring on a capture.
func BenchmarkEncode(b *testing.B) {
	op := &Operation{EntityID: "8a8294174b7ecb28014b9699220015ca", PaymentType: "CP", Amount: "10.00", Currency: "EUR",
		MerchantTransactionID: "bo-5f2c9a1e7d3b4c6a8e0f1a2b3c4d5e6f"}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Encode(op); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-querystring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, err := query.Values(op)
			if err != nil {
				b.Fatal(err)
			}
			_ = []byte(v.Encode())
		}
	})
}
