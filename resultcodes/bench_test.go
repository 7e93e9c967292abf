package resultcodes

import "testing"

// Both benchmarks classify every snapshot code once per iteration, so
// ns/op is the cost of 660 classifications.

var sinkCategory Category

func BenchmarkClassify(b *testing.B) { benchmarkClassifier(b, Classify) }

// BenchmarkRegexList is what OPP's docs and peer clients do: the
// documented expressions, precompiled, tried in order.
func BenchmarkRegexList(b *testing.B) { benchmarkClassifier(b, regexGroup) }

// benchmarkClassifier classifies every snapshot code once per iteration.
func benchmarkClassifier(b *testing.B, classify func(string) Category) {
	entries := loadSnapshot(b)
	codes := make([]string, len(entries))
	for i, e := range entries {
		codes[i] = e.Code
	}
	b.ReportAllocs()
	var c Category
	for b.Loop() {
		for _, code := range codes {
			c = classify(code)
		}
	}
	sinkCategory = c
}

func BenchmarkLookup(b *testing.B) {
	entries := loadSnapshot(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, e := range entries {
			if _, ok := Lookup(e.Code); ok {
				n++
			}
		}
	}
	if n == 0 {
		b.Fatal("no code found")
	}
}
