package webhook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func deliver(t *testing.T, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerStatuses(t *testing.T) {
	var logs bytes.Buffer
	var calls []Notification
	fail := false
	h := Handler(vectorKey, func(_ context.Context, n Notification) error {
		calls = append(calls, n)
		if fail {
			return errors.New("database down")
		}
		return nil
	}, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithMaxBodyBytes(4096))

	// OPP never sends a full card number; if one came, it must not leak.
	const pan = "4111111111111111"
	withPAN := strings.Replace(chargebackJSON, `"last4Digits"`, `"number":"`+pan+`","last4Digits"`, 1)
	good := func() *http.Request {
		req, err := NewRequest(vectorKey, "https://shop.example/hook", []byte(withPAN))
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	if rec := deliver(t, h, good()); rec.Code != 200 || rec.Body.Len() != 0 || len(calls) != 1 || calls[0].Payment.Result.Code != "000.100.201" {
		t.Fatalf("good delivery: %d %q, %d calls; want 200 with an empty body", rec.Code, rec.Body, len(calls))
	}
	fail = true
	if rec := deliver(t, h, good()); rec.Code != 500 || rec.Body.String() != "Internal Server Error\n" || len(calls) != 2 {
		t.Fatalf("failing handler: %d %q; want 500 so OPP redelivers, with nothing of the error", rec.Code, rec.Body)
	}
	fail = false

	bad := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/hook", nil) }, 405},
		{"missing headers", func() *http.Request {
			r := good()
			r.Header.Del("X-Initialization-Vector")
			return r
		}, 400},
		{"forged tag", func() *http.Request {
			r := good()
			r.Header.Set("X-Authentication-Tag", strings.Repeat("0", 32))
			return r
		}, 400},
		{"wrong key", func() *http.Request {
			r, _ := NewRequest(strings.Repeat("1", 64), "https://shop.example/hook", []byte(chargebackJSON))
			return r
		}, 400},
		{"not a notification", func() *http.Request {
			r, _ := NewRequest(vectorKey, "https://shop.example/hook", []byte(`{"hello":"4200000000000000"}`))
			return r
		}, 400},
		{"unknown type", func() *http.Request {
			r, _ := NewRequest(vectorKey, "https://shop.example/hook", []byte(`{"type":"NEWS","payload":{}}`))
			return r
		}, 400},
		{"too large", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(strings.Repeat("00", 4096)))
		}, 413},
		{"no body", func() *http.Request {
			r := good()
			r.Body = nil
			return r
		}, 400},
	}
	for _, b := range bad {
		rec := deliver(t, h, b.req())
		if rec.Code != b.status {
			t.Errorf("%s: %d; want %d", b.name, rec.Code, b.status)
		}
		if body := rec.Body.String(); body != http.StatusText(b.status)+"\n" {
			t.Errorf("%s: body %q; want only the status text", b.name, body)
		}
	}
	if len(calls) != 2 {
		t.Fatalf("the function was called %d times; bad requests must not reach it", len(calls))
	}
	out := logs.String()
	for _, secret := range []string{vectorKey, strings.ToUpper(vectorKey), pan, "4200000000000000", "Jane Jones", "Account or Bank Details", "database down"} {
		if strings.Contains(out, secret) {
			t.Errorf("log carries %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "payment_type=CB") || !strings.Contains(out, "result_code=000.100.201") || strings.Count(out, "\n") != 2+len(bad) {
		t.Fatalf("want one line per delivery with the payment's type and code:\n%s", out)
	}
}

func TestNewHandlerRejectsBadKeys(t *testing.T) {
	fn := func(context.Context, Notification) error { return nil }
	if _, err := NewHandler("nope", fn); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewHandler(vectorKey, nil); err == nil {
		t.Fatal("nil fn accepted")
	}
	defer func() {
		if r := recover(); r == nil || strings.Contains(r.(error).Error(), "secretsecret") {
			t.Fatalf("Handler with a bad key: recover() = %v", r)
		}
	}()
	Handler("secretsecret", fn)
}
