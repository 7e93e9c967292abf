package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/webhook"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a running fakegateway.
type server struct {
	vars   map[string]string
	stderr *syncBuffer
	stop   func() error
}

// start runs the command with args on a free loopback port and reads the
// lines it prints (lines of them).
func start(t *testing.T, lines int, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out, w := io.Pipe()
	done := make(chan error, 1)
	stderr := &syncBuffer{}
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), w, stderr)
		w.Close()
		done <- err
	}()
	vars := map[string]string{}
	sc := bufio.NewScanner(out)
	for len(vars) < lines && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("unexpected output %q", sc.Text())
		}
		vars[k] = v
	}
	go io.Copy(io.Discard, out)
	if len(vars) < lines {
		cancel()
		t.Fatalf("printed %v; stderr %s; run: %v", vars, stderr, <-done)
	}
	var once sync.Once
	var runErr error
	s := &server{vars: vars, stderr: stderr, stop: func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}}
	t.Cleanup(func() { s.stop() })
	return s
}

// do sends a request with token and returns the status and body.
func do(t *testing.T, method, target, token, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

const form = "application/x-www-form-urlencoded"

// TestRun starts the server, reads what it prints, captures the seeded PA
// over HTTP, and stops it.
func TestRun(t *testing.T) {
	s := start(t, 7, "-seed-pa", "100.00", "-seed-db", "5.00", "-currency", "GBP", "-quiet")
	vars := s.vars
	if vars["TOKEN"] != backofficetest.DefaultToken || vars["ENTITY_ID"] != backofficetest.DefaultEntityID ||
		!strings.HasPrefix(vars["BASE_URL"], "http://127.0.0.1:") || len(vars["PA_ID"]) != 32 || len(vars["DB_ID"]) != 32 ||
		!strings.HasPrefix(vars["CONTROL_TOKEN"], "ctl_") || vars["SEED"] == "" {
		t.Fatalf("printed %v", vars)
	}
	body := url.Values{"entityId": {vars["ENTITY_ID"]}, "paymentType": {"CP"}, "amount": {"100.00"}, "currency": {"GBP"}}
	status, data := do(t, http.MethodPost, vars["BASE_URL"]+"/v1/payments/"+vars["PA_ID"], vars["TOKEN"], form, body.Encode())
	if status != http.StatusOK || !strings.Contains(data, `"result":{"code":"000.100.110"`) || !strings.Contains(data, `"referencedId":"`+vars["PA_ID"]+`"`) {
		t.Errorf("capture: HTTP %d %s", status, data)
	}
	if err := s.stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	if s.stderr.String() != "" {
		t.Errorf("-quiet logged %q", s.stderr)
	}
}

// TestSeedMakesIDsDeterministic: the same -seed gives the same ids, another
// seed or none other ids.
func TestSeedMakesIDsDeterministic(t *testing.T) {
	ids := func(args ...string) string {
		s := start(t, 6, append([]string{"-seed-pa", "1.00", "-quiet"}, args...)...)
		defer s.stop()
		return s.vars["PA_ID"]
	}
	a, b, c, d := ids("-seed", "42"), ids("-seed", "42"), ids("-seed", "43"), ids()
	if a != b || a == c || a == d || len(a) != 32 {
		t.Errorf("ids %s %s %s %s", a, b, c, d)
	}
}

// TestLogLines: one line per request, with method, path, payment type,
// result code, status and duration, and nothing secret.
func TestLogLines(t *testing.T) {
	s := start(t, 6, "-seed-pa", "10.00", "-control-token", "qa-control")
	base := s.vars["BASE_URL"]
	body := url.Values{"entityId": {s.vars["ENTITY_ID"]}, "paymentType": {"CP"}, "amount": {"1.00"}, "currency": {"EUR"}, "merchantTransactionId": {"secret-order"}}
	do(t, http.MethodPost, base+"/v1/payments/"+s.vars["PA_ID"], s.vars["TOKEN"], form, body.Encode())
	do(t, http.MethodGet, base+"/_fake/ledger", "qa-control", "", "")
	card := url.Values{"entityId": {s.vars["ENTITY_ID"]}, "paymentType": {"DB"}, "amount": {"1.00"}, "currency": {"EUR"}, "paymentBrand": {"VISA"},
		"card.number": {"4200000000000000"}, "card.holder": {"Jane Jones"}, "card.expiryMonth": {"05"}, "card.expiryYear": {"2034"}, "card.cvv": {"123"}}
	do(t, http.MethodPost, base+"/v1/payments", s.vars["TOKEN"], form, card.Encode())
	s.stop()
	lines := strings.Split(strings.TrimSpace(s.stderr.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for i, want := range []string{
		"msg=request method=POST path=/v1/payments/" + s.vars["PA_ID"] + " paymentType=CP result=000.100.110 status=200 duration=",
		"msg=request method=GET path=/_fake/ledger status=200 duration=",
		"msg=request method=POST path=/v1/payments paymentType=DB result=000.100.110 status=200 duration=",
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d: %q; want %q", i, lines[i], want)
		}
	}
	for _, secret := range []string{s.vars["TOKEN"], "qa-control", "secret-order", "4200000000000000", "123 "} {
		if strings.Contains(s.stderr.String(), secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// TestServerRoutes: the console at /, the index at /api, the control API with its own token,
// OPP's JSON for unknown paths.
func TestServerRoutes(t *testing.T) {
	s := start(t, 5, "-quiet")
	base, ctl := s.vars["BASE_URL"], s.vars["CONTROL_TOKEN"]
	if status, body := do(t, http.MethodGet, base+"/api", "", "", ""); status != http.StatusOK || !strings.Contains(body, base+"/_fake/ledger") {
		t.Errorf("index: HTTP %d %s", status, body)
	}
	if status, body := do(t, http.MethodGet, base+"/", "", "", ""); status != http.StatusOK || !strings.Contains(body, "Transactions") {
		t.Errorf("console: HTTP %d %s", status, body)
	}
	// The console shows a payment seeded through the control API, with the
	// buttons OPP's availability table gives a PA, to anyone on the fake.
	_, seeded := do(t, http.MethodPost, base+"/_fake/payments", ctl, "application/json", `{"paymentType":"PA","amount":"25.00","currency":"EUR"}`)
	var sp struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(seeded), &sp); err != nil || sp.ID == "" {
		t.Fatalf("seed: %s", seeded)
	}
	if status, body := do(t, http.MethodGet, base+"/payments/"+sp.ID, "", "", ""); status != http.StatusOK ||
		!strings.Contains(body, `href="/payments/`+sp.ID+`/capture"`) || !strings.Contains(body, `href="/payments/`+sp.ID+`/reverse"`) {
		t.Errorf("console details: HTTP %d %s", status, body)
	}
	if status, _ := do(t, http.MethodGet, base+"/assets/console.css", "", "", ""); status != http.StatusOK {
		t.Errorf("console assets: HTTP %d", status)
	}
	if status, body := do(t, http.MethodGet, base+"/_fake/ledger", ctl, "", ""); status != http.StatusOK || body != "{\"total\":0,\"commits\":[]}\n" {
		t.Errorf("ledger: HTTP %d %q", status, body)
	}
	if status, _ := do(t, http.MethodGet, base+"/_fake/ledger", s.vars["TOKEN"], "", ""); status != http.StatusUnauthorized {
		t.Errorf("control API with the OPP token: HTTP %d", status)
	}
	if status, body := do(t, http.MethodGet, base+"/v1/payments/x?entityId="+s.vars["ENTITY_ID"], ctl, "", ""); status != http.StatusForbidden ||
		!strings.Contains(body, "800.900.300") {
		t.Errorf("OPP API with the control token: HTTP %d %s", status, body)
	}
	if status, body := do(t, http.MethodGet, base+"/admin", "", "", ""); status != http.StatusNotFound || !strings.Contains(body, `"code":"200.300.404"`) {
		t.Errorf("/admin: HTTP %d %s", status, body)
	}
}

// TestWebhookFlags forwards a raised chargeback to a receiver given by
// -webhook-url, encrypted with -webhook-key, and writes -env-file.
func TestWebhookFlags(t *testing.T) {
	const key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	got := make(chan webhook.Notification, 4)
	rcv := httptest.NewServer(webhook.Handler(key, func(_ context.Context, n webhook.Notification) error { got <- n; return nil }))
	defer rcv.Close()
	env := filepath.Join(t.TempDir(), "fake.env")
	s := start(t, 6, "-seed-db", "20.00", "-webhook-url", rcv.URL+"/hook", "-webhook-key", key, "-env-file", env)
	data, err := os.ReadFile(env)
	if err != nil || !strings.Contains(string(data), "DB_ID="+s.vars["DB_ID"]+"\n") {
		t.Errorf("env file %q (%v)", data, err)
	}
	status, body := do(t, http.MethodPost, s.vars["BASE_URL"]+"/_fake/payments/"+s.vars["DB_ID"]+"/chargeback", s.vars["CONTROL_TOKEN"],
		"application/json", `{"reasonCode":"000.100.200"}`)
	var cb struct{ ID string }
	if err := json.Unmarshal([]byte(body), &cb); status != http.StatusCreated || err != nil {
		t.Fatalf("chargeback: HTTP %d %s", status, body)
	}
	if n := <-got; n.ID != cb.ID || n.Payment == nil || string(n.Payment.PaymentType) != "CB" {
		t.Errorf("notification %v", n)
	}
	// The receiver has the notification; the forwarder logs the answer once
	// it has read it.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, body := do(t, http.MethodGet, s.vars["BASE_URL"]+"/_fake/webhooks", s.vars["CONTROL_TOKEN"], "", ""); strings.Contains(body, `"status":200`) {
			break
		}
	}
	s.stop()
	if !strings.Contains(s.stderr.String(), "msg=webhook paymentId="+cb.ID+" paymentType=CB result=000.100.200 attempt=1 status=200") {
		t.Errorf("log %s", s.stderr)
	}
}

// TestRunRefuses bad flags and addresses beyond loopback.
func TestRunRefuses(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "nonsense"},
		{"-seed-pa", "ten"},
		{"-seed-db", "1.001"},
		{"-currency", "eur", "-seed-pa", "1.00", "-addr", "127.0.0.1:0"},
		{"-no-such-flag"},
		{"extra"},
		{"-seed", "x"},
		{"-request-log", "-1"},
		{"-webhook-url", "http://127.0.0.1:1/"},
		{"-webhook-key", "00"},
		{"-webhook-url", "ftp://x", "-webhook-key", "00"},
		{"-webhook-url", "http://127.0.0.1:1/", "-webhook-key", "short", "-addr", "127.0.0.1:0"},
		{"-webhook-retry-unit", "0s"},
		{"-control-token", "has space", "-addr", "127.0.0.1:0"},
		{"-control-token", backofficetest.DefaultToken, "-addr", "127.0.0.1:0"},
	} {
		if err := run(t.Context(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
	if err := checkAddr("localhost:8080", false); err != nil {
		t.Error(err)
	}
	if err := checkAddr("0.0.0.0:8080", true); err != nil {
		t.Error(err)
	}
}
