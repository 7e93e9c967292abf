package backoffice

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// These tests use real loopback sockets and net/http's own transport, so the
// "was the request written?" detection is exercised for real.

func TestRealRefusedConnectionIsRetriedAndNeverAmbiguous(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every dial is refused
	c, err := New(testToken, testEntity, WithBaseURL("http://"+addr), WithHTTPClient(&http.Client{}), WithRetry(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "refused-1"})
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Attempts != fastRetry.MaxAttempts || ne.MerchantTransactionID != "refused-1" || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v; want a NetworkError after %d attempts", err, fastRetry.MaxAttempts)
	}
}

func TestRealHangUpAfterTheRequestIsLookedUpNotResent(t *testing.T) {
	var posts, queries atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			r.ParseForm() // the request arrived whole: OPP performs it ...
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // ... and the connection drops before the answer
			}
			return
		}
		queries.Add(1)
		w.Write([]byte(`{"result":{"code":"000.000.100","description":"successful request"},"payments":[` +
			paymentJSON("8ac7a4a1845f7e6b01846011a8b1e0f1", testPayID, PaymentTypeCapture, "1.00", "EUR", "hangup-1", codeOK, descOK) + `]}`))
	}))
	defer srv.Close()
	c, err := New(testToken, testEntity, WithBaseURL(srv.URL), WithHTTPClient(srv.Client()), WithRetry(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "hangup-1"})
	if err != nil || p.ID != "8ac7a4a1845f7e6b01846011a8b1e0f1" {
		t.Fatalf("Capture = %+v, %v; want the payment found by merchantTransactionId", p, err)
	}
	if posts.Load() != 1 || queries.Load() != 1 {
		t.Fatalf("%d POSTs and %d lookups; want 1 and 1", posts.Load(), queries.Load())
	}
}

func TestRealUntrustedCertificateIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are the point
	srv.StartTLS()
	defer srv.Close()
	for _, call := range []func(*Client) error{
		func(c *Client) error {
			_, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR"})
			return err
		},
		func(c *Client) error { _, err := c.Payment(context.Background(), testPayID); return err },
	} {
		var dials atomic.Int32
		tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
		c, err := New(testToken, testEntity, WithBaseURL(srv.URL), WithHTTPClient(&http.Client{Transport: tr}), WithRetry(fastRetry))
		if err != nil {
			t.Fatal(err)
		}
		err = call(c)
		if !errors.Is(err, ErrNetwork) || !isCertError(err) {
			t.Fatalf("err = %v; want a certificate error", err)
		}
		if dials.Load() != 1 || hits.Load() != 0 {
			t.Fatalf("%d dials, %d requests served; want 1 and 0", dials.Load(), hits.Load())
		}
		tr.CloseIdleConnections()
	}
}

func TestResponseBodyIsCapped(t *testing.T) {
	big := strings.Repeat("x", maxResponseBytes+10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"result":{"code":"000.000.000","description":"` + big + `"}}`))
	}))
	defer srv.Close()
	c, err := New(testToken, testEntity, WithBaseURL(srv.URL), WithHTTPClient(srv.Client()), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Payment(context.Background(), testPayID)
	if !errors.Is(err, ErrNetwork) || !strings.Contains(err.Error(), "response larger than 1048576 bytes") {
		t.Fatalf("err = %v", err)
	}
	// A money movement's oversized answer is ambiguous: looked up, not
	// trusted and not re-sent blindly; the lookup's answer is oversized too.
	_, err = c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1"), Currency: "EUR"})
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
}
