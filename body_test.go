package backoffice

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// stallAfter is a response body that gives its bytes and then blocks on
// every further Read until the test ends: a reader that reads past
// Content-Length, waiting for an EOF, would hang.
type stallAfter struct {
	r     *strings.Reader
	stall chan struct{}
}

func (b *stallAfter) Read(p []byte) (int, error) {
	if b.r.Len() > 0 {
		return b.r.Read(p)
	}
	<-b.stall
	return 0, io.EOF
}

func (b *stallAfter) Close() error { return nil }

type bodyTransport func(*http.Request) *http.Response

func (f bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r), nil }

// TestBodiesAreReadToContentLength: the body is read to its
// Content-Length and no further, and a Content-Length over the cap is
// refused before reading.
func TestBodiesAreReadToContentLength(t *testing.T) {
	stall := make(chan struct{})
	defer close(stall)
	answer := paymentJSON("8ac7a4a1845f7e6b01846011a8b1b0d1", testPayID, PaymentTypeCapture, "1.00", "EUR", "cl-1xxxx", codeOK, descOK)
	var tooLarge bool
	tr := bodyTransport(func(r *http.Request) *http.Response {
		if tooLarge {
			return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: maxResponseBytes + 1,
				Body: &stallAfter{strings.NewReader(""), stall}, Request: r}
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: int64(len(answer)),
			Body: &stallAfter{strings.NewReader(answer), stall}, Request: r}
	})
	c, err := New(testToken, testEntity, WithHTTPClient(&http.Client{Transport: tr}), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "cl-1xxxx"})
	if err != nil || p.ID != "8ac7a4a1845f7e6b01846011a8b1b0d1" {
		t.Fatalf("Capture = %+v, %v", p, err)
	}
	tooLarge = true
	_, err = c.Payment(context.Background(), testPayID)
	if !errors.Is(err, ErrNetwork) || !errors.Is(err, errTooLarge) {
		t.Fatalf("Payment = %v; want the cap refused before reading", err)
	}
}

// BenchmarkReadBody reads a capture's answer from an in-memory body that,
// like the fake's, returns EOF only on the read after its last bytes.
//
//	go test -run='^$' -bench=BenchmarkReadBody -benchmem .
func BenchmarkReadBody(b *testing.B) {
	answer := paymentJSON("8ac7a4a1845f7e6b01846011a8b1b0d1", testPayID, PaymentTypeCapture, "1.00", "EUR", "cl-1xxxx", codeOK, descOK)
	bodies := new(bodyPool)
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{ContentLength: int64(len(answer)), Body: io.NopCloser(strings.NewReader(answer))}
		buf, err := bodies.read(resp)
		if err != nil || len(*buf) != len(answer) {
			b.Fatal(err)
		}
		bodies.put(buf)
	}
}
