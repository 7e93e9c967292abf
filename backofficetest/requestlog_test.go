package backofficetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestLogRing keeps the last n requests, nothing of unauthenticated
// ones, and no parameters longer than 8 KiB.
func TestRequestLogRing(t *testing.T) {
	g := New(WithRequestLog(3))
	pa := g.SeedPreAuthorization(dec("100.00"), "EUR")
	for _, m := range []string{"a", "b", "c", "d", "e"} {
		operation(t, g, pa, "CP", "1.00", "EUR", "merchantTransactionId", m)
	}
	send(t, g, http.MethodPost, "/v1/payments/"+pa, form("entityId", DefaultEntityID, "paymentType", "CP"), "wrong-token")
	send(t, g, http.MethodPost, "/v1/payments/"+pa, form("entityId", DefaultEntityID, "paymentType", "CP"), "")
	var got []string
	for _, r := range g.Requests() {
		got = append(got, r.Form.Get("merchantTransactionId"))
	}
	if strings.Join(got, "") != "cde" {
		t.Errorf("kept %q, want the last three authenticated: c d e", got)
	}
	operation(t, g, pa, "CP", "1.00", "EUR", "merchantMemo", strings.Repeat("x", maxLoggedParams))
	if r := g.Requests()[2]; !r.FormOmitted || len(r.Form) != 0 || r.Method != http.MethodPost {
		t.Errorf("oversized parameters kept: %+v", r.FormOmitted)
	}
	if n := len(New(WithRequestLog(0)).Requests()); n != 0 {
		t.Errorf("WithRequestLog(0) kept %d", n)
	}
	g0 := New(WithRequestLog(0))
	operation(t, g0, g0.SeedDebit(dec("1.00"), "EUR"), "RF", "1.00", "EUR")
	if n := len(g0.Requests()); n != 0 {
		t.Errorf("WithRequestLog(0) kept %d", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("WithRequestLog(-1) did not panic")
		}
	}()
	New(WithRequestLog(-1))
}

// TestServerRefusesLargeBodies answers a body over 1 MiB with OPP's JSON
// (HTTP 413, 200.100.103) and keeps nothing of it; an unknown path gets
// OPP's JSON too.
func TestServerRefusesLargeBodies(t *testing.T) {
	g := New()
	srv := httptest.NewServer(g)
	defer srv.Close()
	body := bytes.Repeat([]byte("a"), maxBody+1)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/payments", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var w wireBody
	if err := json.Unmarshal(data, &w); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge ||
		w.Result.Code != codeBadRequest || w.Result.Description != description(codeBadRequest) || len(w.ID) != 32 {
		t.Errorf("HTTP %d %s (%v)", resp.StatusCode, data, err)
	}
	if n := len(g.Requests()); n != 0 {
		t.Errorf("%d requests kept", n)
	}
	resp, err = srv.Client().Get(srv.URL + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := json.Unmarshal(data, &w); err != nil || resp.StatusCode != http.StatusNotFound || w.Result.Code != codeBadParameter {
		t.Errorf("unknown path: HTTP %d %s", resp.StatusCode, data)
	}
}
