package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows a bulk run's progress: a bar on a terminal, plain lines
// otherwise. It is safe for concurrent use.
type progress interface {
	add(rw row, res rowResult) // one row finished (or skipped)
	note(msg string)           // a message between updates
	finish()
}

// newProgress returns a bar when w is a terminal, plain lines otherwise.
func newProgress(w io.Writer, name string, total int) progress {
	if isTerminal(w) {
		return newBar(w, name, total)
	}
	return &lines{w: w, name: name, total: total, every: max(1, total/20)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// lines reports progress as plain lines: one per row that did not succeed,
// and a count every twentieth of the file.
type lines struct {
	mu                      sync.Mutex
	w                       io.Writer
	name                    string
	total, every, done, bad int
}

func (l *lines) add(rw row, res rowResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done++
	if !res.skipped && res.Outcome != outcomeOK && res.Outcome != outcomePending {
		l.bad++
		fmt.Fprintf(l.w, "line %d: %s %s %s\n", rw.line, res.Outcome, res.Code, res.Description)
	}
	if l.done%l.every == 0 || l.done == l.total {
		fmt.Fprintf(l.w, "%s: %d/%d rows done\n", l.name, l.done, l.total)
	}
}

func (l *lines) note(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.w, msg)
}

func (l *lines) finish() {}

// bar is a progress bar on a terminal.
type bar struct {
	mu          sync.Mutex
	w           io.Writer
	name        string
	done, total int
	b           *progressbar.ProgressBar
}

func newBar(w io.Writer, name string, total int) *bar {
	return &bar{w: w, name: name, total: total, b: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)}
}

func (b *bar) add(_ row, _ rowResult) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done++
	b.b.Add(1)
}

// note prints msg where the bar was; the bar comes back at its next update.
func (b *bar) note(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Clear()
	fmt.Fprintln(b.w, msg)
}

// finish leaves a stopped run's count on the screen (a finished bar stays
// as it is).
func (b *bar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.b.IsFinished() {
		b.b.Clear()
		fmt.Fprintf(b.w, "%s stopped at %d/%d rows\n", b.name, b.done, b.total)
	}
}
