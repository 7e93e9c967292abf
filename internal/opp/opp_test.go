package opp

import "testing"

func TestChecks(t *testing.T) {
	for _, tt := range []struct {
		s                   string
		alnum, digits, luhn bool
	}{
		{"4200000000000000", true, true, true},
		{"4200000000000001", true, true, false},
		{"79927398713", true, true, true},
		{"378282246310005", true, true, true},
		{"abcXYZ09", true, false, false},
		{"a-b", false, false, false},
		{"١٢٣", false, false, false},
		{"12 3", false, false, false},
	} {
		if got := Alnum(tt.s); got != tt.alnum {
			t.Errorf("Alnum(%q) = %v", tt.s, got)
		}
		if got := Digits(tt.s); got != tt.digits {
			t.Errorf("Digits(%q) = %v", tt.s, got)
		}
		if tt.digits {
			if got := Luhn(tt.s); got != tt.luhn {
				t.Errorf("Luhn(%q) = %v", tt.s, got)
			}
		}
	}
}
