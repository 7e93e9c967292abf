package backoffice

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// TestLogLinesCarryOPPsIDs: every log line about an answer that carried
// OPP's ndc and shortId has them, and so does the *OutcomeUnknownError;
// lines carry the operation, the key and the attempt, never the token.
func TestLogLinesCarryOPPsIDs(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMock(t, WithLogger(logger))
	uncertain := strings.Replace(paymentJSON("8ac7a4a1845f7e6b01846011a8b1a0a0", testPayID, PaymentTypeCapture, "1.00", "EUR", "log-1xxx", "900.100.300", "timeout"),
		`"ndc":`, `"shortId":"1234.5678.9012","ndc":`, 1)
	mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(200, uncertain))
	mt.RegisterResponder("GET", base+"/v1/query", httpmock.NewStringResponder(200,
		`{"result":{"code":"000.000.100","description":"successful request"},"ndc":"query_ndc","payments":[`+uncertain+`]}`))
	_, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("1"), Currency: "EUR", MerchantTransactionID: "log-1xxx"})
	var u *OutcomeUnknownError
	if !errors.As(err, &u) || u.NDC != testEntity+"_ab12" || u.ShortID != "1234.5678.9012" {
		t.Fatalf("err = %#v; want an unknown outcome with OPP's ids", err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 { // the POST, the warning, the lookup
		t.Fatalf("%d log lines; want 3:\n%s", len(lines), out.String())
	}
	for i, want := range []struct {
		msg, op      string
		ndc, shortID any // as the answer carried them; nil when it did not
	}{
		{"backoffice: attempt", "capture", testEntity + "_ab12", "1234.5678.9012"},
		{"backoffice: outcome ambiguous, looking it up by merchantTransactionId", "capture", testEntity + "_ab12", "1234.5678.9012"},
		{"backoffice: attempt", "payments_by_merchant_transaction_id", "query_ndc", nil},
	} {
		l := lines[i]
		if l["msg"] != want.msg || l["operation"] != want.op || l["merchant_transaction_id"] != "log-1xxx" ||
			l["ndc"] != want.ndc || l["short_id"] != want.shortID {
			t.Errorf("line %d = %v; want %q for %s with the key, ndc %v and short_id %v", i, l, want.msg, want.op, want.ndc, want.shortID)
		}
		if want.msg == "backoffice: attempt" && l["attempt"] != float64(1) {
			t.Errorf("line %d: attempt %v; want 1", i, l["attempt"])
		}
	}
	if strings.Contains(out.String(), testToken) {
		t.Fatal("the token reached the log")
	}
}
