package resultcodes

import "testing"

func TestLookup(t *testing.T) {
	tests := []struct {
		code        string
		description string
		category    Category
	}{
		{"000.000.000", "Transaction succeeded", Success},
		{"000.100.110", "Request successfully processed in 'Merchant in Integrator Test Mode'", Success},
		{"800.900.100", "sender authorization failed ", RejectedFormat}, // trailing space kept
		{"700.400.100", "cannot capture (PA value exceeded, PA reverted or invalid workflow?)", RejectedReference},
		{"900.100.300", "timeout, uncertain result", RejectedCommunication},
		{"000.500.000", "Transaction succeeded - very good rating", SuccessReview},
		{"300.100.100", "Transaction declined (additional customer authentication required)", SoftDecline},
		{"999.999.999", "UNDEFINED CONNECTOR/ACQUIRER ERROR", RejectedSystem},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.code)
		if !ok {
			t.Errorf("Lookup(%q) not found", tt.code)
			continue
		}
		want := Code{Code: tt.code, Description: tt.description, Category: tt.category}
		if got != want {
			t.Errorf("Lookup(%q) = %#v, want %#v", tt.code, got, want)
		}
		if got.Category != Classify(tt.code) {
			t.Errorf("Lookup(%q).Category = %v, Classify says %v", tt.code, got.Category, Classify(tt.code))
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	unknown := append([]string{"800.100.999", "000.000.001", "999.999.998", "000.000.00", "000.000.000 "}, malformedInputs...)
	for _, code := range unknown {
		if got, ok := Lookup(code); ok || got != (Code{}) {
			t.Errorf("Lookup(%q) = %#v, %v; want zero Code, false", code, got, ok)
		}
	}
}

// TestLookupSnapshot finds every snapshot code with its description
// verbatim, as decoded by encoding/json from the snapshot.
func TestLookupSnapshot(t *testing.T) {
	entries := loadSnapshot(t)
	for _, e := range entries {
		got, ok := Lookup(e.Code)
		if !ok {
			t.Errorf("Lookup(%q) not found", e.Code)
			continue
		}
		if got.Code != e.Code || got.Description != e.Description || got.Category != Classify(e.Code) {
			t.Errorf("Lookup(%q) = %#v, want description %q", e.Code, got, e.Description)
		}
	}
	if len(catalogue) != len(entries) {
		t.Errorf("catalogue holds %d codes, snapshot %d", len(catalogue), len(entries))
	}
}

func TestAll(t *testing.T) {
	all := All()
	if len(all) != 660 {
		t.Fatalf("All() returned %d codes, want 660", len(all))
	}
	for i, c := range all {
		if i > 0 && all[i-1].Code >= c.Code {
			t.Errorf("All() not sorted at %d: %s then %s", i, all[i-1].Code, c.Code)
		}
		if l, ok := Lookup(c.Code); !ok || l != c {
			t.Errorf("All()[%d] = %#v, Lookup gives %#v, %v", i, c, l, ok)
		}
	}
	// All returns a copy: changing it does not change the catalogue.
	all[0].Description = "changed"
	if c, _ := Lookup(all[0].Code); c.Description == "changed" {
		t.Error("All() shares storage with the catalogue")
	}
	if again := All(); again[0].Description != "Transaction succeeded" {
		t.Errorf("second All()[0].Description = %q", again[0].Description)
	}
}

func TestLookupAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		Lookup("800.100.153")
		Lookup("800.100.999")
		Lookup("")
	})
	if allocs != 0 {
		t.Errorf("Lookup allocates %.1f times per run, want 0", allocs)
	}
}
