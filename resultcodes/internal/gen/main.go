// Command gen regenerates resultcodes/catalogue.go from the result-code
// snapshot. It is run by go generate in the resultcodes directory:
//
//	go generate ./resultcodes/
//
// The flags -in and -out override the snapshot and output paths, which
// default to paths relative to the resultcodes directory.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/oppkit/backoffice/resultcodes/internal/catalog"
)

func main() {
	in := flag.String("in", catalog.SourcePath, "result-code snapshot (JSON array of {code, description})")
	out := flag.String("out", catalog.OutputPath, "generated Go file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	src, err := catalog.Render(data, in)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
