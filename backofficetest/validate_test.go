package backofficetest

import (
	"net/http"
	"strings"
	"testing"
)

// TestInitialPayments creates a PA, a DB and a CD over the wire, as a
// black-box test of cmd/fakegateway would, and operates on them.
func TestInitialPayments(t *testing.T) {
	g := New()
	pa := send(t, g, http.MethodPost, "/v1/payments", cardForm("PA"), DefaultToken)
	expect(t, "PA", pa, http.StatusOK, ok)
	if c := pa.body.Card; c == nil || c.Bin != "420000" || c.Last4Digits != "0000" || c.Holder != "Jane Jones" ||
		c.ExpiryMonth != "05" || c.ExpiryYear != "2034" || pa.body.PaymentBrand != "VISA" {
		t.Errorf("card echo %+v brand %q", pa.body.Card, pa.body.PaymentBrand)
	}
	if strings.Contains(pa.raw, "4200000000000000") || strings.Contains(pa.raw, `"cvv"`) {
		t.Errorf("the answer carries the card number or the cvv: %s", pa.raw)
	}
	expect(t, "CP", operation(t, g, pa.body.ID, "CP", "25.00", "EUR"), http.StatusOK, ok)
	db := send(t, g, http.MethodPost, "/v1/payments", cardForm("DB"), DefaultToken)
	expect(t, "DB", db, http.StatusOK, ok)
	expect(t, "RF", operation(t, g, db.body.ID, "RF", "25.00", "EUR"), http.StatusOK, ok)
	cd := send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken)
	expect(t, "CD", cd, http.StatusOK, ok)
	expect(t, "RF of a credit", operation(t, g, cd.body.ID, "RF", "1.00", "EUR"), http.StatusOK, ok)
	if got := balanceOf(t, g, pa.body.ID); !sameBalance(got, bal("25", "25", "", "", "", "")) {
		t.Errorf("PA balance %s", showBalance(got))
	}
	a := send(t, g, http.MethodPost, "/v1/payments", edit(cardForm("CP"), nil), DefaultToken)
	expect(t, "CP on /v1/payments", a, http.StatusBadRequest, codeBadPaymentType)
}

// edit returns v with the pairs of kv set, an empty value deleting.
func edit(v map[string][]string, kv []string) map[string][]string {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(v, kv[i])
		} else {
			v[kv[i]] = []string{kv[i+1]}
		}
	}
	return v
}

// TestCardValidation covers the account and address checks of a
// stand-alone credit, each with its exact code, and the redaction of card
// secrets in parameterErrors and in the request log.
func TestCardValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name  string
		kv    []string // parameters to change ("" deletes)
		code  string
		param string
		value string
	}{
		{"missing brand", []string{"paymentBrand", ""}, codeMissingBrand, "paymentBrand", ""},
		{"unknown brand", []string{"paymentBrand", "ACME"}, codeInvalidBrand, "paymentBrand", "ACME"},
		{"brand with a dash", []string{"paymentBrand", "VISA-DEBIT"}, codeBadParameter, "paymentBrand", "VISA-DEBIT"},
		{"brand of 33 characters", []string{"paymentBrand", strings.Repeat("V", 33)}, codeBadParameter, "paymentBrand", strings.Repeat("V", 33)},
		{"missing number", []string{"card.number", ""}, codeMissingCard, "card.number", ""},
		{"Luhn", []string{"card.number", "4200000000000001"}, codeInvalidCard, "card.number", "420000******0001"},
		{"too short", []string{"card.number", "42000000000"}, codeInvalidCard, "card.number", "***********"},
		{"too long", []string{"card.number", "42000000000000000000"}, codeInvalidCard, "card.number", "420000**********0000"},
		{"not digits", []string{"card.number", "4200 0000 0000 0000"}, codeInvalidCard, "card.number", "4200 0*********0000"},
		{"not a MASTER number", []string{"paymentBrand", "MASTER"}, codeBrandMismatch, "card.number", "420000******0000"},
		{"AMEX of 16 digits", []string{"paymentBrand", "AMEX", "card.number", "3400000000000000"}, codeBrandMismatch, "card.number", "340000******0000"},
		{"missing holder", []string{"card.holder", ""}, codeMissingHolder, "card.holder", ""},
		{"short holder", []string{"card.holder", "Jo"}, codeHolderLength, "card.holder", "Jo"},
		{"long holder", []string{"card.holder", long(129)}, codeHolderLength, "card.holder", long(129)},
		{"holder with digits", []string{"card.holder", "J0hn Smith"}, codeHolderInvalid, "card.holder", "J0hn Smith"},
		{"missing month", []string{"card.expiryMonth", ""}, codeMissingMonth, "card.expiryMonth", ""},
		{"month 13", []string{"card.expiryMonth", "13"}, codeInvalidMonth, "card.expiryMonth", "13"},
		{"month of one digit", []string{"card.expiryMonth", "5"}, codeInvalidMonth, "card.expiryMonth", "5"},
		{"missing year", []string{"card.expiryYear", ""}, codeMissingYear, "card.expiryYear", ""},
		{"two-digit year", []string{"card.expiryYear", "34"}, codeInvalidYear, "card.expiryYear", "34"},
		{"expired", []string{"card.expiryMonth", "12", "card.expiryYear", "2025"}, codeCardExpired, "card.expiryYear", "2025"},
		{"short cvv", []string{"card.cvv", "12"}, codeInvalidCVV, "card.cvv", "***"},
		{"AMEX cvv of 3", []string{"paymentBrand", "AMEX", "card.number", "340000000000009"}, codeInvalidCVV, "card.cvv", "***"},
		{"streets too long", []string{"billing.street1", long(150), "billing.street2", long(52)}, codeStreetTooLong, "billing.street2", long(52)},
		{"city too long", []string{"billing.city", long(81)}, codeCityTooLong, "billing.city", long(81)},
		{"state too long", []string{"billing.state", long(51)}, codeStateTooLong, "billing.state", long(51)},
		{"postcode too long", []string{"billing.postcode", long(17)}, codeZipTooLong, "billing.postcode", long(17)},
		{"country of three letters", []string{"billing.country", "AUT"}, codeInvalidCountry, "billing.country", "AUT"},
		{"lower-case country", []string{"billing.country", "at"}, codeInvalidCountry, "billing.country", "at"},
		{"control character in the street", []string{"billing.street1", "a\tb"}, codeBadParameter, "billing.street1", "a\tb"},
		{"amount", []string{"amount", "25.001"}, codeBadParameter, "amount", "25.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New()
			a := send(t, g, http.MethodPost, "/v1/payments", edit(cardForm("CD"), tt.kv), DefaultToken)
			expect(t, tt.name, a, http.StatusBadRequest, tt.code)
			pe := a.body.Result.ParameterErrors
			if len(pe) != 1 || pe[0].Name != tt.param || pe[0].Value != tt.value {
				t.Errorf("parameterErrors %+v, want %s = %q", pe, tt.param, tt.value)
			}
			if strings.Contains(a.raw, "4200000000000000") || strings.Contains(a.raw, `"123"`) {
				t.Errorf("the answer carries a card secret: %s", a.raw)
			}
			if l := g.Ledger(); len(l) != 0 {
				t.Errorf("ledger %+v", l)
			}
		})
	}
}

// TestCardValidationAccepts the other brands and the optional fields.
func TestCardValidationAccepts(t *testing.T) {
	g := New()
	for _, kv := range [][]string{
		{"paymentBrand", "VISA_DEBIT"},
		{"paymentBrand", "VISA_DEBIT", "merchantTransactionId", "order-01"},
		{"paymentBrand", "MASTER", "card.number", "5454545454545454"},
		{"paymentBrand", "MASTER", "card.number", "2223000048400011"},
		{"paymentBrand", "AMEX", "card.number", "377777777777770", "card.cvv", "1234"},
		{"paymentBrand", "MAESTRO", "card.number", "6759649826438453"},
		{"card.cvv", "", "billing.street1", "", "billing.city", "", "billing.postcode", "", "billing.country", ""},
		{"card.expiryMonth", "01", "card.expiryYear", "2026"},
		{"billing.street2", "Floor 2", "billing.state", "Wien", "testMode", "EXTERNAL"},
	} {
		a := send(t, g, http.MethodPost, "/v1/payments", edit(cardForm("CD"), kv), DefaultToken)
		expect(t, strings.Join(kv, " "), a, http.StatusOK, ok)
	}
}

// TestCreditsCanBeDisabled per entity.
func TestCreditsCanBeDisabled(t *testing.T) {
	g := New()
	g.ConfigureEntity(DefaultEntityID, EntityConfig{NoCredits: true})
	a := send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken)
	expect(t, "CD", a, http.StatusBadRequest, codeNotConfigured)
	a = send(t, g, http.MethodPost, "/v1/payments", cardForm("DB"), DefaultToken)
	expect(t, "DB", a, http.StatusOK, ok)
}

// TestRequestsAreRedacted: the log keeps neither the card number nor the
// cvv nor the Authorization header.
func TestRequestsAreRedacted(t *testing.T) {
	g := New()
	send(t, g, http.MethodPost, "/v1/payments", cardForm("CD"), DefaultToken)
	send(t, g, http.MethodPost, "/v1/payments", edit(cardForm("CD"), []string{"card.number", "4200000000000001"}), DefaultToken)
	reqs := g.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != http.MethodPost || r.Path != "/v1/payments" || r.Form.Get("card.cvv") != "***" ||
			r.Form.Get("paymentType") != "CD" || r.Form.Get("card.holder") != "Jane Jones" {
			t.Errorf("request %+v", r)
		}
		for k, vs := range r.Form {
			for _, v := range vs {
				if strings.Contains(v, "4200000000000000") || strings.Contains(v, "4200000000000001") || v == "123" ||
					strings.Contains(v, DefaultToken) || strings.EqualFold(k, "Authorization") {
					t.Errorf("request log keeps %s = %s", k, v)
				}
			}
		}
	}
	if got := reqs[0].Form.Get("card.number"); got != "420000******0000" {
		t.Errorf("card.number logged as %q", got)
	}
	if got := reqs[1].Form.Get("card.number"); got != "420000******0001" {
		t.Errorf("card.number logged as %q", got)
	}
	if !reqs[0].Time.Equal(epoch) || !reqs[1].Time.Equal(epoch.Add(1e9)) {
		t.Errorf("times %v %v", reqs[0].Time, reqs[1].Time)
	}
}
