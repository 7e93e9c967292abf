package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestGetDetails: get shows a pre-authorization with its capture and the
// capture's refund (a timeline, oldest first), what is left of it and the
// operations it still takes; the same for the capture; --json carries the
// same data.
func TestGetDetails(t *testing.T) {
	c := newCLI(t)
	pa := c.gw.SeedPreAuthorization(dec("100.00"), "EUR")
	r := c.do("capture", pa, "--amount", "60.00", "--currency", "EUR", "--transaction-id", "order-2001-capture", "--json")
	if r.code != exitOK {
		t.Fatalf("capture: exit %d, %s", r.code, r.stderr)
	}
	var cp paymentJSON
	must(t, json.Unmarshal([]byte(r.stdout), &cp))
	if r := c.do("refund", cp.ID, "--amount", "15.00", "--currency", "EUR", "--transaction-id", "order-2001-refund"); r.code != exitOK {
		t.Fatalf("refund: exit %d, %s", r.code, r.stderr)
	}

	tests := []struct {
		name, id    string
		linked      []string // the linked transactions' types, oldest first
		remaining   remainingJSON
		allowed     []string
		linesInText []string
	}{
		{"get-pa", pa, []string{"CP", "RF"}, remainingJSON{Capture: "40.00", Refund: "0.00", Reverse: "0.00", Chargeback: "0.00"}, []string{"capture"},
			[]string{"Left to capture      40.00 EUR", "Left to reverse      0.00 EUR", "Allowed operations   capture"}},
		{"get-cp", cp.ID, []string{"PA", "RF"}, remainingJSON{Capture: "0.00", Refund: "45.00", Reverse: "0.00", Chargeback: "45.00"}, []string{"refund", "chargeback"},
			[]string{"Left to refund       45.00 EUR", "Left to charge back  45.00 EUR", "Allowed operations   refund, chargeback"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do("get", tt.id)
			if r.code != exitOK {
				t.Fatalf("exit %d, %s", r.code, r.stderr)
			}
			golden(t, "details/"+tt.name+".txt", r.stdout)
			for _, l := range tt.linesInText {
				if !strings.Contains(r.stdout, l+"\n") {
					t.Errorf("no line %q in\n%s", l, r.stdout)
				}
			}

			r = c.do("get", "--json", tt.id)
			if r.code != exitOK {
				t.Fatalf("--json: exit %d, %s", r.code, r.stderr)
			}
			golden(t, "details/"+tt.name+".json", r.stdout)
			var d detailsJSON
			must(t, json.Unmarshal([]byte(r.stdout), &d))
			var types []string
			for _, l := range d.Linked {
				types = append(types, l.PaymentType)
			}
			if d.ID != tt.id || !slices.Equal(types, tt.linked) || d.Remaining != tt.remaining || !slices.Equal(d.AllowedOperations, tt.allowed) {
				t.Errorf("got id %s, linked %v, remaining %+v, allowed %v; want %s, %v, %+v, %v",
					d.ID, types, d.Remaining, d.AllowedOperations, tt.id, tt.linked, tt.remaining, tt.allowed)
			}
		})
	}

	// Every operation get names as allowed is an oppbo command.
	for _, id := range []string{pa, cp.ID, c.gw.SeedDebit(dec("10.00"), "EUR")} {
		var d detailsJSON
		must(t, json.Unmarshal([]byte(c.do("get", "--json", id).stdout), &d))
		for _, op := range d.AllowedOperations {
			if !slices.ContainsFunc(c.commandNames(), func(n string) bool { return n == op }) {
				t.Errorf("allowed operation %q is not a command", op)
			}
		}
	}
}

// TestGetNothingLinked: a payment with no linked transaction says so, and
// --json has an empty list.
func TestGetNothingLinked(t *testing.T) {
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("80.00"), "EUR")
	r := c.do("get", db)
	if r.code != exitOK || !strings.Contains(r.stdout, "\nLinked transactions: none\n") ||
		!strings.Contains(r.stdout, "Allowed operations   rebill, refund, chargeback, reverse\n") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
	r = c.do("get", "--json", db)
	if r.code != exitOK || !strings.Contains(r.stdout, `"linked": [],`) || !strings.Contains(r.stdout, `"refund": "80.00",`) {
		t.Errorf("--json: exit %d:\n%s", r.code, r.stdout)
	}
}

// commandNames lists the CLI's commands.
func (c *cli) commandNames() []string {
	var out []string
	for _, cmd := range newApp(nil, nil, nil, nil).commands() {
		out = append(out, cmd.name)
	}
	return out
}
