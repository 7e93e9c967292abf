package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
)

// TestTerminalProgressBar runs a bulk run of the real binary in a real
// terminal (a tmux pane), against the fake gateway served by this test:
// the progress bar appears and moves, Ctrl-C stops the run cleanly (exit
// 12), and the same command finishes it with its summary, every row
// committed once. It needs tmux: outside CI it is skipped without it, in CI
// (CI=true) it fails.
func TestTerminalProgressBar(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (apt-get install -y tmux)")
		}
		t.Skip("tmux not installed: skipping the terminal test (apt-get install -y tmux)")
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	gw := backofficetest.New()
	srv := httptest.NewServer(gw)
	t.Cleanup(func() { srv.Close(); gw.Close() })
	// Each request waits, so that the bar is seen moving.
	must(t, gw.InjectFault(backofficetest.Fault{Method: "POST", Kinds: []backofficetest.FaultKind{backofficetest.Latency}, Latency: 20 * time.Millisecond}))
	const rows = 1500
	path, _ := bulkFile(t, gw, rows)
	dir := filepath.Dir(path)

	session := fmt.Sprintf("oppbo-test-%d", os.Getpid())
	sock := "-L" + session // a private server, away from the user's tmux
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", append([]string{sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tmux("-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "160", "-y", "30", "-c", dir)
	t.Cleanup(func() { exec.Command("tmux", sock, "kill-server").Run() })
	// Each run echoes its own marker with the exit code.
	command := func(run int) string {
		return fmt.Sprintf("clear; OPPBO_TOKEN=%s OPPBO_ENTITY=%s %s refund --csv refunds.csv --host %s; echo EXIT%d=$?",
			backofficetest.DefaultToken, backofficetest.DefaultEntityID, bin, srv.URL, run)
	}
	exitOf := func(run int) *regexp.Regexp { return regexp.MustCompile(fmt.Sprintf(`(?m)^EXIT%d=(\d+)`, run)) }
	bar := regexp.MustCompile(`refund\s+(\d+)% \|[^|]*\| \((\d+)/1500, `)
	// watch polls the pane until until() holds, recording the bar's counts.
	watch := func(seen map[int]bool, until func(screen string) bool) string {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute) // a bound on a hang, not a speed claim
		for time.Now().Before(deadline) {
			screen := tmux("capture-pane", "-p", "-t", session)
			for _, m := range bar.FindAllStringSubmatch(screen, -1) {
				n, _ := strconv.Atoi(m[2])
				seen[n] = true
			}
			if until(screen) {
				return screen
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("timed out; screen:\n%s", tmux("capture-pane", "-p", "-t", session))
		return ""
	}

	// First run: Ctrl-C once the bar has passed 300 rows.
	tmux("send-keys", "-t", session, command(1), "Enter")
	exit := exitOf(1)
	seen := map[int]bool{}
	watch(seen, func(string) bool {
		for n := range seen {
			if n >= 300 {
				return true
			}
		}
		return false
	})
	tmux("send-keys", "-t", session, "C-c")
	screen := watch(seen, exit.MatchString)
	t.Logf("after Ctrl-C:\n%s", strings.TrimRight(screen, "\n"))
	if m := exit.FindStringSubmatch(screen); m[1] != strconv.Itoa(exitBulkInterrupted) {
		t.Errorf("Ctrl-C: EXIT=%s, want %d", m[1], exitBulkInterrupted)
	}
	for _, want := range []string{"stopping: no new rows; waiting for the calls in flight", "refund stopped at ", "not_attempted", "run the same command again to finish them"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after Ctrl-C the screen lacks %q", want)
		}
	}
	if len(seen) < 2 {
		t.Errorf("the bar was seen at %d positions, want it moving: %v", len(seen), seen)
	}
	t.Logf("bar seen at %d positions before Ctrl-C", len(seen))
	stoppedAt := len(gw.Ledger())

	// Second run: finishes the rest.
	tmux("send-keys", "-t", session, command(2), "Enter")
	exit = exitOf(2)
	screen = watch(map[int]bool{}, exit.MatchString)
	t.Logf("resumed:\n%s", strings.TrimRight(screen, "\n"))
	if m := exit.FindStringSubmatch(screen); m[1] != "0" {
		t.Fatalf("resume: EXIT=%s", m[1])
	}
	if !strings.Contains(screen, "(1500/1500, ") || !strings.Contains(screen, "100% |") {
		t.Errorf("the bar did not reach 1500/1500")
	}
	summary := fmt.Sprintf("oppbo refund: 1500 rows: 1500 ok (%d done in earlier runs)", stoppedAt)
	if !strings.Contains(screen, summary) {
		t.Errorf("no summary %q", summary)
	}
	if strings.Contains(screen, "rows done") {
		t.Errorf("plain progress lines on a terminal")
	}
	for _, rec := range readCSV(t, filepath.Join(dir, "refunds.result.csv"))[1:] {
		if n := len(gw.CommitsFor(rec[4])); n != 1 || rec[5] != "ok" {
			t.Fatalf("line %s: %d commits, %v", rec[0], n, rec)
		}
	}
	if len(gw.Ledger()) != rows {
		t.Errorf("ledger: %d commits, want %d", len(gw.Ledger()), rows)
	}
}
