package money

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             string // wire text, or the error
		ok               bool
	}{
		{"10", "EUR", "10.00", true},
		{"10.5", "EUR", "10.50", true},
		{"10.500", "EUR", "10.50", true}, // trailing zeros are not precision
		{"0.01", "EUR", "0.01", true},
		{"10.005", "EUR", "has more decimals than EUR allows (2)", false},
		{"1e2", "EUR", "100.00", true}, // an exponent in the input, none on the wire
		{"1.5e-1", "EUR", "0.15", true},
		{"1e-3", "EUR", "has more decimals than EUR allows (2)", false},
		{"1500", "JPY", "1500.00", true},
		{"1500.5", "JPY", "has more decimals than JPY allows (0)", false},
		{"0.5", "JPY", "has more decimals than JPY allows (0)", false},
		{"1.25", "KWD", "1.25", true},
		{"1.250", "BHD", "1.25", true},
		{"1.234", "KWD", "has more than 2 decimals, which OPP's amount format does not carry", false},
		{"1.2345", "KWD", "has more decimals than KWD allows (3)", false},
		{"0", "EUR", "must be greater than zero", false},
		{"0.00", "EUR", "must be greater than zero", false},
		{"-5", "EUR", "must be greater than zero", false},
		{"-0.01", "EUR", "must be greater than zero", false},
		{"9999999999.99", "EUR", "9999999999.99", true},
		{"10000000000", "EUR", "has more than 10 integer digits", false},
		{"12345678901.5", "USD", "has more than 10 integer digits", false},
		{"1", "XYZ", "is not an ISO 4217 currency code", false},
	}
	for _, tt := range tests {
		got, err := Format(decimal.RequireFromString(tt.amount), tt.currency)
		switch {
		case tt.ok && (err != nil || got != tt.want):
			t.Errorf("Format(%s %s) = %q, %v; want %q", tt.amount, tt.currency, got, err, tt.want)
		case !tt.ok && (err == nil || err.Error() != tt.want):
			t.Errorf("Format(%s %s) error = %v; want %q", tt.amount, tt.currency, err, tt.want)
		}
	}
}

func TestCheckCurrency(t *testing.T) {
	tests := map[string]error{
		"EUR": nil, "JPY": nil, "KWD": nil, "CLF": nil,
		"":    ErrCurrencyMissing,
		"eur": ErrCurrencyCase, "Eur": ErrCurrencyCase,
		"XYZ": ErrCurrencyUnknown, "EURO": ErrCurrencyUnknown, "XAU": ErrCurrencyUnknown, "E1R": ErrCurrencyUnknown,
	}
	for in, want := range tests {
		if got := CheckCurrency(in); got != want {
			t.Errorf("CheckCurrency(%q) = %v; want %v", in, got, want)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	for code, want := range map[string]int{"EUR": 2, "USD": 2, "JPY": 0, "KRW": 0, "CLP": 0, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "CLF": 4} {
		if got, ok := MinorUnits(code); !ok || got != want {
			t.Errorf("MinorUnits(%s) = %d, %v; want %d", code, got, ok, want)
		}
	}
	if _, ok := MinorUnits("XXX"); ok {
		t.Error("XXX has no minor units")
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]string{"10.00": "10", "0.15": "0.15", "92": "92", "1500.00": "1500"} {
		got, err := Parse(in)
		if err != nil || !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := Parse(strings.Repeat("9", 1<<20)); err == nil || err.Error() != "amount of 1048576 characters is longer than 64" {
		t.Errorf("Parse of a megabyte of digits: %v", err)
	}
	if _, err := Parse(strings.Repeat("9", 61) + ".00"); err != nil {
		t.Errorf("Parse of 64 characters: %v", err)
	}
	for _, in := range []string{"", "1e2", "-1.00", "+1", ".5", "5.", "1,00", " 1", "1.2.3", "NaN", "١٠"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

// hostileAmounts have exponents that would make any rescaling or printing
// take minutes: each must be refused at once.
var hostileAmounts = []struct {
	amount decimal.Decimal
	want   error
}{
	{decimal.New(1, math.MinInt32), ErrExponentTooLow},
	{decimal.New(1, math.MaxInt32), ErrTooManyDigits},
	{decimal.New(1, 1e7), ErrTooManyDigits},
	{decimal.New(1, -1e7), ErrExponentTooLow},
	{decimal.New(1, MaxExponent+1), ErrTooManyDigits},
	{decimal.New(1, MinExponent-1), ErrExponentTooLow},
}

// TestFormatRefusesHostileExponents: Format refuses an exponent out of range
// before any arithmetic. The timeout is only a guard against a hang (a
// minute, far beyond any machine's load), not a speed assertion.
func TestFormatRefusesHostileExponents(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, h := range hostileAmounts {
			if _, err := Format(h.amount, "EUR"); err != h.want {
				t.Errorf("Format(1e%d) error = %v; want %v", h.amount.Exponent(), err, h.want)
			}
			if err := CheckExponent(h.amount); err != h.want {
				t.Errorf("CheckExponent(1e%d) = %v; want %v", h.amount.Exponent(), err, h.want)
			}
			if got, want := String(h.amount), "1e"+strconv.Itoa(int(h.amount.Exponent())); got != want {
				t.Errorf("String = %q; want %q", got, want)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Format did not return: it examined the amount before its exponent")
	}
}

// TestExponentBounds: the bounds themselves are accepted, with the values
// they stand for.
func TestExponentBounds(t *testing.T) {
	if s, err := Format(decimal.New(1, MaxExponent), "EUR"); err != nil || s != "1000000000.00" {
		t.Errorf("Format(1e%d) = %q, %v", MaxExponent, s, err)
	}
	big := decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(-MinExponent), nil), MinExponent)
	if s, err := Format(big, "EUR"); err != nil || s != "1.00" {
		t.Errorf("Format(10^%d e%d) = %q, %v", -MinExponent, MinExponent, s, err)
	}
	if err := CheckExponent(decimal.New(0, math.MaxInt32)); err != nil {
		t.Errorf("zero with a large exponent: %v", err)
	}
	if got := String(decimal.RequireFromString("10.50")); got != "10.5" {
		t.Errorf("String(10.50) = %q", got)
	}
}

// FuzzFormat: Format returns for any coefficient and exponent, and what it
// accepts is OPP's wire format and equal to the amount.
func FuzzFormat(f *testing.F) {
	for _, h := range hostileAmounts {
		f.Add(h.amount.Coefficient().Int64(), h.amount.Exponent(), "EUR")
	}
	f.Add(int64(1050), int32(-2), "EUR")
	f.Add(int64(10500), int32(-3), "KWD")
	f.Add(int64(15), int32(2), "JPY")
	f.Add(int64(-5), int32(0), "USD")
	f.Add(int64(99999999999), int32(-1), "EUR")
	wire := regexp.MustCompile(`^[0-9]{1,10}\.[0-9]{2}$`)
	f.Fuzz(func(t *testing.T, coef int64, exp int32, currency string) {
		amount := decimal.New(coef, exp)
		s, err := Format(amount, currency)
		if err != nil {
			return
		}
		if !wire.MatchString(s) {
			t.Fatalf("Format(%de%d) = %q, not OPP's format", coef, exp, s)
		}
		if back := decimal.RequireFromString(s); !back.Equal(amount) {
			t.Fatalf("Format(%de%d) = %q, which is %s", coef, exp, s, back)
		}
	})
}
