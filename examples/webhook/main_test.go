package main

import (
	"bytes"
	"os"
	"testing"
)

// TestWebhookExample runs the program against the fake and an endpoint on
// loopback and compares its output with the golden file.
func TestWebhookExample(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/webhook.golden")
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Fatalf("output changed:\n%s\nwant:\n%s", out.String(), want)
	}
	if !bytes.Contains(out.Bytes(), []byte("again: already handled, answering 200")) {
		t.Fatal("the golden file lost the deduplication step")
	}
}
