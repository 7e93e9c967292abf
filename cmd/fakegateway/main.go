// Command fakegateway serves the fake OPP gateway of package backofficetest
// over HTTP, for black-box tests, tests written in other languages and QA
// with curl. It speaks OPP's wire format (POST /v1/payments, POST
// /v1/payments/{id}, GET /v1/payments/{id}, GET /v1/query/{id}, GET
// /v1/query) with the state, rules and result codes of
// backofficetest.Gateway, and serves the gateway's control API
// (backofficetest.Control) under /_fake/: seed payments, force results,
// inject faults, settle pending payments, raise chargebacks, read the
// ledger and the request log, forward webhooks, reset. The curl cookbook is
// README.md beside this file.
//
// Usage:
//
//	go run ./cmd/fakegateway [-addr 127.0.0.1:8080] [-seed-pa 100.00] [-seed-db 50.00] [-currency EUR]
//		[-control-token SECRET] [-seed N] [-quiet] [-request-log 10000] [-env-file FILE]
//		[-webhook-url URL -webhook-key KEY [-webhook-retry-unit 1s]] [-live-codes] [-allow-remote]
//
// It prints what a test needs as KEY=value lines (BASE_URL, TOKEN,
// ENTITY_ID, CONTROL_TOKEN, SEED, and PA_ID / DB_ID for seeded payments), on
// stdout and, with -env-file, into a file that appears complete once the
// server listens, so that a shell can source it. It logs one line per
// request on stderr (method, path, payment type, HTTP status, result code,
// duration; never a token, a form or a card number) unless -quiet, and
// stops cleanly on SIGINT or SIGTERM. It listens only on a loopback address
// unless -allow-remote is given.
//
// The control API needs "Authorization: Bearer $CONTROL_TOKEN": a token of
// its own, random unless -control-token sets it, which the OPP API refuses
// (HTTP 403, 800.900.300) as the control API refuses OPP's tokens (HTTP
// 401).
//
// Ids come from a seeded source: -seed N gives the same ids, run after run,
// for the same requests; without it the seed is random and printed as
// SEED, so a run can be repeated.
//
// With -webhook-url and -webhook-key, every committed operation, raised
// chargeback and settled payment is posted to the URL, encrypted as OPP
// does, and redelivered on failure on OPP's schedule (1, 2, 4, 8, 15 and 30
// minutes, 1 hour, then daily for 30 days) with -webhook-retry-unit standing
// for one minute (1s by default: the whole schedule in 12 hours instead of
// 30 days). GET /_fake/webhooks shows every delivery with its answer.
//
// At / it serves the back-office console (package console) on its own fake,
// for anyone who can reach it, with every operation allowed: seed payments
// with the control API, then click through captures, refunds and
// chargebacks in a browser. /api lists the endpoints.
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
	"github.com/shopspring/decimal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(1)
	}
}

// shutdownGrace bounds how long a stop waits for requests in flight.
const shutdownGrace = 5 * time.Second

// config is what the flags say.
type config struct {
	addr, seedPA, seedDB, currency, controlToken, envFile string
	webhookURL, webhookKey                                string
	retryUnit                                             time.Duration
	seed                                                  string
	requestLog                                            int
	liveCodes, allowRemote, quiet                         bool
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	var c config
	fs := flag.NewFlagSet("fakegateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "`host:port` to listen on (port 0 picks a free one)")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow an -addr that is not a loopback address")
	fs.StringVar(&c.seedPA, "seed-pa", "", "seed a pre-authorization (PA) of this `amount`, e.g. 100.00, and print PA_ID")
	fs.StringVar(&c.seedDB, "seed-db", "", "seed a debit (DB) of this `amount` and print DB_ID")
	fs.StringVar(&c.currency, "currency", "EUR", "`currency` of the seeded payments")
	fs.BoolVar(&c.liveCodes, "live-codes", false, "answer successes with 000.000.000 (as the live host) instead of 000.100.110")
	fs.StringVar(&c.controlToken, "control-token", "", "the control API's bearer `token` (default: random, printed as CONTROL_TOKEN)")
	fs.StringVar(&c.seed, "seed", "", "a `number` that makes ids the same run after run (default: random, printed as SEED)")
	fs.BoolVar(&c.quiet, "quiet", false, "log nothing per request on stderr")
	fs.IntVar(&c.requestLog, "request-log", 10_000, "keep the last `n` authenticated requests for GET /_fake/requests (0: none)")
	fs.StringVar(&c.envFile, "env-file", "", "also write the KEY=value lines to this `file`, once listening")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "post every notification to this `URL`, as OPP does")
	fs.StringVar(&c.webhookKey, "webhook-key", "", "the webhook's encryption `key` (64 hexadecimal characters)")
	fs.DurationVar(&c.retryUnit, "webhook-retry-unit", time.Second, "the `duration` that stands for one minute of OPP's redelivery schedule")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	case (c.webhookURL == "") != (c.webhookKey == ""):
		return nil, errors.New("-webhook-url and -webhook-key go together")
	case c.retryUnit <= 0:
		return nil, fmt.Errorf("-webhook-retry-unit %v is not positive", c.retryUnit)
	case c.requestLog < 0:
		return nil, fmt.Errorf("-request-log %d is negative", c.requestLog)
	}
	if c.webhookURL != "" && !strings.HasPrefix(c.webhookURL, "http://") && !strings.HasPrefix(c.webhookURL, "https://") {
		return nil, fmt.Errorf("-webhook-url %q is not an http or https URL", c.webhookURL)
	}
	return &c, checkAddr(c.addr, c.allowRemote)
}

// run serves the gateway until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	seed, err := idSeed(c.seed)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if c.quiet {
		logger = slog.New(slog.DiscardHandler)
	}
	opts := []backofficetest.Option{backofficetest.WithIDs(idSource(seed)), backofficetest.WithRequestLog(c.requestLog)}
	if c.liveCodes {
		opts = append(opts, backofficetest.WithSuccessCode("000.000.000"))
	}
	gw := backofficetest.New(opts...)
	defer gw.Close()
	if c.controlToken == "" {
		c.controlToken = randomToken()
	}
	schedule := backofficetest.RetrySchedule(c.retryUnit)
	onDelivery := func(d backofficetest.ForwardedDelivery) { logDelivery(logger, d) }
	ctl, err := gw.ControlHandler(c.controlToken, backofficetest.ControlOptions{WebhookSchedule: schedule, OnDelivery: onDelivery})
	if err != nil {
		return fmt.Errorf("-control-token: %w", err)
	}
	defer ctl.Close()
	if c.webhookURL != "" {
		f, err := gw.ForwardWebhooks(c.webhookURL, c.webhookKey, backofficetest.ForwardOptions{Schedule: schedule, OnDelivery: onDelivery})
		if err != nil {
			return fmt.Errorf("-webhook-url, -webhook-key: %w", err)
		}
		ctl.AddForwarder(f)
	}
	seeded, err := seedPayments(gw, c.seedPA, c.seedDB, c.currency)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	h, err := handler(gw, ctl, base)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: logRequests(logger, h), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	lines := fmt.Sprintf("BASE_URL=%s\nTOKEN=%s\nENTITY_ID=%s\nCONTROL_TOKEN=%s\nSEED=%d\n",
		base, backofficetest.DefaultToken, backofficetest.DefaultEntityID, c.controlToken, seed)
	for _, s := range seeded {
		lines += s.name + "=" + s.id + "\n"
	}
	if c.envFile != "" {
		if err := writeFileAtomic(c.envFile, lines); err != nil {
			srv.Close()
			return fmt.Errorf("-env-file: %w", err)
		}
	}
	io.WriteString(stdout, lines)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	gw.Close() // releases requests held by injected faults
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handler serves the back-office console at / (its Transactions view,
// /payments/... and /assets/...), the control API under /_fake/, a short
// index of the APIs at /api, and OPP's API everywhere else (a path that is
// none of OPP's endpoints gets OPP's JSON 404).
func handler(gw *backofficetest.Gateway, ctl *backofficetest.Control, base string) (http.Handler, error) {
	con, err := newConsole(gw)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", con)
	mux.Handle("/payments/", con)
	mux.Handle("GET /assets/", con)
	mux.Handle(backofficetest.ControlPrefix, ctl)
	mux.HandleFunc("GET /api", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, strings.ReplaceAll(index, "$BASE_URL", base))
	})
	mux.Handle("/", gw)
	return mux, nil
}

// newConsole is the back-office console (package console) over a client of
// gw, in memory, for DefaultToken and DefaultEntityID. Everyone who can
// reach the fake may perform every operation: it is a training and QA tool
// on loopback, with no money behind it.
func newConsole(gw *backofficetest.Gateway) (http.Handler, error) {
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: gw}))
	if err != nil {
		return nil, err
	}
	return console.New(c, console.WithAuthenticator(func(*http.Request) (console.User, error) {
		return console.User{Name: "qa", Operations: console.AllOperations()}, nil
	}))
}

// index is the page at /api.
const index = `fakegateway: a fake of OPP's backoffice API (package backofficetest)

OPP API (Authorization: Bearer $TOKEN):
  POST $BASE_URL/v1/payments             PA, DB, CD
  POST $BASE_URL/v1/payments/{id}        CP, RV, RF, CB, CR, RB
  GET  $BASE_URL/v1/payments/{id}?entityId=...
  GET  $BASE_URL/v1/query?entityId=...&merchantTransactionId=...

Control API (Authorization: Bearer $CONTROL_TOKEN, JSON):
  POST $BASE_URL/_fake/payments, GET $BASE_URL/_fake/payments/{id}, POST .../resolve, .../chargeback, .../chargeback-reversal
  POST $BASE_URL/_fake/next-results, /_fake/faults, /_fake/fail-next, DELETE /_fake/faults
  GET  $BASE_URL/_fake/ledger, /_fake/requests, /_fake/webhooks
  POST $BASE_URL/_fake/accounts, /_fake/accounts/deny, PUT /_fake/entities/{entityId}
  POST $BASE_URL/_fake/webhooks, DELETE /_fake/webhooks, POST /_fake/reset

Console (a browser): $BASE_URL/ ; this index: $BASE_URL/api
The curl cookbook: cmd/fakegateway/README.md.
`

// checkAddr refuses to listen beyond this machine unless asked to.
func checkAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if allowRemote {
		return nil
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; pass -allow-remote to listen on it", addr)
}

// idSeed parses -seed, or draws a random seed.
func idSeed(s string) (uint64, error) {
	if s == "" {
		var b [8]byte
		rand.Read(b[:])
		return binary.BigEndian.Uint64(b[:]) >> 1, nil // printable as a positive number
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("-seed %q is not a non-negative number", s)
	}
	return n, nil
}

// idSource returns OPP-shaped ids (32 lowercase hex digits) derived from
// seed: the first 16 bytes of SHA-256(seed, counter).
func idSource(seed uint64) func() string {
	var n uint64
	return func() string { // called under the gateway's lock
		n++
		var buf [16]byte
		binary.BigEndian.PutUint64(buf[:8], seed)
		binary.BigEndian.PutUint64(buf[8:], n)
		sum := sha256.Sum256(buf[:])
		return hex.EncodeToString(sum[:16])
	}
}

func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return "ctl_" + hex.EncodeToString(b[:])
}

// writeFileAtomic writes data to name so that a reader sees all or nothing.
func writeFileAtomic(name, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".fakegateway-env-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// seededPayment is a payment seeded from the flags.
type seededPayment struct{ name, id string }

func seedPayments(gw *backofficetest.Gateway, pa, db, currency string) ([]seededPayment, error) {
	var out []seededPayment
	for _, s := range [...]struct{ name, typ, amount string }{{"PA_ID", "PA", pa}, {"DB_ID", "DB", db}} {
		if s.amount == "" {
			continue
		}
		amount, err := decimal.NewFromString(s.amount)
		if err != nil {
			return nil, fmt.Errorf("-seed-%s %q: not an amount", strings.ToLower(s.typ), s.amount)
		}
		id, err := gw.Seed(backofficetest.SeedPayment{PaymentType: s.typ, Amount: amount, Currency: currency})
		if err != nil {
			return nil, err
		}
		out = append(out, seededPayment{s.name, id})
	}
	return out, nil
}
