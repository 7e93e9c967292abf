package opp

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// captureAnswer is an answer to a capture as OPP's documentation shows
// one.
const captureAnswer = `{"id":"8ac7a4a1845f7e6b01846011a8b1beef","referencedId":"8ac7a4a1845f7e6b01846011a8b1aaaa",` +
	`"paymentType":"CP","amount":"10.00","currency":"EUR","descriptor":"4610.8883.4210 Shop",` +
	`"merchantTransactionId":"order-42-capture","result":{"code":"000.100.110",` +
	`"description":"Request successfully processed in 'Merchant in Integrator Test Mode'"},` +
	`"resultDetails":{"ConnectorTxID1":"1111-2222","AcquirerResponse":"00"},"buildNumber":"b1@2026-11-01",` +
	`"timestamp":"2026-11-23 08:00:00+0000","ndc":"8a8294174b7ecb28014b9699220015ca_ab12"}`

// OPP's answers as its documentation shows them: a pending debit (with a
// redirect and a bank account, which WirePayment does not hold), a
// rejected access token, and throttling.
const (
	pendingAnswer   = `{"id":"8a8294495bd8df2e015bdcff493b390b","paymentType":"DB","paymentBrand":"SOFORTUEBERWEISUNG","amount":"10.00","currency":"EUR","descriptor":"4610.8883.4210 Sofort_Channel ","result":{"code":"000.200.000","description":"transaction pending"},"resultDetails":{"connectorId":"1111-2222-3333-4444","AcquirerResponse":"received","ConnectorTxID1":"1111-2222-3333-4444"},"bankAccount":{"country":"AT"},"redirect":{"url":"https://test.acaptureservices.com/connectors/demo/sofortbanking/simulator/login.ftl?...","parameters":[]},"buildNumber":"12f84ff3b13acc20971256c12de7ebf3dca5b5a8@2017-05-04 12:59:36 +0000","timestamp":"2017-05-06 09:02:49+0000","ndc":"8a829417572279ad015732d66cb427b6_9632929d673b4d8caaaa09a2facc3a09"}`
	rejectedAnswer  = `{"id":"8a82944a5bd8e738015bdd00507d6e08","paymentType":"DB","paymentBrand":"SOFORTUEBERWEISUNG","result":{"code":"800.900.300","description":"invalid authentication information"},"bankAccount":{"country":"AT"},"buildNumber":"12f84ff3b13acc20971256c12de7ebf3dca5b5a8@2017-05-04 12:59:36 +0000","timestamp":"2017-05-06 09:03:57+0000","ndc":"8a829417572279ad015732d66cb427b6_f0fae40f2e7f4bcdb64b5609d7ed6eb0"}`
	throttledAnswer = `{"buildNumber":"b297e8ec4aa0888454578e292c67546d4c6a5c28@2018-08-30 06:31:46 +****","id":"8ac9a4a8658afc790165a3f0e436198d","ndc":"8acda4c9635ea2d90163636f0a462510_ebb07f3e26e942908d6eeed03a813237","result":{"code":"800.120.100","description":"Too many requests. Please try again later."},"timestamp":"2018-09-04 09:42:33+0000"}`
)

// agree checks DecodeFast against encoding/json on data: when the fast path
// takes data, encoding/json must decode it without error into exactly the
// same value; when it declines, *w must be left zero. It returns whether
// the fast path took data.
func agree(t testing.TB, data []byte) bool {
	t.Helper()
	var fast WireAnswer
	ok := DecodeFast(data, &fast)
	if !ok {
		if !reflect.DeepEqual(fast, WireAnswer{}) {
			t.Fatalf("declined %q but left %#v", data, fast)
		}
		return false
	}
	var slow WireAnswer
	if err := json.Unmarshal(data, &slow); err != nil {
		t.Fatalf("fast path took %q, which encoding/json refuses: %v", data, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q\nfast:          %#v\nencoding/json: %#v", data, fast, slow)
	}
	return true
}

func TestDecodeFastAgreesWithEncodingJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		data string
		fast bool // whether the fast path takes it
	}{
		{"capture answer", captureAnswer, true},
		{"documented pending answer", pendingAnswer, true},
		{"documented rejected token", rejectedAnswer, true},
		{"documented throttling", throttledAnswer, true},
		{"decline with card", `{"id":"x","paymentType":"DB","result":{"code":"800.100.151","description":"transaction declined (invalid card)"},` +
			`"card":{"bin":"420000","last4Digits":"0000","holder":"Jane Jones","expiryMonth":"05","expiryYear":"2034"}}`, true},
		{"custom parameters and memo", `{"result":{"code":"000.100.110"},"merchantMemo":"memo","customParameters":{"SHOPPER_x":"1","a":""},"shortId":"1234.5678.9012","paymentBrand":"VISA"}`, true},
		{"whitespace everywhere", " \n{ \"id\" : \"a\" ,\r\n\t\"result\" : { \"code\" : \"000.000.000\" } } \n", true},
		{"empty object", `{}`, true},
		{"empty result details", `{"result":{"code":"000.100.110"},"resultDetails":{}}`, true},
		{"repeated map key keeps the last", `{"resultDetails":{"a":"1","a":"2"},"result":{"code":"000.100.110"}}`, true},
		{"unknown fields skipped", `{"risk":{"score":"0","flags":[1,-2.5e+3,true,false,null,{"x":[]}]},"redirect":{"url":"https:\/\/x\u00e9"},"n":0,"result":{"code":"000.100.110","extra":[[]]},"card":{"type":"CREDIT"}}`, true},
		{"non-ASCII value", `{"descriptor":"Café ☕","result":{"code":"000.100.110"}}`, true},

		// declined: encoding/json decides
		{"lookup list", `{"result":{"code":"000.000.100"},"payments":[{"id":"a","result":{"code":"000.100.110"}}]}`, false},
		{"report count", `{"result":{"code":"000.000.100"},"records":2}`, false},
		{"parameter errors", `{"result":{"code":"200.300.404","parameterErrors":[{"name":"amount","value":"x","message":"bad"}]}}`, false},
		{"escape in a value", `{"descriptor":"a\"b","result":{"code":"000.100.110"}}`, false},
		{"escape in a key", `{"\u0069d":"x"}`, false},
		{"non-ASCII key", `{"ſhortId":"x"}`, false},
		{"key differing in case", `{"ID":"x"}`, false},
		{"result key differing in case", `{"result":{"CODE":"x"}}`, false},
		{"card key differing in case", `{"card":{"BIN":"x"}}`, false},
		{"repeated field", `{"id":"a","id":"b"}`, false},
		{"repeated result", `{"result":{"code":"a"},"result":{"description":"b"}}`, false},
		{"repeated code", `{"result":{"code":"a","code":"b"}}`, false},
		{"null", `{"card":null}`, false},
		{"null string", `{"id":null}`, false},
		{"number for a string", `{"amount":10.00}`, false},
		{"number in result details", `{"resultDetails":{"n":1}}`, false},
		{"invalid UTF-8 in a value", "{\"id\":\"\xff\"}", false},
		{"control character", "{\"id\":\"a\x01\"}", false},
		{"not an object", `["a"]`, false},
		{"trailing data", `{} {}`, false},
		{"truncated", captureAnswer[:len(captureAnswer)-1], false},
		{"trailing comma", `{"id":"a",}`, false},
		{"leading zero", `{"n":01}`, false},
		{"bare minus", `{"n":-}`, false},
		{"bad exponent", `{"n":1e}`, false},
		{"bad literal", `{"n":nul}`, false},
		{"bad escape in a skipped string", `{"n":"\x"}`, false},
		{"short unicode escape", `{"n":"\u12"}`, false},
		{"too deep", `{"n":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, false},
		{"empty", ``, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := agree(t, []byte(tt.data)); got != tt.fast {
				t.Errorf("fast path took it: %v, want %v", got, tt.fast)
			}
		})
	}
}

// TestDecodeFastRandomAnswers checks 20,000 seeded random answers, built
// from OPP's fields, the same names in other cases, unknown fields, and
// values of every kind, and then often cut or altered at one byte.
func TestDecodeFastRandomAnswers(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 2026))
	const n = 20000
	took := 0
	for range n {
		data := []byte(randomAnswer(r))
		switch r.IntN(4) {
		case 0: // cut
			data = data[:r.IntN(len(data)+1)]
		case 1: // one byte altered
			if len(data) > 0 {
				const alter = "{}[]\",:\\ 0a\xff"
				data[r.IntN(len(data))] = alter[r.IntN(len(alter))]
			}
		}
		if agree(t, data) {
			took++
		}
	}
	// The check above passes trivially if the fast path declines
	// everything; it must take a good share of these answers (half of
	// them are cut or altered, mostly into invalid JSON).
	if took < n/5 {
		t.Errorf("the fast path took %d of %d answers, want at least a fifth", took, n)
	}
	t.Logf("the fast path took %d of %d", took, n)
}

// randomAnswer is a JSON object of random members, each value of the kind
// its key's field holds most of the time.
func randomAnswer(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(pick(r, "", " ", "\n"))
	b.WriteByte('{')
	for i := range r.IntN(8) {
		if i > 0 {
			b.WriteString(pick(r, ",", ", ", "\n,"))
		}
		key := randomKey(r, paymentKeys[:])
		b.WriteString(`"` + key + `":`)
		switch strings.ToLower(key) {
		case "result":
			b.WriteString(randomObject(r, resultKeys))
		case "card":
			b.WriteString(randomObject(r, cardKeys))
		case "resultdetails", "customparameters":
			b.WriteString(randomObject(r, []string{"ConnectorTxID1", "AcquirerResponse", "SHOPPER_x", "a"}))
		default:
			b.WriteString(randomValue(r, 0))
		}
	}
	b.WriteString(pick(r, "}", " }", "}\n"))
	return b.String()
}

// randomObject is an object of members named from keys (or not), with
// plain string values most of the time.
func randomObject(r *rand.Rand, keys []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range r.IntN(4) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + randomKey(r, keys) + `":` + randomValue(r, 1))
	}
	b.WriteByte('}')
	return b.String()
}

// randomKey is one of keys, the same in another case, or another name.
func randomKey(r *rand.Rand, keys []string) string {
	k := keys[r.IntN(len(keys))]
	switch r.IntN(24) {
	case 0:
		return strings.ToUpper(k)
	case 1:
		return pick(r, "risk", "redirect", "", "x", "ſhortId", `i\u0064`)
	}
	return k
}

// randomValue is a JSON value: mostly plain strings, sometimes strings
// with escapes or non-ASCII, numbers, literals, arrays and objects of
// strings.
func randomValue(r *rand.Rand, depth int) string {
	switch r.IntN(24) {
	case 0:
		return pick(r, "0", "-1.5", "2e10", "1E-2", "null", "true", "false")
	case 1:
		return pick(r, `"a\"b"`, `"\u00e9"`, `"é"`, `"€ ok"`, "\"\xff\"", `"\/"`, `""`)
	case 2:
		if depth < 3 {
			return "[" + randomValue(r, depth+1) + "," + randomValue(r, depth+1) + "]"
		}
	case 3:
		if depth < 3 {
			return `{"` + pick(r, "a", "b", "AcquirerResponse") + `":` + randomValue(r, depth+1) + `,"b":` + randomValue(r, depth+1) + `}`
		}
	}
	return `"` + pick(r, "000.100.110", "10.00", "EUR", "CP", "8ac7a4a1845f7e6b01846011a8b1beef", "order 42", "2026-11-23 08:00:00+0000") + `"`
}

func pick(r *rand.Rand, s ...string) string { return s[r.IntN(len(s))] }

// FuzzDecodeFast checks the fast path against encoding/json on any input.
func FuzzDecodeFast(f *testing.F) {
	f.Add([]byte(captureAnswer))
	f.Add([]byte(`{"result":{"code":"000.100.110"},"resultDetails":{"a":"1"},"card":{"bin":"420000"},"x":[1,{"y":null}]}`))
	f.Add([]byte(`{"result":{"code":"200.300.404","parameterErrors":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		agree(t, data)
	})
}

// BenchmarkDecode compares the fast path with encoding/json on an answer
// to a capture.
func BenchmarkDecode(b *testing.B) {
	data := []byte(captureAnswer)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var w WireAnswer
			if !DecodeFast(data, &w) {
				b.Fatal("declined")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var w WireAnswer
			if err := json.Unmarshal(data, &w); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDecodeFastCopies checks that nothing decoded refers to the input,
// which the client's buffer pool reuses as soon as an answer is decoded.
func TestDecodeFastCopies(t *testing.T) {
	data := []byte(captureAnswer)
	var w WireAnswer
	if !DecodeFast(data, &w) {
		t.Fatal("declined")
	}
	var want WireAnswer
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 'x'
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("after the input was overwritten:\n%#v\nwant %#v", w, want)
	}
}

// TestDecodeFastKnowsEveryField pins the fast path's lists of names to the
// JSON names of WireAnswer, WireResult and WireCard: a field added to one of
// them and not to the fast path would be skipped there as unknown, and
// decoded by encoding/json.
func TestDecodeFastKnowsEveryField(t *testing.T) {
	for _, tt := range []struct {
		typ  reflect.Type
		keys []string
	}{
		{reflect.TypeFor[WireAnswer](), paymentKeys[:]},
		{reflect.TypeFor[WireResult](), resultKeys},
		{reflect.TypeFor[WireCard](), cardKeys},
	} {
		got := slices.Sorted(slices.Values(tt.keys))
		if want := jsonNames(tt.typ); !slices.Equal(got, want) {
			t.Errorf("%v: the fast path knows %q, the type has %q", tt.typ, got, want)
		}
	}
}

// jsonNames are the JSON names of t's fields, those of embedded structs
// included, sorted.
func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			names = append(names, jsonNames(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
