package resultcodes

import "testing"

// FuzzClassify checks that Classify never panics and agrees with its
// specification (shape check, overrides, documented expressions in order)
// on every input, and that Lookup agrees with Classify.
func FuzzClassify(f *testing.F) {
	for _, e := range loadSnapshot(f) {
		f.Add(e.Code)
	}
	for _, s := range malformedInputs {
		f.Add(s)
	}
	f.Add("100x200.000")
	f.Add("800.100.999")
	f.Fuzz(func(t *testing.T, s string) {
		got := Classify(s)
		if want := referenceClassify(s); got != want {
			t.Fatalf("Classify(%q) = %v (%d), reference %v (%d)", s, got, got, want, want)
		}
		if c, ok := Lookup(s); ok && (c.Code != s || c.Category != got) {
			t.Fatalf("Lookup(%q) = %#v, Classify says %v", s, c, got)
		}
	})
}
