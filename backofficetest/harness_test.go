package backofficetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// testURL is where the tests send raw requests (any host but the live one).
const testURL = "https://eu-test.oppwa.com"

// answer is a decoded response.
type answer struct {
	status int
	header http.Header
	raw    string
	body   wireBody
}

// wireBody mirrors OPP's JSON.
type wireBody struct {
	ID                    string            `json:"id"`
	ReferencedID          string            `json:"referencedId"`
	PaymentType           string            `json:"paymentType"`
	PaymentBrand          string            `json:"paymentBrand"`
	Amount                string            `json:"amount"`
	Currency              string            `json:"currency"`
	Descriptor            string            `json:"descriptor"`
	MerchantTransactionID string            `json:"merchantTransactionId"`
	MerchantMemo          string            `json:"merchantMemo"`
	CustomParameters      map[string]string `json:"customParameters"`
	Result                struct {
		Code            string `json:"code"`
		Description     string `json:"description"`
		ParameterErrors []struct {
			Name    string `json:"name"`
			Value   string `json:"value"`
			Message string `json:"message"`
		} `json:"parameterErrors"`
	} `json:"result"`
	ResultDetails map[string]string `json:"resultDetails"`
	Card          *struct {
		Bin         string `json:"bin"`
		Last4Digits string `json:"last4Digits"`
		Holder      string `json:"holder"`
		ExpiryMonth string `json:"expiryMonth"`
		ExpiryYear  string `json:"expiryYear"`
	} `json:"card"`
	Payments    []json.RawMessage `json:"payments"`
	ShortID     string            `json:"shortId"`
	BuildNumber string            `json:"buildNumber"`
	Timestamp   string            `json:"timestamp"`
	NDC         string            `json:"ndc"`
}

// form builds url.Values from name, value pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// send performs one request through rt with token (none when empty) and
// decodes the answer; a transport error fails the test.
func send(t testing.TB, rt http.RoundTripper, method, path string, v url.Values, token string) answer {
	t.Helper()
	a, err := trySend(context.Background(), rt, method, path, v, token)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

// trySend performs one request, returning the transport error.
func trySend(ctx context.Context, rt http.RoundTripper, method, path string, v url.Values, token string) (answer, error) {
	target := testURL + path
	var body io.Reader
	if method == http.MethodGet {
		if len(v) > 0 {
			target += "?" + v.Encode()
		}
	} else {
		body = strings.NewReader(v.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return answer{}, err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(data)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &a.body); err != nil {
			return answer{}, err
		}
	}
	return a, nil
}

// operation sends paymentType pt on payment id for DefaultEntityID with
// DefaultToken. An empty amount sends neither amount nor currency.
func operation(t testing.TB, rt http.RoundTripper, id, pt, amount, currency string, extra ...string) answer {
	t.Helper()
	v := form("entityId", DefaultEntityID, "paymentType", pt)
	if amount != "" {
		v.Set("amount", amount)
		v.Set("currency", currency)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return send(t, rt, http.MethodPost, "/v1/payments/"+id, v, DefaultToken)
}

// cardForm is a valid stand-alone credit (or PA/DB with paymentType changed).
func cardForm(pt string) url.Values {
	return form("entityId", DefaultEntityID, "paymentType", pt, "amount", "25.00", "currency", "EUR",
		"paymentBrand", "VISA", "card.number", "4200000000000000", "card.holder", "Jane Jones",
		"card.expiryMonth", "05", "card.expiryYear", "2034", "card.cvv", "123",
		"billing.street1", "1 Main Street", "billing.city", "Vienna", "billing.postcode", "1010", "billing.country", "AT")
}

// expect checks an answer's HTTP status and result code, and that the
// description is the one the fake's table holds.
func expect(t testing.TB, what string, a answer, status int, code string) {
	t.Helper()
	if a.status != status || a.body.Result.Code != code {
		t.Fatalf("%s: got HTTP %d %s %q, want HTTP %d %s\nbody: %s", what, a.status, a.body.Result.Code,
			a.body.Result.Description, status, code, a.raw)
	}
	if want := description(code); a.body.Result.Description != want {
		t.Fatalf("%s: description %q, want %q", what, a.body.Result.Description, want)
	}
}

// dec is the package's one spelling of a decimal literal in tests.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// seed seeds a payment or fails the test.
func seed(t testing.TB, g *Gateway, p SeedPayment) string {
	t.Helper()
	id, err := g.Seed(p)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// balanceOf returns the balance of payment id.
func balanceOf(t testing.TB, g *Gateway, id string) Balance {
	t.Helper()
	p, ok := g.Payment(id)
	if !ok {
		t.Fatalf("payment %s not found", id)
	}
	return p.Balance
}

// sameBalance compares balances with decimal equality.
func sameBalance(a, b Balance) bool {
	return a.Authorized.Equal(b.Authorized) && a.Captured.Equal(b.Captured) && a.Refunded.Equal(b.Refunded) &&
		a.ChargedBack.Equal(b.ChargedBack) && a.Reversed.Equal(b.Reversed) && a.Rebilled.Equal(b.Rebilled)
}

// showBalance prints a balance for a failure message.
func showBalance(b Balance) string {
	return "{Authorized:" + b.Authorized.String() + " Captured:" + b.Captured.String() + " Refunded:" + b.Refunded.String() +
		" ChargedBack:" + b.ChargedBack.String() + " Reversed:" + b.Reversed.String() + " Rebilled:" + b.Rebilled.String() + "}"
}
