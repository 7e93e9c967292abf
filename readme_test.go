package backoffice_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

// TestReadmeRefundFlow is the README's "Testing with the fake" snippet, so
// the guide cannot drift from what the code does.
func TestReadmeRefundFlow(t *testing.T) {
	ctx := context.Background()
	c, gw := backofficetest.NewClient(t) // in memory, no sockets
	db := gw.SeedDebit(decimal.RequireFromString("30.00"), "EUR")

	if err := gw.SetNextResults("RF", 1, "800.100.151"); err != nil { // the bank declines the next refund
		t.Fatal(err)
	}
	_, err := c.Refund(ctx, db, backoffice.RefundRequest{Amount: decimal.RequireFromString("10"), Currency: "EUR"})
	if !errors.Is(err, backoffice.ErrDeclined) {
		t.Fatal(err)
	}

	if err := gw.FailNext("RF", 1, backofficetest.DropAfterCommit); err != nil { // OPP refunds, the answer is lost
		t.Fatal(err)
	}
	p, err := c.Refund(ctx, db, backoffice.RefundRequest{Amount: decimal.RequireFromString("10"), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	commits := gw.CommitsFor(p.MerchantTransactionID)
	if len(commits) != 1 || commits[0].PaymentID != p.ID {
		t.Fatalf("the refund was committed %d times: %+v", len(commits), commits)
	}
	if tx, _ := gw.Payment(db); !tx.Balance.Refunded.Equal(decimal.RequireFromString("10")) {
		t.Fatalf("refunded %s; want 10 (the declined refund moved nothing)", tx.Balance.Refunded)
	}
}

// TestReadmeSnippetsCompile builds and vets every ```go block of README.md,
// so that no snippet uses an undefined name, ignores a value it must use or
// calls an API that does not exist. A block is one of:
//
//   - a whole file, starting with its package clause;
//   - top-level declarations (funcs, types, ...), compiled as they are;
//   - statements, compiled as the body of a func returning error (with a
//     final "return nil" unless they end with a return), so they may return
//     an error but must declare every name they use.
//
// Imports are added for the packages a block names (see readmeImports). Each
// block becomes its own main package in a temporary directory inside the
// module, so the module's dependencies resolve, and one `go vet` checks them
// all. Errors point at README.md's lines.
func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every README snippet with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the README's snippets: %v", err)
	}
	root, err := os.Getwd() // the module root: this is the root package's test
	if err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(root, "README.md")
	snippets, err := readmeSnippets(readme)
	if err != nil {
		t.Fatal(err)
	}
	if len(snippets) == 0 {
		t.Fatal("README.md has no ```go block")
	}
	// A directory starting with "." is invisible to ./... patterns, so a
	// concurrent go test ./... or vet never meets the generated packages.
	dir, err := os.MkdirTemp(root, ".readme-snippets-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	args := []string{"vet"}
	for i, s := range snippets {
		src, err := snippetProgram(readme, s)
		if err != nil {
			t.Errorf("the block at README.md:%d: %v", s.line-1, err)
			continue
		}
		pkg := filepath.Join(dir, fmt.Sprintf("s%02d", i))
		if err := os.Mkdir(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "main.go"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, pkg)
		args = append(args, "./"+filepath.ToSlash(rel))
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		report := strings.ReplaceAll(string(out), readme, "README.md")
		var lines []string
		for _, l := range strings.Split(report, "\n") {
			if strings.Contains(l, "README.md:") {
				// "vet: .readme-snippets-123/s01/README.md:72:2: ..." → "README.md:72:2: ..."
				l = l[strings.Index(l, "README.md:"):]
			}
			if l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		t.Errorf("README.md's Go snippets do not build (%v):\n%s\n(a block may name the packages of readmeImports without importing them; "+
			"any other package needs an import in a block that starts with its package clause)", err, strings.Join(lines, "\n"))
	}
}

// readmeImports are the packages a README snippet may name without
// importing them: the SDK's own and the standard library's that a merchant
// meets first.
var readmeImports = map[string]string{
	"backoffice":      "github.com/oppkit/backoffice",
	"backofficetest":  "github.com/oppkit/backoffice/backofficetest",
	"httpmockgateway": "github.com/oppkit/backoffice/backofficetest/httpmockgateway",
	"resultcodes":     "github.com/oppkit/backoffice/resultcodes",
	"webhook":         "github.com/oppkit/backoffice/webhook",
	"console":         "github.com/oppkit/backoffice/console",
	"decimal":         "github.com/shopspring/decimal",
	"httpmock":        "github.com/jarcoal/httpmock",
	"context":         "context",
	"errors":          "errors",
	"fmt":             "fmt",
	"http":            "net/http",
	"httptest":        "net/http/httptest",
	"io":              "io",
	"iter":            "iter",
	"json":            "encoding/json",
	"log":             "log",
	"os":              "os",
	"slog":            "log/slog",
	"strings":         "strings",
	"sync":            "sync",
	"testing":         "testing",
	"time":            "time",
}

// A readmeSnippet is one ```go block: its text and the README line of its
// first line of code.
type readmeSnippet struct {
	line int
	code string
}

// readmeSnippets returns every ```go block of the markdown file at path.
func readmeSnippets(path string) ([]readmeSnippet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		out  []readmeSnippet
		cur  *readmeSnippet
		code strings.Builder
		n    int
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```go":
			cur = &readmeSnippet{line: n + 1}
			code.Reset()
		case cur != nil && trimmed == "```":
			cur.code = code.String()
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			code.WriteString(line)
			code.WriteByte('\n')
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: ```go block never closed", path, cur.line-1)
	}
	return out, sc.Err()
}

// snippetProgram turns a snippet into the source of a main package whose
// snippet lines carry //line directives naming readme.
func snippetProgram(readme string, s readmeSnippet) ([]byte, error) {
	directive := fmt.Sprintf("//line %s:%d:1\n", readme, s.line)
	if strings.HasPrefix(firstCodeLine(s.code), "package ") {
		return []byte(directive + s.code), nil
	}
	var head, body, tail string
	if f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+s.code, parser.SkipObjectResolution); err == nil {
		body = s.code
		if !slices.ContainsFunc(f.Decls, func(d ast.Decl) bool {
			fd, ok := d.(*ast.FuncDecl)
			return ok && fd.Recv == nil && fd.Name.Name == "main"
		}) {
			head = "func main() {}\n\n"
		}
	} else {
		wrapped := "package main\n\nfunc snippet() error {\n" + directive + s.code + "}\n"
		f, err := parser.ParseFile(token.NewFileSet(), "", wrapped, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("neither declarations nor statements: %v", strings.ReplaceAll(err.Error(), readme, "README.md"))
		}
		stmts := f.Decls[0].(*ast.FuncDecl).Body.List
		head = "func main() {}\n\nfunc snippet() error {\n"
		body = s.code
		tail = "}\n"
		if len(stmts) == 0 {
			tail = "return nil\n}\n"
		} else if _, ok := stmts[len(stmts)-1].(*ast.ReturnStmt); !ok {
			tail = "return nil\n}\n"
		}
	}
	// The packages the snippet names but does not declare.
	noImports := "package main\n\n" + head + body + tail
	f, err := parser.ParseFile(token.NewFileSet(), "", noImports, 0)
	if err != nil {
		return nil, err
	}
	var imports []string
	for _, id := range f.Unresolved {
		if path, ok := readmeImports[id.Name]; ok && !slices.Contains(imports, path) {
			imports = append(imports, path)
		}
	}
	slices.Sort(imports)
	var b strings.Builder
	b.WriteString("package main\n\n")
	for _, path := range imports {
		fmt.Fprintf(&b, "import %q\n", path)
	}
	b.WriteString("\n" + head + directive + body + tail)
	return []byte(b.String()), nil
}

// firstCodeLine returns the first line of code that is not blank or a
// comment.
func firstCodeLine(code string) string {
	for _, l := range strings.Split(code, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "//") {
			return l
		}
	}
	return ""
}
