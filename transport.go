package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// transport wraps the caller's RoundTripper. Per attempt it counts the
// attempt, learns through httptrace whether the request headers were
// written, marks failures that provably sent nothing, and logs one redacted
// debug line.
type transport struct {
	next   http.RoundTripper // nil: http.DefaultTransport, resolved per request
	logger *slog.Logger
}

// RoundTrip performs one attempt.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	cl := callFrom(req.Context())
	if cl != nil {
		cl.attempts++
	}
	var wrote atomic.Bool
	ctx := httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
	})
	start := time.Now()
	resp, err := next.RoundTrip(req.WithContext(ctx))
	if err != nil && provablyNotSent(err, wrote.Load()) {
		err = &notSentError{err: err}
	}
	if t.logger != nil && t.logger.Enabled(req.Context(), slog.LevelDebug) {
		resp = t.log(req.Context(), cl, resp, err, time.Since(start))
	}
	return resp, err
}

// log writes the attempt's debug line. To report the result code it reads
// the body (capped) and hands the response on with the bytes it read.
func (t *transport) log(ctx context.Context, cl *call, resp *http.Response, err error, d time.Duration) *http.Response {
	attrs := make([]slog.Attr, 0, 8)
	if cl != nil {
		attrs = append(attrs, slog.String("operation", string(cl.op)), slog.Int("attempt", cl.attempts))
		if cl.paymentID != "" {
			attrs = append(attrs, slog.String("payment_id", cl.paymentID))
		}
		if cl.mtid != "" {
			attrs = append(attrs, slog.String("merchant_transaction_id", cl.mtid))
		}
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		data, rerr := readCapped(resp)
		resp.Body.Close()
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(data), errReader{rerr}))
		var peek struct {
			Result struct {
				Code string `json:"code"`
			} `json:"result"`
		}
		if json.Unmarshal(data, &peek) == nil && peek.Result.Code != "" {
			attrs = append(attrs, slog.String("result_code", peek.Result.Code))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", errorClass(err)))
	}
	attrs = append(attrs, slog.Duration("duration", d))
	t.logger.LogAttrs(ctx, slog.LevelDebug, "backoffice: attempt", attrs...)
	return resp
}

// errReader replays a read error after the buffered bytes, or EOF.
type errReader struct{ err error }

// Read returns the recorded error, or EOF.
func (r errReader) Read([]byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return 0, io.EOF
}

// errorClass names a transport failure without its text, which may carry a
// URL.
func errorClass(err error) string {
	switch {
	case isNotSent(err):
		return "not sent"
	case isCertError(err):
		return "tls certificate"
	case isTimeout(err):
		return "timeout"
	}
	return "transport error after the request was written"
}
