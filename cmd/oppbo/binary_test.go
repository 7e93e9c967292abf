package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
	buildDir  string
)

// binary builds the oppbo binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "oppbo-bin-")
		if buildErr != nil {
			return
		}
		buildPath = filepath.Join(buildDir, "oppbo")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// TestBinaryKilled: the real binary, run against the fake gateway served
// over HTTP, is killed with SIGKILL twice in the middle of a bulk run (its
// requests in flight may still commit after it died) and run again: every
// row is committed exactly once.
func TestBinaryKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := binary(t)
	gw := backofficetest.New()
	srv := httptest.NewServer(gw)
	t.Cleanup(func() { srv.Close(); gw.Close() })
	n := 1000
	if raceEnabled {
		n = 400
	}
	path, _ := bulkFile(t, gw, n)
	must(t, gw.InjectFault(backofficetest.Fault{Method: "POST", Probability: 0.05, Seed: 3, Kinds: []backofficetest.FaultKind{
		backofficetest.DropAfterCommit, backofficetest.StatusAfterCommit, backofficetest.ResetAfterWrite}}))
	env := append(os.Environ(), "OPPBO_TOKEN="+backofficetest.DefaultToken, "OPPBO_ENTITY="+backofficetest.DefaultEntityID, "HOME="+t.TempDir())
	args := []string{"refund", "--csv", path, "--host", srv.URL, "--concurrency", "16"}
	for i, after := range []int{n / 5, n / 2} {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		cmd.Env = env
		stderr, err := cmd.StderrPipe()
		must(t, err)
		must(t, cmd.Start())
		// Plain progress lines (stderr is a pipe): kill after the line
		// that reports `after` rows done.
		want := fmt.Sprintf("refund: %d/%d rows done", after, n)
		sc := bufio.NewScanner(stderr)
		killed := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), want) && !killed {
				must(t, cmd.Process.Signal(syscall.SIGKILL))
				killed = true
			}
		}
		err = cmd.Wait()
		if !killed {
			t.Fatalf("kill %d: the run ended before %q: %v", i+1, want, err)
		}
		t.Logf("kill %d after %d rows: %v; %d commits", i+1, after, err, len(gw.Ledger()))
	}
	gw.ClearFaults()
	cmd := exec.CommandContext(context.Background(), bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("final run: %v\n%s", err, tail(string(out), 10))
	}
	t.Log(lastLine(string(out), "oppbo refund:"))
	recs := readCSV(t, strings.TrimSuffix(path, ".csv")+".result.csv")
	for _, rec := range recs[1:] {
		if c := gw.CommitsFor(rec[4]); len(c) != 1 || rec[5] != "ok" || rec[6] != c[0].PaymentID {
			t.Fatalf("line %s: %d commits, result %v", rec[0], len(c), rec)
		}
	}
	if len(recs) != n+1 || len(gw.Ledger()) != n {
		t.Fatalf("%d result rows, %d commits; want %d", len(recs)-1, len(gw.Ledger()), n)
	}
}
