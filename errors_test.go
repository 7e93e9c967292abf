package backoffice

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/oppkit/backoffice/resultcodes"
)

// TestOutcomeComesFromTheResultCode: one capture per answer, the HTTP status
// only a hint.
func TestOutcomeComesFromTheResultCode(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		code     string
		desc     string
		wantKind error // nil: a payment
		pending  bool
		review   bool
	}{
		{"test-mode success", 200, "000.100.110", descOK, nil, false, false},
		{"live success", 200, "000.000.000", "Transaction succeeded", nil, false, false},
		{"success needing review", 200, "000.400.000", "Transaction succeeded (please review manually due to fraud suspicion)", nil, false, true},
		{"pending", 200, "000.200.000", "transaction pending", nil, true, false},
		{"long pending", 200, "800.400.500", "Waiting for confirmation of non-instant payment. Denied for now.", nil, true, false},
		{"decline with HTTP 200", 200, codeDecline, descDecline, ErrDeclined, false, false},
		{"soft decline", 200, "300.100.100", "Transaction declined (additional customer authentication required)", ErrDeclined, false, false},
		{"bad credentials", 403, "800.900.300", "invalid authentication information", ErrUnauthorized, false, false},
		{"no rights", 403, "800.900.301", "user authorization failed, user has no sufficient rights to process transaction", ErrUnauthorized, false, false},
		{"not configured", 200, "600.200.500", "Invalid payment data. You are not configured for this currency or sub type (country or brand)", ErrUnauthorized, false, false},
		{"unknown reference", 400, "700.100.100", "reference id not existing", ErrNotFound, false, false},
		{"over-capture", 400, "700.400.100", "cannot capture (PA value exceeded, PA reverted or invalid workflow?)", ErrNotAllowed, false, false},
		{"amount format", 400, "100.550.303", "amount format invalid (only two decimals allowed).", ErrInvalidRequest, false, false},
		{"system error", 200, "800.800.800", "The payment system is currenty unavailable, please contact support in case this happens again.", ErrGateway, false, false},
		{"unknown code fails closed", 200, "000.999.999", "brand new", ErrUnknownCode, false, false},
		{"malformed code fails closed", 200, "OK", "ok", ErrUnknownCode, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMock(t)
			mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(tt.status,
				paymentJSON("8ac7a4a1845f7e6b01846011a8b10001", testPayID, PaymentTypeCapture, "10.00", "EUR", "mtid-0001", tt.code, tt.desc)))
			p, err := c.Capture(context.Background(), testPayID, CaptureRequest{Amount: dec("10"), Currency: "EUR", MerchantTransactionID: "mtid-0001"})
			if tt.wantKind == nil {
				if err != nil {
					t.Fatalf("err = %v; want a payment", err)
				}
				if p.Result.Code != tt.code || p.Pending() != tt.pending || p.NeedsReview() != tt.review || p.Succeeded() == tt.pending {
					t.Fatalf("payment %+v: pending %v review %v", p.Result, p.Pending(), p.NeedsReview())
				}
				return
			}
			if p != nil {
				t.Fatalf("payment %+v returned with an error", p)
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.wantKind) {
				t.Fatalf("err = %v; want an *Error matching %v", err, tt.wantKind)
			}
			for _, other := range []error{ErrDeclined, ErrInvalidRequest, ErrUnauthorized, ErrNotFound, ErrNotAllowed, ErrGateway, ErrUnknownCode, ErrNetwork, ErrOutcomeUnknown} {
				if other != tt.wantKind && errors.Is(err, other) {
					t.Errorf("err also matches %v", other)
				}
			}
			want := Error{Operation: "capture", Kind: tt.wantKind, Code: tt.code, Description: tt.desc, Category: resultcodes.Classify(tt.code),
				HTTPStatus: tt.status, PaymentID: "8ac7a4a1845f7e6b01846011a8b10001", ReferencedID: testPayID, MerchantTransactionID: "mtid-0001",
				NDC: "8a8294174e735d0c014e78cf26461790_ab12"}
			if !reflect.DeepEqual(*e, want) {
				t.Fatalf("error\n got %+v\nwant %+v", *e, want)
			}
		})
	}
}

func TestParameterErrors(t *testing.T) {
	c, mt := newMock(t)
	mt.RegisterResponder("POST", base+"/v1/payments", httpmock.NewStringResponder(400,
		`{"id":"8ac7a4a1845f7e6b01846011a8b10002","result":{"code":"200.300.404","description":"invalid or missing parameter","parameterErrors":[`+
			`{"name":"card.number","value":"4200000000000000","message":"invalid"},{"name":"billing.city","value":"B","message":"too short"}]},`+
			`"buildNumber":"b","timestamp":"2026-11-23 08:00:00+0000","ndc":"n"}`))
	_, err := c.Credit(context.Background(), CreditRequest{Amount: dec("1"), Currency: "EUR", PaymentBrand: "VISA",
		Card: CardDetails{Number: testCard, Holder: "Jane Jones", ExpiryMonth: "05", ExpiryYear: "2034", CVV: testCVV}})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("err = %v", err)
	}
	want := []ParameterError{{"card.number", "420000******0000", "invalid"}, {"billing.city", "B", "too short"}}
	if !reflect.DeepEqual(e.ParameterErrors, want) {
		t.Fatalf("parameter errors %+v; want %+v", e.ParameterErrors, want)
	}
	wantMsg := "backoffice: credit: invalid request: 200.300.404 invalid or missing parameter (HTTP 400); card.number: invalid; billing.city: too short [merchantTransactionId=" + e.MerchantTransactionID + "]"
	if err.Error() != wantMsg {
		t.Fatalf("message %q\nwant     %q", err.Error(), wantMsg)
	}
}

func TestErrorStatusWithoutBody(t *testing.T) {
	for status, kind := range map[int]error{401: ErrUnauthorized, 403: ErrUnauthorized, 404: ErrNotFound, 400: ErrInvalidRequest, 422: ErrInvalidRequest} {
		c, mt := newMock(t)
		mt.RegisterResponder("POST", base+"/v1/payments/"+testPayID, httpmock.NewStringResponder(status, "<html>nope</html>"))
		_, err := c.Refund(context.Background(), testPayID, RefundRequest{Amount: dec("1"), Currency: "EUR"})
		var e *Error
		if !errors.As(err, &e) || e.Kind != kind || e.HTTPStatus != status || e.Code != "" {
			t.Errorf("HTTP %d: err = %v; want %v", status, err, kind)
		}
		if n := mt.GetTotalCallCount(); n != 1 {
			t.Errorf("HTTP %d: %d requests; a 4xx is rejected before processing, want 1", status, n)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&Error{Operation: "refund", Kind: ErrDeclined, Code: codeDecline, Description: descDecline, HTTPStatus: 200, ReferencedID: "p1", MerchantTransactionID: "m1"},
			"backoffice: refund p1: declined: 800.100.151 transaction declined (invalid card) (HTTP 200) [merchantTransactionId=m1]"},
		{&Error{Operation: "capture", Kind: ErrGateway, HTTPStatus: 503, ReferencedID: "p1", MerchantTransactionID: "m1", Verified: true},
			"backoffice: capture p1: gateway error (HTTP 503); verified not performed [merchantTransactionId=m1]"},
		{&ValidationError{Operation: "credit", Field: "Card.Number", Reason: "fails the Luhn check"}, "backoffice: credit: Card.Number fails the Luhn check"},
		{&NetworkError{Operation: "rebill", MerchantTransactionID: "m2", Attempts: 3, Err: errors.New("dial tcp: connection refused")},
			"backoffice: rebill: network error after 3 attempt(s): dial tcp: connection refused [merchantTransactionId=m2; not sent]"},
		{&OutcomeUnknownError{Operation: "capture", ReferencedID: "p1", MerchantTransactionID: "m3", Cause: errors.New("read: connection reset"), Reconcile: errors.New("HTTP 503")},
			"backoffice: capture p1: outcome unknown, look it up by merchantTransactionId=m3: read: connection reset; lookup: HTTP 503"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
	// Its cause and lookup failure are fields, not wrapped: an unknown
	// outcome caused by a gateway error must not match ErrGateway.
	ou := &OutcomeUnknownError{Cause: &Error{Kind: ErrGateway}, Reconcile: &NetworkError{Err: context.Canceled}}
	if !errors.Is(ou, ErrOutcomeUnknown) || errors.Is(ou, ErrGateway) || errors.Is(ou, ErrNetwork) || errors.Is(ou, context.Canceled) {
		t.Fatal("OutcomeUnknownError must match ErrOutcomeUnknown and nothing else")
	}
}

// TestKindTableCoversEveryCategory: each category maps to exactly what the
// package doc promises.
func TestKindTableCoversEveryCategory(t *testing.T) {
	notErrors := map[resultcodes.Category]bool{resultcodes.Success: true, resultcodes.SuccessReview: true,
		resultcodes.Pending: true, resultcodes.PendingLong: true, resultcodes.Chargeback: true}
	for c := resultcodes.Unknown; c <= resultcodes.Chargeback; c++ {
		k := kindFor("", c)
		if notErrors[c] != (k == nil) {
			t.Errorf("%v maps to %v", c, k)
		}
		if c.IsRejected() && (k == nil || k == ErrUnknownCode) {
			t.Errorf("rejection %v maps to %v", c, k)
		}
	}
	if kindFor("", resultcodes.Unknown) != ErrUnknownCode || kindFor("", resultcodes.Category(200)) != ErrUnknownCode {
		t.Fatal("unknown categories must fail closed")
	}
}

func TestOperationPaymentType(t *testing.T) {
	for op, pt := range map[Operation]PaymentType{OperationCapture: PaymentTypeCapture, OperationReverse: PaymentTypeReversal, OperationRefund: PaymentTypeRefund, OperationChargeback: PaymentTypeChargeback,
		OperationReverseChargeback: PaymentTypeChargebackReversal, OperationRebill: PaymentTypeRebill, OperationCredit: PaymentTypeCredit, "nonsense": ""} {
		if got := op.PaymentType(); got != pt {
			t.Errorf("%s.PaymentType() = %q; want %q", op, got, pt)
		}
	}
}
