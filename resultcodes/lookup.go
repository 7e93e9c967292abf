package resultcodes

import (
	"slices"
	"strings"
)

//go:generate go run ./internal/gen

// entry is one row of the generated catalogue.
type entry struct {
	code, description string
}

// Code is a result code of OPP's catalogue with its description, verbatim
// from OPP's list (trailing spaces and quotes included), and its category.
type Code struct {
	Code        string
	Description string
	Category    Category
}

// Lookup returns the catalogue entry for code, with Category set to
// Classify(code), and true; or the zero Code and false when code is not in
// the catalogue. A code missing from the catalogue may still be a valid
// result code that OPP added later: Classify it. Lookup does not allocate.
func Lookup(code string) (Code, bool) {
	i, ok := slices.BinarySearchFunc(catalogue[:], code, func(e entry, target string) int {
		return strings.Compare(e.code, target)
	})
	if !ok {
		return Code{}, false
	}
	e := catalogue[i]
	return Code{Code: e.code, Description: e.description, Category: Classify(e.code)}, true
}

// All returns a new slice holding every code of the catalogue, sorted by
// code, each with its category. The caller may modify the slice.
func All() []Code {
	all := make([]Code, len(catalogue))
	for i, e := range catalogue {
		all[i] = Code{Code: e.code, Description: e.description, Category: Classify(e.code)}
	}
	return all
}
