package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestEveryCommand runs each subcommand against the fake, in the table and
// the JSON form, and checks its output and exit code.
func TestEveryCommand(t *testing.T) {
	c := newCLI(t)
	pa := c.gw.SeedPreAuthorization(dec("100.00"), "EUR")
	pa2 := c.gw.SeedPreAuthorization(dec("40.00"), "EUR")
	db := c.gw.SeedDebit(dec("80.00"), "EUR")
	db2 := c.gw.SeedDebit(dec("50.00"), "EUR")
	cb, err := c.gw.RaiseChargeback(db2, dec("50.00"), "000.100.200")
	if err != nil {
		t.Fatal(err)
	}
	c.env = append(c.env, "OPPBO_CARD_NUMBER=4200000000000000")
	tests := []struct {
		name string
		args []string
	}{
		{"capture", []string{"capture", "--amount", "60.00", "--currency", "EUR", "--usage", "order 1001", "--memo", "shipped", "--transaction-id", "cap-001001", pa}},
		{"reverse", []string{"reverse", pa2, "--transaction-id", "rev-000001"}},
		{"refund", []string{"refund", db, "--amount", "10.00", "--currency", "eur", "--transaction-id", "ref-000001"}},
		{"rebill", []string{"rebill", db, "--amount", "5.00", "--currency", "EUR", "--transaction-id", "rb-000001"}},
		{"chargeback", []string{"chargeback", db, "--amount", "20.00", "--currency", "EUR", "--reason", "fraud", "--transaction-id", "cb-000001"}},
		{"reverse-chargeback", []string{"reverse-chargeback", cb, "--amount", "50.00", "--currency", "EUR", "--transaction-id", "cr-000001"}},
		{"credit", []string{"credit", "--amount", "25.00", "--currency", "EUR", "--brand", "VISA", "--holder", "Jane Doe", "--expiry", "12/2030", "--transaction-id", "cd-000001"}},
		{"get", []string{"get", db}},
		{"find", []string{"find", "ref-000001"}},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			args, suffix := tt.args, ".txt"
			if asJSON {
				args, suffix = append(append([]string{}, args...), "--json"), ".json"
			}
			if asJSON && tt.name != "get" && tt.name != "find" {
				continue // a movement runs once; its JSON form is below
			}
			r := c.do(args...)
			if r.code != exitOK {
				t.Fatalf("%s: exit %d, stderr %q", tt.name, r.code, r.stderr)
			}
			if strings.Contains(r.stdout, "4200000000000000") || strings.Contains(r.stderr, "4200000000000000") {
				t.Errorf("%s: the card number is in the output", tt.name)
			}
			golden(t, "commands/"+tt.name+suffix, r.stdout)
		}
	}
	// Every movement in JSON, on a fresh payment.
	db3 := c.gw.SeedDebit(dec("30.00"), "EUR")
	r := c.do("refund", "--json", "--amount", "30.00", "--currency", "EUR", "--transaction-id", "ref-json-1", db3)
	if r.code != exitOK {
		t.Fatalf("refund --json: exit %d, %s", r.code, r.stderr)
	}
	golden(t, "commands/refund.json", r.stdout)
	// Each movement committed exactly once with its key.
	for _, key := range []string{"cap-001001", "rev-000001", "ref-000001", "rb-000001", "cb-000001", "cr-000001", "cd-000001", "ref-json-1"} {
		if n := len(c.gw.CommitsFor(key)); n != 1 {
			t.Errorf("%s committed %d times, want 1", key, n)
		}
	}
}

// TestExitCodes checks that each error category has its own exit code, as
// text on stderr and as JSON on stdout.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		arrange func(c *cli) []string
		code    int
		stderr  string // a part of stderr (text form)
		json    string // the category in --json form
	}{
		{"declined", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.SetNextResults("RF", 2, "800.100.151"))
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR"}
		}, exitDeclined, "declined: 800.100.151", "declined"},
		{"invalid request", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			return []string{"refund", db, "--amount", "1.001", "--currency", "EUR"}
		}, exitInvalidRequest, "Amount", "invalid_request"},
		{"unauthorized", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.DenyOperations(backofficetest.DefaultToken, "RF"))
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR"}
		}, exitUnauthorized, "unauthorized", "unauthorized"},
		{"not found", func(c *cli) []string {
			return []string{"refund", "0123456789abcdef0123456789abcdef", "--amount", "1.00", "--currency", "EUR"}
		}, exitNotFound, "not found", "not_found"},
		{"not found on lookup", func(c *cli) []string {
			return []string{"get", "0123456789abcdef0123456789abcdef"}
		}, exitNotFound, "not found", "not_found"},
		{"unauthorized on lookup", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.DenyOperations(backofficetest.DefaultToken, "query"))
			return []string{"get", db}
		}, exitUnauthorized, "unauthorized", "unauthorized"},
		{"gateway on lookup", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.FailNext("query", 3, backofficetest.StatusBeforeCommit))
			return []string{"get", db}
		}, exitGateway, "gateway error", "gateway_error"},
		{"network on lookup", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.FailNext("query", 3, backofficetest.Refused))
			return []string{"get", db}
		}, exitNetwork, "network error", "network_error"},
		{"not allowed", func(c *cli) []string {
			pa := c.gw.SeedPreAuthorization(dec("80.00"), "EUR")
			return []string{"refund", pa, "--amount", "1.00", "--currency", "EUR"}
		}, exitNotAllowed, "not allowed", "not_allowed"},
		{"gateway", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			// OPP's own system error: nothing performed. (A bare 5xx is an
			// unknown outcome since the SDK never re-sends on a guess.)
			must(t, c.gw.SetNextResults("RF", 1, "800.800.800"))
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR"}
		}, exitGateway, "gateway error", "gateway_error"},
		{"unknown code", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			c.rt = rewriteCode{c.gw, "000.100.110", "123.456.789"}
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR"}
		}, exitUnknownCode, "unknown result code", "unknown_code"},
		{"network", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.FailNext("RF", 6, backofficetest.Refused))
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR"}
		}, exitNetwork, "network error", "network_error"},
		{"outcome unknown", func(c *cli) []string {
			db := c.gw.SeedDebit(dec("80.00"), "EUR")
			must(t, c.gw.FailNext("RF", 2, backofficetest.DropAfterCommit))
			must(t, c.gw.FailNext("query", 20, backofficetest.StatusBeforeCommit))
			return []string{"refund", db, "--amount", "1.00", "--currency", "EUR", "--transaction-id", "lost-000001"}
		}, exitOutcomeUnknown, "oppbo find lost-000001", "outcome_unknown"},
		{"find nothing", func(c *cli) []string {
			return []string{"find", "never-sent"}
		}, exitNotFound, "no transaction carries merchantTransactionId never-sent", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				c := newCLI(t)
				args := tt.arrange(c)
				if asJSON {
					args = append(args, "--json")
				}
				r := c.do(args...)
				if r.code != tt.code {
					t.Fatalf("json=%v: exit %d, want %d; stderr %q stdout %q", asJSON, r.code, tt.code, r.stderr, r.stdout)
				}
				if !asJSON && !strings.Contains(r.stderr, tt.stderr) {
					t.Errorf("stderr %q does not contain %q", r.stderr, tt.stderr)
				}
				if asJSON && tt.json != "" && !strings.Contains(r.stdout, fmt.Sprintf(`"category": %q`, tt.json)) {
					t.Errorf("stdout %q does not carry category %q", r.stdout, tt.json)
				}
				if asJSON && tt.json != "" && !strings.Contains(r.stdout, fmt.Sprintf(`"exitCode": %d`, tt.code)) {
					t.Errorf("stdout %q does not carry exitCode %d", r.stdout, tt.code)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// rewriteCode is a transport that replaces a result code in the gateway's
// answers, to meet a code that no documented group covers.
type rewriteCode struct {
	next     http.RoundTripper
	old, new string
}

func (r rewriteCode) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = bytes.ReplaceAll(body, []byte(r.old), []byte(r.new))
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestCutOffCallIsUnknown: a call cut off by --timeout (or Ctrl-C) after
// the gateway committed is an unknown outcome, exit 10, with the key to
// look up; find then shows what happened.
func TestCutOffCallIsUnknown(t *testing.T) {
	c := newCLI(t)
	db := c.gw.SeedDebit(dec("80.00"), "EUR")
	must(t, c.gw.FailNext("RF", 1, backofficetest.TimeoutAfterCommit))
	r := c.do("refund", db, "--amount", "1.00", "--currency", "EUR", "--transaction-id", "cut-000001", "--timeout", "100ms")
	if r.code != exitOutcomeUnknown || !strings.Contains(r.stderr, "look it up first:\n  oppbo find cut-000001\n") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = c.do("find", "cut-000001")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) != 2 || strings.Join(strings.Fields(lines[1])[1:6], " ") != "RF "+db+" 1.00 EUR succeeded" {
		t.Errorf("find: exit %d\n%s", r.code, r.stdout)
	}
}
