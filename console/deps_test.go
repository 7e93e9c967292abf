package console_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportGraph: a merchant who imports backoffice alone compiles neither
// the console nor chromedp, and the console itself compiles no chromedp
// (the browser test's dependency).
func TestImportGraph(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	for pkg, banned := range map[string][]string{
		"github.com/oppkit/backoffice":         {"github.com/oppkit/backoffice/console", "github.com/chromedp/"},
		"github.com/oppkit/backoffice/console": {"github.com/chromedp/"},
	} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range banned {
				if strings.HasPrefix(dep, b) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
