package backofficetest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/oppkit/backoffice/internal/opp"
	"github.com/shopspring/decimal"
)

// The field limits of OPP's parameter reference.
const (
	maxDescriptor = opp.MaxDescriptor
	maxMemo       = opp.MaxMemo
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

// parseAmount reads an amount in OPP's N10.N2 format: up to ten digits,
// optionally a dot and exactly two decimals.
//
// A missing or zero amount is 100.550.300 (request contains no amount or too
// low amount); more than ten integer digits is 100.550.301 (amount too
// large); anything else that does not match is 100.550.303 (amount format
// invalid (only two decimals allowed).).
func parseAmount(s string) (decimal.Decimal, *rejection) {
	if s == "" {
		return decimal.Decimal{}, invalid(codeNoAmount, "amount", s, "is required")
	}
	intPart, frac, dotted := strings.Cut(s, ".")
	switch {
	case intPart == "" || !opp.Digits(intPart) || dotted && !opp.Digits(frac):
		return decimal.Decimal{}, invalid(codeAmountFormat, "amount", s, `must match [0-9]{1,10}(\.[0-9]{2})?`)
	case len(intPart) > maxAmountInt:
		return decimal.Decimal{}, invalid(codeAmountTooLarge, "amount", s, "has more than ten integer digits")
	case dotted && len(frac) != 2:
		return decimal.Decimal{}, invalid(codeAmountFormat, "amount", s, `must match [0-9]{1,10}(\.[0-9]{2})?`)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, invalid(codeAmountFormat, "amount", s, `must match [0-9]{1,10}(\.[0-9]{2})?`)
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
