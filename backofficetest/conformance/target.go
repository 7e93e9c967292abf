package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// Target is where the suite runs: the fake gateway in memory, or OPP's test
// host (or a white label's) over the network.
type Target struct {
	// Name labels the target in reports ("fake", or the host).
	Name string
	// BaseURL is the host the requests go to, as backoffice.WithBaseURL
	// takes it. Run refuses OPP's live host and every host that CheckHost
	// refuses.
	BaseURL string
	// Token and EntityID are the test account's access token and entity.
	// The token is sent in the Authorization header and nowhere else: it
	// never appears in a report, a fixture or an error.
	Token, EntityID string
	// Transport carries the requests; nil is http.DefaultTransport.
	Transport http.RoundTripper
	// Pause is the least time between the start of two requests, so that
	// the suite stays well within OPP's throttling. Zero against the fake.
	Pause time.Duration
	// ThrottleWait is how long to wait before sending once more a request
	// that OPP refused with 800.120.100 (Rejected by Throttling) or HTTP
	// 429; a throttled request was not processed. Zero means 30 seconds.
	ThrottleWait time.Duration
}

// String describes t without its token or entity: its name, base URL and
// pause.
func (t Target) String() string {
	return fmt.Sprintf("conformance.Target{%s %s pause %v}", t.Name, t.BaseURL, t.Pause)
}

// Format prints String for every verb (%v, %+v, %#v, %s, ...), so that no
// fmt verb shows the token.
func (t Target) Format(f fmt.State, _ rune) { io.WriteString(f, t.String()) }

// LogValue is what log/slog records of t: its name, base URL and pause,
// never the token.
func (t Target) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", t.Name), slog.String("base_url", t.BaseURL), slog.Duration("pause", t.Pause))
}

// MarshalJSON encodes t's name, base URL and pause, never the token.
func (t Target) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name    string `json:"name"`
		BaseURL string `json:"baseUrl"`
		Pause   string `json:"pause"`
	}{t.Name, t.BaseURL, t.Pause.String()})
}

// The environment variables TargetFromEnv reads.
const (
	EnvToken  = "OPP_TEST_TOKEN"  // the test account's access token (required)
	EnvEntity = "OPP_TEST_ENTITY" // the test entity's id (required)
	EnvURL    = "OPP_TEST_URL"    // the test host; backoffice.TestURL when unset (a white label's test host, e.g. https://sandbox-card.peachpayments.com)
	EnvPause  = "OPP_TEST_PAUSE"  // the pause between requests, a Go duration; DefaultPause when unset
	EnvRecord = "OPP_TEST_RECORD" // "1": write OPP's answers as a fixture under testdata/
)

// DefaultPause is the pause between two requests to OPP's test host: one
// request a second at most, far below any throttling limit OPP's test host
// documents, and the whole suite still runs in two to three minutes.
const DefaultPause = time.Second

// HowToRun is the message of a skipped run against OPP.
const HowToRun = "set " + EnvToken + " and " + EnvEntity + " (and " + EnvURL + " for a white label's test host) to check the fake against your OPP test account: " +
	EnvToken + "=... " + EnvEntity + "=... go test ./backofficetest/conformance -run TestOPP -v"

// ErrNoCredentials is TargetFromEnv's error when the environment gives no
// test account; the message says how to run the suite against OPP.
var ErrNoCredentials = errors.New("conformance: no OPP test account in the environment: " + HowToRun)

// TargetFromEnv returns the OPP test host the environment names (EnvToken,
// EnvEntity, EnvURL, EnvPause), with DefaultPause between requests. It
// returns ErrNoCredentials when the token or the entity is missing, and an
// error when the host is refused (see CheckHost) or the pause is not a
// duration.
func TargetFromEnv() (Target, error) {
	return targetFrom(os.Getenv)
}

func targetFrom(getenv func(string) string) (Target, error) {
	token, entity := getenv(EnvToken), getenv(EnvEntity)
	if token == "" || entity == "" {
		return Target{}, ErrNoCredentials
	}
	base := getenv(EnvURL)
	if base == "" {
		base = backoffice.TestURL
	}
	if err := CheckHost(base); err != nil {
		return Target{}, err
	}
	pause := DefaultPause
	if s := getenv(EnvPause); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return Target{}, fmt.Errorf("conformance: %s=%q is not a duration such as 500ms or 2s", EnvPause, s)
		}
		pause = d
	}
	u, _ := url.Parse(base) // CheckHost parsed it
	return Target{Name: u.Hostname(), BaseURL: base, Token: token, EntityID: entity, Pause: pause}, nil
}

// FakeTarget is the fake gateway gw, reached in memory with its default
// account and no pause.
func FakeTarget(gw *backofficetest.Gateway) Target {
	return Target{Name: "fake", BaseURL: backoffice.TestURL, Token: backofficetest.DefaultToken,
		EntityID: backofficetest.DefaultEntityID, Transport: gw}
}

// liveHosts are the production hosts of OPP and of the white labels whose
// hosts OPP's partners publish. CheckHost refuses them by name.
var liveHosts = [...]string{
	"eu-prod.oppwa.com", // backoffice.LiveURL
	"oppwa.com",         // the live host of the older docs
	"www.oppwa.com",
	"prod.oppwa.com",
	"card.peachpayments.com",   // Peach Payments, live
	"vr-pay-ecommerce.de",      // VR pay, live
	"acaptureservices.com",     // Acapture, live
	"www.acaptureservices.com", // Acapture, live
}

// testMarkers are the words that name a test host in a DNS label: OPP's
// eu-test.oppwa.com and test.oppwa.com, Peach's sandbox-card, and the UAT
// and staging hosts of other white labels.
var testMarkers = [...]string{"test", "sandbox", "uat", "stage", "staging"}

// CheckHost refuses every host the suite must never create payments on: it
// returns nil only for a loopback address (a fake gateway behind
// httptest or cmd/fakegateway) or an https host whose name marks it as a
// test host (a label holding "test", "sandbox", "uat" or "stage", as
// eu-test.oppwa.com and sandbox-card.peachpayments.com do), and never for
// OPP's live host, a known white-label live host, or a name holding "prod"
// or "live", whatever case, port, path, trailing dot or user info the URL
// carries. Run checks it first, and also stops at the first answer that
// carries the live host's success code 000.000.000.
func CheckHost(baseURL string) error {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || u.Host == "" {
		return fmt.Errorf("conformance: refusing base URL %q: not an absolute URL such as %s", baseURL, backoffice.TestURL)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, live := range liveHosts {
		if host == live {
			return fmt.Errorf("conformance: refusing %s: it is a live host; the suite runs against a test host only", host)
		}
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if strings.Contains(l, "prod") || strings.Contains(l, "live") {
			return fmt.Errorf("conformance: refusing %s: its name says it is a live host; the suite runs against a test host only", host)
		}
	}
	if u.Scheme != "https" {
		return fmt.Errorf("conformance: refusing %s: OPP's test host is reached over https", baseURL)
	}
	for _, l := range labels[:len(labels)-1] {
		for _, m := range testMarkers {
			if strings.Contains(l, m) {
				return nil
			}
		}
	}
	return fmt.Errorf("conformance: refusing %s: its name does not say it is a test host (such as eu-test.oppwa.com or sandbox-card.peachpayments.com); the suite creates payments and runs against a test host only", host)
}

// liveSuccess is the success code of OPP's live host; its test host answers
// 000.100.110 (or 000.100.111/112) instead.
const liveSuccess = "000.000.000"
