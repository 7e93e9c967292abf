package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// detailsJSON is a payment with its linked transactions, what they leave of
// it and the operations it still takes, as 'get --json' prints it: the
// payment's own fields (as paymentJSON), then linked, remaining and
// allowedOperations.
type detailsJSON struct {
	paymentJSON
	Linked            []paymentJSON `json:"linked"`
	Remaining         remainingJSON `json:"remaining"`
	AllowedOperations []string      `json:"allowedOperations"`
}

// remainingJSON is backoffice.Remaining, amounts as strings in the
// payment's currency.
type remainingJSON struct {
	Capture    string `json:"capture"`
	Refund     string `json:"refund"`
	Reverse    string `json:"reverse"`
	Chargeback string `json:"chargeback"`
}

func detailsToJSON(d *backoffice.PaymentDetails) detailsJSON {
	j := detailsJSON{paymentJSON: toJSON(d.Payment), Linked: make([]paymentJSON, len(d.Linked)), AllowedOperations: allowedCommands(d)}
	for i, l := range d.Linked {
		j.Linked[i] = toJSON(l)
	}
	left := func(x decimal.Decimal) string { return leftText(x, d.Payment.Amount) }
	r := d.Remaining
	j.Remaining = remainingJSON{Capture: left(r.Capture), Refund: left(r.Refund), Reverse: left(r.Reverse), Chargeback: left(r.Chargeback)}
	return j
}

// leftText prints a remaining amount with as many decimals as the
// payment's amount has ("0.00" of a 100.00 EUR payment, not "0").
func leftText(x, amount decimal.Decimal) string {
	if e := amount.Exponent(); e < 0 {
		return x.StringFixed(-e)
	}
	return x.String()
}

// allowedCommands names the operations the payment still takes
// (PaymentDetails.AllowedOperations) as the oppbo commands that perform
// them: "reverse-chargeback", not "reverse_chargeback".
func allowedCommands(d *backoffice.PaymentDetails) []string {
	ops := d.AllowedOperations()
	out := make([]string, len(ops))
	for i, op := range ops {
		out[i] = strings.ReplaceAll(string(op), "_", "-")
	}
	return out
}

// transactionHeader heads a table of transactions, one per row, as 'get'
// (its timeline) and 'search' print them; transactionRow prints a row.
const transactionHeader = "TIMESTAMP\tID\tTYPE\tREFERENCED ID\tAMOUNT\tSTATUS\tRESULT\tTRANSACTION ID"

func transactionRow(w io.Writer, j paymentJSON) {
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dash(j.Timestamp), j.ID, j.PaymentType, dash(j.ReferencedID),
		dash(strings.TrimSpace(j.Amount+" "+j.Currency)), j.Status, j.ResultCode, dash(j.MerchantTransactionID))
}

// printDetails prints a payment with its linked transactions: the payment
// as printPayment does, a timeline of the linked transactions (oldest
// first), what is left and the operations still allowed; or all of it as
// one JSON object.
func printDetails(w io.Writer, d *backoffice.PaymentDetails, asJSON bool) error {
	j := detailsToJSON(d)
	if asJSON {
		return writeJSON(w, j)
	}
	if err := printPayment(w, d.Payment, false); err != nil {
		return err
	}
	if len(d.Linked) == 0 {
		fmt.Fprint(w, "\nLinked transactions: none\n")
	} else {
		fmt.Fprint(w, "\nLinked transactions, oldest first:\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, transactionHeader)
		for _, l := range j.Linked {
			transactionRow(tw, l)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	money := func(x string) string { return strings.TrimSpace(x + " " + d.Payment.Currency) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "Left to capture\t%s\n", money(j.Remaining.Capture))
	fmt.Fprintf(tw, "Left to refund\t%s\n", money(j.Remaining.Refund))
	fmt.Fprintf(tw, "Left to reverse\t%s\n", money(j.Remaining.Reverse))
	fmt.Fprintf(tw, "Left to charge back\t%s\n", money(j.Remaining.Chargeback))
	allowed := "none"
	if len(j.AllowedOperations) > 0 {
		allowed = strings.Join(j.AllowedOperations, ", ")
	}
	fmt.Fprintf(tw, "Allowed operations\t%s\n", allowed)
	return tw.Flush()
}
