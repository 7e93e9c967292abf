package money

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// WireDecimals is the number of decimals OPP's amount format carries: its
// amount parameter matches [0-9]{1,10}(\.[0-9]{2})? ("N10.N2").
const WireDecimals = 2

// MaxIntegerDigits is the number of integer digits OPP's amount format allows.
const MaxIntegerDigits = 10

// MinExponent and MaxExponent bound the exponent of an amount Format
// examines (the e of coefficient·10^e). An amount outside them is refused
// before any arithmetic, in constant time: rescaling decimal.New(1,
// math.MinInt32) to two decimals, or printing decimal.New(1, 1e7), would
// take minutes and gigabytes. MaxExponent is exact (any non-zero amount with
// an exponent of 10 or more has more than ten integer digits); MinExponent
// leaves room for amounts computed by division and multiplication, whose
// exponents grow by 16 or so per operation.
const (
	MinExponent = -128
	MaxExponent = MaxIntegerDigits - 1
)

// Errors reported by CheckCurrency and Format. They name no field: the caller
// wraps them with the field they came from.
var (
	ErrCurrencyMissing = errors.New("is required")
	ErrCurrencyCase    = errors.New("must be upper case")
	ErrCurrencyUnknown = errors.New("is not an ISO 4217 currency code")
	ErrAmountNotPos    = errors.New("must be greater than zero")
	ErrTooManyDigits   = fmt.Errorf("has more than %d integer digits", MaxIntegerDigits)
	ErrExponentTooLow  = fmt.Errorf("has an exponent below %d (round it to its currency's minor units first)", MinExponent)
)

// CheckExponent refuses, in constant time, an amount whose exponent is out
// of [MinExponent, MaxExponent]: ErrTooManyDigits above (unless the amount
// is zero), ErrExponentTooLow below. Every other function that examines an
// amount calls it first.
func CheckExponent(amount decimal.Decimal) error {
	switch e := amount.Exponent(); {
	case e > MaxExponent && amount.Sign() != 0:
		return ErrTooManyDigits
	case e < MinExponent:
		return ErrExponentTooLow
	}
	return nil
}

// String renders amount for a log line or an error in time linear in its
// coefficient: as decimal.Decimal.String when its exponent is in range,
// else as coefficient "e" exponent ("1e-2147483648").
func String(amount decimal.Decimal) string {
	if e := amount.Exponent(); e < MinExponent || e > MaxExponent {
		return amount.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return amount.String()
}

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
// or than OPP's format allows, or more than ten integer digits, is an error,
// and so is an exponent out of range (see CheckExponent), refused first.
// The currency must already have passed CheckCurrency.
func Format(amount decimal.Decimal, currency string) (string, error) {
	if amount.Sign() <= 0 {
		return "", ErrAmountNotPos
	}
	if err := CheckExponent(amount); err != nil {
		return "", err
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
		return "", ErrTooManyDigits
	}
	return s, nil
}

// maxParsed bounds the length of an amount Parse reads.
const maxParsed = 64

// Parse reads an amount as OPP sends it in a response ("10.00"): digits, an
// optional dot and decimals, at most 64 characters. It accepts no sign,
// exponent or spaces.
func Parse(s string) (decimal.Decimal, error) {
	switch {
	case s == "":
		return decimal.Decimal{}, errors.New("empty amount")
	case len(s) > maxParsed:
		// OPP's amounts have at most twelve integer digits and two
		// decimals; a megabyte of digits would take seconds to convert.
		return decimal.Decimal{}, fmt.Errorf("amount of %d characters is longer than %d", len(s), maxParsed)
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
