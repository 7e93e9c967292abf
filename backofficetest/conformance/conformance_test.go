package conformance

import (
	"context"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

func TestFake(t *testing.T) {
	rep, err := Run(context.Background(), FakeTarget(backofficetest.New()), Scenarios())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range rep.Unmet() {
		t.Errorf("%s / %s: %v: %v", u.Scenario, u.Step, u.Observed, u.Misses)
	}
	t.Logf("%d steps, %d requests", rep.Steps(), rep.Requests)
}
