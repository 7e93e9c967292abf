package money

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// WireDecimals is the number of decimals OPP's amount format carries: its
// amount parameter matches [0-9]{1,10}(\.[0-9]{2})? ("N10.N2").
const WireDecimals = 2

// MaxIntegerDigits is the number of integer digits OPP's amount format allows.
const MaxIntegerDigits = 10

// Errors reported by CheckCurrency and Format. They name no field: the caller
// wraps them with the field they came from.
var (
	ErrCurrencyMissing = errors.New("is required")
	ErrCurrencyCase    = errors.New("must be upper case")
	ErrCurrencyUnknown = errors.New("is not an ISO 4217 currency code")
	ErrAmountNotPos    = errors.New("must be greater than zero")
)

// CheckCurrency reports whether currency is an upper-case ISO 4217 code.
func CheckCurrency(currency string) error {
	if currency == "" {
		return ErrCurrencyMissing
	}
	if _, ok := minorUnits[currency]; ok {
		return nil
	}
	for i := 0; i < len(currency); i++ {
		if c := currency[i]; c >= 'a' && c <= 'z' {
			return ErrCurrencyCase
		}
	}
	return ErrCurrencyUnknown
}

// Format validates amount for currency and returns OPP's wire text: exactly
// two decimals, no exponent, no sign. It refuses, never rounds: an amount
// that is zero or negative, has more decimals than the currency's minor units
// or than OPP's format allows, or more than ten integer digits, is an error.
// The currency must already have passed CheckCurrency.
func Format(amount decimal.Decimal, currency string) (string, error) {
	if amount.Sign() <= 0 {
		return "", ErrAmountNotPos
	}
	units, ok := minorUnits[currency]
	if !ok {
		return "", ErrCurrencyUnknown
	}
	// An exponent of at least -min(units, 2) already proves the scale; only
	// a longer representation ("10.500") needs the value checked.
	if amount.Exponent() < -int32(min(int(units), WireDecimals)) {
		if !amount.Equal(amount.Truncate(int32(units))) {
			return "", fmt.Errorf("has more decimals than %s allows (%d)", currency, units)
		}
		if !amount.Equal(amount.Truncate(WireDecimals)) {
			return "", fmt.Errorf("has more than %d decimals, which OPP's amount format does not carry", WireDecimals)
		}
	}
	s := amount.StringFixed(WireDecimals)
	if len(s)-WireDecimals-1 > MaxIntegerDigits {
		return "", fmt.Errorf("has more than %d integer digits", MaxIntegerDigits)
	}
	return s, nil
}

// Parse reads an amount as OPP sends it in a response ("10.00"): digits, an
// optional dot and decimals. It accepts no sign, exponent or spaces.
func Parse(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, errors.New("empty amount")
	}
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return decimal.Decimal{}, fmt.Errorf("malformed amount %q", s)
		}
	}
	return decimal.NewFromString(s)
}
