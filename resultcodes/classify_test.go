package resultcodes

import (
	"strconv"
	"testing"
)

// TestClassifySnapshot checks every snapshot code against the documented
// expressions, and the seven uncovered codes against their overrides.
func TestClassifySnapshot(t *testing.T) {
	uncovered := 0
	for _, e := range loadSnapshot(t) {
		got := Classify(e.Code)
		ref := regexGroup(e.Code)
		if ref == Unknown {
			uncovered++
			want, ok := referenceOverrides[e.Code]
			if !ok {
				t.Errorf("%s matches no documented group and has no override", e.Code)
				continue
			}
			if got != want {
				t.Errorf("Classify(%q) = %v, want override %v", e.Code, got, want)
			}
			continue
		}
		if _, ok := referenceOverrides[e.Code]; ok {
			t.Errorf("override %s is also covered by group %v", e.Code, ref)
		}
		if got != ref {
			t.Errorf("Classify(%q) = %v (%d), documented group %v (%d)", e.Code, got, got, ref, ref)
		}
	}
	if uncovered != 7 {
		t.Errorf("%d snapshot codes match no documented group, want 7", uncovered)
	}
}

// TestOverrides asserts each override by name, and that the table's
// numeric keys agree with its codes.
func TestOverrides(t *testing.T) {
	tests := []struct {
		code string
		want Category
	}{
		{"000.500.000", SuccessReview},
		{"000.500.100", SuccessReview},
		{"100.310.401", RejectedConfiguration},
		{"100.310.402", RejectedReference},
		{"700.600.002", RejectedBank},
		{"700.601.001", RejectedBank},
		{"700.601.003", RejectedBank},
	}
	if len(overrides) != len(tests) {
		t.Fatalf("overrides has %d entries, want %d", len(overrides), len(tests))
	}
	for i, tt := range tests {
		if got := Classify(tt.code); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.code, got, tt.want)
		}
		if got := regexGroup(tt.code); got != Unknown {
			t.Errorf("%s: documented group %v, an override is not needed", tt.code, got)
		}
		if _, ok := Lookup(tt.code); !ok {
			t.Errorf("%s: override for a code missing from the catalogue", tt.code)
		}
		o := overrides[i]
		if o.code != tt.code || o.category != tt.want {
			t.Errorf("overrides[%d] = {%s, %v}, want {%s, %v}", i, o.code, o.category, tt.code, tt.want)
		}
		digits := o.code[0:3] + o.code[4:7] + o.code[8:11]
		n, err := strconv.ParseUint(digits, 10, 32)
		if err != nil || uint32(n) != o.key {
			t.Errorf("overrides[%d]: key %d does not match code %s", i, o.key, o.code)
		}
	}
	// Neighbours of the overrides are not pinned.
	for _, code := range []string{"000.500.001", "000.500.200", "100.310.400", "100.310.403", "700.600.001", "700.601.002"} {
		if got := Classify(code); got != Unknown {
			t.Errorf("Classify(%q) = %v, want Unknown", code, got)
		}
	}
}

// TestSnapshotCounts checks the number of snapshot codes per category,
// computed by the documented expressions and by Classify.
func TestSnapshotCounts(t *testing.T) {
	var byRef, byClassify [len(categoryNames)]int
	for _, e := range loadSnapshot(t) {
		byRef[regexGroup(e.Code)]++
		byClassify[Classify(e.Code)]++
	}
	// Counts by the documented expressions alone, verified independently
	// with Python's re module on the same snapshot.
	wantRef := [len(categoryNames)]int{
		Unknown: 7, Success: 18, SuccessReview: 13, Pending: 9, PendingLong: 4,
		Rejected3DSIntercard: 13, RejectedBank: 87, RejectedCommunication: 18,
		RejectedSystem: 8, RejectedAsyncWorkflow: 12, SoftDecline: 1,
		RejectedExternalRisk: 94, RejectedAddressCheck: 9, Rejected3DSecure: 26,
		RejectedBlacklist: 18, RejectedRiskValidation: 24, RejectedConfiguration: 32,
		RejectedRegistration: 28, RejectedJob: 17, RejectedReference: 46,
		RejectedFormat: 66, RejectedAddressValidation: 13, RejectedContact: 20,
		RejectedAccount: 35, RejectedAmount: 13, RejectedRiskManagement: 0,
		Chargeback: 29,
	}
	// The overrides move the seven uncovered codes out of Unknown.
	wantClassify := wantRef
	wantClassify[Unknown] = 0
	wantClassify[SuccessReview] += 2
	wantClassify[RejectedConfiguration]++
	wantClassify[RejectedReference]++
	wantClassify[RejectedBank] += 3
	for c := range categoryNames {
		cat := Category(c)
		if byRef[c] != wantRef[c] {
			t.Errorf("documented expressions: %d codes in %v (%d), want %d", byRef[c], cat, c, wantRef[c])
		}
		if byClassify[c] != wantClassify[c] {
			t.Errorf("Classify: %d codes in %v (%d), want %d", byClassify[c], cat, c, wantClassify[c])
		}
	}
	sum := 0
	for _, n := range byClassify {
		sum += n
	}
	if sum != 660 {
		t.Errorf("counts sum to %d, want 660", sum)
	}
}

// TestClassifyEdgeCases pins the order-sensitive and notable codes.
func TestClassifyEdgeCases(t *testing.T) {
	tests := []struct {
		code string
		want Category
	}{
		{"000.000.000", Success},
		{"000.100.110", Success},
		{"000.300.000", Success},
		{"000.310.100", Success},
		{"000.600.000", Success},
		{"000.400.110", Success}, // newer success expression
		{"000.400.120", Success}, // newer success expression
		{"000.400.000", SuccessReview},
		{"000.400.091", SuccessReview},
		{"000.400.100", SuccessReview},
		{"000.400.030", RejectedCommunication}, // 0[^3] excludes it from review
		{"000.400.031", Unknown},               // 03x other than 030: no group
		{"000.400.101", Rejected3DSIntercard},
		{"000.400.102", Rejected3DSIntercard},
		{"000.400.103", Rejected3DSIntercard},
		{"000.400.104", Rejected3DSIntercard},
		{"000.400.105", Rejected3DSIntercard},
		{"000.400.106", Rejected3DSIntercard},
		{"000.400.107", Rejected3DSIntercard},
		{"000.400.108", Rejected3DSIntercard},
		{"000.400.109", Rejected3DSIntercard},
		{"000.400.111", Rejected3DSIntercard},
		{"000.400.130", Unknown}, // [1][0-9][1-9] needs a non-zero last digit
		{"000.400.200", Rejected3DSIntercard},
		{"000.200.000", Pending},
		{"000.200.100", Pending},
		{"800.400.500", PendingLong},
		{"100.400.500", PendingLong},
		{"100.400.300", RejectedExternalRisk},
		{"100.400.400", Unknown},              // newer external-risk expression: [0-3] only
		{"100.380.101", RejectedExternalRisk}, // 100\.38 shadows group 25
		{"100.380.201", RejectedExternalRisk}, // 100\.38 shadows group 25
		{"100.380.401", RejectedExternalRisk}, // group 11 before group 13
		{"100.370.100", RejectedExternalRisk},
		{"100.370.111", RejectedExternalRisk},
		{"100.370.101", RejectedFormat}, // 100\.[53][07]
		{"100.390.100", Rejected3DSecure},
		{"100.395.101", RejectedAsyncWorkflow},
		{"100.100.701", RejectedBlacklist}, // group 14 before group 23
		{"100.100.100", RejectedAccount},
		{"100.200.100", RejectedAccount},
		{"100.210.100", RejectedAccount},
		{"100.220.100", Unknown},
		{"100.600.500", RejectedFormat}, // group 20 before group 22
		{"100.900.500", RejectedFormat},
		{"100.900.100", RejectedContact},
		{"100.700.100", RejectedContact},
		{"100.800.100", RejectedAddressValidation},
		{"800.400.100", RejectedAddressCheck},
		{"100.550.300", RejectedAmount},
		{"000.100.201", Chargeback},
		{"000.100.299", Chargeback},
		{"300.100.100", SoftDecline},
		{"300.100.101", Unknown},
		{"800.900.300", RejectedFormat},
		{"900.100.300", RejectedCommunication},
		{"900.500.100", Unknown},
		{"800.120.100", RejectedRiskValidation},
		{"800.121.100", RejectedConfiguration},
		{"800.600.100", RejectedSystem},
		{"800.800.800", RejectedSystem},
		{"800.800.400", RejectedSystem},
		{"800.800.100", RejectedBank},
		{"600.100.100", RejectedSystem},
		{"600.200.100", RejectedConfiguration},
		{"500.100.100", RejectedConfiguration},
		{"999.999.999", RejectedSystem},
		{"700.400.100", RejectedReference},
		{"700.400.101", RejectedReference}, // the expression only looks at 700.400
		{"700.410.000", Unknown},           // [05]0: the middle's second digit is 0 or 5
		{"700.401.000", Unknown},           // [05]0: the middle's last digit is 0
		{"700.200.100", Unknown},
		{"200.300.404", RejectedFormat},
		{"400.000.000", Unknown},
	}
	for _, tt := range tests {
		if got := Classify(tt.code); got != tt.want {
			t.Errorf("Classify(%q) = %v (%d), want %v (%d)", tt.code, got, got, tt.want, tt.want)
		}
		if ref := referenceClassify(tt.code); ref != tt.want {
			t.Errorf("reference(%q) = %v, want %v: the test table is wrong", tt.code, ref, tt.want)
		}
	}
}

// TestClassifyLaterCodes checks codes missing from the catalogue: they
// still classify by their group.
func TestClassifyLaterCodes(t *testing.T) {
	tests := []struct {
		code string
		want Category
	}{
		{"800.100.999", RejectedBank},
		{"000.000.999", Success},
		{"000.200.555", Pending},
		{"100.396.999", RejectedAsyncWorkflow},
		{"800.160.999", RejectedRiskValidation},
		{"700.550.999", RejectedReference},
		{"999.000.000", RejectedSystem},
	}
	for _, tt := range tests {
		if _, ok := Lookup(tt.code); ok {
			t.Fatalf("%s is in the catalogue; pick a code that is not", tt.code)
		}
		if got := Classify(tt.code); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

// TestClassifyMalformed checks that anything not exactly ddd.ddd.ddd in
// ASCII digits is Unknown, even when a documented expression would match.
func TestClassifyMalformed(t *testing.T) {
	for _, s := range malformedInputs {
		if got := Classify(s); got != Unknown {
			t.Errorf("Classify(%q) = %v, want Unknown", s, got)
		}
	}
	// Prefix-only expressions accept these; the shape check does not.
	for _, s := range []string{"000.000.000 ", "000.000.000\n", "000.000.0000", "999.x", "00/.000.000", "00:.000.000"} {
		if got := Classify(s); got != Unknown {
			t.Errorf("Classify(%q) = %v, want Unknown", s, got)
		}
	}
	if regexGroup("000.000.000\n") != Success {
		t.Error("the documented success expression should match a code with a trailing newline")
	}
}

// TestUnescapedDot covers group 23's ^(100\.100|100.2[01]): its second dot
// is unescaped, and the reference reproduces that, but on well-formed
// input offset 3 is always '.', so Classify agrees with it.
func TestUnescapedDot(t *testing.T) {
	if got := regexGroup("100x200.000"); got != RejectedAccount {
		t.Fatalf("documented group 23 should match %q (unescaped dot), got %v", "100x200.000", got)
	}
	if got := Classify("100x200.000"); got != Unknown {
		t.Errorf("Classify(%q) = %v, want Unknown: the shape check comes first", "100x200.000", got)
	}
	for _, code := range []string{"100.200.000", "100.201.999", "100.219.100"} {
		if got := Classify(code); got != RejectedAccount {
			t.Errorf("Classify(%q) = %v, want RejectedAccount", code, got)
		}
	}
}

// TestClassifyExhaustiveMiddle compares Classify with the reference for
// every middle triplet under each first triplet that some group uses,
// with last triplets that exercise each group's boundaries.
func TestClassifyExhaustiveMiddle(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("exhaustive comparison skipped in -short mode and under -race (pure function, about a minute with the race detector)")
	}
	firsts := []int{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 999}
	lasts := []int{0, 1, 9, 10, 29, 30, 31, 39, 40, 99, 100, 101, 109, 110, 111, 119, 120, 121, 130, 199, 200, 201, 299, 300, 399, 400, 401, 499, 500, 501, 599, 600, 701, 800, 899, 999}
	buf := []byte("000.000.000")
	put := func(off, v int) {
		buf[off], buf[off+1], buf[off+2] = byte('0'+v/100), byte('0'+v/10%10), byte('0'+v%10)
	}
	for _, a := range firsts {
		put(0, a)
		for b := 0; b <= 999; b++ {
			put(4, b)
			for _, c := range lasts {
				put(8, c)
				s := string(buf)
				if got, want := Classify(s), referenceClassify(s); got != want {
					t.Fatalf("Classify(%q) = %v, reference %v", s, got, want)
				}
			}
		}
	}
}

func TestClassifyAllocs(t *testing.T) {
	entries := loadSnapshot(t)
	allocs := testing.AllocsPerRun(10, func() {
		for _, e := range entries {
			Classify(e.Code)
		}
		for _, s := range malformedInputs {
			Classify(s)
		}
	})
	if allocs != 0 {
		t.Errorf("Classify allocates %.1f times per run, want 0", allocs)
	}
}
