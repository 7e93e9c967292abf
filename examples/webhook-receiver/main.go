// Command webhook-receiver is a tiny stand-in for a merchant's webhook
// endpoint, for trying the fake gateway's webhook forwarding with curl: it
// decrypts each notification with the webhook key (package webhook), prints
// a line for it on stdout, and lists what it received, as JSON, at GET
// /received. It listens on loopback only.
//
//	go run ./examples/webhook-receiver -addr 127.0.0.1:9090 -key <64 hex> [-fail-first 2] [-env-file receiver.env]
//
// It prints RECEIVER_URL=http://127.0.0.1:9090/opp/webhook (the URL to give
// cmd/fakegateway's -webhook-url or POST /_fake/webhooks), also into
// -env-file once it listens. With -fail-first N it answers the first N
// deliveries HTTP 500, to watch the fake redeliver on OPP's schedule.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/oppkit/backoffice/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		os.Exit(1)
	}
}

// received is one notification, as GET /received lists it.
type received struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	PaymentType string `json:"paymentType,omitempty"`
	ReferenceID string `json:"referencedId,omitempty"`
	Amount      string `json:"amount,omitempty"`
	ResultCode  string `json:"resultCode,omitempty"`
}

// inbox keeps the notifications and fails the first ones if asked.
type inbox struct {
	mu    sync.Mutex
	fail  int
	got   []received
	print io.Writer
}

func (in *inbox) handle(_ context.Context, n webhook.Notification) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.fail > 0 {
		in.fail--
		fmt.Fprintf(in.print, "refused %s %s (answering 500 so that it comes again)\n", n.Type, n.ID)
		return errors.New("failing on purpose")
	}
	r := received{ID: n.ID, Type: string(n.Type)}
	if p := n.Payment; p != nil {
		r.PaymentType, r.ReferenceID, r.ResultCode = string(p.PaymentType), p.ReferencedID, p.Result.Code
		if !p.Amount.IsZero() {
			r.Amount = p.Amount.StringFixed(2)
		}
	}
	in.got = append(in.got, r)
	fmt.Fprintf(in.print, "received %s %s %s %s %s\n", r.Type, r.PaymentType, r.ID, r.Amount, r.ResultCode)
	return nil
}

func (in *inbox) list(w http.ResponseWriter, _ *http.Request) {
	in.mu.Lock()
	data, _ := json.Marshal(struct {
		Received []received `json:"received"`
	}{append([]received{}, in.got...)})
	in.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(data, '\n'))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "loopback `host:port` to listen on (port 0 picks a free one)")
	key := fs.String("key", "", "the webhook `key`: 64 hexadecimal characters")
	failFirst := fs.Int("fail-first", 0, "answer the first `n` deliveries HTTP 500")
	envFile := fs.String("env-file", "", "also write RECEIVER_URL=... to this `file`, once listening")
	if err := fs.Parse(args); err != nil {
		return err
	}
	in := &inbox{fail: *failFirst, print: stdout}
	hook, err := webhook.NewHandler(*key, in.handle)
	if err != nil {
		return fmt.Errorf("-key: %w", err)
	}
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q is not a loopback host:port", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /received", in.list)
	mux.Handle("POST /", hook)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	line := "RECEIVER_URL=http://" + ln.Addr().String() + "/opp/webhook\n"
	if *envFile != "" {
		tmp := filepath.Join(filepath.Dir(*envFile), "."+filepath.Base(*envFile)+".tmp")
		if err := os.WriteFile(tmp, []byte(line), 0o600); err != nil {
			srv.Close()
			return err
		}
		if err := os.Rename(tmp, *envFile); err != nil {
			srv.Close()
			return err
		}
	}
	io.WriteString(stdout, line)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	return nil
}
