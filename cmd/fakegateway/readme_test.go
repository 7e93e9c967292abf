package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// shellBlocks returns the ```sh blocks of a Markdown file, in order.
func shellBlocks(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(string(data), -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// needShell skips the test when bash or curl is missing, except in CI
// (CI set), where it fails.
func needShell(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: %v", tool, err)
			}
			t.Skipf("%s is missing (%v): the curl cookbook needs bash and curl", tool, err)
		}
	}
}

// TestCookbook runs every command of README.md's curl cookbook, in order,
// in one bash session from the repository's root, and checks what they
// printed.
func TestCookbook(t *testing.T) {
	needShell(t)
	blocks := shellBlocks(t, "README.md")
	if len(blocks) < 10 {
		t.Fatalf("found %d shell blocks in README.md", len(blocks))
	}
	script := "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + strings.Join(blocks, "\n")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the cookbook failed: %v\n%s", err, out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`seeded PA [0-9a-f]{32}\n`),
		regexp.MustCompile(`"paymentType":"CP","amount":"60.00","currency":"EUR",.*"result":\{"code":"000.100.110"`),
		regexp.MustCompile(`"captured":"60.00"`),
		regexp.MustCompile(`"code":"800.100.151"`),
		regexp.MustCompile(`"code":"800.100.155"`),
		regexp.MustCompile(`"code":"555.555.555"`),
		regexp.MustCompile(`\n503\n`),
		regexp.MustCompile(`"merchantTransactionId":"lost-answer"`),
		regexp.MustCompile(`"card.number":\["420000\*\*\*\*\*\*0000"\]|"amount":\["1.00"\]`),
		regexp.MustCompile(`"paymentType":"CB",.*"resultCode":"000.100.200"`),
		regexp.MustCompile(`"status":"succeeded"`),
		regexp.MustCompile(`"total":0`),
	} {
		if !want.Match(out) {
			t.Errorf("the output lacks %s:\n%s", want, out)
		}
	}
}
