package main

import (
	"bytes"
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// cli runs the real program against one fake gateway that outlives each
// invocation, as a test harness for run.
type cli struct {
	t   *testing.T
	gw  *backofficetest.Gateway
	env []string
	rt  http.RoundTripper // what the CLI sends through; gw unless replaced
}

// newCLI returns a harness with the fake's credentials in the environment
// and the test host.
func newCLI(t *testing.T) *cli {
	t.Helper()
	gw := backofficetest.New()
	return &cli{t: t, gw: gw, rt: gw, env: []string{
		"OPPBO_TOKEN=" + backofficetest.DefaultToken,
		"OPPBO_ENTITY=" + backofficetest.DefaultEntityID,
		"OPPBO_HOST=test",
		"HOME=" + t.TempDir(),
	}}
}

// result is what one invocation did.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the CLI with args and stdin.
func (c *cli) run(ctx context.Context, stdin string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(stdin), &out, &errb, c.env)
	a.transport = c.rt
	a.retry = &backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}
	code := a.main(ctx, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func (c *cli) do(args ...string) result {
	c.t.Helper()
	return c.run(context.Background(), "", args...)
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	return path
}
