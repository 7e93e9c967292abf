package backofficetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/webhook"
	"github.com/shopspring/decimal"
)

const controlToken = "control-secret-1"

// fake is a gateway served over real HTTP with its control API mounted
// beside the OPP API, as cmd/fakegateway serves them.
type fake struct {
	t   *testing.T
	gw  *backofficetest.Gateway
	ctl *backofficetest.Control
	srv *httptest.Server
}

func newFake(t *testing.T, opts backofficetest.ControlOptions) *fake {
	t.Helper()
	gw := backofficetest.New()
	ctl, err := gw.ControlHandler(controlToken, opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(backofficetest.ControlPrefix, ctl)
	mux.Handle("/", gw)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { srv.Close(); ctl.Close(); gw.Close() })
	return &fake{t: t, gw: gw, ctl: ctl, srv: srv}
}

// call sends a control request with the control token and decodes the JSON
// answer into out (when not nil); it returns the status and the raw body.
func (f *fake) call(method, path, body string, out any) (int, string) {
	f.t.Helper()
	return f.callAs(controlToken, method, path, body, out)
}

func (f *fake) callAs(token, method, path, body string, out any) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.t.Fatalf("%s %s: Content-Type %q, body %s", method, path, ct, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			f.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode, string(data)
}

// opp sends an OPP request (form-encoded) with token.
func (f *fake) opp(token, method, path string, v url.Values) (int, oppAnswer) {
	f.t.Helper()
	var body io.Reader
	target := f.srv.URL + path
	if method == http.MethodPost {
		body = strings.NewReader(v.Encode())
	} else if len(v) > 0 {
		target += "?" + v.Encode()
	}
	req, _ := http.NewRequest(method, target, body)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var a oppAnswer
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &a); err != nil {
		f.t.Fatalf("%s %s: %v in %s", method, path, err, data)
	}
	return resp.StatusCode, a
}

type oppAnswer struct {
	ID     string `json:"id"`
	Result struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"result"`
}

// capture captures amount EUR of id for the default entity.
func (f *fake) capture(id, amount string, extra ...string) (int, oppAnswer) {
	f.t.Helper()
	v := url.Values{"entityId": {backofficetest.DefaultEntityID}, "paymentType": {"CP"}, "amount": {amount}, "currency": {"EUR"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return f.opp(backofficetest.DefaultToken, http.MethodPost, "/v1/payments/"+id, v)
}

type paymentView struct {
	ID                string `json:"id"`
	PaymentType       string `json:"paymentType"`
	Status            string `json:"status"`
	ResultCode        string `json:"resultCode"`
	ResultDescription string `json:"resultDescription"`
	Amount            string `json:"amount"`
	Currency          string `json:"currency"`
	Balance           struct {
		Authorized, Captured, Refunded, ChargedBack, Reversed string
	} `json:"balance"`
}

type paymentAnswer struct {
	ID      string        `json:"id"`
	Payment paymentView   `json:"payment"`
	History []paymentView `json:"history"`
}

func (f *fake) seed(body string) string {
	f.t.Helper()
	var a paymentAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments", body, &a); status != http.StatusCreated || len(a.ID) != 32 {
		f.t.Fatalf("seed %s: HTTP %d %s", body, status, raw)
	}
	return a.ID
}

// TestControlTokens: the control API needs its own token; an OPP token does
// not reach it, and the control token does not reach the OPP API.
func TestControlTokens(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	for _, token := range []string{"", backofficetest.DefaultToken, "control-secret-2"} {
		if status, raw := f.callAs(token, http.MethodGet, "/_fake/ledger", "", nil); status != http.StatusUnauthorized ||
			!strings.Contains(raw, "Authorization: Bearer <control token>") {
			t.Errorf("token %q: HTTP %d %s", token, status, raw)
		}
	}
	status, a := f.opp(controlToken, http.MethodGet, "/v1/payments/x", url.Values{"entityId": {backofficetest.DefaultEntityID}})
	if status != http.StatusForbidden || a.Result.Code != "800.900.300" {
		t.Errorf("OPP API with the control token: HTTP %d %+v", status, a)
	}
	if err := f.gw.AddAccount(controlToken, "e1"); err == nil || !strings.Contains(err.Error(), "control API's token") {
		t.Errorf("AddAccount(control token): %v", err)
	}
	var e errorAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/accounts", `{"token":"`+controlToken+`","entityIds":["e1"]}`, &e); status != http.StatusBadRequest || e.field() != "token" {
		t.Errorf("POST /_fake/accounts with the control token: HTTP %d %s", status, raw)
	}
	if _, err := f.gw.ControlHandler(backofficetest.DefaultToken, backofficetest.ControlOptions{}); err == nil {
		t.Error("ControlHandler accepted an OPP access token")
	}
	if _, err := f.gw.ControlHandler("has space", backofficetest.ControlOptions{}); err == nil {
		t.Error("ControlHandler accepted a token with a space")
	}
}

type errorAnswer struct {
	Error  string `json:"error"`
	Fields []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"fields"`
	Result struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"result"`
}

func (e errorAnswer) field() string {
	if len(e.Fields) == 0 {
		return ""
	}
	return e.Fields[0].Field
}

// TestControlBadRequests: a bad control request is HTTP 400 with a JSON
// error naming the field.
func TestControlBadRequests(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"10.00"}`)
	for _, tt := range []struct{ method, path, body, field string }{
		{"POST", "/_fake/payments", `{"amount":"ten"}`, "amount"},
		{"POST", "/_fake/payments", `{"amount":10}`, "amount"},
		{"POST", "/_fake/payments", `{"amount":"1.00","amout":"1"}`, "amout"},
		{"POST", "/_fake/payments", `{"amount":"1.00","paymentType":"CP"}`, "paymentType"},
		{"POST", "/_fake/payments", `{"amount":"1.00","currency":"eur"}`, "currency"},
		{"POST", "/_fake/payments", `{"amount":"1.00","resultCode":"800.100.15"}`, "resultCode"},
		{"POST", "/_fake/payments", `{"amount":"1.00","entityId":"not-alnum"}`, "entityId"},
		{"POST", "/_fake/payments", `{"amount":"1.00","paymentBrand":"NOPE"}`, "paymentBrand"},
		{"POST", "/_fake/payments", `{`, "body"},
		{"POST", "/_fake/payments", `{} {}`, "body"},
		{"POST", "/_fake/next-results", `{"paymentType":"CP","code":"800.100.15"}`, "code"},
		{"POST", "/_fake/next-results", `{"paymentType":"XX","code":"800.100.151"}`, "paymentType"},
		{"POST", "/_fake/next-results", `{"paymentType":"CP","n":0,"code":"800.100.151"}`, "n"},
		{"POST", "/_fake/next-results", `{"paymentType":"CP","code":"800.100.151","allowUnknownCode":true}`, "code"},
		{"POST", "/_fake/next-results", `{"paymentType":"CP","code":"99.1","allowUnknownCode":true}`, "code"},
		{"POST", "/_fake/faults", `{"kinds":["Nope"]}`, "kinds"},
		{"POST", "/_fake/faults", `{}`, "kinds"},
		{"POST", "/_fake/faults", `{"kinds":["Latency"],"latency":"soon"}`, "latency"},
		{"POST", "/_fake/faults", `{"kinds":["Throttle"],"retryAfter":"-1s"}`, "retryAfter"},
		{"POST", "/_fake/faults", `{"kinds":["StatusBeforeCommit"],"status":418}`, "status"},
		{"POST", "/_fake/faults", `{"kinds":["Refused"],"operation":"XX"}`, "operation"},
		{"POST", "/_fake/faults", `{"kinds":["Refused"],"method":"PUT"}`, "method"},
		{"POST", "/_fake/faults", `{"kinds":["Refused"],"probability":2}`, "probability"},
		{"POST", "/_fake/faults", `{"kinds":["Refused"],"count":-1}`, "count"},
		{"POST", "/_fake/fail-next", `{"operation":"CP","kind":"Nope"}`, "kind"},
		{"POST", "/_fake/fail-next", `{"operation":"CP","kind":"Refused","n":0}`, "n"},
		{"POST", "/_fake/accounts", `{"token":""}`, "token"},
		{"POST", "/_fake/accounts", `{"token":"t2","entityIds":["bad id"]}`, "entityIds"},
		{"POST", "/_fake/accounts/deny", `{"token":"` + backofficetest.DefaultToken + `","operations":["XX"]}`, "operations"},
		{"POST", "/_fake/accounts/deny", `{"token":"nobody","operations":["CP"]}`, "token"},
		{"PUT", "/_fake/entities/bad-id", `{}`, "entityId"},
		{"PUT", "/_fake/entities/e1", `{"singleCapture":"yes"}`, "singleCapture"},
		{"POST", "/_fake/webhooks", `{"url":"http://127.0.0.1:1/hook","key":"short"}`, "key"},
		{"POST", "/_fake/webhooks", `{"url":"ftp://x","key":"` + hookKey + `"}`, "url"},
		{"POST", "/_fake/payments/" + pa + "/resolve", `{"resultCode":"000.200.000"}`, "resultCode"},
		{"POST", "/_fake/payments/" + pa + "/resolve", `{"resultCode":"000.100.110"}`, "id"},
		{"POST", "/_fake/payments/" + pa + "/chargeback", `{"reasonCode":"000.000.000"}`, "reasonCode"},
		{"POST", "/_fake/payments/" + pa + "/chargeback", `{"amount":"x","reasonCode":"000.100.200"}`, "amount"},
		{"GET", "/_fake/ledger?tail=x", ``, "tail"},
		{"GET", "/_fake/requests?tail=-1", ``, "tail"},
		{"POST", "/_fake/reset", `{"all":true}`, "all"},
	} {
		var e errorAnswer
		status, raw := f.call(tt.method, tt.path, tt.body, &e)
		if status != http.StatusBadRequest || e.field() != tt.field || e.Error == "" || e.Fields[0].Message == "" {
			t.Errorf("%s %s %s: HTTP %d %s; want 400 naming %q", tt.method, tt.path, tt.body, status, raw, tt.field)
		}
	}
	if n := len(f.gw.Ledger()); n != 0 {
		t.Errorf("%d commits after refused control requests", n)
	}
}

// TestControlRoutes: unknown paths and methods answer JSON 404 and 405.
func TestControlRoutes(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	var e errorAnswer
	if status, raw := f.call(http.MethodGet, "/_fake/nothing", "", &e); status != http.StatusNotFound || e.Error == "" {
		t.Errorf("unknown path: HTTP %d %s", status, raw)
	}
	if status, raw := f.call(http.MethodGet, "/_fake/reset", "", &e); status != http.StatusMethodNotAllowed || !strings.Contains(raw, "POST") {
		t.Errorf("GET /_fake/reset: HTTP %d %s", status, raw)
	}
	if status, raw := f.call(http.MethodGet, "/_fake/payments/0123", "", &e); status != http.StatusNotFound || !strings.Contains(e.Error, "0123") {
		t.Errorf("unknown payment: HTTP %d %s", status, raw)
	}
}

// TestControlSeedCaptureRead: seed a PA, capture it through the OPP API, read
// it back with its history and balance.
func TestControlSeedCaptureRead(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"paymentType":"PA","amount":"100.00","currency":"EUR","paymentBrand":"MASTER","merchantTransactionId":"order-1"}`)
	if status, a := f.capture(pa, "60.00", "merchantTransactionId", "cp-00001"); status != http.StatusOK || a.Result.Code != "000.100.110" {
		t.Fatalf("capture: HTTP %d %+v", status, a)
	}
	var got paymentAnswer
	if status, raw := f.call(http.MethodGet, "/_fake/payments/"+pa, "", &got); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	p := got.Payment
	if p.ID != pa || p.PaymentType != "PA" || p.Status != "succeeded" || p.Amount != "100.00" || p.Balance.Authorized != "100.00" ||
		p.Balance.Captured != "60.00" || len(got.History) != 1 || got.History[0].PaymentType != "CP" || got.History[0].Amount != "60.00" {
		t.Errorf("payment %+v", got)
	}
	for _, tt := range []struct{ body, typ string }{{`{"paymentType":"DB","amount":"5.00"}`, "DB"}, {`{"paymentType":"CD","amount":"7.00"}`, "CD"}} {
		id := f.seed(tt.body)
		if tx, _ := f.gw.Payment(id); tx.PaymentType != tt.typ {
			t.Errorf("seeded %s: %+v", tt.typ, tx)
		}
	}
}

// TestControlNextResultsAndUnknownCodes: a forced decline, then a code
// OPP's catalogue lacks, which the client classifies as ErrUnknownCode.
func TestControlNextResultsAndUnknownCodes(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"100.00"}`)
	if status, raw := f.call(http.MethodPost, "/_fake/next-results", `{"paymentType":"CP","code":"800.100.151"}`, nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	if _, a := f.capture(pa, "10.00"); a.Result.Code != "800.100.151" || a.Result.Description != "transaction declined (invalid card)" {
		t.Errorf("forced decline: %+v", a)
	}
	if status, raw := f.call(http.MethodPost, "/_fake/next-results", `{"paymentType":"CP","n":1,"code":"555.555.555","allowUnknownCode":true}`, nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithBaseURL(f.srv.URL), backoffice.WithHTTPClient(f.srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Capture(context.Background(), pa, backoffice.CaptureRequest{Amount: decimal.RequireFromString("10.00"), Currency: "EUR"})
	if !errors.Is(err, backoffice.ErrUnknownCode) {
		t.Errorf("unclassified code: %v, want ErrUnknownCode", err)
	}
	if _, a := f.capture(pa, "10.00"); a.Result.Code != "000.100.110" {
		t.Errorf("after the queue: %+v", a)
	}
}

// TestControlFaults: a fault injected through the control API is the Go
// fault: the OPP request is committed and its answer lost.
func TestControlFaults(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"100.00"}`)
	if status, raw := f.call(http.MethodPost, "/_fake/faults", `{"operation":"CP","kinds":["StatusAfterCommit"],"count":1,"status":502}`, nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/v1/payments/"+pa, strings.NewReader(url.Values{
		"entityId": {backofficetest.DefaultEntityID}, "paymentType": {"CP"}, "amount": {"1.00"}, "currency": {"EUR"}}.Encode()))
	req.Header.Set("Authorization", "Bearer "+backofficetest.DefaultToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || len(f.gw.Ledger()) != 1 {
		t.Errorf("HTTP %d, %d commits; want 502 and 1", resp.StatusCode, len(f.gw.Ledger()))
	}
	if status, raw := f.call(http.MethodPost, "/_fake/fail-next", `{"operation":"CP","kind":"StatusBeforeCommit"}`, nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	if status, raw := f.call(http.MethodDelete, "/_fake/faults", "", nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	if status, a := f.capture(pa, "1.00"); status != http.StatusOK || a.Result.Code != "000.100.110" {
		t.Errorf("after DELETE /_fake/faults: HTTP %d %+v", status, a)
	}
	var reqs struct {
		Requests []struct {
			Method, Path, Fault string
			Form                map[string][]string
		} `json:"requests"`
	}
	f.call(http.MethodGet, "/_fake/requests?tail=2", "", &reqs)
	if len(reqs.Requests) != 2 || reqs.Requests[0].Fault != "StatusAfterCommit" || reqs.Requests[1].Fault != "" ||
		reqs.Requests[1].Form["amount"][0] != "1.00" {
		t.Errorf("requests %+v", reqs)
	}
}

// TestControlLedgerAndRequests: the ledger whole, its tail, by
// merchantTransactionId; the request log redacted.
func TestControlLedgerAndRequests(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"100.00"}`)
	for _, m := range []string{"mtid-aaa", "mtid-bbb", "mtid-aaa"} {
		f.capture(pa, "1.00", "merchantTransactionId", m)
	}
	v := url.Values{"entityId": {backofficetest.DefaultEntityID}, "paymentType": {"DB"}, "amount": {"3.00"}, "currency": {"EUR"},
		"paymentBrand": {"VISA"}, "card.number": {"4200000000000000"}, "card.holder": {"Jane Jones"},
		"card.expiryMonth": {"05"}, "card.expiryYear": {"2034"}, "card.cvv": {"123"}}
	if status, a := f.opp(backofficetest.DefaultToken, http.MethodPost, "/v1/payments", v); status != http.StatusOK {
		t.Fatalf("DB: HTTP %d %+v", status, a)
	}
	type ledger struct {
		Total   int `json:"total"`
		Commits []struct {
			PaymentType, MerchantTransactionID, Amount, ResultCode string
		} `json:"commits"`
	}
	var all, tail, byID ledger
	f.call(http.MethodGet, "/_fake/ledger", "", &all)
	f.call(http.MethodGet, "/_fake/ledger?tail=1", "", &tail)
	f.call(http.MethodGet, "/_fake/ledger?merchantTransactionId=mtid-aaa", "", &byID)
	if all.Total != 4 || len(all.Commits) != 4 || all.Commits[1].MerchantTransactionID != "mtid-bbb" || all.Commits[3].PaymentType != "DB" {
		t.Errorf("ledger %+v", all)
	}
	if tail.Total != 4 || len(tail.Commits) != 1 || tail.Commits[0].PaymentType != "DB" || tail.Commits[0].Amount != "3.00" {
		t.Errorf("tail %+v", tail)
	}
	if len(byID.Commits) != 2 || byID.Commits[0].MerchantTransactionID != "mtid-aaa" {
		t.Errorf("by merchantTransactionId %+v", byID)
	}
	_, raw := f.call(http.MethodGet, "/_fake/requests", "", nil)
	if strings.Contains(raw, "4200000000000000") || strings.Contains(raw, `"123"`) || strings.Contains(raw, backofficetest.DefaultToken) ||
		!strings.Contains(raw, `"card.number":["420000******0000"]`) || !strings.Contains(raw, `"card.cvv":["***"]`) {
		t.Errorf("request log not redacted: %s", raw)
	}
}

// TestControlChargebacks raises a chargeback and its reversal.
func TestControlChargebacks(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	db := f.seed(`{"paymentType":"DB","amount":"30.00"}`)
	var cb paymentAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments/"+db+"/chargeback", `{"amount":"30.00","reasonCode":"000.100.201"}`, &cb); status != http.StatusCreated ||
		cb.Payment.PaymentType != "CB" || cb.Payment.ResultCode != "000.100.201" {
		t.Fatalf("chargeback: HTTP %d %s", status, raw)
	}
	var e errorAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments/"+db+"/chargeback", `{"reasonCode":"000.100.200"}`, &e); status != http.StatusConflict ||
		e.Result.Code != "700.400.400" || e.Result.Description == "" {
		t.Errorf("second chargeback: HTTP %d %s", status, raw)
	}
	var cr paymentAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments/"+cb.ID+"/chargeback-reversal", "", &cr); status != http.StatusCreated || cr.Payment.PaymentType != "CR" {
		t.Fatalf("chargeback reversal: HTTP %d %s", status, raw)
	}
	if status, raw := f.call(http.MethodPost, "/_fake/payments/nope/chargeback-reversal", "{}", &e); status != http.StatusNotFound || e.Result.Code != "700.100.100" {
		t.Errorf("unknown payment: HTTP %d %s", status, raw)
	}
	if tx, _ := f.gw.Payment(db); !tx.Balance.ChargedBack.IsZero() || !tx.Balance.Captured.Equal(decimal.RequireFromString("30")) {
		t.Errorf("balance %+v", tx.Balance)
	}
}

// TestControlResolve settles a pending PA: it authorizes, and the
// subscribers hear the final result.
func TestControlResolve(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"40.00","resultCode":"000.200.000"}`)
	if _, a := f.capture(pa, "1.00"); a.Result.Code != "700.400.570" {
		t.Fatalf("capture of a pending PA: %+v", a)
	}
	var events []string
	unsub := f.gw.Subscribe(func(e backofficetest.Event) { events = append(events, string(e.Payment)) })
	defer unsub()
	var got paymentAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments/"+pa+"/resolve", `{"resultCode":"000.100.110"}`, &got); status != http.StatusOK ||
		got.Payment.Status != "succeeded" || got.Payment.Balance.Authorized != "40.00" {
		t.Fatalf("resolve: HTTP %d %s", status, raw)
	}
	if len(events) != 1 || !strings.Contains(events[0], `"id":"`+pa+`"`) || !strings.Contains(events[0], `"code":"000.100.110"`) {
		t.Errorf("notifications %q", events)
	}
	if status, a := f.capture(pa, "40.00"); status != http.StatusOK || a.Result.Code != "000.100.110" {
		t.Errorf("capture after resolve: HTTP %d %+v", status, a)
	}
	var e errorAnswer
	if status, raw := f.call(http.MethodPost, "/_fake/payments/nope/resolve", `{"resultCode":"000.100.110"}`, &e); status != http.StatusNotFound {
		t.Errorf("unknown id: HTTP %d %s", status, raw)
	}
}

// TestControlAccountsAndEntities adds an account, denies it captures, and
// configures an entity for single captures.
func TestControlAccountsAndEntities(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	const token, entity = "qa-token-2", "entity2"
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/_fake/accounts", `{"token":"` + token + `","entityIds":["` + entity + `"]}`},
		{"POST", "/_fake/accounts/deny", `{"token":"` + token + `","operations":["RF"]}`},
		{"PUT", "/_fake/entities/" + entity, `{"singleCapture":true}`},
	} {
		if status, raw := f.call(c.method, c.path, c.body, nil); status != http.StatusOK {
			t.Fatalf("%s %s: HTTP %d %s", c.method, c.path, status, raw)
		}
	}
	pa := f.seed(`{"amount":"10.00","entityId":"` + entity + `"}`)
	db := f.seed(`{"paymentType":"DB","amount":"10.00","entityId":"` + entity + `"}`)
	op := func(id, pt string) string {
		_, a := f.opp(token, http.MethodPost, "/v1/payments/"+id, url.Values{"entityId": {entity}, "paymentType": {pt}, "amount": {"1.00"}, "currency": {"EUR"}})
		return a.Result.Code
	}
	if got := []string{op(pa, "CP"), op(pa, "CP"), op(db, "RF")}; got[0] != "000.100.110" || got[1] != "700.300.300" || got[2] != "800.900.301" {
		t.Errorf("codes %q", got)
	}
}

// TestControlReset empties the gateway; the control token still works and
// ids are not reused.
func TestControlReset(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"10.00"}`)
	f.capture(pa, "1.00")
	if status, raw := f.call(http.MethodPost, "/_fake/reset", "", nil); status != http.StatusOK {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	if status, _ := f.call(http.MethodGet, "/_fake/payments/"+pa, "", nil); status != http.StatusNotFound {
		t.Errorf("payment after reset: HTTP %d", status)
	}
	var l struct {
		Total int `json:"total"`
	}
	f.call(http.MethodGet, "/_fake/ledger", "", &l)
	if l.Total != 0 || len(f.gw.Requests()) != 0 {
		t.Errorf("ledger %d, requests %d after reset", l.Total, len(f.gw.Requests()))
	}
	if again := f.seed(`{"amount":"10.00"}`); again == pa {
		t.Error("an id was reused after reset")
	}
}

// receiver is a merchant's webhook endpoint over HTTP that fails its first
// fail deliveries and reports every delivery on got.
type receiver struct {
	mu   sync.Mutex
	fail int
	got  chan webhook.Notification
}

func newReceiver(t *testing.T, fail int) (*receiver, *httptest.Server) {
	r := &receiver{fail: fail, got: make(chan webhook.Notification, 16)}
	srv := httptest.NewServer(webhook.Handler(hookKey, func(_ context.Context, n webhook.Notification) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fail > 0 {
			r.fail--
			return errors.New("not now")
		}
		r.got <- n
		return nil
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

// TestControlWebhooks forwards notifications to a receiver over HTTP,
// redelivers after a failure, and shows the delivery log.
func TestControlWebhooks(t *testing.T) {
	delivered := make(chan backofficetest.ForwardedDelivery, 16)
	f := newFake(t, backofficetest.ControlOptions{WebhookSchedule: []time.Duration{time.Millisecond},
		OnDelivery: func(d backofficetest.ForwardedDelivery) { delivered <- d }})
	rcv, srv := newReceiver(t, 1)
	if status, raw := f.call(http.MethodPost, "/_fake/webhooks", `{"url":"`+srv.URL+`/opp/webhook","key":"`+hookKey+`"}`, nil); status != http.StatusCreated {
		t.Fatalf("HTTP %d %s", status, raw)
	}
	db := f.seed(`{"paymentType":"DB","amount":"30.00"}`)
	var cb paymentAnswer
	f.call(http.MethodPost, "/_fake/payments/"+db+"/chargeback", `{"reasonCode":"000.100.200"}`, &cb)
	if d := <-delivered; d.Attempt != 1 || d.Status != http.StatusInternalServerError || d.NextAttempt.IsZero() || d.PaymentID != cb.ID {
		t.Errorf("first delivery %+v", d)
	}
	if d := <-delivered; d.Attempt != 2 || d.Status != http.StatusOK || !d.NextAttempt.IsZero() || d.PaymentType != "CB" || d.ResultCode != "000.100.200" {
		t.Errorf("redelivery %+v", d)
	}
	if n := <-rcv.got; n.ID != cb.ID || n.Payment == nil || n.Payment.PaymentType != backoffice.PaymentTypeChargeback {
		t.Errorf("notification %v", n)
	}
	var log struct {
		Forwarders []string                           `json:"forwarders"`
		Deliveries []backofficetest.ForwardedDelivery `json:"deliveries"`
	}
	f.call(http.MethodGet, "/_fake/webhooks", "", &log)
	if len(log.Forwarders) != 1 || len(log.Deliveries) != 2 || log.Deliveries[0].Status != 500 || log.Deliveries[1].Status != 200 {
		t.Errorf("delivery log %+v", log)
	}
	if status, _ := f.call(http.MethodDelete, "/_fake/webhooks", "", nil); status != http.StatusOK {
		t.Errorf("DELETE: HTTP %d", status)
	}
	f.call(http.MethodGet, "/_fake/webhooks", "", &log)
	if len(log.Forwarders) != 0 {
		t.Errorf("forwarders after DELETE: %v", log.Forwarders)
	}
}

// TestControlGoldenPayment: the exact JSON of a payment read back.
func TestControlGoldenPayment(t *testing.T) {
	f := newFake(t, backofficetest.ControlOptions{})
	pa := f.seed(`{"amount":"100.00","merchantTransactionId":"order-1"}`)
	f.capture(pa, "60.00", "merchantTransactionId", "cp-00001")
	_, raw := f.call(http.MethodGet, "/_fake/payments/"+pa, "", nil)
	want, err := os.ReadFile("testdata/control-payment.golden")
	if err != nil {
		t.Fatal(err)
	}
	if raw != string(want) {
		t.Errorf("GET /_fake/payments/{id}:\n%s\nwant:\n%s", raw, want)
	}
}

// TestControlOfATestsGateway: the control API of a gateway that belongs to
// a test answers a bad request 400 without failing the test (its handlers
// run on the server's goroutines).
func TestControlOfATestsGateway(t *testing.T) {
	ft := &fatalTB{TB: t}
	gw := backofficetest.New(backofficetest.WithTB(ft))
	ctl, err := gw.ControlHandler(controlToken, backofficetest.ControlOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ctl)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/_fake/next-results", strings.NewReader(`{"paymentType":"CP","code":"800.100.15"}`))
	req.Header.Set("Authorization", "Bearer "+controlToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || ft.msg != "" {
		t.Errorf("HTTP %d, the test failed with %q", resp.StatusCode, ft.msg)
	}
}
