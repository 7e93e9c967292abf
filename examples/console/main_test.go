package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRun starts the example on a free port, reads the URL it prints and
// fetches the Transactions view from it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", false, pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := line[strings.Index(line, "http://") : len(line)-1]
	if !strings.HasSuffix(url, "/backoffice/") {
		t.Fatalf("printed URL %q, want one ending in /backoffice/", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	for _, want := range []string{"order-1001", "order-1006-cb", "250.00 EUR", `href="/backoffice/assets/console.css"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the Transactions view lacks %q", want)
		}
	}
}

// TestSetupViewer checks that -viewer shows the payments with no operation
// button.
func TestSetupViewer(t *testing.T) {
	mux, err := setup(true, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	list := get(t, srv.URL+"/backoffice/")
	i := strings.Index(list, `href="/backoffice/payments/`)
	if i < 0 {
		t.Fatal("no payment listed")
	}
	href := list[i+len(`href="`):]
	href = href[:strings.IndexByte(href, '"')]
	page := get(t, srv.URL+href)
	if !strings.Contains(page, "view only") || strings.Contains(page, "data-op=") {
		t.Errorf("a viewer's details page:\n%s", page)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return string(b)
}
