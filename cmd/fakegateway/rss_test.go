package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRSS is a load driver run by hand, not in CI: it builds the command,
// starts it, sends FAKEGATEWAY_RSS operations (e.g. 1000000) over HTTP from
// 8 goroutines, and reports the server's resident set size along the way.
// A quarter of the operations are captures (each commits a transaction the
// gateway keeps for good), a quarter lookups, a quarter requests with a bad
// token, a quarter posts to unknown paths; 800 posts of 1 MiB + 1 byte are
// refused on top. With FAKEGATEWAY_RSS_STATELESS=1 the captures are
// replaced by lookups, so that nothing is committed: what remains is the
// request log's ring. Linux only (it reads /proc).
//
//	FAKEGATEWAY_RSS=1000000 go test -run TestRSS -v -timeout 30m ./cmd/fakegateway/
func TestRSS(t *testing.T) {
	total, _ := strconv.Atoi(os.Getenv("FAKEGATEWAY_RSS"))
	if total <= 0 {
		t.Skip("a load driver run by hand: FAKEGATEWAY_RSS=1000000 go test -run TestRSS -v -timeout 30m ./cmd/fakegateway/")
	}
	exe := filepath.Join(t.TempDir(), "fakegateway")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-addr", "127.0.0.1:0", "-quiet", "-seed", "1", "-seed-pa", "9999999999.00")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	vars := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(vars) < 6 && sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		vars[k] = v
	}
	go io.Copy(io.Discard, stdout)
	rss := func() string {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "VmRSS:") {
				return strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
			}
		}
		return "?"
	}
	t.Logf("started: RSS %s", rss())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	base, pa := vars["BASE_URL"], vars["PA_ID"]
	capture := url.Values{"entityId": {vars["ENTITY_ID"]}, "paymentType": {"CP"}, "amount": {"0.01"}, "currency": {"EUR"}}.Encode()
	lookup := base + "/v1/payments/" + pa + "?entityId=" + vars["ENTITY_ID"]
	send := func(method, target, token, body string) {
		req, _ := http.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	big := string(bytes.Repeat([]byte("a"), 1<<20+1))
	for range 800 {
		send(http.MethodPost, base+"/v1/payments", vars["TOKEN"], big)
	}
	t.Logf("after 800 posts of 1 MiB + 1: RSS %s", rss())
	stateless := os.Getenv("FAKEGATEWAY_RSS_STATELESS") != ""
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(total) {
					return
				}
				switch i % 4 {
				case 0:
					if stateless {
						send(http.MethodGet, lookup, vars["TOKEN"], "")
					} else {
						send(http.MethodPost, base+"/v1/payments/"+pa, vars["TOKEN"], capture)
					}
				case 1:
					send(http.MethodGet, lookup, vars["TOKEN"], "")
				case 2:
					send(http.MethodPost, base+"/v1/payments/"+pa, "wrong-token", capture)
				case 3:
					send(http.MethodPost, base+"/v1/nowhere", vars["TOKEN"], capture)
				}
				if i%(int64(total)/5) == 0 {
					t.Logf("%d operations: RSS %s", i, rss())
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d operations in %v: RSS %s", total, time.Since(start).Round(time.Second), rss())
}
