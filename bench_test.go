package backoffice

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchServer is an in-process OPP answering every capture with a success.
func benchServer(b *testing.B) *httptest.Server {
	body := []byte(paymentJSON("8ac7a4a1845f7e6b01846011a8b1beef", testPayID, PaymentTypeCapture, "10.00", "EUR", "bench", codeOK, descOK))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("paymentType") != "CP" {
			http.Error(w, "bad", 400)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server, attempts int) *Client {
	c, err := New(testToken, testEntity, WithBaseURL(srv.URL), WithHTTPClient(srv.Client()),
		WithRetry(RetryPolicy{MaxAttempts: attempts, MinWait: fastRetry.MinWait, MaxWait: fastRetry.MaxWait}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkCapture compares the SDK's capture, with the default three
// attempts and with one, to the same request made by hand with net/http,
// url.Values and encoding/json, against the same in-process server;
// Interleaved runs the SDK and the hand-written call alternately in one
// process and reports their ratio:
//
//	go test -run='^$' -bench='BenchmarkCapture$' -benchmem -count=6 .
func BenchmarkCapture(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	req := CaptureRequest{Amount: dec("10.00"), Currency: "EUR"}
	for _, bc := range []struct {
		name     string
		attempts int
	}{{"sdk", 3}, {"sdk-single-attempt", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchClient(b, srv, bc.attempts)
			b.ReportAllocs()
			for b.Loop() {
				p, err := c.Capture(ctx, testPayID, req)
				if err != nil || !p.Succeeded() {
					b.Fatal(p, err)
				}
			}
		})
	}
	b.Run("hand-written", func(b *testing.B) {
		hc := handWrittenClient(srv.Client().Transport)
		endpoint := srv.URL + "/v1/payments/" + testPayID
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			if err := handWrittenCapture(ctx, hc, endpoint, n); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Interleaved runs the two in one process, alternately, in batches of
	// 16 (the SDK first in one batch pair, the hand-written call first in
	// the next), and reports the ratio of their total times (sdk/hand) and
	// of their fastest batches (fastest-sdk/fastest-hand): a machine's load
	// changes both alike, so the ratio is steadier than that of two
	// separate runs.
	b.Run("Interleaved", func(b *testing.B) {
		c := benchClient(b, srv, 3)
		hc := handWrittenClient(srv.Client().Transport)
		endpoint := srv.URL + "/v1/payments/" + testPayID
		n := 0
		sdk := func() time.Duration {
			start := time.Now()
			for range 16 {
				if p, err := c.Capture(ctx, testPayID, req); err != nil || !p.Succeeded() {
					b.Fatal(p, err)
				}
			}
			return time.Since(start)
		}
		hand := func() time.Duration {
			start := time.Now()
			for range 16 {
				n++
				if err := handWrittenCapture(ctx, hc, endpoint, n); err != nil {
					b.Fatal(err)
				}
			}
			return time.Since(start)
		}
		var inSDK, inHand time.Duration
		fastSDK, fastHand := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
		for i := 0; b.Loop(); i++ {
			var s, h time.Duration
			if i%2 == 0 {
				s = sdk()
				h = hand()
			} else {
				h = hand()
				s = sdk()
			}
			inSDK, inHand = inSDK+s, inHand+h
			fastSDK, fastHand = min(fastSDK, s), min(fastHand, h)
		}
		b.ReportMetric(float64(inSDK)/float64(inHand), "sdk/hand")
		b.ReportMetric(float64(fastSDK)/float64(fastHand), "fastest-sdk/fastest-hand")
	})
}

// handWrittenClient is the baseline's client: the same per-attempt timeout
// as the SDK's, since a payments call without one can hang forever.
func handWrittenClient(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt, Timeout: DefaultAttemptTimeout}
}

// handWrittenCapture is the baseline every SDK benchmark is compared to:
// the same request as the SDK sends, made by hand with net/http, url.Values
// and encoding/json.
func handWrittenCapture(ctx context.Context, hc *http.Client, endpoint string, n int) error {
	v := url.Values{"entityId": {testEntity}, "paymentType": {"CP"}, "amount": {"10.00"}, "currency": {"EUR"},
		"merchantTransactionId": {"bench-" + strconv.Itoa(n)}}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(v.Encode()))
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", "Bearer "+testToken)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(r)
	if err != nil {
		return err
	}
	// The fields the SDK's Payment carries, decoded the way a merchant would.
	var out struct {
		ID                    string `json:"id"`
		ReferencedID          string `json:"referencedId"`
		PaymentType           string `json:"paymentType"`
		PaymentBrand          string `json:"paymentBrand"`
		Amount                string `json:"amount"`
		Currency              string `json:"currency"`
		Descriptor            string `json:"descriptor"`
		MerchantTransactionID string `json:"merchantTransactionId"`
		Result                struct{ Code, Description string }
		ResultDetails         map[string]any `json:"resultDetails"`
		BuildNumber           string         `json:"buildNumber"`
		Timestamp             string         `json:"timestamp"`
		NDC                   string         `json:"ndc"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, maxResponseBytes)).Decode(&out)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if out.Result.Code != codeOK {
		return fmt.Errorf("result %s", out.Result.Code)
	}
	return nil
}
