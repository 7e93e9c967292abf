package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/oppkit/backoffice/backofficetest"
)

// maxSniff bounds how much of an answer the log reads for its payment type
// and result code.
const maxSniff = 64 << 10

// logRequests logs one line per request: method, path (never the query,
// which may hold a merchantTransactionId, nor any header), the payment type
// and result code of OPP's answer, the HTTP status and the duration.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path)}
		var ans struct {
			PaymentType string `json:"paymentType"`
			Result      struct {
				Code string `json:"code"`
			} `json:"result"`
		}
		if json.Unmarshal(rec.body.Bytes(), &ans) == nil {
			if ans.PaymentType != "" {
				attrs = append(attrs, slog.String("paymentType", ans.PaymentType))
			}
			if ans.Result.Code != "" {
				attrs = append(attrs, slog.String("result", ans.Result.Code))
			}
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		attrs = append(attrs, slog.Int("status", status), slog.Duration("duration", time.Since(start)))
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// recorder keeps the status and the start of the body of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if room := maxSniff - r.body.Len(); room > 0 {
		r.body.Write(p[:min(len(p), room)])
	}
	return r.ResponseWriter.Write(p)
}

// Hijack hands the connection over: the faults that reset it hijack it.
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logDelivery logs one webhook delivery.
func logDelivery(logger *slog.Logger, d backofficetest.ForwardedDelivery) {
	attrs := []slog.Attr{slog.String("paymentId", d.PaymentID), slog.String("paymentType", d.PaymentType),
		slog.String("result", d.ResultCode), slog.Int("attempt", d.Attempt), slog.Int("status", d.Status)}
	if d.Error != "" {
		attrs = append(attrs, slog.String("error", d.Error))
	}
	if !d.NextAttempt.IsZero() {
		attrs = append(attrs, slog.Time("nextAttempt", d.NextAttempt))
	}
	logger.LogAttrs(context.Background(), slog.LevelInfo, "webhook", attrs...)
}
