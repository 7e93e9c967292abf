package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// record writes OPP's answers as a fixture under testdata/ (as
// OPP_TEST_RECORD=1 does).
var record = flag.Bool("opp.record", false, "write OPP's answers as a fixture under testdata/ (TestOPP)")

// fakeRun runs the suite against a fresh fake, in memory.
func fakeRun(t testing.TB) *Report {
	t.Helper()
	rep, err := Run(context.Background(), FakeTarget(backofficetest.New()), Scenarios())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestFake: the whole suite passes against the fake, every step meeting
// its documented expectation.
func TestFake(t *testing.T) {
	rep := fakeRun(t)
	if rep.Steps() < 80 || rep.Requests != rep.Steps() {
		t.Errorf("%d steps, %d requests; want at least 80 steps of one request each", rep.Steps(), rep.Requests)
	}
	for _, sc := range rep.Results {
		t.Run(sc.Name, func(t *testing.T) {
			for _, st := range sc.Steps {
				if m := st.Expected.Check(st.Observed); m != nil {
					t.Errorf("%s: answered %s: %s\n\texpectation from: %s", st.Name, st.Observed, strings.Join(m, "; "), st.Expected.Source)
				}
			}
		})
	}
}

// TestOPP runs the suite against OPP's test host named by the environment,
// prints the table of differences from the fake, writes OPP's answers as a
// fixture with -opp.record or OPP_TEST_RECORD=1, and fails on every
// difference not accepted. Without credentials it is skipped, saying how
// to run it.
func TestOPP(t *testing.T) {
	target, err := TargetFromEnv()
	if errors.Is(err, ErrNoCredentials) {
		t.Skip(HowToRun)
	}
	if err != nil {
		t.Fatal(err)
	}
	checkOPP(t, target, *record || os.Getenv(EnvRecord) == "1", "testdata")
}

// checkOPP is TestOPP's body, for any target.
func checkOPP(t testing.TB, target Target, rec bool, dir string) *Comparison {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cmp, err := Check(ctx, target, Scenarios())
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	WriteTable(&table, cmp.Fake, cmp.OPP)
	t.Logf("%d requests to %s in %v\n%s", cmp.OPP.Requests, target.Name, time.Since(start).Round(time.Second), table.String())
	if rec {
		path, err := WriteFixture(dir, cmp.OPP, target.Token, target.EntityID)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: send it upstream with the table above (an issue or a pull request adding it under backofficetest/conformance/testdata/)", path)
	}
	for _, d := range cmp.Differences {
		if acceptedAt(DocumentedDifferences(), cmp.OPP.Host, d) < 0 {
			t.Errorf("%s / %s: fake %s, OPP %s: %s", d.Scenario, d.Step, d.Fake, d.OPP, strings.Join(d.Aspects, "; "))
		}
	}
	return cmp
}

// TestSkipsWithoutCredentials: with no token or no entity in the
// environment there is no target, and the message gives the command.
func TestSkipsWithoutCredentials(t *testing.T) {
	for _, env := range []map[string]string{
		{},
		{EnvToken: "t0ken-for-the-test-host"},
		{EnvEntity: "8a8294174b7ecb28014b9699220015ca"},
	} {
		_, err := targetFrom(func(k string) string { return env[k] })
		if !errors.Is(err, ErrNoCredentials) {
			t.Errorf("env %v: err %v, want ErrNoCredentials", env, err)
		}
	}
	if !strings.Contains(HowToRun, "go test ./backofficetest/conformance -run TestOPP -v") ||
		!strings.Contains(ErrNoCredentials.Error(), HowToRun) {
		t.Errorf("the skip message does not give the command: %s", ErrNoCredentials)
	}
	got, err := targetFrom(func(k string) string {
		return map[string]string{EnvToken: "t0ken", EnvEntity: "8a8294174b7ecb28014b9699220015ca", EnvPause: "250ms"}[k]
	})
	if err != nil || got.BaseURL != backoffice.TestURL || got.Name != "eu-test.oppwa.com" || got.Pause != 250*time.Millisecond {
		t.Errorf("targetFrom = %+v, %v; want the test host with a 250ms pause", got, err)
	}
	if _, err := targetFrom(func(k string) string {
		return map[string]string{EnvToken: "t0ken", EnvEntity: "e", EnvPause: "fast"}[k]
	}); err == nil || !strings.Contains(err.Error(), EnvPause) {
		t.Errorf("a bad pause: err %v, want one naming %s", err, EnvPause)
	}
}

// TestRefusesLiveHost: the live host is refused whatever form its URL takes,
// from the environment and by Run, before any request; so are hosts that do
// not name themselves test hosts. A host that answers a payment with the
// live success code stops the run at once.
func TestRefusesLiveHost(t *testing.T) {
	refused := []string{
		backoffice.LiveURL,
		"https://eu-prod.oppwa.com/",
		"https://EU-PROD.OPPWA.COM",
		"https://eu-prod.oppwa.com.:443/v1",
		"https://user@eu-prod.oppwa.com",
		"http://eu-prod.oppwa.com",
		" https://eu-prod.oppwa.com ",
		"https://oppwa.com",
		"https://card.peachpayments.com/v1",
		"https://prod.example-psp.com",
		"https://live.example-psp.com",
		"https://test.prod.example.com",
		"https://payments.example.com",
		"http://eu-test.oppwa.com",
		"eu-prod.oppwa.com",
		"",
	}
	for _, u := range refused {
		if err := CheckHost(u); err == nil {
			t.Errorf("CheckHost(%q) = nil, want a refusal", u)
		}
		_, err := targetFrom(func(k string) string {
			return map[string]string{EnvToken: "t0ken", EnvEntity: "8a8294174b7ecb28014b9699220015ca", EnvURL: u}[k]
		})
		if u != "" && err == nil {
			t.Errorf("%s=%q: accepted", EnvURL, u)
		}
		sent := 0
		tr := roundTripFunc(func(*http.Request) (*http.Response, error) { sent++; return nil, errors.New("unreachable") })
		if _, err := Run(context.Background(), Target{BaseURL: u, Token: "t0ken", EntityID: "8a8294174b7ecb28014b9699220015ca", Transport: tr}, Scenarios()); err == nil || sent > 0 {
			t.Errorf("Run(%q): err %v after %d requests, want a refusal before any", u, err, sent)
		}
	}
	for _, u := range []string{backoffice.TestURL, "https://test.oppwa.com", "https://sandbox-card.peachpayments.com/v1",
		"https://test.vr-pay-ecommerce.de", "https://uat.example-psp.com", "http://127.0.0.1:8080", "http://[::1]:9"} {
		if err := CheckHost(u); err != nil {
			t.Errorf("CheckHost(%q) = %v, want nil", u, err)
		}
	}

	srv, _ := backofficetest.NewServer(t, backofficetest.WithSuccessCode("000.000.000"))
	rep, err := Run(context.Background(), loopback(srv), Scenarios())
	if !errors.Is(err, errLiveAnswer) || rep.Requests != 1 {
		t.Errorf("a live answer: err %v after %d requests, want errLiveAnswer after 1", err, rep.Requests)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// loopback is a fake behind a real socket, reached as OPP's host would be.
func loopback(srv *httptest.Server) Target {
	return Target{Name: "fake-over-http", BaseURL: srv.URL, Token: backofficetest.DefaultToken,
		EntityID: backofficetest.DefaultEntityID, Transport: srv.Client().Transport, ThrottleWait: time.Millisecond}
}

// TestOPPPathOverHTTP runs TestOPP's path, fixture included, against a fake
// behind an httptest server: the table shows no difference, and the
// fixture replays cleanly.
func TestOPPPathOverHTTP(t *testing.T) {
	srv, _ := backofficetest.NewServer(t)
	dir := t.TempDir()
	cmp := checkOPP(t, loopback(srv), true, dir)
	if len(cmp.Differences) != 0 {
		t.Fatalf("differences between the fake in memory and over HTTP: %v", cmp.Differences)
	}
	var table bytes.Buffer
	if err := WriteTable(&table, cmp.Fake, cmp.OPP); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	if len(lines) != cmp.OPP.Steps()+2 || !strings.HasPrefix(lines[0], "SCENARIO") ||
		lines[len(lines)-1] != fmt.Sprintf("0 of %d steps differ (OPP recorded fake-over-http at %s)", cmp.OPP.Steps(), cmp.OPP.Recorded.Format("2006-01-02 15:04 UTC")) {
		t.Errorf("table:\n%s", table.String())
	}
	fixtures, err := ReadFixtures(dir)
	if err != nil || len(fixtures) != 1 {
		t.Fatalf("ReadFixtures: %d, %v", len(fixtures), err)
	}
	if n := Replay(t, fakeRun(t), fixtures, nil); n != 0 {
		t.Errorf("%d differences replaying the fake's own answers", n)
	}
}

// TestFixtureRedacts: a fixture holds no token, no entity id, no card
// number and no CVV, wherever a run or an answer put them; card numbers are
// masked to their first six and last four digits; the fixture names its
// host and date.
func TestFixtureRedacts(t *testing.T) {
	srv, _ := backofficetest.NewServer(t)
	rep, err := Run(context.Background(), loopback(srv), Scenarios()[:1])
	if err != nil {
		t.Fatal(err)
	}
	pay := rep.Results[0].Steps[0].Request
	if pay.Params["card.number"] != "420000******0000" || pay.Params["card.cvv"] != "***" || pay.Params["entityId"] != "{entity}" {
		t.Errorf("recorded request params %v", pay.Params)
	}
	if cp := rep.Results[0].Steps[1].Request; cp.Path != "/v1/payments/{pa}" || cp.Via != "sdk" {
		t.Errorf("recorded capture %+v, want the PA named by its step", cp)
	}
	// Plant secrets where an answer could echo them.
	const token = "OGE4Mjk0MTc0YjdlY2IyODAxNGI5Njk5MjIwMDE1Y2N8c3k2S0pzVDg="
	const entity = "8a8294174b7ecb28014b9699a3cf15d1"
	rep.Results[0].Steps[1].Description = "echo " + token + " for entity " + entity + ", card 4200000000000000 and 5454545454545454."
	rep.Results[0].Steps[1].Request.Params = map[string]string{"note": "Bearer " + token, "card": "4111111111111111", "q": "entity=" + entity}
	rep.Host = "eu-test.oppwa.com"
	rep.Recorded = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	path, err := WriteFixture(dir, rep, token, entity)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "opp-eu-test.oppwa.com-2026-11-28.json" {
		t.Errorf("fixture name %s", filepath.Base(path))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, secret := range []string{token, strings.TrimRight(token, "="), entity, "4200000000000000", "5454545454545454", "4111111111111111", `"123"`} {
		if strings.Contains(s, secret) {
			t.Errorf("the fixture holds %q", secret)
		}
	}
	for _, want := range []string{"420000******0000", "545454******5454", "411111******1111", `"host": "eu-test.oppwa.com"`, `"recorded": "2026-11-28T12:00:00Z"`, "[redacted]"} {
		if !strings.Contains(s, want) {
			t.Errorf("the fixture lacks %q", want)
		}
	}
}

// TestReplayFailsOnDifference: replaying a fixture that differs from the
// fake in one step fails exactly that step, naming it and both answers;
// accepting it makes the replay pass.
func TestReplayFailsOnDifference(t *testing.T) {
	fake := fakeRun(t)
	dir := t.TempDir()
	opp := fakeRun(t)
	opp.Host = "eu-test.oppwa.com"
	step := &opp.Results[0].Steps[3] // capture/partial-and-repeated, cp 0.01 beyond
	step.Observed.Code = "700.400.101"
	step.Observed.Fields = append(step.Observed.Fields, "risk")
	if _, err := WriteFixture(dir, opp); err != nil {
		t.Fatal(err)
	}
	fixtures, err := ReadFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rec recordingTB
	if n := Replay(&rec, fake, fixtures, nil); n != 1 || len(rec.errors) != 1 {
		t.Fatalf("Replay = %d failures %q, want exactly 1", n, rec.errors)
	}
	msg := rec.errors[0]
	for _, want := range []string{"capture/partial-and-repeated / cp 0.01 beyond", "the fake answers 400 700.400.100",
		"OPP (eu-test.oppwa.com, recorded", "answered 400 700.400.101", "code 700.400.100 ≠ 700.400.101", "fields +[] −[risk]"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure %q lacks %q", msg, want)
		}
	}
	rec = recordingTB{}
	ok := []Accepted{{Scenario: "capture/partial-and-repeated", Step: "cp 0.01 beyond", Reason: "test"}}
	if n := Replay(&rec, fake, fixtures, ok); n != 0 || len(rec.errors) != 0 {
		t.Errorf("an accepted difference failed: %q", rec.errors)
	}
}

type recordingTB struct {
	mu           sync.Mutex
	errors, logs []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// TestPause: the recorder keeps Pause between the starts of two requests,
// and none before the first.
func TestPause(t *testing.T) {
	var waits []time.Duration
	rec := &recorder{
		next: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
		}),
		pause: time.Hour,
		sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	}
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, "https://eu-test.oppwa.com/v1/query", nil)
		if _, err := rec.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if len(waits) != 2 || waits[0] <= 59*time.Minute || waits[1] <= 59*time.Minute {
		t.Errorf("waits %v, want two of about an hour", waits)
	}
}

// TestThrottledStepSentAgain: a step OPP throttles (HTTP 429, 800.120.100:
// not processed) is waited out and sent once more; the step records the
// second answer.
func TestThrottledStepSentAgain(t *testing.T) {
	srv, gw := backofficetest.NewServer(t)
	if err := gw.FailNext("CP", 1, backofficetest.Throttle); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), loopback(srv), Scenarios()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if st := rep.Results[0].Steps[1]; st.Name != "cp 40.00" || st.Expected.Check(st.Observed) != nil {
		t.Errorf("step %s answered %s", st.Name, st.Observed)
	}
	if u := rep.Unmet(); len(u) != 0 {
		t.Errorf("unmet: %+v", u)
	}
	// 4 steps and the throttled capture: OPP's throttling code says nothing
	// was performed, so the SDK does not look it up.
	if rep.Requests != 5 {
		t.Errorf("%d requests, want 5", rep.Requests)
	}
}

// TestTargetHidesToken: no fmt verb, slog handler or JSON encoding of a
// Target shows its token.
func TestTargetHidesToken(t *testing.T) {
	const token = "OGE4Mjk0MTc0YjdlY2IyODAxNGI5Njk5MjIwMDE1Y2N8c3k2S0pzVDg="
	tg := Target{Name: "eu-test.oppwa.com", BaseURL: backoffice.TestURL, Token: token, EntityID: "8a8294174b7ecb28014b9699a3cf15d1", Pause: time.Second}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%v %+v %#v %s %q\n", tg, tg, tg, tg, tg)
	slog.New(slog.NewTextHandler(&out, nil)).Info("run", "target", tg)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("run", "target", tg)
	b, err := json.Marshal(tg)
	if err != nil {
		t.Fatal(err)
	}
	out.Write(b)
	if strings.Contains(out.String(), token) || strings.Contains(out.String(), "c3k2S0pzVDg") {
		t.Errorf("the token shows:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "eu-test.oppwa.com") {
		t.Errorf("the target's name does not show:\n%s", out.String())
	}
}
