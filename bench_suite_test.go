package backoffice

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// The benchmarks below, with BenchmarkCapture, are the pairs that
// `go run ./internal/benchcmp` runs interleaved and reports as ratios: the
// SDK's capture against handWrittenCapture, on the same transport.

// memTransport answers every request in memory with a successful capture,
// as a server would after reading the whole request body.
type memTransport struct{ body []byte }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:          io.NopCloser(bytes.NewReader(m.body)),
		ContentLength: int64(len(m.body)),
		Request:       r,
	}, nil
}

func newMemTransport() memTransport {
	return memTransport{[]byte(paymentJSON("8ac7a4a1845f7e6b01846011a8b1beef", testPayID, PaymentTypeCapture, "10.00", "EUR", "bench", codeOK, descOK))}
}

// BenchmarkCaptureInMemory compares the SDK's capture with the hand-written
// call over a transport that answers in memory: the cost of the SDK alone,
// with no socket.
//
//	go test -run='^$' -bench=BenchmarkCaptureInMemory -benchmem .
func BenchmarkCaptureInMemory(b *testing.B) {
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: newMemTransport()}))
		if err != nil {
			b.Fatal(err)
		}
		req := CaptureRequest{Amount: dec("10.00"), Currency: "EUR"}
		b.ReportAllocs()
		for b.Loop() {
			if p, err := c.Capture(ctx, testPayID, req); err != nil || !p.Succeeded() {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("hand-written", func(b *testing.B) {
		hc := handWrittenClient(newMemTransport())
		endpoint := TestURL + "/v1/payments/" + testPayID
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			if err := handWrittenCapture(ctx, hc, endpoint, n); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCapture32 compares the SDK's capture with the hand-written call
// under 32 goroutines over loopback, with net/http's default pool of two
// idle connections per host and with a pool of 64. ns/op is wall time per
// capture with all 32 running.
//
//	go test -run='^$' -bench=BenchmarkCapture32 -benchmem .
func BenchmarkCapture32(b *testing.B) {
	const workers = 32
	srv := benchServer(b)
	ctx := context.Background()
	for _, pool := range []struct {
		name    string
		maxIdle int // 0 is net/http's DefaultMaxIdleConnsPerHost, 2
	}{{"default-pool", 0}, {"pool-64", 64}} {
		transport := func(b *testing.B) *http.Transport {
			tr := srv.Client().Transport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = pool.maxIdle
			b.Cleanup(tr.CloseIdleConnections)
			return tr
		}
		b.Run(pool.name+"/sdk", func(b *testing.B) {
			c, err := New(testToken, testEntity, WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: transport(b)}))
			if err != nil {
				b.Fatal(err)
			}
			req := CaptureRequest{Amount: dec("10.00"), Currency: "EUR"}
			runConcurrently(b, workers, func(int) error {
				_, err := c.Capture(ctx, testPayID, req)
				return err
			})
		})
		b.Run(pool.name+"/hand-written", func(b *testing.B) {
			hc := handWrittenClient(transport(b))
			endpoint := srv.URL + "/v1/payments/" + testPayID
			runConcurrently(b, workers, func(n int) error {
				return handWrittenCapture(ctx, hc, endpoint, n)
			})
		})
	}
}

// runConcurrently runs op b.N times in total, spread over workers
// goroutines, and fails the benchmark with the first error.
func runConcurrently(b *testing.B, workers int, op func(n int) error) {
	b.ReportAllocs()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		once     sync.Once
	)
	b.ResetTimer()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				if err := op(int(n)); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if firstErr != nil {
		b.Fatal("capture " + strconv.Itoa(b.N) + ": " + firstErr.Error())
	}
}
