package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRun runs the generator on the real snapshot into a temporary file and
// compares it with the committed catalogue.go.
func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "catalogue.go")
	// The header names the snapshot by the path given, as go generate does.
	t.Chdir("../..")
	if err := run("testdata/opp-resultcodes.json", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("catalogue.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("generator output differs from catalogue.go")
	}
	if err := run("testdata/missing.json", out); err == nil {
		t.Error("run with a missing snapshot succeeded")
	}
}
