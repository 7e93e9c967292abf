package console

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// TestViewShowsCardsAsOPPMasksThem: the console shows what OPP echoes of a
// card, the bin and the last four digits, never more.
func TestViewShowsCardsAsOPPMasksThem(t *testing.T) {
	p := &backoffice.Payment{
		ID: "8ac7a4a1", PaymentType: backoffice.PaymentTypeDebit, PaymentBrand: "VISA",
		Amount: decimal.RequireFromString("1.5"), Currency: "KWD",
		Result:    backoffice.Result{Code: "000.100.110"},
		Card:      &backoffice.Card{Bin: "420000", Last4Digits: "0000", Holder: "Jane Doe"},
		Timestamp: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC),
		CustomParameters: map[string]string{
			backoffice.ChargebackReasonParameter: "4837", "ORDER": "77",
		},
	}
	got := view(p, "/bo")
	if got.Card != "420000······0000" || got.Amount != "1.500" || got.Time != "2026-02-03 04:05:06" ||
		got.Href != "/bo/payments/8ac7a4a1" || got.Reason != "4837" || got.Status != "ok" ||
		got.Description != "Request successfully processed in 'Merchant in Integrator Test Mode'" ||
		len(got.Details) != 1 || got.Details[0] != (kv{"ORDER", "77"}) {
		t.Errorf("view = %+v", got)
	}
	full := view(&backoffice.Payment{PaymentType: backoffice.PaymentTypeReversal, Result: backoffice.Result{Code: "000.100.110"}}, "")
	if full.Amount != "full" {
		t.Errorf("a full reversal's amount shows %q", full.Amount)
	}
}

func TestStatusColours(t *testing.T) {
	for code, want := range map[string]string{
		"000.000.000": "ok", "000.100.110": "ok", "000.400.000": "review", "000.200.000": "pending",
		"800.100.151": "rejected", "000.100.201": "chargeback", "000.999.999": "unknown", "": "unknown",
	} {
		if got, _ := status(code); got != want {
			t.Errorf("status(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestBasePath(t *testing.T) {
	for _, tc := range []struct{ requestURI, path, want string }{
		{"/", "/", ""},
		{"/payments/x", "/payments/x", ""},
		{"/admin/opp/", "/", "/admin/opp"},
		{"/admin/opp", "/", "/admin/opp"},
		{"/admin/opp/payments/x/capture?y=1", "/payments/x/capture", "/admin/opp"},
	} {
		r := httptest.NewRequest("GET", tc.requestURI, nil)
		r.URL.Path = tc.path
		if got := basePath(r); got != tc.want {
			t.Errorf("basePath(%q, %q) = %q, want %q", tc.requestURI, tc.path, got, tc.want)
		}
	}
}
