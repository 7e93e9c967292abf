package backofficetest_test

import (
	"context"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/backofficetest/conformance"
)

// TestConformanceFixtures replays every run of the conformance suite
// recorded against OPP's test host (backofficetest/conformance/testdata):
// each step where the fake answers otherwise than OPP did fails, until the
// fake is fixed or the choice is documented in this package's doc and
// listed by conformance.DocumentedDifferences.
func TestConformanceFixtures(t *testing.T) {
	fixtures, err := conformance.ReadFixtures("conformance/testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) == 0 {
		t.Log("no OPP fixtures under conformance/testdata yet: record one with " + conformance.EnvRecord + "=1 and TestOPP")
		return
	}
	fake, err := conformance.Run(context.Background(), conformance.FakeTarget(backofficetest.New()), conformance.Scenarios())
	if err != nil {
		t.Fatal(err)
	}
	conformance.Replay(t, fake, fixtures, conformance.DocumentedDifferences())
}
