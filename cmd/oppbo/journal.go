package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// The journal of a bulk run is an append-only file of JSON lines: a header
// naming the operation and the batch, then, for every row, a "sent" record
// written (and fsync'd) before its request leaves, and a "done" record with
// its outcome after. A later run reads it to skip finished rows and to look
// up rows that were in flight before it sends anything again.

type journalHeader struct {
	Version int    `json:"version"`
	Op      string `json:"op"`
	Batch   string `json:"batch"`
}

type journalRecord struct {
	Key   string `json:"key"`
	Line  int    `json:"line"`
	State string `json:"state"` // "sent" or "done"
	rowOutcome
}

// rowOutcome is what a row came to.
type rowOutcome struct {
	Outcome     outcome `json:"outcome,omitempty"`
	ID          string  `json:"id,omitempty"`
	Code        string  `json:"code,omitempty"`
	Description string  `json:"description,omitempty"`
}

// final reports whether a row with this outcome is finished: a later run
// neither looks it up nor sends it again. Unknown outcomes, and failures
// after which OPP provably performed nothing (gateway, network, permission),
// are not final.
func (o outcome) final() bool {
	switch o {
	case outcomeUnknown, outcomeGateway, outcomeNetwork, outcomeUnauthorized, outcomeNotAttempted, "":
		return false
	}
	return true
}

// keyState is what the journal says about one key.
type keyState struct {
	line int
	sent bool // a request with this key may have left
	done *rowOutcome
}

// unresolved reports whether money may have moved for the key without the
// journal knowing the outcome.
func (s keyState) unresolved() bool {
	return s.sent && (s.done == nil || s.done.Outcome == outcomeUnknown)
}

// journal appends records with group commit: concurrent appends share one
// write and one fsync.
type journal struct {
	f       *os.File
	mu      sync.Mutex
	cond    *sync.Cond
	pending []byte // records waiting for the next write
	seq     uint64 // records appended to pending
	synced  uint64 // records durable on disk
	syncing bool
	err     error
}

// openJournal opens (or creates) the journal at path for op and batch, and
// returns what it already holds. A torn last line, left by a crash in the
// middle of a write, is cut off: its request was never sent, because a
// request leaves only after its record is on disk.
func openJournal(path string, h journalHeader) (*journal, map[string]keyState, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, configErrorf("journal: %v", err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, configErrorf("journal %s: %v", path, err)
	}
	states, good, err := readJournal(path, data, h)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, nil, configErrorf("journal %s: %v", path, err)
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, configErrorf("journal %s: %v", path, err)
	}
	j := &journal{f: f}
	j.cond = sync.NewCond(&j.mu)
	if good == 0 {
		line, _ := json.Marshal(h)
		if err := j.append(append(line, '\n')); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return j, states, nil
}

// readJournal parses a journal's bytes. It returns the state of every key
// and the length of the well-formed prefix.
func readJournal(path string, data []byte, want journalHeader) (map[string]keyState, int, error) {
	states := map[string]keyState{}
	off, n := 0, 0
	for off < len(data) {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			break // a torn last line
		}
		line := data[off : off+nl]
		n++
		if n == 1 {
			var h journalHeader
			if err := json.Unmarshal(line, &h); err != nil || h.Version == 0 {
				return nil, 0, configErrorf("journal %s: line 1 is not a journal header", path)
			}
			if h != want {
				return nil, 0, configErrorf("journal %s belongs to a %s run of batch %q, not a %s run of batch %q: pass --journal with another file", path, h.Op, h.Batch, want.Op, want.Batch)
			}
		} else {
			var r journalRecord
			if err := json.Unmarshal(line, &r); err != nil || r.Key == "" {
				if off+nl+1 == len(data) {
					break // a torn last line that happens to end in a newline
				}
				return nil, 0, configErrorf("journal %s: line %d is damaged", path, n)
			}
			s := states[r.Key]
			s.line = r.Line
			switch r.State {
			case "sent":
				s.sent, s.done = true, nil
			case "done":
				o := r.rowOutcome
				s.done = &o
			default:
				return nil, 0, configErrorf("journal %s: line %d has state %q", path, n, r.State)
			}
			states[r.Key] = s
		}
		off += nl + 1
	}
	return states, off, nil
}

// record appends one record and returns once it is on disk.
func (j *journal) record(r journalRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return j.append(append(line, '\n'))
}

// append adds line to the journal and waits until it is durable. Whoever
// finds no write in progress writes and syncs everything pending, so that
// concurrent callers share one fsync.
func (j *journal) append(line []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	j.pending = append(j.pending, line...)
	j.seq++
	mine := j.seq
	for j.synced < mine && j.err == nil {
		if j.syncing {
			j.cond.Wait()
			continue
		}
		buf, upto := j.pending, j.seq
		j.pending, j.syncing = nil, true
		j.mu.Unlock()
		_, err := j.f.Write(buf)
		if err == nil {
			err = j.f.Sync()
		}
		j.mu.Lock()
		j.syncing = false
		if err != nil {
			j.err = fmt.Errorf("journal: %w", err)
		} else {
			j.synced = upto
		}
		j.cond.Broadcast()
	}
	return j.err
}

// failed returns the write or fsync error that stopped the journal, if any.
func (j *journal) failed() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Close closes the journal file.
func (j *journal) Close() error {
	return errors.Join(j.failed(), j.f.Close())
}
