package conformance

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/oppkit/backoffice/backofficetest"
)

// Difference is a step whose answer differs between the fake and OPP.
type Difference struct {
	Scenario, Step string
	Fake, OPP      Observation
	// Aspects say what differs: "status 200 ≠ 400", "code ...", "fields
	// +[...] −[...]" (fields only the fake sends, fields only OPP sends),
	// ...
	Aspects []string
}

// missingStep is the observation of a step one report lacks.
var missingStep = Observation{Error: "no such step"}

// Compare returns the steps whose answers differ between the fake's report
// and OPP's, in OPP's order, then the fake's steps OPP's report lacks.
func Compare(fake, opp *Report) []Difference {
	fi := index(fake)
	seen := make(map[[2]string]bool)
	var out []Difference
	for _, sc := range opp.Results {
		for _, st := range sc.Steps {
			k := [2]string{sc.Name, st.Name}
			seen[k] = true
			f, ok := fi[k]
			if !ok {
				f = missingStep
			}
			if d := f.Differences(st.Observed); d != nil {
				out = append(out, Difference{Scenario: sc.Name, Step: st.Name, Fake: f, OPP: st.Observed, Aspects: d})
			}
		}
	}
	for _, sc := range fake.Results {
		for _, st := range sc.Steps {
			if !seen[[2]string{sc.Name, st.Name}] {
				out = append(out, Difference{Scenario: sc.Name, Step: st.Name, Fake: st.Observed, OPP: missingStep,
					Aspects: st.Observed.Differences(missingStep)})
			}
		}
	}
	return out
}

func index(r *Report) map[[2]string]Observation {
	m := make(map[[2]string]Observation)
	for _, sc := range r.Results {
		for _, st := range sc.Steps {
			m[[2]string{sc.Name, st.Name}] = st.Observed
		}
	}
	return m
}

// WriteTable writes every step of OPP's report as a row: scenario, step,
// what the fake answers, what OPP answered, and what differs ("=" when
// nothing does), then a count of the differences and, when there are
// some, how to read them.
func WriteTable(w io.Writer, fake, opp *Report) error {
	fi := index(fake)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "SCENARIO\tSTEP\tFAKE\tOPP (%s)\tDIFFERS\n", opp.Host)
	last := ""
	for _, sc := range opp.Results {
		for _, st := range sc.Steps {
			f, ok := fi[[2]string{sc.Name, st.Name}]
			if !ok {
				f = missingStep
			}
			name := sc.Name
			if name == last {
				name = ""
			}
			last = sc.Name
			d := strings.Join(f.Differences(st.Observed), "; ")
			if d == "" {
				d = "="
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, st.Name, f, st.Observed, d)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	n := len(Compare(fake, opp))
	if _, err := fmt.Fprintf(w, "%d of %d steps differ (OPP recorded %s at %s)\n", n, opp.Steps(),
		opp.Host, opp.Recorded.Format("2006-01-02 15:04 UTC")); err != nil || n == 0 {
		return err
	}
	_, err := fmt.Fprintln(w, "fields +[...] are sent by the fake only, −[...] by OPP only")
	return err
}

// Comparison is a run against OPP next to a run against a fresh fake.
type Comparison struct {
	Fake, OPP   *Report
	Differences []Difference
}

// Check runs the suite against target, then against a fresh fake gateway,
// and compares them. Run's refusals (a live host, a live answer) are
// returned as errors, with the partial report of OPP when there is one.
func Check(ctx context.Context, target Target, scenarios []Scenario) (*Comparison, error) {
	opp, err := Run(ctx, target, scenarios)
	if err != nil {
		return &Comparison{OPP: opp}, err
	}
	fake, err := Run(ctx, FakeTarget(backofficetest.New()), scenarios)
	if err != nil {
		return &Comparison{OPP: opp}, err
	}
	return &Comparison{Fake: fake, OPP: opp, Differences: Compare(fake, opp)}, nil
}
