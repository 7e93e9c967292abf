package main

import (
	"bytes"
	"os"
	"testing"
)

// TestTour runs the tour against the fake and compares its output with the
// golden file: the fake's ids are deterministic, so the whole log is.
func TestTour(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/tour.golden")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Fatalf("tour output changed:\n%s\nwant:\n%s", out.String(), want)
	}
	if !bytes.Contains(out.Bytes(), []byte("9 operations committed, 0 of them more than once")) {
		t.Fatal("the golden file lost the exactly-once line")
	}
}
