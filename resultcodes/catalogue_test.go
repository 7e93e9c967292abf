package resultcodes

import (
	"bytes"
	"os"
	"regexp"
	"testing"

	"github.com/oppkit/backoffice/resultcodes/internal/catalog"
)

// TestCatalogueUpToDate renders the snapshot in memory and fails if the
// committed catalogue.go differs: run go generate ./resultcodes/.
func TestCatalogueUpToDate(t *testing.T) {
	data, err := os.ReadFile(catalog.SourcePath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := catalog.Render(data, catalog.SourcePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(catalog.OutputPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go generate ./resultcodes/", catalog.OutputPath)
	}
	header := regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)
	if loc := header.FindIndex(got); loc == nil || loc[0] != 0 {
		t.Errorf("%s does not start with the generated-code header", catalog.OutputPath)
	}
}
