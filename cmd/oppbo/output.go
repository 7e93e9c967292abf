package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// paymentJSON is a payment as --json prints it. Amounts are strings with
// the digits OPP sent, never floats.
type paymentJSON struct {
	ID                    string            `json:"id"`
	ReferencedID          string            `json:"referencedId,omitempty"`
	PaymentType           string            `json:"paymentType"`
	Status                string            `json:"status"`
	Amount                string            `json:"amount,omitempty"`
	Currency              string            `json:"currency,omitempty"`
	Descriptor            string            `json:"descriptor,omitempty"`
	MerchantTransactionID string            `json:"merchantTransactionId,omitempty"`
	MerchantMemo          string            `json:"merchantMemo,omitempty"`
	ResultCode            string            `json:"resultCode"`
	ResultDescription     string            `json:"resultDescription"`
	PaymentBrand          string            `json:"paymentBrand,omitempty"`
	Timestamp             string            `json:"timestamp,omitempty"`
	ShortID               string            `json:"shortId,omitempty"`
	NDC                   string            `json:"ndc,omitempty"`
	CustomParameters      map[string]string `json:"customParameters,omitempty"`
	ResultDetails         map[string]string `json:"resultDetails,omitempty"`
}

// errorJSON is an error as --json prints it.
type errorJSON struct {
	Error struct {
		Category              outcome  `json:"category"`
		ExitCode              int      `json:"exitCode"`
		Message               string   `json:"message"`
		Code                  string   `json:"resultCode,omitempty"`
		Description           string   `json:"resultDescription,omitempty"`
		PaymentID             string   `json:"paymentId,omitempty"`
		MerchantTransactionID string   `json:"merchantTransactionId,omitempty"`
		Field                 string   `json:"field,omitempty"`
		Flag                  string   `json:"flag,omitempty"` // the command's flag that set Field
		Parameters            []string `json:"parameterErrors,omitempty"`
	} `json:"error"`
}

// status names where a payment stands.
func status(p *backoffice.Payment) string {
	switch {
	case p.Pending():
		return "pending"
	case p.NeedsReview():
		return "succeeded, needs review"
	case p.Succeeded():
		return "succeeded"
	}
	return "rejected"
}

// amountText prints an amount with the digits it was given ("10.00", not
// "10").
func amountText(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

var typeNames = map[backoffice.PaymentType]string{
	backoffice.PaymentTypePreAuthorization:   "pre-authorization",
	backoffice.PaymentTypeDebit:              "debit",
	backoffice.PaymentTypeCapture:            "capture",
	backoffice.PaymentTypeReversal:           "reversal",
	backoffice.PaymentTypeRefund:             "refund",
	backoffice.PaymentTypeChargeback:         "chargeback",
	backoffice.PaymentTypeChargebackReversal: "chargeback reversal",
	backoffice.PaymentTypeRebill:             "rebill",
	backoffice.PaymentTypeCredit:             "credit",
}

func typeText(t backoffice.PaymentType) string {
	if n, ok := typeNames[t]; ok {
		return string(t) + " (" + n + ")"
	}
	return string(t)
}

func toJSON(p *backoffice.Payment) paymentJSON {
	j := paymentJSON{
		ID: p.ID, ReferencedID: p.ReferencedID, PaymentType: string(p.PaymentType), Status: status(p),
		Currency: p.Currency, Descriptor: p.Descriptor, MerchantTransactionID: p.MerchantTransactionID,
		MerchantMemo: p.MerchantMemo, ResultCode: p.Result.Code, ResultDescription: p.Result.Description,
		PaymentBrand: p.PaymentBrand, ShortID: p.ShortID, NDC: p.NDC,
		CustomParameters: p.CustomParameters, ResultDetails: p.ResultDetails,
	}
	if !p.Amount.IsZero() {
		j.Amount = amountText(p.Amount)
	}
	if !p.Timestamp.IsZero() {
		j.Timestamp = p.Timestamp.UTC().Format(time.RFC3339)
	}
	return j
}

// printPayment prints one payment: a two-column table, or a JSON object.
func printPayment(w io.Writer, p *backoffice.Payment, asJSON bool) error {
	if asJSON {
		return writeJSON(w, toJSON(p))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	j := toJSON(p)
	row("ID", p.ID)
	row("Type", typeText(p.PaymentType))
	row("Status", j.Status)
	if j.Amount != "" {
		row("Amount", j.Amount+" "+p.Currency)
	}
	row("Referenced ID", p.ReferencedID)
	row("Result", strings.TrimSpace(p.Result.Code+" "+p.Result.Description))
	row("Transaction ID", p.MerchantTransactionID)
	row("Usage", p.Descriptor)
	row("Memo", p.MerchantMemo)
	row("Brand", p.PaymentBrand)
	row("Timestamp", j.Timestamp)
	row("Short ID", p.ShortID)
	for _, k := range sortedKeys(p.CustomParameters) {
		row("customParameters["+k+"]", p.CustomParameters[k])
	}
	return tw.Flush()
}

// printPayments prints a list: a table with one row per payment, or a JSON
// array.
func printPayments(w io.Writer, ps []*backoffice.Payment, asJSON bool) error {
	if asJSON {
		out := make([]paymentJSON, len(ps))
		for i, p := range ps {
			out[i] = toJSON(p)
		}
		return writeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tREFERENCED ID\tAMOUNT\tSTATUS\tRESULT\tTIMESTAMP")
	for _, p := range ps {
		j := toJSON(p)
		amt := strings.TrimSpace(j.Amount + " " + p.Currency)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.PaymentType, dash(p.ReferencedID), dash(amt), j.Status, p.Result.Code, dash(j.Timestamp))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printError reports a failed call: on stderr as text, or on stdout as a
// JSON object with --json. It returns the exit code.
func printError(stdout, stderr io.Writer, err error, asJSON bool) int {
	j, code := errorObject(err)
	if asJSON {
		writeJSON(stdout, j)
		return code
	}
	fmt.Fprintf(stderr, "oppbo: %s\n", err)
	var u *backoffice.OutcomeUnknownError
	if errors.As(err, &u) {
		fmt.Fprintf(stderr, "oppbo: the money may have moved. Do not send it again with a new id; look it up first:\n  oppbo find %s\n", u.MerchantTransactionID)
	}
	return code
}

// errorObject is err as --json prints it, and its exit code.
func errorObject(err error) (errorJSON, int) {
	o, code := classify(err)
	var j errorJSON
	j.Error.Category, j.Error.ExitCode, j.Error.Message = o, code, err.Error()
	var e *backoffice.Error
	var v *backoffice.ValidationError
	var u *backoffice.OutcomeUnknownError
	var n *backoffice.NetworkError
	switch {
	case errors.As(err, &e):
		j.Error.Code, j.Error.Description, j.Error.PaymentID, j.Error.MerchantTransactionID = e.Code, e.Description, e.PaymentID, e.MerchantTransactionID
		for _, p := range e.ParameterErrors {
			j.Error.Parameters = append(j.Error.Parameters, p.Name+": "+p.Message)
		}
	case errors.As(err, &v):
		j.Error.Field, j.Error.MerchantTransactionID = v.Field, v.MerchantTransactionID
	case errors.As(err, &u):
		j.Error.PaymentID, j.Error.MerchantTransactionID = u.PaymentID, u.MerchantTransactionID
	case errors.As(err, &n):
		j.Error.MerchantTransactionID = n.MerchantTransactionID
	}
	return j, code
}
