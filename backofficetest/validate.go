package backofficetest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oppkit/backoffice/internal/opp"
	"github.com/shopspring/decimal"
)

// The field limits of OPP's parameter reference.
const (
	maxDescriptor = opp.MaxDescriptor
	maxMemo       = opp.MaxMemo
	minMTID       = opp.MinMTID
	maxMTID       = opp.MaxMTID
	maxParamName  = opp.MaxParamName
	maxParamValue = opp.MaxParamValue
	maxAmountInt  = opp.MaxIntegerPart
)

// commonParams are the parameters every POST accepts, besides
// customParameters[NAME].
var commonParams = [...]string{"entityId", "paymentType", "amount", "currency", "merchantTransactionId", "descriptor", "merchantMemo", "testMode"}

// accountParams are the extra parameters of POST /v1/payments (PA, DB, CD).
var accountParams = [...]string{"paymentBrand", "card.number", "card.holder", "card.expiryMonth", "card.expiryYear", "card.cvv",
	"billing.street1", "billing.street2", "billing.city", "billing.state", "billing.postcode", "billing.country"}

// fields are the validated parameters of a POST.
type fields struct {
	entityID, paymentType  string
	amount                 decimal.Decimal
	hasAmount              bool
	currency               string
	mtid, descriptor, memo string
	custom                 map[string]string
}

// checkNames rejects parameters that known refuses, and repeated ones, all
// of them in one 200.300.404.
func checkNames(v url.Values, known func(name string) bool) *rejection {
	var bad []paramError
	for _, name := range sortedKeys(v) {
		vals := v[name]
		switch {
		case !known(name):
			bad = append(bad, paramError{name, redactValue(name, vals[0]), "unknown parameter"})
		case len(vals) > 1:
			bad = append(bad, paramError{name, redactValue(name, vals[0]), "given more than once"})
		}
	}
	if bad != nil {
		return reject(http.StatusBadRequest, codeBadParameter, bad...)
	}
	return nil
}

// knownParam reports whether a POST may carry name; initial is a POST to
// /v1/payments.
func knownParam(name string, initial bool) bool {
	if _, ok := customName(name); ok {
		return true
	}
	return slices.Contains(commonParams[:], name) || initial && slices.Contains(accountParams[:], name)
}

// customName returns NAME of customParameters[NAME].
func customName(param string) (string, bool) {
	name, ok := strings.CutPrefix(param, "customParameters[")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(name, "]")
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// amountPattern is OPP's amount format, as its parameter validation words
// it in parameterErrors.
const amountPattern = `must match ^[0-9]{1,10}(\.[0-9]{2})?$`

// parseAmount reads an amount in OPP's N10.N2 format: up to ten digits,
// optionally a dot and exactly two decimals.
//
// Anything that does not match the format (a sign, an exponent, a comma,
// one or three decimals, eleven integer digits) is 200.300.404 (invalid or
// missing parameter) with parameterErrors naming amount, as OPP answers:
// a white label's captured answer to amount=-20.20 is HTTP 400,
// 200.300.404, parameterErrors [{"name":"amount","value":"-20.20",
// "message":"must match ^[0-9]{1,12}(\.[0-9]{2})?$"}] (that endpoint
// allows twelve integer digits; the backoffice endpoint's format allows
// ten). A missing or zero amount, which parameter validation lets through
// (or, missing, may not see), is 100.550.300 (request contains no amount or
// too low amount), as the code's text says.
func parseAmount(s string) (decimal.Decimal, *rejection) {
	if s == "" {
		return decimal.Decimal{}, invalid(codeNoAmount, "amount", s, "is required")
	}
	intPart, frac, dotted := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > maxAmountInt || !opp.Digits(intPart) || dotted && (len(frac) != 2 || !opp.Digits(frac)) {
		return decimal.Decimal{}, badParam("amount", s, amountPattern)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, badParam("amount", s, amountPattern)
	}
	if d.Sign() <= 0 {
		return decimal.Decimal{}, invalid(codeNoAmount, "amount", s, "must be positive")
	}
	return d, nil
}

// checkCurrency: a missing currency is 100.550.400, one that is not three
// capital letters 100.550.401.
func checkCurrency(s string) *rejection {
	if s == "" {
		return invalid(codeNoCurrency, "currency", s, "is required")
	}
	if len(s) != 3 || !upper(s) {
		return invalid(codeInvalidCurrency, "currency", s, "must match [A-Z]{3}")
	}
	return nil
}

// readFields validates the parameters every POST shares, after checkNames.
// needAmount says whether amount and currency are required; when they are
// not (a reversal), they must come together or not at all.
func readFields(v url.Values, needAmount bool) (*fields, *rejection) {
	f := &fields{
		entityID:    v.Get("entityId"),
		paymentType: v.Get("paymentType"),
		currency:    v.Get("currency"),
		mtid:        v.Get("merchantTransactionId"),
		descriptor:  v.Get("descriptor"),
		memo:        v.Get("merchantMemo"),
	}
	if tm := v.Get("testMode"); tm != "" && tm != "EXTERNAL" && tm != "INTERNAL" {
		return nil, invalid(codeTestMode, "testMode", tm, "must be EXTERNAL or INTERNAL")
	}
	amount, hasAmount := v.Get("amount"), v.Has("amount")
	if needAmount || hasAmount || f.currency != "" {
		var r *rejection
		if f.amount, r = parseAmount(amount); r != nil {
			return nil, r
		}
		if r = checkCurrency(f.currency); r != nil {
			return nil, r
		}
		f.hasAmount = true
	}
	if r := checkText("merchantTransactionId", f.mtid, maxMTID); r != nil {
		if utf8.RuneCountInString(f.mtid) > maxMTID {
			r.code = codeMTIDTooLong
		}
		return nil, r
	}
	if f.mtid != "" && utf8.RuneCountInString(f.mtid) < minMTID {
		return nil, badParam("merchantTransactionId", f.mtid, "must be 8 to 255 characters")
	}
	if r := checkText("descriptor", f.descriptor, maxDescriptor); r != nil {
		return nil, r
	}
	if r := checkText("merchantMemo", f.memo, maxMemo); r != nil {
		return nil, r
	}
	for _, name := range sortedKeys(v) {
		vals := v[name]
		cp, ok := customName(name)
		if !ok {
			continue
		}
		if cp == "" || len(cp) > maxParamName || strings.ContainsFunc(cp, func(r rune) bool {
			return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '.' || r == '-')
		}) {
			return nil, badParam(name, vals[0], "custom parameter names are 1-64 characters from [A-Za-z0-9_.-]")
		}
		if r := checkText(name, vals[0], maxParamValue); r != nil {
			return nil, r
		}
		if f.custom == nil {
			f.custom = make(map[string]string)
		}
		f.custom[cp] = vals[0]
	}
	return f, nil
}

// checkText refuses text longer than max characters, not UTF-8, or holding
// control characters, with 200.300.404.
func checkText(name, s string, max int) *rejection {
	if utf8.RuneCountInString(s) > max {
		return badParam(name, s, "is longer than "+strconv.Itoa(max)+" characters")
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return badParam(name, s, "holds control characters or invalid UTF-8")
	}
	return nil
}

func upper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// Billing limits the fake enforces (OPP's parameter reference).
const (
	maxStreets  = 201 // billing.street1 and billing.street2 together
	maxCity     = 80
	maxState    = 50
	maxPostcode = 16
	minHolder   = 3
	maxHolder   = 128
)

// brands are the card brands the fake accepts in paymentBrand, which must
// first match OPP's format [a-zA-Z0-9_]{1,32}. The debit variants of VISA
// and MASTER take the issuer prefixes of their brand.
var brands = [...]string{"VISA", "VISA_DEBIT", "VISADEBIT", "VISAELECTRON", "MASTER", "MASTER_DEBIT", "MASTERDEBIT", "AMEX",
	"MAESTRO", "DINERS", "DISCOVER", "JCB", "VPAY", "CARTEBANCAIRE", "UNIONPAY"}

// checkAccount validates the card, holder and billing data of a PA, DB or
// CD against OPP's account and address validation codes, in this order:
// paymentBrand (100.100.500 missing, 200.300.404 not matching
// [a-zA-Z0-9_]{1,32}, 100.100.501 unknown); card.number
// (100.100.100 missing; 100.100.101 not 12-19 digits or failing the Luhn
// check; 100.100.700 not of the brand); card.holder (100.100.400 missing,
// 100.100.401 not 3-128 characters, 100.100.402 holding digits or control
// characters, except a result code: see holderCode); card.expiryMonth (100.100.200 missing, 100.100.201 not
// 01-12); card.expiryYear (100.100.300 missing, 100.100.301 not four
// digits); 100.100.303 expired at the gateway's clock; card.cvv (100.100.601
// not 3 digits, 4 for AMEX); billing (100.800.101 streets longer than 201
// characters together, 100.800.301 city longer than 80, 100.800.401 state
// longer than 50, 100.800.201 postcode longer than 16, 100.800.501 country
// not two capital letters).
func checkAccount(v url.Values, now time.Time) (*cardEcho, *rejection) {
	brand := v.Get("paymentBrand")
	switch {
	case brand == "":
		return nil, invalid(codeMissingBrand, "paymentBrand", brand, "is required")
	case !opp.Brand(brand):
		return nil, badParam("paymentBrand", brand, "must match [a-zA-Z0-9_]{1,32}")
	case !knownBrand(brand):
		return nil, invalid(codeInvalidBrand, "paymentBrand", brand, "is not a card brand the gateway accepts")
	}
	number := v.Get("card.number")
	switch {
	case number == "":
		return nil, invalid(codeMissingCard, "card.number", number, "is required")
	case len(number) < 12 || len(number) > 19 || !opp.Digits(number) || !opp.Luhn(number):
		return nil, invalid(codeInvalidCard, "card.number", number, "must be 12-19 digits passing the Luhn check")
	case !brandMatches(brand, number):
		return nil, invalid(codeBrandMismatch, "card.number", number, "is not a "+brand+" card number")
	}
	holder := v.Get("card.holder")
	switch n := utf8.RuneCountInString(holder); {
	case holder == "":
		return nil, invalid(codeMissingHolder, "card.holder", holder, "is required")
	case holderCode(holder) != "":
		// OPP's negative testing: the holder is the result code to answer
		// (see holderCode).
	case n < minHolder || n > maxHolder:
		return nil, invalid(codeHolderLength, "card.holder", holder, "must be 3-128 characters")
	case !utf8.ValidString(holder) || strings.ContainsFunc(holder, func(r rune) bool { return r < ' ' || r == 0x7f || r >= '0' && r <= '9' }):
		return nil, invalid(codeHolderInvalid, "card.holder", holder, "must be a name")
	}
	month, year := v.Get("card.expiryMonth"), v.Get("card.expiryYear")
	m, _ := strconv.Atoi(month)
	y, _ := strconv.Atoi(year)
	switch {
	case month == "":
		return nil, invalid(codeMissingMonth, "card.expiryMonth", month, "is required")
	case len(month) != 2 || !opp.Digits(month) || m < 1 || m > 12:
		return nil, invalid(codeInvalidMonth, "card.expiryMonth", month, "must be 01-12")
	case year == "":
		return nil, invalid(codeMissingYear, "card.expiryYear", year, "is required")
	case len(year) != 4 || !opp.Digits(year):
		return nil, invalid(codeInvalidYear, "card.expiryYear", year, "must be four digits")
	case y*12+m < now.Year()*12+int(now.Month()):
		return nil, invalid(codeCardExpired, "card.expiryYear", year, "the card expired in "+month+"/"+year)
	}
	if cvv := v.Get("card.cvv"); v.Has("card.cvv") {
		want := 3
		if brand == "AMEX" {
			want = 4
		}
		if len(cvv) != want || !opp.Digits(cvv) {
			return nil, invalid(codeInvalidCVV, "card.cvv", cvv, "must be "+strconv.Itoa(want)+" digits for "+brand)
		}
	}
	if r := checkBilling(v); r != nil {
		return nil, r
	}
	return &cardEcho{bin: number[:6], last4: number[len(number)-4:], holder: holder, month: month, year: year}, nil
}

func checkBilling(v url.Values) *rejection {
	for _, name := range [...]string{"billing.street1", "billing.street2", "billing.city", "billing.state", "billing.postcode"} {
		if r := checkText(name, v.Get(name), maxParamValue); r != nil {
			return r
		}
	}
	street := v.Get("billing.street1") + v.Get("billing.street2")
	city, state, zip, country := v.Get("billing.city"), v.Get("billing.state"), v.Get("billing.postcode"), v.Get("billing.country")
	switch {
	case utf8.RuneCountInString(street) > maxStreets:
		return invalid(codeStreetTooLong, "billing.street2", v.Get("billing.street2"), "street1 and street2 together exceed 201 characters")
	case utf8.RuneCountInString(city) > maxCity:
		return invalid(codeCityTooLong, "billing.city", city, "is longer than 80 characters")
	case utf8.RuneCountInString(state) > maxState:
		return invalid(codeStateTooLong, "billing.state", state, "is longer than 50 characters")
	case utf8.RuneCountInString(zip) > maxPostcode:
		return invalid(codeZipTooLong, "billing.postcode", zip, "is longer than 16 characters")
	case v.Has("billing.country") && (len(country) != 2 || !upper(country)):
		return invalid(codeInvalidCountry, "billing.country", country, "must be an ISO 3166-1 alpha-2 code")
	}
	return nil
}

func knownBrand(b string) bool {
	for _, k := range brands {
		if k == b {
			return true
		}
	}
	return false
}

// brandMatches checks the issuer prefixes of the brands that have fixed
// ones; other brands take any number.
func brandMatches(brand, number string) bool {
	p2, _ := strconv.Atoi(number[:2])
	p4, _ := strconv.Atoi(number[:4])
	switch brand {
	case "VISA", "VISA_DEBIT", "VISADEBIT", "VISAELECTRON":
		return number[0] == '4'
	case "MASTER", "MASTER_DEBIT", "MASTERDEBIT":
		return p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720
	case "AMEX":
		return (p2 == 34 || p2 == 37) && len(number) == 15
	}
	return true
}
