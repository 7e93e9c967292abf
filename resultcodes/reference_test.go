package resultcodes

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

// referenceGroups are OPP's documented expressions, verbatim and in
// documented order, with the newer success, system-error and external-risk
// expressions and the soft-decline group. Row 23 keeps its unescaped dot.
var referenceGroups = []struct {
	category Category
	re       *regexp.Regexp
}{
	{Success, regexp.MustCompile(`^(000\.000\.|000\.100\.1|000\.[36]|000\.400\.[1][12]0)`)},
	{SuccessReview, regexp.MustCompile(`^(000\.400\.0[^3]|000\.400\.100)`)},
	{Pending, regexp.MustCompile(`^(000\.200)`)},
	{PendingLong, regexp.MustCompile(`^(800\.400\.5|100\.400\.500)`)},
	{Rejected3DSIntercard, regexp.MustCompile(`^(000\.400\.[1][0-9][1-9]|000\.400\.2)`)},
	{RejectedBank, regexp.MustCompile(`^(800\.[17]00|800\.800\.[123])`)},
	{RejectedCommunication, regexp.MustCompile(`^(900\.[1234]00|000\.400\.030)`)},
	{RejectedSystem, regexp.MustCompile(`^(800\.[56]|999\.|600\.1|800\.800\.[84])`)},
	{RejectedAsyncWorkflow, regexp.MustCompile(`^(100\.39[765])`)},
	{SoftDecline, regexp.MustCompile(`^(300\.100\.100)`)},
	{RejectedExternalRisk, regexp.MustCompile(`^(100\.400\.[0-3]|100\.38|100\.370\.100|100\.370\.11)`)},
	{RejectedAddressCheck, regexp.MustCompile(`^(800\.400\.1)`)},
	{Rejected3DSecure, regexp.MustCompile(`^(800\.400\.2|100\.380\.4|100\.390)`)},
	{RejectedBlacklist, regexp.MustCompile(`^(100\.100\.701|800\.[32])`)},
	{RejectedRiskValidation, regexp.MustCompile(`^(800\.1[123456]0)`)},
	{RejectedConfiguration, regexp.MustCompile(`^(600\.[23]|500\.[12]|800\.121)`)},
	{RejectedRegistration, regexp.MustCompile(`^(100\.[13]50)`)},
	{RejectedJob, regexp.MustCompile(`^(100\.250|100\.360)`)},
	{RejectedReference, regexp.MustCompile(`^(700\.[1345][05]0)`)},
	{RejectedFormat, regexp.MustCompile(`^(200\.[123]|100\.[53][07]|800\.900|100\.[69]00\.500)`)},
	{RejectedAddressValidation, regexp.MustCompile(`^(100\.800)`)},
	{RejectedContact, regexp.MustCompile(`^(100\.[97]00)`)},
	{RejectedAccount, regexp.MustCompile(`^(100\.100|100.2[01])`)},
	{RejectedAmount, regexp.MustCompile(`^(100\.55)`)},
	{RejectedRiskManagement, regexp.MustCompile(`^(100\.380\.[23]|100\.380\.101)`)},
	{Chargeback, regexp.MustCompile(`^(000\.100\.2)`)},
}

// referenceShape is the exact shape Classify requires. Without the m flag,
// RE2's $ matches only at the end of the text, so "000.000.000\n" fails.
var referenceShape = regexp.MustCompile(`^[0-9]{3}\.[0-9]{3}\.[0-9]{3}$`)

// referenceOverrides restates the override decisions independently of the
// overrides table, so that a wrong entry there fails the tests.
var referenceOverrides = map[string]Category{
	"000.500.000": SuccessReview,
	"000.500.100": SuccessReview,
	"100.310.401": RejectedConfiguration,
	"100.310.402": RejectedReference,
	"700.600.002": RejectedBank,
	"700.601.001": RejectedBank,
	"700.601.003": RejectedBank,
}

// regexGroup returns the category of the first documented expression that
// matches s, or Unknown: what OPP's docs and peer clients do, without a
// shape check or overrides.
func regexGroup(s string) Category {
	for _, g := range referenceGroups {
		if g.re.MatchString(s) {
			return g.category
		}
	}
	return Unknown
}

// referenceClassify is Classify's specification: the shape check, then the
// overrides, then the documented expressions in order.
func referenceClassify(s string) Category {
	if !referenceShape.MatchString(s) {
		return Unknown
	}
	if c, ok := referenceOverrides[s]; ok {
		return c
	}
	return regexGroup(s)
}

// snapshotEntry is one element of testdata/opp-resultcodes.json.
type snapshotEntry struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// loadSnapshot decodes the snapshot with encoding/json, independently of
// the generator's parser.
func loadSnapshot(tb testing.TB) []snapshotEntry {
	tb.Helper()
	data, err := os.ReadFile("testdata/opp-resultcodes.json")
	if err != nil {
		tb.Fatal(err)
	}
	var entries []snapshotEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		tb.Fatal(err)
	}
	if len(entries) != 660 {
		tb.Fatalf("snapshot holds %d codes, want 660", len(entries))
	}
	return entries
}

// malformedInputs are strings that are not result codes.
var malformedInputs = []string{
	"",
	"000.000.00",
	"000.000.0000",
	"000.000.00a",
	"abc.def.ghi",
	"٠٠٠.٠٠٠.٠٠٠", // Arabic-Indic digits
	" 000.000.000",
	"000.000.000 ",
	"000-000-000",
	"000.000.000\n",
	"000.000,000",
	"000.000.0\x00",
	"0000.000.00",
	"000..000.000",
	"１００.１００.１００", // fullwidth digits
	"000/000/000",
	"000:000:000",
}
