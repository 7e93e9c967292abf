package backofficetest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// hugePA seeds a PA that no benchmark can exhaust with captures of 0.01.
func hugePA(gw *backofficetest.Gateway) string {
	return gw.SeedPreAuthorization(dec("9999999999.99"), "EUR")
}

var capture = backoffice.CaptureRequest{Amount: dec("0.01"), Currency: "EUR"}

func benchmarkClient(b *testing.B, c *backoffice.Client, id string) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Capture(ctx, id, capture); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCaptureInMemory: one capture through the SDK client and the
// in-memory RoundTripper.
func BenchmarkCaptureInMemory(b *testing.B) {
	c, gw := backofficetest.NewClient(b)
	benchmarkClient(b, c, hugePA(gw))
}

// BenchmarkCaptureServer: one capture through the SDK client and an
// httptest.Server on loopback.
func BenchmarkCaptureServer(b *testing.B) {
	srv, gw := backofficetest.NewServer(b)
	c := gw.Client(b, backoffice.WithBaseURL(srv.URL), backoffice.WithHTTPClient(srv.Client()))
	benchmarkClient(b, c, hugePA(gw))
}

func benchmarkRaw(b *testing.B, rt http.RoundTripper, base, id string) {
	body := url.Values{"entityId": {backofficetest.DefaultEntityID}, "paymentType": {"CP"}, "amount": {"0.01"}, "currency": {"EUR"}}.Encode()
	target := base + "/v1/payments/" + id
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+backofficetest.DefaultToken)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body) // a drained body lets the connection be reused
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("HTTP %d", resp.StatusCode)
		}
	}
}

// BenchmarkCaptureInMemoryRaw: one hand-built capture POST through the
// Gateway's RoundTrip, without the SDK.
func BenchmarkCaptureInMemoryRaw(b *testing.B) {
	gw := backofficetest.New()
	benchmarkRaw(b, gw, "https://eu-test.oppwa.com", hugePA(gw))
}

// BenchmarkCaptureServerRaw: the same POST over loopback HTTP.
func BenchmarkCaptureServerRaw(b *testing.B) {
	srv, gw := backofficetest.NewServer(b)
	benchmarkRaw(b, srv.Client().Transport, srv.URL, hugePA(gw))
}

// BenchmarkTenThousandCaptures: 10,000 sequential captures through the SDK
// client and the in-memory RoundTripper, per iteration.
func BenchmarkTenThousandCaptures(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c, gw := backofficetest.NewClient(b)
		id := hugePA(gw)
		b.StartTimer()
		tenThousandCaptures(b, c, id)
	}
}

func tenThousandCaptures(tb testing.TB, c *backoffice.Client, id string) {
	ctx := context.Background()
	for range 10_000 {
		if _, err := c.Capture(ctx, id, capture); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestTenThousandOperations performs 10,000 sequential captures in memory
// and reports how long they took; it asserts the outcome, not the time.
func TestTenThousandOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 operations")
	}
	c, gw := backofficetest.NewClient(t)
	id := hugePA(gw)
	start := time.Now()
	tenThousandCaptures(t, c, id)
	t.Logf("10,000 captures through the client and the in-memory gateway took %v", time.Since(start))
	p, _ := gw.Payment(id)
	if !p.Balance.Captured.Equal(dec("100.00")) || len(gw.Ledger()) != 10_000 {
		t.Errorf("captured %s in %d commits", p.Balance.Captured, len(gw.Ledger()))
	}
}
