package backofficetest

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oppkit/backoffice/internal/opp"
)

// Billing limits the fake enforces (OPP's parameter reference).
const (
	maxStreets  = 201 // billing.street1 and billing.street2 together
	maxCity     = 80
	maxState    = 50
	maxPostcode = 16
	minHolder   = 3
	maxHolder   = 128
)

// brands are the card brands the fake accepts in paymentBrand.
var brands = [...]string{"VISA", "MASTER", "AMEX", "MAESTRO", "DINERS", "DISCOVER", "JCB", "VPAY", "CARTEBANCAIRE", "UNIONPAY"}

// checkAccount validates the card, holder and billing data of a PA, DB or
// CD against OPP's account and address validation codes, in this order:
// paymentBrand (100.100.500 missing, 100.100.501 unknown); card.number
// (100.100.100 missing; 100.100.101 not 12-19 digits or failing the Luhn
// check; 100.100.700 not of the brand); card.holder (100.100.400 missing,
// 100.100.401 not 3-128 characters, 100.100.402 holding digits or control
// characters); card.expiryMonth (100.100.200 missing, 100.100.201 not
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
	case "VISA":
		return number[0] == '4'
	case "MASTER":
		return p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720
	case "AMEX":
		return (p2 == 34 || p2 == 37) && len(number) == 15
	}
	return true
}
