// Command otel is the OpenTelemetry recipe for backoffice: the SDK takes
// any *http.Client through backoffice.WithHTTPClient, so wrapping its
// transport with otelhttp gives one client span per HTTP attempt (retries
// and the lookups that settle an ambiguous answer included) under the
// caller's span, with no OpenTelemetry dependency in the SDK itself.
//
// It runs a capture against the built-in fake gateway, whose first answer
// is OPP's throttling (HTTP 429), and prints the spans an in-memory
// exporter received:
//
//	go run ./examples/otel
//
// In production, pass http.DefaultTransport (or your own) as base and your
// exporter's TracerProvider.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/shopspring/decimal"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// tracedClient returns a Client whose every HTTP attempt is a client span of
// tp. base is the transport that does the work (http.DefaultTransport in
// production); the client's Timeout bounds each attempt, as
// WithHTTPClient documents.
func tracedClient(token, entityID string, base http.RoundTripper, tp trace.TracerProvider, opts ...backoffice.Option) (*backoffice.Client, error) {
	hc := &http.Client{
		Transport: otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tp)),
		Timeout:   backoffice.DefaultAttemptTimeout,
	}
	return backoffice.New(token, entityID, append([]backoffice.Option{backoffice.WithHTTPClient(hc)}, opts...)...)
}

// run captures 60.00 EUR of a pre-authorization on the fake gateway, whose
// first answer to the capture is a throttle, and writes the spans recorded.
func run(w io.Writer) error {
	gw := backofficetest.New()
	defer gw.Close()
	pa := gw.SeedPreAuthorization(decimal.RequireFromString("100.00"), "EUR")
	if err := gw.InjectFault(backofficetest.Fault{Operation: "CP", Kinds: []backofficetest.FaultKind{backofficetest.Throttle}, Count: 1}); err != nil {
		return err
	}

	exporter := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer tp.Shutdown(context.Background())

	// The gateway is an http.RoundTripper answering in memory; in production
	// base is http.DefaultTransport and the base URL OPP's.
	c, err := tracedClient(backofficetest.DefaultToken, backofficetest.DefaultEntityID, gw, tp,
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}))
	if err != nil {
		return err
	}

	ctx, span := tp.Tracer("merchant").Start(context.Background(), "capture order 42")
	p, err := c.Capture(ctx, pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("60.00"), Currency: "EUR",
		MerchantTransactionID: "order-42-capture-1"})
	span.End()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "captured %s %s: %s\n", p.Amount.StringFixed(2), p.Currency, p.Result.Code)

	for _, s := range exporter.GetSpans() {
		if !s.Parent.IsValid() {
			fmt.Fprintf(w, "span %q, %d attempts as children\n", s.Name, s.ChildSpanCount)
			continue
		}
		fmt.Fprintf(w, "  span %q: %s %s -> %d\n", s.Name, attr(s.Attributes, "http.request.method"),
			path(attr(s.Attributes, "url.full")), attrInt(s.Attributes, "http.response.status_code"))
	}
	return nil
}

func attr(kvs []attribute.KeyValue, key attribute.Key) string {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value.String()
		}
	}
	return ""
}

// path is the path of a URL, without its host and query.
func path(full string) string {
	u, err := url.Parse(full)
	if err != nil {
		return full
	}
	return u.Path
}

func attrInt(kvs []attribute.KeyValue, key attribute.Key) int64 {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value.AsInt64()
		}
	}
	return 0
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}
