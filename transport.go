package backoffice

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// transport wraps the caller's RoundTripper. Per attempt it sets the
// attempt's deadline on the request's context and logs one redacted debug
// line. It decides nothing about money: the movement loop reads the
// attempt's error itself.
type transport struct {
	next    http.RoundTripper // nil: http.DefaultTransport, resolved per request
	logger  *slog.Logger
	observe func(context.Context, AttemptInfo) // Observer.Attempt, if any
	bodies  *bodyPool                          // the Client's response buffers
	timeout time.Duration                      // bounds each attempt
}

// RoundTrip performs one attempt within t.timeout. The deadline ends when
// the response body is closed.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	start := time.Now()
	resp, err := next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
	} else {
		resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	}
	logs := t.logger != nil && t.logger.Enabled(req.Context(), slog.LevelDebug)
	if logs || t.observe != nil {
		resp = t.report(req.Context(), resp, err, time.Since(start), logs)
	}
	return resp, err
}

// cancelBody ends its attempt's deadline when closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the attempt's deadline.
func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// label is what a log line says about the call an attempt belongs to. It is
// immutable: each attempt gets its own.
type label struct {
	op      Operation
	ref     string // the referenced payment, if any
	mtid    string
	attempt int
}

type labelKey struct{}

// withLabel returns ctx carrying l when the Client logs or is observed,
// else ctx itself.
func (c *Client) withLabel(ctx context.Context, l label) context.Context {
	if c.logger == nil && c.observer.Attempt == nil {
		return ctx
	}
	return context.WithValue(ctx, labelKey{}, l)
}

// numberAttempt is go-retryablehttp's RequestLogHook: it numbers the
// lookup's attempt in the label of the request it is about to send (a
// fresh copy of the request for every attempt).
func numberAttempt(_ retryablehttp.Logger, req *http.Request, i int) {
	if l, ok := req.Context().Value(labelKey{}).(label); ok {
		l.attempt = i + 1
		*req = *req.WithContext(context.WithValue(req.Context(), labelKey{}, l))
	}
}

// report writes the attempt's debug line (when logs) and tells the
// observer. To know the result code, ndc and shortId it reads the body
// (capped) and hands the response on with the bytes it read.
func (t *transport) report(ctx context.Context, resp *http.Response, err error, d time.Duration, logs bool) *http.Response {
	l, _ := ctx.Value(labelKey{}).(label)
	info := AttemptInfo{Operation: l.op, Attempt: l.attempt, Duration: d}
	var ndc, shortID string
	if resp != nil {
		info.HTTPStatus = resp.StatusCode
		data, rerr := t.bodies.readAll(resp)
		resp.Body = &replayBody{data: data, err: rerr}
		var peek struct {
			Result struct {
				Code string `json:"code"`
			} `json:"result"`
			NDC     string `json:"ndc"`
			ShortID string `json:"shortId"`
		}
		if json.Unmarshal(data, &peek) == nil {
			info.ResultCode, ndc, shortID = peek.Result.Code, peek.NDC, peek.ShortID
		}
	}
	if err != nil {
		info.Failure = errorClass(err)
	}
	if t.observe != nil {
		t.observe(ctx, info)
	}
	if !logs {
		return resp
	}
	attrs := make([]slog.Attr, 0, 10)
	if l.op != "" {
		attrs = append(attrs, slog.String("operation", string(l.op)), slog.Int("attempt", l.attempt))
		if l.ref != "" {
			attrs = append(attrs, slog.String("payment_id", l.ref))
		}
		if l.mtid != "" {
			attrs = append(attrs, slog.String("merchant_transaction_id", l.mtid))
		}
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		attrs = appendIDs(attrs, info.ResultCode, ndc, shortID)
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", info.Failure))
	}
	attrs = append(attrs, slog.Duration("duration", d))
	t.logger.LogAttrs(ctx, slog.LevelDebug, "backoffice: attempt", attrs...)
	return resp
}

// appendIDs adds OPP's result code and request ids to a log line, those it
// knows.
func appendIDs(attrs []slog.Attr, code, ndc, shortID string) []slog.Attr {
	if code != "" {
		attrs = append(attrs, slog.String("result_code", code))
	}
	if ndc != "" {
		attrs = append(attrs, slog.String("ndc", ndc))
	}
	if shortID != "" {
		attrs = append(attrs, slog.String("short_id", shortID))
	}
	return attrs
}

// replayBody replays the bytes the debug log read, then their read error or
// EOF.
type replayBody struct {
	data []byte
	err  error
}

// Read returns the recorded bytes, then the recorded error or EOF.
func (b *replayBody) Read(p []byte) (int, error) {
	if len(b.data) > 0 {
		n := copy(p, b.data)
		b.data = b.data[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return 0, io.EOF
}

// Close does nothing: the original body was closed when it was read.
func (b *replayBody) Close() error { return nil }

// errorClass names a transport failure without its text, which may carry a
// URL.
func errorClass(err error) string {
	switch {
	case provablyNotSent(err):
		return "not sent"
	case isCertError(err):
		return "tls"
	case isTimeout(err):
		return "timeout"
	}
	return "transport error after the request may have been written"
}
