package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPairsExist: every benchmark a pair names is declared in its package's
// tests, each sub-benchmark name appearing as a string in them, so that a
// rename cannot silently drop a ratio from the table.
func TestPairsExist(t *testing.T) {
	for _, p := range pairs {
		dir := filepath.Join("..", "..", p.pkg)
		files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		funcs := map[string]bool{}
		var src strings.Builder
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src.Write(b)
			file, err := parser.ParseFile(token.NewFileSet(), f, b, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range file.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
					funcs[fd.Name.Name] = true
				}
			}
		}
		for _, bench := range []string{p.num, p.den} {
			parts := strings.Split(bench, "/")
			if !funcs[parts[0]] {
				t.Errorf("%s: no func %s", p.pkg, parts[0])
			}
			for _, sub := range parts[1:] {
				if !strings.Contains(src.String(), `"`+sub) {
					t.Errorf("%s: no sub-benchmark named %q for %s", p.pkg, sub, bench)
				}
			}
		}
	}
}

func TestQuartiles(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want [5]float64
	}{
		{[]float64{1}, [5]float64{1, 1, 1, 1, 1}},
		{[]float64{4, 1, 3, 2}, [5]float64{1, 1.75, 2.5, 3.25, 4}},
		{[]float64{5, 1, 3, 2, 4}, [5]float64{1, 2, 3, 4, 5}},
	} {
		if got := quartiles(tc.xs); got != tc.want {
			t.Errorf("quartiles(%v) = %v; want %v", tc.xs, got, tc.want)
		}
	}
}

func TestRegexpQuote(t *testing.T) {
	if got := regexpQuote("pool-64.a+b"); got != `pool-64\.a\+b` {
		t.Errorf("got %s", got)
	}
}
