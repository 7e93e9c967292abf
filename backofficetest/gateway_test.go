package backofficetest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServer: the httptest.Server mode shares the state and the rules of
// the RoundTripper.
func TestServer(t *testing.T) {
	srv, g := NewServer(t)
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	hc := srv.Client()
	a := serverCall(t, hc, captureRequest(t, t.Context(), srv.URL, id))
	expect(t, "capture over HTTP", a, http.StatusOK, ok)
	if a.header.Get("Content-Type") != contentTypeJSON {
		t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
	}
	expect(t, "capture in memory", operation(t, g, id, "CP", "90.00", "EUR"), http.StatusOK, ok)
	a = serverCall(t, hc, captureRequest(t, t.Context(), srv.URL, id))
	expect(t, "over-capture over HTTP", a, http.StatusBadRequest, codeCannotCapture)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/query?entityId="+DefaultEntityID+"&merchantTransactionId=mtid-0001", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	a = serverCall(t, hc, req)
	expect(t, "query over HTTP", a, http.StatusOK, codeRequestOK)
	if len(a.body.Payments) != 1 {
		t.Errorf("payments %s", a.raw)
	}
}

func serverCall(t *testing.T, hc *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &a.body); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// TestFaultsOverHTTP checks the fault kinds in server mode: resets close the
// connection, statuses and throttling are real HTTP answers, and the ledger
// tells what was committed.
func TestFaultsOverHTTP(t *testing.T) {
	tests := []struct {
		kind      FaultKind
		committed bool
		status    int // 0: a transport error
	}{
		{Refused, false, 0},
		{ResetBeforeWrite, false, 0},
		{ResetAfterWrite, false, 0},
		{DropAfterCommit, true, 0},
		{StatusBeforeCommit, false, http.StatusGatewayTimeout},
		{StatusAfterCommit, true, http.StatusGatewayTimeout},
		{Throttle, false, http.StatusTooManyRequests},
		{Latency, true, http.StatusOK},
		{TimeoutAfterCommit, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			srv, g := NewServer(t)
			id := g.SeedPreAuthorization(dec("100.00"), "EUR")
			err := g.InjectFault(Fault{Operation: "CP", Kinds: []FaultKind{tt.kind}, Count: 1, Status: http.StatusGatewayTimeout,
				RetryAfter: 3 * time.Second, Latency: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 200 * time.Millisecond}
			resp, err := hc.Do(captureRequest(t, t.Context(), srv.URL, id))
			if tt.status == 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("HTTP %d, want a transport error", resp.StatusCode)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.status {
					t.Errorf("HTTP %d, want %d", resp.StatusCode, tt.status)
				}
				if tt.kind == Throttle && resp.Header.Get("Retry-After") != "3" {
					t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
			}
			if n := len(g.CommitsFor("mtid-0001")); (n == 1) != tt.committed {
				t.Errorf("%d commits; committed should be %v", n, tt.committed)
			}
			expect(t, "next", serverCall(t, srv.Client(), captureRequest(t, t.Context(), srv.URL, id)), http.StatusOK, ok)
		})
	}
}

// TestRefusesLive: the fake never talks to the live host nor accepts a real
// access token.
func TestRefusesLive(t *testing.T) {
	g := New()
	id := g.SeedPreAuthorization(dec("100.00"), "EUR")
	var h hooks
	_, err := g.RoundTrip(captureRequest(t, h.context(t.Context()), "https://eu-prod.oppwa.com", id))
	if err == nil || !strings.Contains(err.Error(), "backofficetest: refusing a request to the live OPP host eu-prod.oppwa.com") {
		t.Errorf("live host: %v", err)
	}
	req := captureRequest(t, t.Context(), "https://EU-PROD.oppwa.com:443", id)
	if _, err := g.RoundTrip(req); err == nil {
		t.Error("live host in capitals with a port: no error")
	}
	req = captureRequest(t, t.Context(), testURL, id)
	req.Header.Set("Authorization", "Bearer OGE4Mjk0MTc0YjdlY2IyODAxNGI5Njk5MjIwMDE1Y2N8c3k2S0pzVDg=")
	if _, err := g.RoundTrip(req); !errors.Is(err, errLiveToken) {
		t.Errorf("live token: %v", err)
	}
	if h.headers.Load() != 0 || len(g.Requests()) != 0 || len(g.Ledger()) != 0 {
		t.Error("a refused request reached the gateway")
	}
}
