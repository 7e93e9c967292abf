// Package curl holds qa.sh, a QA session against the standalone fake
// gateway with curl alone, and the test that runs it.
package curl

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQAScript builds cmd/fakegateway and examples/webhook-receiver, runs
// qa.sh against them, and checks that every step passed. Outside CI (CI
// unset) it is skipped when bash or curl is missing.
func TestQAScript(t *testing.T) {
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: %v", tool, err)
			}
			t.Skipf("%s is missing (%v): qa.sh needs bash and curl", tool, err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	bin := t.TempDir()
	env := os.Environ()
	for name, pkg := range map[string]string{"FAKEGATEWAY": "./cmd/fakegateway", "RECEIVER": "./examples/webhook-receiver"} {
		exe := filepath.Join(bin, filepath.Base(pkg))
		build := exec.CommandContext(ctx, "go", "build", "-o", exe, pkg)
		build.Dir = "../.."
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		env = append(env, name+"="+exe)
	}
	cmd := exec.CommandContext(ctx, "bash", "qa.sh")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qa.sh: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 26 || lines[len(lines)-1] != "PASS" {
		t.Fatalf("qa.sh printed %d lines:\n%s", len(lines), out)
	}
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, "ok   ") {
			t.Errorf("unexpected line %q", l)
		}
	}
}
