package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// opSpec describes one money movement's subcommand.
type opSpec struct {
	name, args, summary, example string
	op                           backoffice.Operation
	reason                       bool // takes --reason (chargeback)
}

var operations = []opSpec{
	{name: "capture", args: "<pre-authorization id>", op: backoffice.OperationCapture,
		summary: "capture all or part of a pre-authorization (PA)",
		example: "oppbo capture --host test --amount 60.00 --currency EUR --memo 'order 1001 shipped' 8ac7a4a1845f7e1f01846b3e0f3a1b2c"},
	{name: "reverse", args: "<payment id>", op: backoffice.OperationReverse,
		summary: "reverse (void) a pre-authorization; without --amount the whole of it",
		example: "oppbo reverse --host test 8ac7a4a1845f7e1f01846b3e0f3a1b2c"},
	{name: "refund", args: "<debit or capture id>", op: backoffice.OperationRefund,
		summary: "refund all or part of a debit (DB) or capture (CP)",
		example: "oppbo refund --host test --amount 10.00 --currency EUR --transaction-id order-1001-refund-1 8ac7a4a1845f7e1f01846b3e0f3a1b2c\n" +
			"oppbo refund --host test --csv refunds.csv            # bulk: payment_id,amount,currency[,key,usage,memo]"},
	{name: "chargeback", args: "<debit or capture id>", op: backoffice.OperationChargeback, reason: true,
		summary: "record a chargeback the bank reported on a debit or capture",
		example: "oppbo chargeback --host test --amount 80.00 --currency EUR --reason 'fraud (4837)' 8ac7a4a1845f7e1f01846b3e0f3a1b2c"},
	{name: "reverse-chargeback", args: "<chargeback id>", op: backoffice.OperationReverseChargeback,
		summary: "reverse a chargeback after the representment was won",
		example: "oppbo reverse-chargeback --host test --amount 80.00 --currency EUR 8ac7a4a1845f7e1f01846b3e0f3a1b2c"},
	{name: "rebill", args: "<debit id>", op: backoffice.OperationRebill,
		summary: "charge an extra amount on top of a debit",
		example: "oppbo rebill --host test --amount 5.00 --currency EUR --usage 'extra shipping' 8ac7a4a1845f7e1f01846b3e0f3a1b2c"},
	{name: "credit", args: "", op: backoffice.OperationCredit,
		summary: "pay money to a card (stand-alone credit); the card number is read from $OPPBO_CARD_NUMBER or stdin",
		example: "echo 4200000000000000 | oppbo credit --host test --amount 25.00 --currency EUR --brand VISA --holder 'Jane Doe' --expiry 12/2030"},
}

// fields are the back-office dialog's fields, as flags or CSV columns.
type fields struct {
	amount, currency, usage, transactionID, memo, reason string
	brand, holder, expiry                                string // credit
	cardNumber, cvv                                      string // credit: from the environment or stdin, never flags
}

func (f *fields) register(fs interface {
	StringVar(*string, string, string, string)
}, spec opSpec) {
	fs.StringVar(&f.amount, "amount", "", "`amount` in the currency's units, e.g. 10.00 (JPY: 1000; KWD: 1.500)")
	fs.StringVar(&f.currency, "currency", "", "ISO 4217 `currency`, e.g. EUR")
	fs.StringVar(&f.usage, "usage", "", "`text` on the shopper's statement (the dialog's Usage; descriptor)")
	fs.StringVar(&f.transactionID, "transaction-id", "", "the operation's key, merchantTransactionId (the dialog's Transaction ID); generated when empty")
	fs.StringVar(&f.memo, "memo", "", "a `note` for the back office (the dialog's Memo)")
	if spec.reason {
		fs.StringVar(&f.reason, "reason", "", "the bank's `reason` for the chargeback")
	}
	if spec.op == backoffice.OperationCredit {
		fs.StringVar(&f.brand, "brand", "", "card `brand`: VISA, MASTER, AMEX, ...")
		fs.StringVar(&f.holder, "holder", "", "the `name` on the card")
		fs.StringVar(&f.expiry, "expiry", "", "card expiry `MM/YYYY`")
	}
}

var plainAmount = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// parseAmount reads an amount as written, with no exponent and no rounding.
// An empty amount is zero, which the SDK refuses where one is required.
func parseAmount(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, nil
	}
	if !plainAmount.MatchString(s) {
		return decimal.Zero, fmt.Errorf("amount %q: want digits with an optional decimal point, e.g. 10.00", s)
	}
	return decimal.RequireFromString(s), nil
}

// perform sends one operation through the SDK.
func perform(ctx context.Context, c *backoffice.Client, op backoffice.Operation, ref string, f fields) (*backoffice.Payment, error) {
	amount, err := parseAmount(f.amount)
	if err != nil {
		return nil, &backoffice.ValidationError{Operation: op, Field: "Amount", Reason: "must be digits with an optional decimal point, e.g. 10.00 (no sign, no exponent)", MerchantTransactionID: f.transactionID}
	}
	cur := strings.ToUpper(f.currency)
	switch op {
	case backoffice.OperationCapture:
		return c.Capture(ctx, ref, backoffice.CaptureRequest{Amount: amount, Currency: cur, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationReverse:
		return c.Reverse(ctx, ref, backoffice.ReverseRequest{Amount: amount, Currency: cur, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationRefund:
		return c.Refund(ctx, ref, backoffice.RefundRequest{Amount: amount, Currency: cur, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationChargeback:
		return c.Chargeback(ctx, ref, backoffice.ChargebackRequest{Amount: amount, Currency: cur, Reason: f.reason, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationReverseChargeback:
		return c.ReverseChargeback(ctx, ref, backoffice.ReverseChargebackRequest{Amount: amount, Currency: cur, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationRebill:
		return c.Rebill(ctx, ref, backoffice.RebillRequest{Amount: amount, Currency: cur, Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	case backoffice.OperationCredit:
		month, year, _ := strings.Cut(f.expiry, "/")
		return c.Credit(ctx, backoffice.CreditRequest{Amount: amount, Currency: cur, PaymentBrand: strings.ToUpper(f.brand),
			Card:       backoffice.CardDetails{Number: f.cardNumber, Holder: f.holder, ExpiryMonth: month, ExpiryYear: year, CVV: f.cvv},
			Descriptor: f.usage, MerchantTransactionID: f.transactionID, MerchantMemo: f.memo})
	}
	return nil, fmt.Errorf("unknown operation %q", op)
}

func specFor(name string) opSpec {
	for _, s := range operations {
		if s.name == name {
			return s
		}
	}
	panic("oppbo: no operation " + name)
}

// runOperation runs a money movement's subcommand: one operation, or a bulk
// run with --csv.
func runOperation(a *app, ctx context.Context, name string, args []string) int {
	spec := specFor(name)
	fs := a.newFlagSet(name, args)
	var cf common
	var f fields
	var b bulkFlags
	cf.register(fs)
	f.register(fs, spec)
	b.register(fs)
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if b.csv != "" {
		if len(pos) != 0 || f != (fields{}) {
			fmt.Fprintf(a.stderr, "oppbo %s --csv: the file holds the rows; give no payment id and no field flags\n", name)
			return exitUsage
		}
		return a.runBulk(ctx, spec, &cf, &b)
	}
	if b.set() {
		fmt.Fprintf(a.stderr, "oppbo %s: --result, --journal, --concurrency, --batch and --dry-run go with --csv\n", name)
		return exitUsage
	}
	want := 1
	if spec.op == backoffice.OperationCredit {
		want = 0
	}
	if len(pos) != want {
		fmt.Fprintf(a.stderr, "oppbo %s: want %s, got %d arguments (see oppbo %s --help)\n", name, plural(want, spec.args), len(pos), name)
		return exitUsage
	}
	ref := ""
	if want == 1 {
		ref = pos[0]
	}
	if spec.op == backoffice.OperationCredit {
		f.cardNumber, f.cvv = a.env["OPPBO_CARD_NUMBER"], a.env["OPPBO_CARD_CVV"]
		if f.cardNumber == "" {
			fmt.Fprint(a.stderr, "Card number: ")
			line, _ := a.in.ReadString('\n')
			f.cardNumber = strings.TrimSpace(line)
		}
	}
	c, s, err := a.client(&cf)
	if err != nil {
		return a.fail(err)
	}
	if !a.confirm(s, &cf, describe(spec, ref, f)) {
		return exitUsage
	}
	cctx, cancel := callContext(ctx, &cf)
	defer cancel()
	p, err := perform(cctx, c, spec.op, ref, f)
	if err != nil {
		return printError(a.stdout, a.stderr, err, cf.json)
	}
	return a.printed(printPayment(a.stdout, p, cf.json))
}

func plural(n int, args string) string {
	if n == 0 {
		return "no arguments"
	}
	return "one argument " + args
}

// describe says what an operation is about to do, for the live confirmation.
func describe(spec opSpec, ref string, f fields) string {
	s := spec.name
	if f.amount != "" {
		s += " " + f.amount + " " + strings.ToUpper(f.currency)
	}
	if ref != "" {
		s += " on payment " + ref
	}
	return s
}
