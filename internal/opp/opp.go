// Package opp holds facts of OPP's parameter reference that both the client
// (which validates before sending) and the fake gateway (which validates on
// receipt) need: field limits and character checks.
package opp

// Field limits, from OPP's parameter reference.
const (
	MaxDescriptor  = 127  // descriptor
	MaxMemo        = 255  // merchantMemo
	MinMTID        = 8    // merchantTransactionId: 8 to 255 characters
	MaxMTID        = 255  // merchantTransactionId
	MaxBrand       = 32   // paymentBrand: [a-zA-Z0-9_]{1,32}
	MaxParamName   = 64   // the NAME of customParameters[NAME]
	MaxParamValue  = 2048 // a custom parameter's value
	MaxIntegerPart = 10   // integer digits of an amount (N10.N2)
)

// Alnum reports whether every byte of s is an ASCII letter or digit.
func Alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// Brand reports whether s matches OPP's paymentBrand format,
// [a-zA-Z0-9_]{1,32} (VISA, MASTER, VISA_DEBIT, DIRECTDEBIT_SEPA, ...).
func Brand(s string) bool {
	if s == "" || len(s) > MaxBrand {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// Digits reports whether every byte of s is an ASCII digit.
func Digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Luhn reports whether a string of digits passes the Luhn check.
func Luhn(number string) bool {
	sum := 0
	double := false
	for i := len(number) - 1; i >= 0; i-- {
		d := int(number[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
