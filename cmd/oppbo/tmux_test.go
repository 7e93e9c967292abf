package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTerminalProgressBar runs a bulk run in a real terminal (a tmux pane):
// the progress bar appears and moves, and the summary follows it. It needs
// tmux; outside CI it is skipped without, in CI (CI=true) it fails.
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
	dir := t.TempDir()
	const rows = 1500
	_, seeds, err := newFake(0)
	must(t, err)
	var b strings.Builder
	b.WriteString("payment_id,amount,currency\n")
	for range rows {
		fmt.Fprintf(&b, "%s,1.00,EUR\n", seeds[2].id) // the fake's big debit
	}
	must(t, os.WriteFile(filepath.Join(dir, "refunds.csv"), []byte(b.String()), 0o644))

	session := fmt.Sprintf("oppbo-test-%d", os.Getpid())
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	// A private server socket (-L) keeps the test away from the user's tmux.
	sock := "-L" + session
	tmux(sock, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "160", "-y", "20", "-c", dir)
	t.Cleanup(func() { exec.Command("tmux", sock, "kill-server").Run() })
	tmux(sock, "send-keys", "-t", session, "clear; "+bin+" refund --fake --fake-latency 20ms --csv refunds.csv; echo EXIT=$?", "Enter")

	exit := regexp.MustCompile(`(?m)^EXIT=(\d+)`)
	bar := regexp.MustCompile(`refund\s+(\d+)% \|[^|]*\| \((\d+)/1500, `)
	seen := map[string]bool{}
	var screen string
	deadline := time.Now().Add(2 * time.Minute) // a bound on a hang, not a speed claim
	for time.Now().Before(deadline) {
		screen = tmux(sock, "capture-pane", "-p", "-t", session)
		for _, m := range bar.FindAllStringSubmatch(screen, -1) {
			seen[m[2]] = true
		}
		if exit.MatchString(screen) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("final screen:\n%s", strings.TrimRight(screen, "\n"))
	if m := exit.FindStringSubmatch(screen); m == nil || m[1] != "0" {
		t.Fatalf("the run did not end with EXIT=0: %v", m)
	}
	if !strings.Contains(screen, "(1500/1500, ") || !strings.Contains(screen, "100% |") {
		t.Errorf("the bar did not reach 1500/1500")
	}
	if !strings.Contains(screen, "oppbo refund: 1500 rows: 1500 ok (0 done in earlier runs)") {
		t.Errorf("no summary")
	}
	if strings.Contains(screen, "rows done") {
		t.Errorf("plain progress lines on a terminal")
	}
	if len(seen) < 2 {
		t.Errorf("the bar was seen at %d positions, want it moving (at least 2): %v", len(seen), seen)
	}
	t.Logf("bar seen at %d positions", len(seen))
}
