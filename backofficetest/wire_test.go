package backofficetest

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oppkit/backoffice/resultcodes"
)

// The verbatim sample bodies of opp-api.md §4.
const (
	sampleSuccess  = `{"id":"8a8294495bd8df2e015bdcff493b390b","paymentType":"DB","paymentBrand":"SOFORTUEBERWEISUNG","amount":"10.00","currency":"EUR","descriptor":"4610.8883.4210 Sofort_Channel ","result":{"code":"000.200.000","description":"transaction pending"},"resultDetails":{"connectorId":"1111-2222-3333-4444","AcquirerResponse":"received","ConnectorTxID1":"1111-2222-3333-4444"},"bankAccount":{"country":"AT"},"redirect":{"url":"https://test.acaptureservices.com/connectors/demo/sofortbanking/simulator/login.ftl?...","parameters":[]},"buildNumber":"12f84ff3b13acc20971256c12de7ebf3dca5b5a8@2017-05-04 12:59:36 +0000","timestamp":"2017-05-06 09:02:49+0000","ndc":"8a829417572279ad015732d66cb427b6_9632929d673b4d8caaaa09a2facc3a09"}`
	sampleAuth     = `{"id":"8a82944a5bd8e738015bdd00507d6e08","paymentType":"DB","paymentBrand":"SOFORTUEBERWEISUNG","result":{"code":"800.900.300","description":"invalid authentication information"},"bankAccount":{"country":"AT"},"buildNumber":"12f84ff3b13acc20971256c12de7ebf3dca5b5a8@2017-05-04 12:59:36 +0000","timestamp":"2017-05-06 09:03:57+0000","ndc":"8a829417572279ad015732d66cb427b6_f0fae40f2e7f4bcdb64b5609d7ed6eb0"}`
	sampleThrottle = `{"buildNumber":"b297e8ec4aa0888454578e292c67546d4c6a5c28@2018-08-30 06:31:46 +****","id":"8ac9a4a8658afc790165a3f0e436198d","ndc":"8acda4c9635ea2d90163636f0a462510_ebb07f3e26e942908d6eeed03a813237","result":{"code":"800.120.100","description":"Too many requests. Please try again later."},"timestamp":"2018-09-04 09:42:33+0000"}`
	// sampleValidation is §4's error shape (inferred there from the structs).
	sampleValidation = `{"result":{"code":"200.300.404","description":"invalid or missing parameter","parameterErrors":[{"name":"amount","value":"1.234","message":"must match ^[0-9]{1,10}(\\.[0-9]{2})?$"}]},"buildNumber":"…","timestamp":"…","ndc":"…"}`
)

// formats are the value formats of OPP's fields, checked on the samples and
// on the fake's answers.
var formats = map[string]*regexp.Regexp{
	"id":          regexp.MustCompile(`^[0-9a-f]{32}$`),
	"amount":      regexp.MustCompile(`^[0-9]{1,10}\.[0-9]{2}$`),
	"currency":    regexp.MustCompile(`^[A-Z]{3}$`),
	"timestamp":   regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\+0000$`),
	"ndc":         regexp.MustCompile(`^[0-9a-f]{32}_[0-9a-f]{32}$`),
	"buildNumber": regexp.MustCompile(`^[0-9a-f]{40}@[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \+[0-9*]{4}$`),
	"code":        regexp.MustCompile(`^[0-9]{3}\.[0-9]{3}\.[0-9]{3}$`),
}

func decodeMap(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return m
}

// checkFormats checks every field of m that has a known format.
func checkFormats(t *testing.T, what string, m map[string]any) {
	t.Helper()
	for k, v := range m {
		if re, ok := formats[k]; ok {
			if s, _ := v.(string); !re.MatchString(s) {
				t.Errorf("%s: %s = %v does not match %s", what, k, v, re)
			}
		}
	}
	if r, ok := m["result"].(map[string]any); ok {
		if s, _ := r["code"].(string); !formats["code"].MatchString(s) {
			t.Errorf("%s: result.code %v", what, r["code"])
		}
		if _, ok := r["description"].(string); !ok {
			t.Errorf("%s: result.description missing", what)
		}
	}
}

// sameShape checks that got has every key of sample except skip, with the
// same JSON kind, and no key that sample lacks except extra.
func sameShape(t *testing.T, what string, sample, got map[string]any, skip, extra []string) {
	t.Helper()
	for k, v := range sample {
		if slices.Contains(skip, k) {
			continue
		}
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: key %q of the sample is missing", what, k)
			continue
		}
		if kind(g) != kind(v) {
			t.Errorf("%s: key %q is a %s, the sample's a %s", what, k, kind(g), kind(v))
		}
	}
	for k := range got {
		if _, ok := sample[k]; !ok && !slices.Contains(extra, k) {
			t.Errorf("%s: key %q is not in the sample", what, k)
		}
	}
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "other"
}

// TestSamplesMatchTheFormats validates the format table on OPP's own bodies.
func TestSamplesMatchTheFormats(t *testing.T) {
	for name, s := range map[string]string{"success": sampleSuccess, "auth": sampleAuth} {
		checkFormats(t, name, decodeMap(t, s))
	}
}

// TestWireShapeMatchesTheSamples compares the fake's bodies with opp-api.md
// §4's: the same keys (less the Sofort-only ones), JSON kinds and formats,
// and the Content-Type.
func TestWireShapeMatchesTheSamples(t *testing.T) {
	g := New()
	db := send(t, g, http.MethodPost, "/v1/payments", cardForm("DB"), DefaultToken)
	expect(t, "DB", db, http.StatusOK, ok)
	if ct := db.header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type %q", ct)
	}
	got := decodeMap(t, db.raw)
	sameShape(t, "DB", decodeMap(t, sampleSuccess), got, []string{"bankAccount", "redirect"}, []string{"card", "shortId"})
	checkFormats(t, "DB", got)
	details := got["resultDetails"].(map[string]any)
	for _, k := range []string{"ConnectorTxID1", "AcquirerResponse"} {
		if _, ok := details[k]; !ok {
			t.Errorf("resultDetails lacks %s", k)
		}
	}

	cp := operation(t, g, db.body.ID, "RF", "10.00", "EUR", "merchantTransactionId", "order-0001", "merchantMemo", "memo")
	expect(t, "RF", cp, http.StatusOK, ok)
	got = decodeMap(t, cp.raw)
	sameShape(t, "RF", decodeMap(t, sampleSuccess), got, []string{"bankAccount", "redirect", "paymentBrand"},
		[]string{"referencedId", "merchantTransactionId", "merchantMemo", "shortId"})
	checkFormats(t, "RF", got)

	auth := send(t, g, http.MethodPost, "/v1/payments", cardForm("DB"), "wrong-token")
	expect(t, "auth", auth, http.StatusForbidden, codeBadAuth)
	got = decodeMap(t, auth.raw)
	sameShape(t, "auth", decodeMap(t, sampleAuth), got, []string{"bankAccount", "paymentBrand"}, nil)
	checkFormats(t, "auth", got)
	for _, k := range []string{"amount", "currency"} {
		if _, ok := got[k]; ok {
			t.Errorf("auth failure carries %s: not processed, so it must be absent", k)
		}
	}

	if err := g.FailNext("RF", 1, Throttle); err != nil {
		t.Fatal(err)
	}
	thr := operation(t, g, db.body.ID, "RF", "1.00", "EUR")
	expect(t, "throttle", thr, http.StatusTooManyRequests, codeThrottled)
	got = decodeMap(t, thr.raw)
	sameShape(t, "throttle", decodeMap(t, sampleThrottle), got, nil, nil)
	checkFormats(t, "throttle", got)

	bad := operation(t, g, db.body.ID, "RF", "1.234", "EUR")
	expect(t, "validation", bad, http.StatusBadRequest, codeBadParameter)
	got = decodeMap(t, bad.raw)
	sameShape(t, "validation", decodeMap(t, sampleValidation), got, nil, []string{"id"})
	checkFormats(t, "validation", got)
	pe := bad.body.Result.ParameterErrors
	if len(pe) != 1 || pe[0].Name != "amount" || pe[0].Value != "1.234" || pe[0].Message != `must match ^[0-9]{1,10}(\.[0-9]{2})?$` {
		t.Errorf("parameterErrors %+v", pe)
	}
}

// TestGoldenCapture pins one whole answer: a default gateway is
// deterministic, so every byte is known.
func TestGoldenCapture(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	a := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "order-0001", "descriptor", "Shop 42", "customParameters[SHOP]", "eu")
	const want = `{"id":"30eefd8f195af848ffd34bb6fb1106fc","referencedId":"824db13f68a8a8e2f72ed20f7ce5d1e9","paymentType":"CP",` +
		`"amount":"10.00","currency":"EUR","descriptor":"Shop 42","merchantTransactionId":"order-0001","customParameters":{"SHOP":"eu"},` +
		`"result":{"code":"000.100.110","description":"Request successfully processed in 'Merchant in Integrator Test Mode'"},` +
		`"resultDetails":{"ExtendedDescription":"Approved","ConnectorTxID1":"FAKE-30eefd8f195af848","AcquirerResponse":"00"},` +
		`"shortId":"3776.0796.8746","buildNumber":"8c6c1a3e0b5f4f2e9d7a6b5c4d3e2f1a0b9c8d7e@2026-01-01 00:00:00 +0000",` +
		`"timestamp":"2026-01-01 00:00:01+0000","ndc":"feedfacecafebeef0123456789abcdef_adfcb637b1383dd620839e053c0ada92"}`
	if a.raw != want {
		t.Errorf("body\n%s\nwant\n%s", a.raw, want)
	}
}

// TestEscaping checks that text fields are valid JSON whatever they hold.
func TestEscaping(t *testing.T) {
	g := New()
	id := g.SeedDebit(dec("10.00"), "EUR")
	memo := "a \"quoted\" <b>&</b> \\ é ✓"
	a := operation(t, g, id, "RF", "1.00", "EUR", "merchantMemo", memo, "customParameters[X]", memo)
	expect(t, "RF", a, http.StatusOK, ok)
	if a.body.MerchantMemo != memo || a.body.CustomParameters["X"] != memo {
		t.Errorf("memo %q, custom %q", a.body.MerchantMemo, a.body.CustomParameters)
	}
}

// TestValidation covers the format checks of a backoffice POST, each with
// its exact code and HTTP 400, and proves that none of them commits.
func TestValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name  string
		edit  func(v map[string][]string)
		code  string
		param string // the parameterErrors name, if any
		value string // its value
	}{
		{"three decimals", set("amount", "1.234"), codeBadParameter, "amount", "1.234"},
		{"one decimal", set("amount", "1.5"), codeBadParameter, "amount", "1.5"},
		{"comma", set("amount", "1,50"), codeBadParameter, "amount", "1,50"},
		{"letters", set("amount", "ten"), codeBadParameter, "amount", "ten"},
		{"negative", set("amount", "-20.20"), codeBadParameter, "amount", "-20.20"},
		{"plus sign", set("amount", "+1.00"), codeBadParameter, "amount", "+1.00"},
		{"exponent", set("amount", "1e2"), codeBadParameter, "amount", "1e2"},
		{"leading dot", set("amount", ".50"), codeBadParameter, "amount", ".50"},
		{"trailing dot", set("amount", "1."), codeBadParameter, "amount", "1."},
		{"eleven digits", set("amount", "12345678901.00"), codeBadParameter, "amount", "12345678901.00"},
		{"huge exponent", set("amount", "1e-2147483648"), codeBadParameter, "amount", "1e-2147483648"},
		{"zero", set("amount", "0.00"), codeNoAmount, "amount", "0.00"},
		{"missing amount", del("amount"), codeNoAmount, "amount", ""},
		{"empty amount", set("amount", ""), codeNoAmount, "amount", ""},
		{"missing currency", del("currency"), codeNoCurrency, "currency", ""},
		{"lower-case currency", set("currency", "eur"), codeInvalidCurrency, "currency", "eur"},
		{"four-letter currency", set("currency", "EURO"), codeInvalidCurrency, "currency", "EURO"},
		{"test mode LIVE", set("testMode", "LIVE"), codeTestMode, "testMode", "LIVE"},
		{"unknown parameter", set("shopperResultUrl", "x"), codeBadParameter, "shopperResultUrl", "x"},
		{"card data on a referenced op", set("card.number", "4200000000000000"), codeBadParameter, "card.number", "420000******0000"},
		{"repeated parameter", func(v map[string][]string) { v["amount"] = []string{"1.00", "2.00"} }, codeBadParameter, "amount", "1.00"},
		{"missing entity", del("entityId"), codeBadParameter, "entityId", ""},
		{"missing payment type", del("paymentType"), codeBadParameter, "paymentType", ""},
		{"unknown payment type", set("paymentType", "XX"), codeBadPaymentType, "paymentType", "XX"},
		{"initial type on a reference", set("paymentType", "PA"), codeBadPaymentType, "paymentType", "PA"},
		{"merchantTransactionId too long", set("merchantTransactionId", long(256)), codeMTIDTooLong, "merchantTransactionId", long(256)},
		{"control character in merchantTransactionId", set("merchantTransactionId", "a\nb"), codeBadParameter, "merchantTransactionId", "a\nb"},
		{"merchantTransactionId of seven characters", set("merchantTransactionId", "order-1"), codeBadParameter, "merchantTransactionId", "order-1"},
		{"descriptor too long", set("descriptor", long(128)), codeBadParameter, "descriptor", long(128)},
		{"memo too long", set("merchantMemo", long(256)), codeBadParameter, "merchantMemo", long(256)},
		{"custom parameter name", set("customParameters[a b]", "x"), codeBadParameter, "customParameters[a b]", "x"},
		{"custom parameter value too long", set("customParameters[A]", long(2049)), codeBadParameter, "customParameters[A]", long(2049)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New()
			id := g.SeedPreAuthorization(dec("100.00"), "EUR")
			v := form("entityId", DefaultEntityID, "paymentType", "CP", "amount", "10.00", "currency", "EUR", "merchantTransactionId", "mtid-0001")
			tt.edit(v)
			a := send(t, g, http.MethodPost, "/v1/payments/"+id, v, DefaultToken)
			expect(t, tt.name, a, http.StatusBadRequest, tt.code)
			pe := a.body.Result.ParameterErrors
			if len(pe) != 1 || pe[0].Name != tt.param || pe[0].Value != tt.value || pe[0].Message == "" {
				t.Errorf("parameterErrors %+v, want one for %s = %q", pe, tt.param, tt.value)
			}
			if !formats["id"].MatchString(a.body.ID) {
				t.Errorf("a rejected request still gets an id, got %q", a.body.ID)
			}
			if a.body.PaymentType != "" || a.body.Amount != "" {
				t.Errorf("a request rejected by validation echoes paymentType %q amount %q", a.body.PaymentType, a.body.Amount)
			}
			assertNothingCommitted(t, g, id, "mtid-0001")
		})
	}
}

func set(name, value string) func(map[string][]string) {
	return func(v map[string][]string) { v[name] = []string{value} }
}

func del(name string) func(map[string][]string) {
	return func(v map[string][]string) { delete(v, name) }
}

// assertNothingCommitted checks the ledger, the payment's balance and
// history, and the query by merchantTransactionId.
func assertNothingCommitted(t *testing.T, g *Gateway, id, mtid string) {
	t.Helper()
	if l := g.Ledger(); len(l) != 0 {
		t.Errorf("ledger %+v, want empty", l)
	}
	if h := g.History(id); len(h) != 0 {
		t.Errorf("history %+v, want empty", h)
	}
	if b := balanceOf(t, g, id); !b.Captured.IsZero() || !b.Reversed.IsZero() {
		t.Errorf("balance %s moved", showBalance(b))
	}
	q := send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID, "merchantTransactionId", mtid), DefaultToken)
	expect(t, "query", q, http.StatusBadRequest, codeNotFound)
	if strings.Contains(q.raw, "payments") {
		t.Errorf("query of a rejected request lists payments: %s", q.raw)
	}
}

// TestUnknownParametersAreAllReported lists every offender in one answer.
func TestUnknownParametersAreAllReported(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	a := operation(t, g, id, "CP", "10.00", "EUR", "zeta", "1", "alpha", "2", "card.cvv", "123")
	expect(t, "unknown", a, http.StatusBadRequest, codeBadParameter)
	var got []string
	for _, pe := range a.body.Result.ParameterErrors {
		got = append(got, pe.Name+"="+pe.Value)
	}
	if want := []string{"alpha=2", "card.cvv=***", "zeta=1"}; !slices.Equal(got, want) {
		t.Errorf("parameterErrors %v, want %v", got, want)
	}
}

// TestReversalAmountComesWithCurrency: a partial reversal sends both.
func TestReversalAmountComesWithCurrency(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	a := send(t, g, http.MethodPost, "/v1/payments/"+id, form("entityId", DefaultEntityID, "paymentType", "RV", "amount", "1.00"), DefaultToken)
	expect(t, "amount alone", a, http.StatusBadRequest, codeNoCurrency)
	a = send(t, g, http.MethodPost, "/v1/payments/"+id, form("entityId", DefaultEntityID, "paymentType", "RV", "currency", "EUR"), DefaultToken)
	expect(t, "currency alone", a, http.StatusBadRequest, codeNoAmount)
	a = operation(t, g, id, "RV", "", "")
	expect(t, "full", a, http.StatusOK, ok)
	if a.body.Amount != "" || a.body.Currency != "" {
		t.Errorf("a full reversal echoes amount %q currency %q; it sent neither", a.body.Amount, a.body.Currency)
	}
}

// TestAmountsEchoTwoDecimals: "100" and "100.00" are the same amount.
func TestAmountsEchoTwoDecimals(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("1000"), "JPY")
	a := operation(t, g, id, "CP", "100", "JPY")
	expect(t, "CP", a, http.StatusOK, ok)
	if a.body.Amount != "100.00" {
		t.Errorf("amount %q, want 100.00", a.body.Amount)
	}
	a = operation(t, g, id, "CP", "9999999999.99", "JPY")
	expect(t, "CP max", a, http.StatusBadRequest, codeCannotCapture)
}

// TestRouting covers methods, paths, query strings and bodies that are not
// OPP requests.
func TestRouting(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	v := form("entityId", DefaultEntityID, "paymentType", "CP", "amount", "1.00", "currency", "EUR")

	a := send(t, g, http.MethodPut, "/v1/payments/"+id, v, DefaultToken)
	expect(t, "PUT", a, http.StatusMethodNotAllowed, codeBadMethod)
	a = send(t, g, http.MethodGet, "/v1/payments", form("entityId", DefaultEntityID), DefaultToken)
	expect(t, "GET /v1/payments", a, http.StatusMethodNotAllowed, codeBadMethod)
	a = send(t, g, http.MethodPost, "/v1/query", v, DefaultToken)
	expect(t, "POST /v1/query", a, http.StatusMethodNotAllowed, codeBadMethod)

	for _, path := range []string{"/v2/payments", "/v1/refunds", "/v1/payments/" + id + "/x", "/v1/payments/"} {
		a = send(t, g, http.MethodPost, path, v, DefaultToken)
		expect(t, path, a, http.StatusNotFound, codeBadParameter)
		if pe := a.body.Result.ParameterErrors; len(pe) != 1 || pe[0].Name != "path" || pe[0].Message != "is not an endpoint of OPP's API" {
			t.Errorf("%s: %s", path, a.raw)
		}
	}

	req := httpRequest(t, http.MethodPost, testURL+"/v1/payments/"+id+"?amount=1.00", "entityId="+DefaultEntityID+"&paymentType=CP&currency=EUR")
	a = roundTrip(t, g, req)
	expect(t, "params in the URL", a, http.StatusBadRequest, codeBadParameter)

	req = httpRequest(t, http.MethodPost, testURL+"/v1/payments/"+id, "%zz")
	a = roundTrip(t, g, req)
	expect(t, "not form-encoded", a, http.StatusBadRequest, codeBadParameter)

	req = httpRequest(t, http.MethodPost, testURL+"/v1/payments/"+id, `{"entityId":"`+DefaultEntityID+`","paymentType":"CP"}`)
	a = roundTrip(t, g, req)
	expect(t, "JSON body", a, http.StatusBadRequest, codeBadParameter)

	// A white label's base URL may carry a prefix.
	a = send(t, g, http.MethodPost, "/opp/v1/payments/"+id, v, DefaultToken)
	expect(t, "prefixed", a, http.StatusOK, ok)
	if l := g.Ledger(); len(l) != 1 {
		t.Errorf("ledger has %d commits, want 1", len(l))
	}
}

func httpRequest(t *testing.T, method, target, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func roundTrip(t *testing.T, rt http.RoundTripper, req *http.Request) answer {
	t.Helper()
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	a.status, a.header = resp.StatusCode, resp.Header
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a.raw = string(data)
	if err := json.Unmarshal([]byte(a.raw), &a.body); err != nil {
		t.Fatalf("%v: %s", err, a.raw)
	}
	return a
}

// TestLookups covers GET /v1/payments/{id}, /v1/query/{id} and the query by
// merchantTransactionId.
func TestLookups(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	first := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "order-0007")
	expect(t, "CP", first, http.StatusOK, ok)
	if err := g.SetNextResults("CP", 1, "800.100.151"); err != nil {
		t.Fatal(err)
	}
	declined := operation(t, g, id, "CP", "10.00", "EUR", "merchantTransactionId", "order-0007")
	expect(t, "declined CP", declined, http.StatusOK, "800.100.151")
	rejected := operation(t, g, id, "CP", "1000.00", "EUR", "merchantTransactionId", "order-0007")
	expect(t, "rejected CP", rejected, http.StatusBadRequest, codeCannotCapture)

	for _, path := range []string{"/v1/payments/", "/v1/query/"} {
		a := send(t, g, http.MethodGet, path+first.body.ID, form("entityId", DefaultEntityID), DefaultToken)
		if a.status != http.StatusOK || a.raw != first.raw {
			t.Errorf("GET %s: HTTP %d %s\nwant the operation's own body %s", path, a.status, a.raw, first.raw)
		}
		a = send(t, g, http.MethodGet, path+rejected.body.ID, form("entityId", DefaultEntityID), DefaultToken)
		expect(t, "GET of a rejected request's id", a, http.StatusBadRequest, codeNotFound)
		a = send(t, g, http.MethodGet, path+"ffffffffffffffffffffffffffffffff", form("entityId", DefaultEntityID), DefaultToken)
		expect(t, "GET unknown", a, http.StatusBadRequest, codeNotFound)
		a = send(t, g, http.MethodGet, path+first.body.ID, form("entityId", DefaultEntityID, "paymentTypes", "CP"), DefaultToken)
		expect(t, "GET with an unknown parameter", a, http.StatusBadRequest, codeBadParameter)
		a = send(t, g, http.MethodGet, path+first.body.ID, nil, DefaultToken)
		expect(t, "GET without entity", a, http.StatusBadRequest, codeBadParameter)
	}

	q := send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID, "merchantTransactionId", "order-0007"), DefaultToken)
	expect(t, "query", q, http.StatusOK, codeRequestOK)
	if len(q.body.Payments) != 2 || string(q.body.Payments[0]) != first.raw || string(q.body.Payments[1]) != declined.raw {
		t.Errorf("payments: want the capture then the declined capture, oldest first; got %s", q.raw)
	}
	checkFormats(t, "query", decodeMap(t, q.raw))
	if keys := slices.Sorted(maps.Keys(decodeMap(t, q.raw))); !slices.Equal(keys, []string{"buildNumber", "ndc", "payments", "result", "timestamp"}) {
		t.Errorf("query keys %v", keys)
	}
	q = send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID, "merchantTransactionId", "order-0008"), DefaultToken)
	// No match is HTTP 400 with 700.400.580, as OPP answers, in OPP's error
	// shape, without payments.
	expect(t, "query none", q, http.StatusBadRequest, codeNotFound)
	if keys := slices.Sorted(maps.Keys(decodeMap(t, q.raw))); q.body.Payments != nil ||
		!slices.Equal(keys, []string{"buildNumber", "id", "ndc", "result", "timestamp"}) {
		t.Errorf("query none: keys %v, body %s", keys, q.raw)
	}
	q = send(t, g, http.MethodGet, "/v1/query", form("entityId", DefaultEntityID), DefaultToken)
	expect(t, "query without merchantTransactionId", q, http.StatusBadRequest, codeBadParameter)
}

// TestOwnCodesAreKnown: every code the fake decides on is in OPP's
// catalogue, and the codes the issue names carry OPP's text verbatim.
func TestOwnCodesAreKnown(t *testing.T) {
	for _, code := range []string{
		codeSuccessLive, codeSuccessTest, codeRequestOK, codeMissingCard, codeInvalidCard, codeMissingMonth, codeInvalidMonth,
		codeMissingYear, codeInvalidYear, codeCardExpired, codeMissingHolder, codeHolderLength, codeHolderInvalid,
		codeMissingBrand, codeInvalidBrand, codeInvalidCVV, codeBrandMismatch, codeTestMode, codeMTIDTooLong, codeNoAmount,
		codeNoCurrency, codeInvalidCurrency, codeStreetTooLong, codeZipTooLong,
		codeCityTooLong, codeStateTooLong, codeInvalidCountry, codeBadMethod, codeBadParameter, codeNotConfigured,
		codeBadPaymentType, codeUnknownReference, codeAmountMismatch, codeCurrencyMismatch, codeInvalidType, codeRefRejected,
		codeAlreadyDone, codeWasChargedBack, codeNoLongerReverse, codeCannotCapture, codeCannotRefund, codeCannotReverse,
		codeCannotCB, codeCannotCR, codeNoChargeback, codeCBNeedsMoney, codeRefPending, codeNotFound, codeEntityMismatch,
		codeDuplicate, codeThrottled, codeBadAuth, codeNoRights,
	} {
		if c, ok := resultcodes.Lookup(code); !ok || strings.TrimSpace(c.Description) == "" {
			t.Errorf("%s is not in the catalogue", code)
		}
	}
	// Pinned here, independently of the catalogue.
	for code, want := range map[string]string{
		"700.400.100": "cannot capture (PA value exceeded, PA reverted or invalid workflow?)",
		"700.400.200": "cannot refund (refund volume exceeded or tx reversed or invalid workflow?)",
		"700.400.300": "cannot reverse (already refunded|reversed, invalid workflow or amount exceeded)",
		"700.400.400": "cannot chargeback (already chargebacked or invalid workflow?)",
		"700.100.100": "reference id not existing",
		"800.900.300": "invalid authentication information",
		"800.100.151": "transaction declined (invalid card)",
		"900.100.300": "timeout, uncertain result",
	} {
		if d := description(code); d != want {
			t.Errorf("%s: %q, want %q", code, d, want)
		}
	}
}

// TestStatus follows the catalogue's categories.
func TestStatus(t *testing.T) {
	for code, want := range map[string]Status{
		"000.000.000": StatusSucceeded, "000.100.110": StatusSucceeded, "000.400.000": StatusSucceeded,
		"000.100.220": StatusSucceeded, "000.200.000": StatusPending, "800.400.500": StatusPending,
		"800.100.151": StatusRejected, "900.100.300": StatusRejected, "000.400.101": StatusRejected, "999.999.999": StatusRejected,
	} {
		if got := statusOf(code); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}
