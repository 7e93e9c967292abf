package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/oppkit/backoffice/webhook"
)

const key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// lockedWriter serialises the receiver's prints.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestReceiver fails the first delivery, accepts the second, and lists it.
func TestReceiver(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-key", key, "-fail-first", "1"}, &lockedWriter{w: w}, io.Discard)
		w.Close()
		done <- err
	}()
	printed := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			printed <- sc.Text()
		}
		close(printed)
	}()
	first := <-printed
	target, ok := strings.CutPrefix(first, "RECEIVER_URL=")
	if !ok {
		t.Fatalf("printed %q", first)
	}
	payload := `{"type":"PAYMENT","payload":{"id":"8a8294495bd8df2e015bdcff493b390b","referencedId":"8a8294495bd8df2e015bdcff493b3900","paymentType":"CB","amount":"30.00","currency":"EUR","result":{"code":"000.100.200","description":"Reason not Specified"}}}`
	post := func() int {
		req, err := webhook.NewRequest(key, target, []byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := []int{post(), post()}; got[0] != 500 || got[1] != 200 {
		t.Errorf("statuses %v, want [500 200]", got)
	}
	for _, want := range []string{"refused PAYMENT 8a8294495bd8df2e015bdcff493b390b (answering 500 so that it comes again)",
		"received PAYMENT CB 8a8294495bd8df2e015bdcff493b390b 30.00 000.100.200"} {
		if got := <-printed; got != want {
			t.Errorf("printed %q, want %q", got, want)
		}
	}
	resp, err := http.Get(strings.TrimSuffix(target, "/opp/webhook") + "/received")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `{"received":[{"id":"8a8294495bd8df2e015bdcff493b390b","type":"PAYMENT","paymentType":"CB","referencedId":"8a8294495bd8df2e015bdcff493b3900","amount":"30.00","resultCode":"000.100.200"}]}` + "\n"; string(body) != want {
		t.Errorf("GET /received: %s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if err := run(t.Context(), []string{"-key", "short"}, io.Discard, io.Discard); err == nil {
		t.Error("a bad key was accepted")
	}
	if err := run(t.Context(), []string{"-key", key, "-addr", "0.0.0.0:0"}, io.Discard, io.Discard); err == nil {
		t.Error("a non-loopback address was accepted")
	}
}
