package backoffice

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/internal/opp"
)

// wirePayment and wireResult are OPP's payment and result objects, as
// package webhook decodes them too.
type (
	wirePayment = opp.WirePayment
	wireResult  = opp.WireResult
)

// answer is an OPP answer as the SDK reads it, whatever the HTTP status it
// came with: decide by the body.
type answer struct {
	ok       bool       // JSON with a result code whose payments all decoded: an OPP answer
	result   wireResult // the answer's result, with its parameter errors
	payment  *Payment   // the answer as a payment object
	payments []*Payment // a lookup's list, oldest first
	records  int        // a report's matches over all pages; -1 when absent
}

// record reports whether the answer is a payment record: OPP gave it an id
// and a payment type. A rejection of a request OPP could not read carries
// neither.
func (a *answer) record() bool {
	return a.ok && a.payment.ID != "" && a.payment.PaymentType != ""
}

// decode reads a response body: the one decoder of every OPP answer. A body
// that is not JSON, has no result code, or holds a payment that does not
// decode (an amount that is not a number) is not an OPP answer (ok false).
//
// An operation's answer takes opp.DecodeFast's path; anything that path
// does not take (a lookup's list, parameter errors, escapes) goes to
// encoding/json, whose result the fast path is pinned to.
func decode(body []byte) answer {
	var w opp.WireAnswer
	if !opp.DecodeFast(body, &w) && json.Unmarshal(body, &w) != nil {
		return answer{}
	}
	if w.Result.Code == "" {
		return answer{}
	}
	a := answer{ok: true, result: w.Result, payment: new(Payment), records: -1}
	if w.Records != nil {
		a.records = *w.Records
	}
	if a.payment.fromWire(&w.WirePayment) != nil {
		return answer{}
	}
	if len(w.Payments) > 0 {
		a.payments = make([]*Payment, len(w.Payments))
		for i := range w.Payments {
			a.payments[i] = new(Payment)
			if a.payments[i].fromWire(&w.Payments[i]) != nil {
				return answer{}
			}
		}
	}
	return a
}

// rejection classifies the answer's result code for an operation op on ref
// with key mtid: nil for a success, review, pending or chargeback code,
// else the *Error a caller gets.
func (a *answer) rejection(op Operation, ref, mtid string, status int) *Error {
	e := paymentError(op, ref, mtid, a.payment, &a.result)
	if e != nil {
		e.HTTPStatus = status
	}
	return e
}

// paymentError classifies p's result code: nil for a success, review,
// pending or chargeback code, else the *Error a caller gets.
func paymentError(op Operation, ref, mtid string, p *Payment, wr *wireResult) *Error {
	cat := p.Result.Category()
	kind := kindFor(p.Result.Code, cat)
	if kind == nil {
		return nil
	}
	e := &Error{Operation: op, Kind: kind, Code: p.Result.Code, Description: p.Result.Description,
		Category: cat, PaymentID: p.ID, ReferencedID: ref, MerchantTransactionID: mtid, NDC: p.NDC, ShortID: p.ShortID}
	if wr != nil {
		e.ParameterErrors = parameterErrors(wr)
	}
	return e
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
		Timestamp:             opp.ParseTimestamp(w.Timestamp),
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
	p.ResultDetails = w.Details()
	if c := w.Card; c != nil {
		p.Card = &Card{Bin: c.Bin, Last4Digits: c.Last4Digits, Holder: c.Holder, ExpiryMonth: c.ExpiryMonth, ExpiryYear: c.ExpiryYear}
	}
	return nil
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
