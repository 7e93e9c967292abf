package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var testHeader = journalHeader{Version: 1, Op: "refund", Batch: "b"}

// TestJournalGroupCommit: concurrent records all reach the file, whole, and
// read back as the state of each key.
func TestJournalGroupCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, states, err := openJournal(path, testHeader)
	must(t, err)
	if len(states) != 0 {
		t.Fatalf("a new journal has %d keys", len(states))
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("k%03d", i)
			must(t, j.record(journalRecord{Key: key, Line: i + 2, State: "sent"}))
			must(t, j.record(journalRecord{Key: key, Line: i + 2, State: "done", rowOutcome: rowOutcome{Outcome: outcomeOK, ID: "id" + key}}))
		}()
	}
	wg.Wait()
	must(t, j.Close())
	j, states, err = openJournal(path, testHeader)
	must(t, err)
	defer j.Close()
	if len(states) != 200 {
		t.Fatalf("%d keys, want 200", len(states))
	}
	for k, s := range states {
		if !s.sent || s.done == nil || s.done.Outcome != outcomeOK || s.done.ID != "id"+k || s.unresolved() {
			t.Errorf("%s: %+v", k, s)
		}
	}
}

// TestJournalTornAndDamaged: a torn last line (a crash in the middle of a
// write) is cut off and the journal goes on; a damaged line in the middle,
// or another run's header, is refused.
func TestJournalTornAndDamaged(t *testing.T) {
	dir := t.TempDir()
	head := `{"version":1,"op":"refund","batch":"b"}` + "\n"
	sent := `{"key":"a","line":2,"state":"sent"}` + "\n"
	done := `{"key":"a","line":2,"state":"done","outcome":"ok","id":"x"}` + "\n"
	tests := []struct {
		name, content, err string
		unresolved         bool
	}{
		{"torn last line", head + sent + `{"key":"a","li`, "", true},
		{"torn last line ending in a newline", head + sent + "{\"key\":\n", "", true},
		{"complete", head + sent + done, "", false},
		{"unknown outcome", head + sent + `{"key":"a","line":2,"state":"done","outcome":"outcome_unknown"}` + "\n", "", true},
		{"damaged middle line", head + "garbage\n" + sent, "line 2 is damaged", false},
		{"another operation", `{"version":1,"op":"capture","batch":"b"}` + "\n", "belongs to a capture run", false},
		{"no header", sent, "line 1 is not a journal header", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			must(t, os.WriteFile(path, []byte(tt.content), 0o600))
			j, states, err := openJournal(path, testHeader)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			must(t, err)
			if got := states["a"].unresolved(); got != tt.unresolved {
				t.Errorf("unresolved %v, want %v", got, tt.unresolved)
			}
			must(t, j.record(journalRecord{Key: "b", Line: 3, State: "sent"}))
			must(t, j.Close())
			data, _ := os.ReadFile(path)
			for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
					t.Errorf("line %d is not a whole record after reopening: %q", i+1, line)
				}
			}
		})
	}
}
