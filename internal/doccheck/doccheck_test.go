// Package doccheck holds the module's check that every exported name is
// documented. It has no code of its own: its test runs under `go test ./...`.
package doccheck

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExportedNamesAreDocumented parses every non-test .go file of the
// module (nested modules, testdata and hidden directories excluded) and fails
// on each exported type, function, method of an exported type, constant and
// variable without a doc comment. Types and functions must have a comment
// that starts with their name; a constant or variable in a group is
// documented by the group's comment or by its own (above it or at the end of
// its line).
func TestExportedNamesAreDocumented(t *testing.T) {
	root := moduleRoot(t)
	var problems []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || fileExists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, p := range undocumented(fset, f) {
			rel, _ := filepath.Rel(root, p.Filename)
			problems = append(problems, rel+":"+strconv.Itoa(p.Line)+": "+p.what)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestCheckFindsEachKind runs the check on a file with one undocumented name
// of each kind, so that the test above cannot pass by checking nothing.
func TestCheckFindsEachKind(t *testing.T) {
	const src = `package p

type T int

func F() {}

func (T) M() {}

func (*T) N() {}

type u int

// M is fine: u is unexported.
func (u) M() {}

func (u) X() {}

const C = 1

var V = 2

// Group documents its members.
const (
	G1 = 1
	G2 = 2
)

const (
	// H1 documents itself.
	H1 = 1
	H2 = 2 // H2 documents itself at the end of its line.
	H3 = 3
)

// Wrong starts with another name.
func Right() {}

// Good is documented.
type Good struct{}

type (
	// Inner is documented inside its group.
	Inner int
	Bare  int
)

func unexported() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range undocumented(fset, f) {
		got = append(got, strconv.Itoa(p.Line)+": "+p.what)
	}
	want := []string{
		"3: type T has no doc comment",
		"5: func F has no doc comment",
		"7: method T.M has no doc comment",
		"9: method T.N has no doc comment",
		"18: const C has no doc comment",
		"20: var V has no doc comment",
		"32: const H3 has no doc comment",
		"36: func Right: doc comment does not start with \"Right\"",
		"44: type Bare has no doc comment",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

type problem struct {
	token.Position
	what string
}

// undocumented lists the exported names of f that lack a doc comment.
func undocumented(fset *token.FileSet, f *ast.File) []problem {
	var out []problem
	add := func(pos token.Pos, what string) {
		out = append(out, problem{fset.Position(pos), what})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			what := "func " + name
			if d.Recv != nil {
				recv := receiverType(d.Recv)
				if !ast.IsExported(recv) {
					continue
				}
				what = "method " + recv + "." + name
			}
			if !ast.IsExported(name) {
				continue
			}
			checkNamed(add, d.Pos(), what, name, d.Doc)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !ast.IsExported(s.Name.Name) {
						continue
					}
					doc := s.Doc
					if doc == nil && !d.Lparen.IsValid() {
						doc = d.Doc
					}
					checkNamed(add, s.Pos(), "type "+s.Name.Name, s.Name.Name, doc)
				case *ast.ValueSpec:
					if d.Doc != nil || s.Doc != nil || s.Comment != nil {
						continue
					}
					for _, n := range s.Names {
						if ast.IsExported(n.Name) {
							add(n.Pos(), d.Tok.String()+" "+n.Name+" has no doc comment")
						}
					}
				}
			}
		}
	}
	return out
}

// checkNamed reports a missing doc comment, or one that does not start with
// the name (optionally after "A", "An" or "The", as go doc allows).
func checkNamed(add func(token.Pos, string), pos token.Pos, what, name string, doc *ast.CommentGroup) {
	if doc == nil || strings.TrimSpace(doc.Text()) == "" {
		add(pos, what+" has no doc comment")
		return
	}
	text := doc.Text()
	for _, article := range []string{"A ", "An ", "The "} {
		text = strings.TrimPrefix(text, article)
	}
	if strings.HasPrefix(text, "Deprecated:") {
		return
	}
	if !strings.HasPrefix(text, name+" ") && !strings.HasPrefix(text, name+",") && !strings.HasPrefix(text, name+"'") && !strings.HasPrefix(text, name+"\n") && text != name {
		add(pos, what+": doc comment does not start with \""+name+"\"")
	}
}

// receiverType returns the name of a method's receiver type, without
// pointer or type parameters.
func receiverType(recv *ast.FieldList) string {
	if len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// moduleRoot walks up from the test's directory to the go.mod of the module.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal(errors.New("no go.mod above the test's directory"))
		}
		dir = parent
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
