package conformance

import (
	"strings"
)

// Accepted is a recorded difference between the fake and OPP that the
// project has documented as a choice of the fake (in backofficetest's
// package doc), so that Replay does not fail it.
type Accepted struct {
	Host           string // the fixture's host; "" for every host
	Scenario, Step string
	Reason         string // where the choice is documented, and why
}

// DocumentedDifferences returns the recorded differences between the fake
// and OPP that backofficetest's package doc documents as the fake's
// choices, each with its reason: the only differences Replay and TestOPP
// do not fail. None is documented yet; a difference is added here, with
// its Reason, only together with the paragraph of backofficetest's package
// doc that explains it.
func DocumentedDifferences() []Accepted {
	return []Accepted{}
}

// TB is the part of testing.TB that Replay reports to.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// Replay holds each fixture (OPP's recorded answers) against fake (a run
// of the suite against the fake gateway), step by step: every step whose
// answer differs fails tb, naming the fixture's host and date, the
// scenario, the step, both answers and what differs, unless accepted lists
// it. Steps a fixture holds that the suite no longer has, and accepted
// entries that match no difference, are logged. It returns how many
// differences failed.
func Replay(tb TB, fake *Report, fixtures []*Report, accepted []Accepted) int {
	tb.Helper()
	failed := 0
	used := make([]bool, len(accepted))
	fi := index(fake)
	for _, fx := range fixtures {
		when := fx.Recorded.Format("2006-01-02")
		for _, d := range Compare(fake, fx) {
			if isMissing(d.OPP) {
				continue // a step the suite gained after the recording
			}
			if _, ok := fi[[2]string{d.Scenario, d.Step}]; !ok {
				tb.Logf("fixture %s (%s) holds %s / %s, which the suite no longer has", fx.Host, when, d.Scenario, d.Step)
				continue
			}
			if i := acceptedAt(accepted, fx.Host, d); i >= 0 {
				used[i] = true
				continue
			}
			failed++
			tb.Errorf("%s / %s: the fake answers %s, OPP (%s, recorded %s) answered %s: %s; fix the fake, or document the choice in backofficetest's package doc and list it as Accepted",
				d.Scenario, d.Step, d.Fake, fx.Host, when, d.OPP, strings.Join(d.Aspects, "; "))
		}
	}
	for i, a := range accepted {
		if !used[i] {
			tb.Logf("accepted difference %s / %s matches no recorded difference any more (%s)", a.Scenario, a.Step, a.Reason)
		}
	}
	return failed
}

func acceptedAt(accepted []Accepted, host string, d Difference) int {
	for i, a := range accepted {
		if (a.Host == "" || a.Host == host) && a.Scenario == d.Scenario && a.Step == d.Step {
			return i
		}
	}
	return -1
}

// isMissing reports whether o stands for a step a report lacks.
func isMissing(o Observation) bool { return o.Status == 0 && o.Error == missingStep.Error }
