package backoffice

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oppkit/backoffice/internal/money"
)

// wireResult is OPP's result object.
type wireResult struct {
	Code            string `json:"code"`
	Description     string `json:"description"`
	ParameterErrors []struct {
		Name    string `json:"name"`
		Value   any    `json:"value"`
		Message string `json:"message"`
	} `json:"parameterErrors"`
}

// wirePayment is a payment object as OPP sends it. Every field but result is
// optional; unknown fields are ignored.
type wirePayment struct {
	ID                    string            `json:"id"`
	ReferencedID          string            `json:"referencedId"`
	PaymentType           string            `json:"paymentType"`
	PaymentBrand          string            `json:"paymentBrand"`
	Amount                string            `json:"amount"`
	Currency              string            `json:"currency"`
	Descriptor            string            `json:"descriptor"`
	MerchantTransactionID string            `json:"merchantTransactionId"`
	MerchantMemo          string            `json:"merchantMemo"`
	Result                wireResult        `json:"result"`
	ResultDetails         map[string]any    `json:"resultDetails"`
	CustomParameters      map[string]string `json:"customParameters"`
	Card                  *struct {
		Bin         string `json:"bin"`
		Last4Digits string `json:"last4Digits"`
		Holder      string `json:"holder"`
		ExpiryMonth string `json:"expiryMonth"`
		ExpiryYear  string `json:"expiryYear"`
	} `json:"card"`
	Timestamp   string `json:"timestamp"`
	BuildNumber string `json:"buildNumber"`
	NDC         string `json:"ndc"`
	ShortID     string `json:"shortId"`
}

// wireQuery is the answer of GET /v1/query?merchantTransactionId=.
type wireQuery struct {
	Result   wireResult        `json:"result"`
	Payments []json.RawMessage `json:"payments"`
}

// errNoResult is a JSON body with no result code: not an OPP answer.
var errNoResult = errors.New("response has no result code")

// UnmarshalJSON decodes a payment object in OPP's wire format: the body of an
// operation's response, an element of a query's payments, or the payload of
// a payment notification. Amounts are parsed from OPP's strings into exact
// decimals; a body without result.code is an error.
func (p *Payment) UnmarshalJSON(data []byte) error {
	var w wirePayment
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	return p.fromWire(&w)
}

func (p *Payment) fromWire(w *wirePayment) error {
	if w.Result.Code == "" {
		return errNoResult
	}
	*p = Payment{
		ID:                    w.ID,
		ReferencedID:          w.ReferencedID,
		PaymentType:           PaymentType(w.PaymentType),
		PaymentBrand:          w.PaymentBrand,
		Currency:              w.Currency,
		Descriptor:            w.Descriptor,
		MerchantTransactionID: w.MerchantTransactionID,
		MerchantMemo:          w.MerchantMemo,
		Result:                Result{Code: w.Result.Code, Description: w.Result.Description},
		CustomParameters:      w.CustomParameters,
		Timestamp:             parseTimestamp(w.Timestamp),
		BuildNumber:           w.BuildNumber,
		NDC:                   w.NDC,
		ShortID:               w.ShortID,
	}
	if w.Amount != "" {
		a, err := money.Parse(w.Amount)
		if err != nil {
			return fmt.Errorf("amount: %w", err)
		}
		p.Amount = a
	}
	if len(w.ResultDetails) > 0 {
		p.ResultDetails = make(map[string]string, len(w.ResultDetails))
		for k, v := range w.ResultDetails {
			if s, ok := v.(string); ok {
				p.ResultDetails[k] = s
			} else {
				p.ResultDetails[k] = fmt.Sprint(v)
			}
		}
	}
	if c := w.Card; c != nil {
		p.Card = &Card{Bin: c.Bin, Last4Digits: c.Last4Digits, Holder: c.Holder, ExpiryMonth: c.ExpiryMonth, ExpiryYear: c.ExpiryYear}
	}
	return nil
}

// timestampLayouts are the forms OPP's timestamp takes ("2017-05-06
// 09:02:49+0000", sometimes with milliseconds).
var timestampLayouts = [...]string{"2006-01-02 15:04:05-0700", "2006-01-02 15:04:05.000-0700", time.RFC3339Nano}

func parseTimestamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// parameterErrors converts OPP's parameterErrors, masking anything that
// looks like a card number or names a card secret.
func parameterErrors(w *wireResult) []ParameterError {
	if len(w.ParameterErrors) == 0 {
		return nil
	}
	out := make([]ParameterError, len(w.ParameterErrors))
	for i, pe := range w.ParameterErrors {
		v := ""
		if pe.Value != nil {
			v = fmt.Sprint(pe.Value)
		}
		if strings.HasPrefix(pe.Name, "card.") && pe.Name != "card.holder" {
			v = maskDigits(v)
		}
		out[i] = ParameterError{Name: pe.Name, Value: v, Message: pe.Message}
	}
	return out
}
