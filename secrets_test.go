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
	credit := CreditRequest{Amount: dec("1"), Currency: "EUR", PaymentBrand: "VISA",
		Card: CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: testCVV}}
	for _, r := range responders {
		mt.RegisterResponder("POST", base+"/v1/payments", r)
		mt.RegisterResponder("GET", base+"/v1/query", r)
		_, err := c.Credit(context.Background(), credit)
		if err == nil {
			t.Fatal("want an error")
		}
		fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", err, err, err, err)
		for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
			fmt.Fprintf(&out, "%v\n", u)
		}
	}
	mt.RegisterResponder("GET", base+"/v1/query/"+testPayID, httpmock.NewErrorResponder(refused))
	_, err := c.Payment(context.Background(), testPayID)
	fmt.Fprintf(&out, "%v\n", err)
	bad := credit
	bad.Card.CVV = "12345"
	_, err = c.Credit(context.Background(), bad)
	fmt.Fprintf(&out, "%v\n", err)
	bad = credit
	bad.Card.Number = "4200000000000001"
	_, err = c.Credit(context.Background(), bad)
	fmt.Fprintf(&out, "%v\n", err)
	for _, v := range []any{c, *c, credit, &credit, credit.Card, []any{credit}, map[string]CreditRequest{"k": credit}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
			fmt.Fprintf(&out, verb+"\n", v)
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
	if !strings.Contains(logs.String(), "level=DEBUG") || !strings.Contains(out.String(), "420000******0000") {
		t.Fatal("the test did not exercise logging or masking")
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
		httpmock.NewStringResponder(200, paymentJSON("c1", testPayID, PaymentTypeCapture, "3.00", "EUR", "log-1", codeOK, descOK))))
	if _, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("3"), Currency: "EUR", MerchantTransactionID: "log-1"}); err != nil {
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
			m["merchant_transaction_id"] != "log-1" || m["attempt"] != float64(i+1) || m["duration"] == nil {
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
	_, _ = c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("3"), Currency: "EUR"})
	if buf.Len() != 0 {
		t.Fatalf("logged without WithLogger: %s", buf.String())
	}
}
