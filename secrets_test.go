package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestSecretsNeverLeak drives the token, a card number and a CVV through
// every error path at every log level and greps everything that came out.
func TestSecretsNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug - 4}))
	c, mt := newMock(t, WithLogger(logger))
	echo := `{"id":"x","result":{"code":"200.300.404","description":"invalid or missing parameter","parameterErrors":[` +
		`{"name":"card.number","value":"` + testCard + `","message":"bad"},{"name":"card.cvv","value":"` + testCVV + `","message":"bad"}]}}`
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	responders := []httpmock.Responder{
		httpmock.NewStringResponder(400, echo),
		httpmock.NewStringResponder(200, paymentJSON("x", "", PaymentTypeCredit, "1.00", "EUR", "m", codeDecline, descDecline)),
		httpmock.NewStringResponder(403, `{"result":{"code":"800.900.300","description":"invalid authentication information"}}`),
		httpmock.NewStringResponder(500, "Internal error for Bearer "+testToken),
		wroteThen(httpmock.NewErrorResponder(reset)),
		httpmock.NewErrorResponder(refused),
		httpmock.NewStringResponder(200, "not json "+testCard),
	}
	var out strings.Builder
	var errs []error
	credit := CreditRequest{Amount: d("1"), Currency: "EUR", PaymentBrand: "VISA",
		Card: CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: testCVV}}
	for _, r := range responders {
		mt.RegisterResponder("POST", base+"/v1/payments", r)
		mt.RegisterResponder("GET", base+"/v1/query", r)
		_, err := c.Credit(context.Background(), credit)
		if err == nil {
			t.Fatal("want an error")
		}
		errs = append(errs, err)
	}
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID, httpmock.NewErrorResponder(refused))
	_, err := c.Payment(context.Background(), testPayID)
	errs = append(errs, err)
	bad := credit
	bad.Card.CVV = "12345"
	_, err = c.Credit(context.Background(), bad)
	errs = append(errs, err)
	bad = credit
	bad.Card.Number = "4200000000000001"
	_, err = c.Credit(context.Background(), bad)
	errs = append(errs, err)
	// New reports every problem in one errors.Join (Unwrap() []error).
	_, err = New(testToken, "bad entity!", WithBaseURL("https://h.example/?token="+testToken), WithUserAgent("x\x00"+testToken))
	errs = append(errs, err, errors.Join(errs...))

	// The values and errors through every verb, slog's text and JSON
	// handlers and json.Marshal; every error's tree, through Unwrap() error
	// and Unwrap() []error alike.
	values := []any{c, *c, credit, &credit, credit.Card, &credit.Card, []any{credit}, map[string]CreditRequest{"k": credit},
		struct{ Req CreditRequest }{credit}, struct{ Card *CardDetails }{&credit.Card}}
	for _, err := range errs {
		walkErrors(err, func(e error) { values = append(values, e) })
	}
	jsonLog := slog.New(slog.NewJSONHandler(&logs, nil))
	textLog := slog.New(slog.NewTextHandler(&logs, nil))
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		jsonLog.Info("value", "v", v)
		textLog.Info("value", "v", v)
		jsonLog.Info("value", slog.Group("g", "v", v))
		if b, err := json.Marshal(v); err == nil {
			out.Write(b)
		} else {
			fmt.Fprintf(&out, "json: %v\n", err)
		}
		if e, ok := v.(error); ok {
			jsonLog.Error("failed", "err", e)
			textLog.Error("failed", "err", e)
		}
	}
	all := out.String() + logs.String()
	for _, secret := range []string{testToken, testCard, "4200000000000001", "=" + testCVV, ":" + testCVV, " " + testCVV, "12345", "?entityId", "merchantTransactionId="} {
		if secret == "merchantTransactionId=" {
			continue // the key is meant to be in errors; query strings are checked with ?entityId
		}
		if strings.Contains(all, secret) {
			i := strings.Index(all, secret)
			t.Errorf("output contains %q: ...%s...", secret, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	if !strings.Contains(logs.String(), "level=DEBUG") || !strings.Contains(out.String(), "420000******0000") ||
		!strings.Contains(logs.String(), `"Number":"420000******0000"`) || !strings.Contains(out.String(), `"CVV":"***"`) ||
		!strings.Contains(logs.String(), "v.Card.Number=420000******0000") {
		t.Fatal("the test did not exercise logging or masking")
	}
	if !strings.Contains(out.String(), "bad entity") && !strings.Contains(out.String(), "entityID must be") {
		t.Fatal("the test did not walk New's joined errors")
	}
}

// walkErrors calls f on err and on every error of its tree, through
// Unwrap() error and Unwrap() []error alike.
func walkErrors(err error, f func(error)) {
	if err == nil {
		return
	}
	f(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walkErrors(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			walkErrors(e, f)
		}
	}
}

// TestCardJSONAndLogShapes pins what a card and a credit look like in JSON
// and in slog's JSON handler: masked, with every other field kept.
func TestCardJSONAndLogShapes(t *testing.T) {
	card := CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: testCVV}
	b, err := json.Marshal(card)
	if want := `{"Number":"420000******0000","Holder":"Jane Jones","ExpiryMonth":"05","ExpiryYear":"2034","CVV":"***"}`; err != nil || string(b) != want {
		t.Errorf("json.Marshal(card) = %s, %v; want %s", b, err, want)
	}
	credit := CreditRequest{Amount: d("10.5"), Currency: "EUR", PaymentBrand: "VISA", Card: CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034"},
		MerchantTransactionID: "order-0001"}
	b, err = json.Marshal(&credit)
	want := `{"Amount":"10.5","Currency":"EUR","PaymentBrand":"VISA","Card":{"Number":"420000******0000","Holder":"Jane Jones","ExpiryMonth":"05","ExpiryYear":"2034","CVV":""},` +
		`"Billing":{"Street1":"","Street2":"","City":"","State":"","Postcode":"","Country":""},"Descriptor":"","MerchantTransactionID":"order-0001","MerchantMemo":"","CustomParameters":null,"TestMode":""}`
	if err != nil || string(b) != want {
		t.Errorf("json.Marshal(credit) =\n%s, %v; want\n%s", b, err, want)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})).Info("credit", "req", credit)
	wantLog := `{"level":"INFO","msg":"credit","req":{"Amount":"10.5","Currency":"EUR","PaymentBrand":"VISA","Card":{"Number":"420000******0000","Holder":"Jane Jones","ExpiryMonth":"05","ExpiryYear":"2034","CVV":""},` +
		`"Billing":{"Street1":"","Street2":"","City":"","State":"","Postcode":"","Country":""},"Descriptor":"","MerchantTransactionID":"order-0001","MerchantMemo":"","CustomParameters":null,"TestMode":""}}` + "\n"
	if buf.String() != wantLog {
		t.Errorf("slog JSON =\n%s want\n%s", buf.String(), wantLog)
	}
}

// wroteThen makes a responder look like a request that reached the wire: it
// fires the client trace's WroteHeaders before answering.
func wroteThen(r httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		if tr := httptraceFrom(req); tr != nil && tr.WroteHeaders != nil {
			tr.WroteHeaders()
		}
		return r(req)
	}
}

func TestLogsOneDebugLinePerAttempt(t *testing.T) {
	var logs bytes.Buffer
	c, mt := newMock(t, WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewErrorResponder(refused).Then(
		httpmock.NewStringResponder(200, paymentJSON("c1", testPayID, PaymentTypeCapture, "3.00", "EUR", "log-0001", codeOK, descOK))))
	if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: d("3"), Currency: "EUR", MerchantTransactionID: "log-0001"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines; want one per attempt (2):\n%s", len(lines), logs.String())
	}
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		if m["level"] != "DEBUG" || m["msg"] != "backoffice: attempt" || m["operation"] != "capture" || m["payment_id"] != testPayID ||
			m["merchant_transaction_id"] != "log-0001" || m["attempt"] != float64(i+1) || m["duration"] == nil {
			t.Errorf("line %d: %v", i, m)
		}
		if i == 0 && (m["error"] != "not sent" || m["status"] != nil) {
			t.Errorf("first attempt: %v", m)
		}
		if i == 1 && (m["status"] != float64(200) || m["result_code"] != codeOK || m["error"] != nil) {
			t.Errorf("second attempt: %v", m)
		}
	}
}

func TestSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)
	c, mt := newMock(t)
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(503, ""))
	mt.RegisterResponder("GET", base+"/v1/query", httpmock.NewStringResponder(503, ""))
	_, _ = c.Capture(context.Background(), testPayID, CaptureRequest{Amount: d("3"), Currency: "EUR"})
	if buf.Len() != 0 {
		t.Fatalf("logged without WithLogger: %s", buf.String())
	}
}
