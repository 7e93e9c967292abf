package money

import (
	"testing"

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
	for _, in := range []string{"", "1e2", "-1.00", "+1", ".5", "5.", "1,00", " 1", "1.2.3", "NaN", "١٠"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}
