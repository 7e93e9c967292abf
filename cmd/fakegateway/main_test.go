package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oppkit/backoffice/backofficetest"
)

// TestRun starts the server on a free loopback port, reads what it prints,
// captures the seeded PA over HTTP, and stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-seed-pa", "100.00", "-seed-db", "5.00", "-currency", "GBP"}, w, io.Discard)
		w.Close()
		done <- err
	}()
	vars := map[string]string{}
	sc := bufio.NewScanner(out)
	for len(vars) < 5 && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("unexpected output %q", sc.Text())
		}
		vars[k] = v
	}
	go io.Copy(io.Discard, out)
	if vars["TOKEN"] != backofficetest.DefaultToken || vars["ENTITY_ID"] != backofficetest.DefaultEntityID ||
		!strings.HasPrefix(vars["BASE_URL"], "http://127.0.0.1:") || len(vars["PA_ID"]) != 32 || len(vars["DB_ID"]) != 32 {
		t.Fatalf("printed %v", vars)
	}

	body := url.Values{"entityId": {vars["ENTITY_ID"]}, "paymentType": {"CP"}, "amount": {"100.00"}, "currency": {"GBP"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, vars["BASE_URL"]+"/v1/payments/"+vars["PA_ID"], strings.NewReader(body.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+vars["TOKEN"])
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(data), `"result":{"code":"000.100.110"`) ||
		!strings.Contains(string(data), `"referencedId":"`+vars["PA_ID"]+`"`) {
		t.Errorf("capture: HTTP %d %s", resp.StatusCode, data)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
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
