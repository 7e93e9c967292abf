package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
)

// row is one operation of a bulk file.
type row struct {
	line     int // the file's line number, for messages
	ref      string
	f        fields
	key      string // merchantTransactionId: the key column, or derived
	last4    string // credit: what the result CSV may show of the card
	explicit bool   // the key came from the file
}

// The columns a bulk file may have. The header row names them, in any
// order; payment_id is required except for credits.
var (
	baseColumns   = []string{"payment_id", "amount", "currency", "key", "usage", "memo"}
	reasonColumns = []string{"reason"}
	creditColumns = []string{"brand", "card_number", "holder", "expiry"}
)

func columnsFor(spec opSpec) []string {
	cols := append([]string{}, baseColumns...)
	if spec.reason {
		cols = append(cols, reasonColumns...)
	}
	if spec.op == backoffice.OperationCredit {
		cols = append(cols[1:], creditColumns...) // a credit references no payment
	}
	return cols
}

// problem is a bad row, or a bad file.
type problem struct {
	line int
	msg  string
}

// readRows reads a bulk file. It reports every problem it can find without
// sending anything: the file's shape, each row's fields.
func readRows(path string, spec opSpec, batch string) ([]row, []problem, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, configErrorf("%v", err)
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []problem{{1, "the file is empty: want a header row such as " + strings.Join(columnsFor(spec)[:3], ",")}}, nil
		}
		return nil, []problem{{1, err.Error()}}, nil
	}
	allowed := columnsFor(spec)
	col := map[string]int{}
	var probs []problem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(allowed, h) {
			probs = append(probs, problem{1, fmt.Sprintf("unknown column %q (a %s file may have %s)", h, spec.name, strings.Join(allowed, ", "))})
			continue
		}
		if _, dup := col[h]; dup {
			probs = append(probs, problem{1, fmt.Sprintf("column %q appears twice", h)})
		}
		col[h] = i
	}
	required := []string{"payment_id"}
	if spec.op == backoffice.OperationCredit {
		required = []string{"amount", "currency", "brand", "card_number", "holder", "expiry"}
	} else if spec.op != backoffice.OperationReverse {
		required = append(required, "amount", "currency")
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			probs = append(probs, problem{1, fmt.Sprintf("missing column %q", c)})
		}
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	var rows []row
	occurrences := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, append(probs, problem{0, err.Error()}), nil
			}
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				probs = append(probs, problem{pe.StartLine, fmt.Sprintf("has %d fields, the header %d", len(rec), len(header))})
				continue
			}
			// A quoting error: the rest of the file cannot be trusted.
			return nil, append(probs, problem{pe.Line, pe.Err.Error()}), nil
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rw := row{line: line, ref: get("payment_id"), f: fields{
			amount: get("amount"), currency: strings.ToUpper(get("currency")), usage: get("usage"), memo: get("memo"), reason: get("reason"),
			brand: get("brand"), cardNumber: get("card_number"), holder: get("holder"), expiry: get("expiry"),
		}}
		if n := len(rw.f.cardNumber); n >= 4 {
			rw.last4 = rw.f.cardNumber[n-4:]
		}
		if k := get("key"); k != "" {
			rw.key, rw.explicit = k, true
		} else {
			base := identity(spec, rw)
			occurrences[base]++
			rw.key = deriveKey(batch, base, occurrences[base])
		}
		rw.f.transactionID = rw.key
		if spec.op != backoffice.OperationCredit && rw.ref == "" {
			probs = append(probs, problem{line, "payment_id is empty"})
		}
		if _, err := parseAmount(rw.f.amount); err != nil {
			probs = append(probs, problem{line, err.Error()})
		}
		rows = append(rows, rw)
	}
	if len(rows) == 0 && len(probs) == 0 {
		probs = append(probs, problem{1, "the file has a header and no rows"})
	}
	seen := map[string]int{}
	for _, rw := range rows {
		if first, dup := seen[rw.key]; dup {
			probs = append(probs, problem{rw.line, fmt.Sprintf("key %s is also the key of line %d: one key, one operation", rw.key, first)})
			continue
		}
		seen[rw.key] = rw.line
	}
	return rows, probs, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// identity is what makes two rows the same operation: the operation, the
// payment, the money, and for a credit the card's brand, holder, expiry and
// last four digits. Usage and memo are not part of it, so that fixing a
// typo in a memo does not make a row a new operation. The full card number
// is not part of it either: a hash of it could be reversed.
func identity(spec opSpec, rw row) string {
	amount := rw.f.amount
	if d, err := parseAmount(amount); err == nil && amount != "" {
		amount = d.String() // 10.0 and 10.00 are the same money
	}
	parts := []string{string(spec.op), rw.ref, amount, rw.f.currency}
	if spec.op == backoffice.OperationCredit {
		parts = append(parts, strings.ToUpper(rw.f.brand), rw.f.holder, rw.f.expiry, rw.last4)
	}
	return strings.Join(parts, "\x00")
}

// deriveKey makes a row's merchantTransactionId from the batch (the file's
// name unless --batch), the row's identity and how many identical rows come
// before it in the file: the same file gives the same keys in every run,
// and a row added, removed or reordered elsewhere in it does not change
// them. It is 16 letters and digits, within every white label's limits.
func deriveKey(batch, identity string, occurrence int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte(fmt.Sprintf("oppbo\x00%s\x00%s\x00%d", batch, identity, occurrence)))
	var b [16]byte
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b[:])
}

// defaultBatch is a file's batch name: its base name without extension.
func defaultBatch(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// errRefused is what the validating transport answers: nothing is ever sent.
var errRefused = errors.New("oppbo: validation only, nothing is sent")

// refuser is an http.RoundTripper that refuses every request before a byte
// is written, so that a call through it runs the SDK's own checks and sends
// nothing.
type refuser struct{}

// RoundTrip refuses req.
func (refuser) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errRefused}
}

// validateRows runs every row through the SDK's own validation (money rules
// of the currency, formats and lengths) with a client that cannot send.
// Rows that already have a problem are skipped.
func validateRows(spec opSpec, rows []row, known []problem) ([]problem, error) {
	bad := make(map[int]bool, len(known))
	for _, p := range known {
		bad[p.line] = true
	}
	c, err := backoffice.New(backofficetest.DefaultToken, backofficetest.DefaultEntityID,
		backoffice.WithHTTPClient(&http.Client{Transport: refuser{}}),
		backoffice.WithRetry(backoffice.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		return nil, err
	}
	var probs []problem
	for _, rw := range rows {
		if bad[rw.line] {
			continue
		}
		_, err := perform(context.Background(), c, spec.op, rw.ref, rw.f)
		var ve *backoffice.ValidationError
		switch {
		case errors.Is(err, errRefused):
		case errors.As(err, &ve):
			probs = append(probs, problem{rw.line, columnOf(ve.Field) + ": " + ve.Reason})
		default:
			return nil, fmt.Errorf("line %d: validation: %v", rw.line, err)
		}
	}
	return probs, nil
}

// columnOf names the CSV column of an SDK request field.
func columnOf(field string) string {
	switch field {
	case "Amount", "Currency", "Reason", "Holder":
		return strings.ToLower(field)
	case "Descriptor":
		return "usage"
	case "MerchantMemo":
		return "memo"
	case "MerchantTransactionID":
		return "key"
	case "PaymentBrand":
		return "brand"
	case "Card.Number":
		return "card_number"
	case "Card.Holder":
		return "holder"
	case "Card.ExpiryMonth", "Card.ExpiryYear":
		return "expiry"
	}
	if strings.Contains(strings.ToLower(field), "id") {
		return "payment_id"
	}
	return field
}
