package resultcodes

// override pins the category of one exact code that no documented group
// covers. key is the code's digits read as a decimal number
// (ddd.ddd.ddd -> ddddddddd), so the hot path compares integers.
type override struct {
	key      uint32
	code     string
	category Category
}

// overrides are checked before the documented groups. Each one is a
// deliberate decision for a code of the snapshot that no group's regular
// expression matches; any other uncovered code stays Unknown.
var overrides = [...]override{
	// "Transaction succeeded - very good rating": the money moved, but the
	// code lies outside every documented success group, so a human should
	// look at it.
	{500_000, "000.500.000", SuccessReview},
	// "Transaction succeeded (address corrected)": as 000.500.000.
	{500_100, "000.500.100", SuccessReview},
	// "Account management type not supported": the channel is not set up
	// for this operation, a configuration problem.
	{100_310_401, "100.310.401", RejectedConfiguration},
	// "Account management transaction not allowed in current state": the
	// referenced object's state forbids the operation, like group 19.
	{100_310_402, "100.310.402", RejectedReference},
	// "Retry blocked (Retry after 72 hours)": a card-scheme merchant advice
	// code relayed from the issuer, a bank decline.
	{700_600_002, "700.600.002", RejectedBank},
	// "Retry blocked (Update card info or use 3D Secure before retrying)":
	// merchant advice code, a bank decline.
	{700_601_001, "700.601.001", RejectedBank},
	// "Retry blocked (Account closed or flagged for fraud. Request new
	// payment method)": merchant advice code, a bank decline.
	{700_601_003, "700.601.003", RejectedBank},
}

// Classify returns the category of an OPP result code.
//
// code must have the exact shape ddd.ddd.ddd: 11 bytes, ASCII digits, dots
// at offsets 3 and 7. Anything else (surrounding spaces, a trailing
// newline, other separators, non-ASCII digits) is Unknown. A well-formed
// code is first checked against the exact-code overrides, then against
// OPP's 26 documented groups in their documented order, the first match
// winning. A code that matches nothing is Unknown.
//
// Codes that OPP adds later, and that are therefore missing from the
// catalogue, still classify by their group. Classify does not allocate.
func Classify(code string) Category {
	if len(code) != 11 || code[3] != '.' || code[7] != '.' {
		return Unknown
	}
	// Straight-line digits: one unsigned comparison each rejects anything
	// but '0'-'9', and no index needs a bounds check after the length test.
	d0, d1, d2 := uint32(code[0])-'0', uint32(code[1])-'0', uint32(code[2])-'0'
	d3, d4, d5 := uint32(code[4])-'0', uint32(code[5])-'0', uint32(code[6])-'0'
	d6, d7, d8 := uint32(code[8])-'0', uint32(code[9])-'0', uint32(code[10])-'0'
	if d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || d4 > 9 || d5 > 9 || d6 > 9 || d7 > 9 || d8 > 9 {
		return Unknown
	}
	a := d0*100 + d1*10 + d2
	b := d3*100 + d4*10 + d5
	c := d6*100 + d7*10 + d8
	// Every override's first triplet is 000, 100 or 700: other codes skip
	// the table.
	if a == 0 || a == 100 || a == 700 {
		key := a*1_000_000 + b*1_000 + c
		for i := range overrides {
			if overrides[i].key == key {
				return overrides[i].category
			}
		}
	}
	// The groups are disjoint across different first triplets, so
	// dispatching on a keeps the documented order as long as each case
	// below tries its groups in that order. The comments give the group's
	// row number and regular expression.
	b0, b1 := d3, d4
	c0 := d6
	switch a {
	case 0:
		return classify000(b, c, c0, d7, d8)
	case 100:
		return classify100(b, b0, b1, c, c0)
	case 200:
		// 20: ^(200\.[123]
		if b0 >= 1 && b0 <= 3 {
			return RejectedFormat
		}
	case 300:
		// 10: ^(300\.100\.100)
		if b == 100 && c == 100 {
			return SoftDecline
		}
	case 500:
		// 16: 500\.[12]
		if b0 == 1 || b0 == 2 {
			return RejectedConfiguration
		}
	case 600:
		// 8: 600\.1
		if b0 == 1 {
			return RejectedSystem
		}
		// 16: ^(600\.[23]
		if b0 == 2 || b0 == 3 {
			return RejectedConfiguration
		}
	case 700:
		// 19: ^(700\.[1345][05]0)
		if (b0 == 1 || b0 == 3 || b0 == 4 || b0 == 5) && (b1 == 0 || b1 == 5) && d5 == 0 {
			return RejectedReference
		}
	case 800:
		return classify800(b, b0, b1, d5, c0)
	case 900:
		// 7: ^(900\.[1234]00
		if b == 100 || b == 200 || b == 300 || b == 400 {
			return RejectedCommunication
		}
	case 999:
		// 8: 999\.
		return RejectedSystem
	}
	return Unknown
}

// classify000 tries, in order, the groups whose expressions start with 000.
func classify000(b, c, c0, c1, c2 uint32) Category {
	switch {
	// 1: ^(000\.000\.|000\.100\.1|000\.[36]|000\.400\.[1][12]0)
	case b == 0,
		b == 100 && c0 == 1,
		b >= 300 && b <= 399, b >= 600 && b <= 699,
		b == 400 && (c == 110 || c == 120):
		return Success
	// 2: ^(000\.400\.0[^3]|000\.400\.100)
	case b == 400 && c0 == 0 && c1 != 3, b == 400 && c == 100:
		return SuccessReview
	// 3: ^(000\.200)
	case b == 200:
		return Pending
	// 5: ^(000\.400\.[1][0-9][1-9]|000\.400\.2)
	case b == 400 && c0 == 1 && c2 != 0, b == 400 && c0 == 2:
		return Rejected3DSIntercard
	// 7: 000\.400\.030
	case b == 400 && c == 30:
		return RejectedCommunication
	// 26: ^(000\.100\.2)
	case b == 100 && c0 == 2:
		return Chargeback
	}
	return Unknown
}

// classify100 tries, in order, the groups whose expressions start with 100.
func classify100(b, b0, b1, c, c0 uint32) Category {
	switch {
	// 4: 100\.400\.500
	case b == 400 && c == 500:
		return PendingLong
	// 9: ^(100\.39[765])
	case b == 395, b == 396, b == 397:
		return RejectedAsyncWorkflow
	// 11: ^(100\.400\.[0-3]|100\.38|100\.370\.100|100\.370\.11)
	case b == 400 && c0 <= 3,
		b >= 380 && b <= 389,
		b == 370 && c == 100,
		b == 370 && c >= 110 && c <= 119:
		return RejectedExternalRisk
	// 13: 100\.380\.4|100\.390 (100.380.4 is already taken by group 11)
	case b == 390:
		return Rejected3DSecure
	// 14: ^(100\.100\.701
	case b == 100 && c == 701:
		return RejectedBlacklist
	// 17: ^(100\.[13]50)
	case b == 150, b == 350:
		return RejectedRegistration
	// 18: ^(100\.250|100\.360)
	case b == 250, b == 360:
		return RejectedJob
	// 20: 100\.[53][07]|100\.[69]00\.500
	case (b0 == 5 || b0 == 3) && (b1 == 0 || b1 == 7),
		(b == 600 || b == 900) && c == 500:
		return RejectedFormat
	// 21: ^(100\.800)
	case b == 800:
		return RejectedAddressValidation
	// 22: ^(100\.[97]00)
	case b == 900, b == 700:
		return RejectedContact
	// 23: ^(100\.100|100.2[01]) -- the second dot is unescaped in OPP's
	// expression and matches any character, but Classify has already
	// required a '.' at offset 3, so on well-formed input it can only
	// ever match '.' and the two readings agree.
	case b == 100, b0 == 2 && (b1 == 0 || b1 == 1):
		return RejectedAccount
	// 24: ^(100\.55)
	case b0 == 5 && b1 == 5:
		return RejectedAmount
	}
	// 25: ^(100\.380\.[23]|100\.380\.101) is entirely shadowed by group
	// 11's 100\.38 above, so RejectedRiskManagement is never returned.
	// 26 starts with 000.
	return Unknown
}

// classify800 tries, in order, the groups whose expressions start with 800.
func classify800(b, b0, b1, b2, c0 uint32) Category {
	switch {
	// 4: ^(800\.400\.5
	case b == 400 && c0 == 5:
		return PendingLong
	// 6: ^(800\.[17]00|800\.800\.[123])
	case b == 100, b == 700, b == 800 && c0 >= 1 && c0 <= 3:
		return RejectedBank
	// 8: ^(800\.[56]|800\.800\.[84])
	case b0 == 5, b0 == 6, b == 800 && (c0 == 8 || c0 == 4):
		return RejectedSystem
	// 12: ^(800\.400\.1)
	case b == 400 && c0 == 1:
		return RejectedAddressCheck
	// 13: ^(800\.400\.2
	case b == 400 && c0 == 2:
		return Rejected3DSecure
	// 14: 800\.[32]
	case b0 == 3, b0 == 2:
		return RejectedBlacklist
	// 15: ^(800\.1[123456]0)
	case b0 == 1 && b1 >= 1 && b1 <= 6 && b2 == 0:
		return RejectedRiskValidation
	// 16: 800\.121
	case b == 121:
		return RejectedConfiguration
	// 20: 800\.900
	case b == 900:
		return RejectedFormat
	}
	return Unknown
}
