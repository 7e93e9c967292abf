package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
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
		{"payment without a result", func() *http.Request {
			r, _ := NewRequest(vectorKey, "https://shop.example/hook", []byte(`{"type":"PAYMENT","payload":{"id":"x"}}`))
			return r
		}, 400},
		{"JSON body without encryptedBody", func() *http.Request {
			r := good()
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(`{"body":"` + string(body) + `"}`))
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

// TestHandlerAnswersEveryAuthenticNotification: OPP's activation test, a
// type this package does not know and a JSON-wrapped body all reach the
// function, and the handler answers what the function answers.
func TestHandlerAnswersEveryAuthenticNotification(t *testing.T) {
	var logs bytes.Buffer
	var got []Notification
	answer := error(nil)
	h := Handler(vectorKey, func(_ context.Context, n Notification) error {
		got = append(got, n)
		return answer
	}, WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	const pan = "4111111111111111"
	settlement := `{"type":"SETTLEMENT","payload":{"id":"set-1","card":{"number":"` + pan + `"},"total":12}}`
	post := func(plain string, wrapped bool) *httptest.ResponseRecorder {
		t.Helper()
		req, err := NewRequest(vectorKey, "https://shop.example/hook", []byte(plain))
		if err != nil {
			t.Fatal(err)
		}
		if wrapped {
			body, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(wrap(body)))
			req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		}
		return deliver(t, h, req)
	}
	tests := []struct {
		name    string
		plain   string
		wrapped bool
		answer  error
		status  int
		typ     Type
		id      string
	}{
		{"activation", activationJSON, false, nil, 200, Test, "8ac7a4a2845f7e6b0184601bd2d42b4d"},
		{"activation, function fails", activationJSON, false, errors.New("not ready"), 500, Test, "8ac7a4a2845f7e6b0184601bd2d42b4d"},
		{"unknown type", settlement, false, nil, 200, "SETTLEMENT", "set-1"},
		{"unknown type, function fails", settlement, false, errors.New("later"), 500, "SETTLEMENT", "set-1"},
		{"JSON-wrapped payment", chargebackJSON, true, nil, 200, Payment, "8ac7a4a1845f7e6b01846011a8b1cb01"},
		{"JSON-wrapped activation", activationJSON, true, nil, 200, Test, "8ac7a4a2845f7e6b0184601bd2d42b4d"},
	}
	for _, tt := range tests {
		got, answer = nil, tt.answer
		rec := post(tt.plain, tt.wrapped)
		if rec.Code != tt.status || len(got) != 1 || got[0].Type != tt.typ || got[0].ID != tt.id {
			t.Errorf("%s: %d, calls %+v; want %d with one %s notification, id %s", tt.name, rec.Code, got, tt.status, tt.typ, tt.id)
			continue
		}
		if want := tt.plain[strings.Index(tt.plain, `"payload":`)+len(`"payload":`) : len(tt.plain)-1]; string(got[0].Payload) != want {
			t.Errorf("%s: payload %s; want %s", tt.name, got[0].Payload, want)
		}
	}
	if out := logs.String(); strings.Contains(out, pan) || strings.Contains(out, "total") || strings.Contains(out, "not ready") ||
		!strings.Contains(out, `"type":"SETTLEMENT","id":"set-1"`) || !strings.Contains(out, `"type":"test","id":"8ac7a4a2845f7e6b0184601bd2d42b4d"`) {
		t.Fatalf("log:\n%s", out)
	}
}
