package backoffice

import (
	"time"

	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

// PaymentType is OPP's two-letter transaction type, sent as paymentType.
type PaymentType string

// The payment types the SDK sends or meets in responses.
const (
	PreAuthorization   PaymentType = "PA" // an authorization, created outside this SDK
	Debit              PaymentType = "DB" // a sale, created outside this SDK
	Capture            PaymentType = "CP" // captures a PA
	Reversal           PaymentType = "RV" // voids a PA (or a DB where the acquirer allows it)
	Refund             PaymentType = "RF" // returns captured or debited money
	Chargeback         PaymentType = "CB" // records a chargeback from the bank
	ChargebackReversal PaymentType = "CR" // reverses a chargeback after representment is won
	Rebill             PaymentType = "RB" // charges an extra amount on top of a DB
	Credit             PaymentType = "CD" // a stand-alone credit (payout), with no referenced payment
)

// String returns the two-letter code.
func (t PaymentType) String() string { return string(t) }

// Result is OPP's result object: the outcome of a request is its Code, never
// the HTTP status.
type Result struct {
	Code        string // ddd.ddd.ddd
	Description string // OPP's description of the code, verbatim
}

// Category classifies the code through the resultcodes catalogue. A code that
// no documented group covers is resultcodes.Unknown.
func (r Result) Category() resultcodes.Category { return resultcodes.Classify(r.Code) }

// Card is what OPP echoes of a card: never the full number.
type Card struct {
	Bin         string
	Last4Digits string
	Holder      string
	ExpiryMonth string
	ExpiryYear  string
}

// Payment is a transaction as OPP returned it: the answer of every operation,
// of the query API and of a payment webhook. Every field but Result is
// optional on the wire; a field OPP did not send is left zero.
type Payment struct {
	ID                    string            // OPP's 32-character id of this transaction
	ReferencedID          string            // the payment this one refers to (empty for PA, DB, CD)
	PaymentType           PaymentType       // CP, RV, RF, ...
	PaymentBrand          string            // VISA, MASTER, ...
	Amount                decimal.Decimal   // zero when OPP sent none (a full reversal)
	Currency              string            // ISO 4217, upper case
	Descriptor            string            // the "Usage" text of the back-office dialog
	MerchantTransactionID string            // the idempotency key of the operation
	MerchantMemo          string            // the "Memo" of the back-office dialog, when echoed
	Result                Result            // the outcome
	ResultDetails         map[string]string // acquirer details (ExtendedDescription, ConnectorTxID1, ...)
	CustomParameters      map[string]string // customParameters[NAME] as echoed
	Card                  *Card             // what OPP echoes of the card, if anything
	Timestamp             time.Time         // when OPP processed it (UTC); zero when absent or unparseable
	BuildNumber           string
	NDC                   string
	ShortID               string
}

// Succeeded reports whether the money moved: a success code, with or without
// a request for manual review, or a chargeback-related code on a booked
// chargeback.
func (p *Payment) Succeeded() bool {
	switch p.Result.Category() {
	case resultcodes.Success, resultcodes.SuccessReview, resultcodes.Chargeback:
		return true
	}
	return false
}

// NeedsReview reports whether OPP processed the payment but asks for a manual
// review (000.400.0xx, 000.400.100).
func (p *Payment) NeedsReview() bool { return p.Result.Category() == resultcodes.SuccessReview }

// Pending reports whether the outcome is not final yet (000.200.xxx,
// 800.400.5xx, 100.400.500). A pending Payment is returned with a nil error:
// look it up later with Client.Payment.
func (p *Payment) Pending() bool {
	c := p.Result.Category()
	return c == resultcodes.Pending || c == resultcodes.PendingLong
}

// MerchantFields are the fields every operation carries, as in the dialog of
// OPP's back office (Usage, Transaction ID, Memo) plus custom parameters. All
// are optional.
type MerchantFields struct {
	// Descriptor is the text shown on the shopper's statement ("Usage"); at
	// most 127 characters.
	Descriptor string
	// MerchantTransactionID is the operation's idempotency key ("Transaction
	// ID"). Leave it empty and the SDK generates one; either way every attempt
	// of the call sends the same value, and it is returned on the Payment and
	// on every error. At most 255 characters from [A-Za-z0-9._:/-].
	MerchantTransactionID string
	// MerchantMemo is a note for the back office ("Memo"); at most 255
	// characters.
	MerchantMemo string
	// CustomParameters are sent as customParameters[NAME]=value. Names are
	// 1-64 characters from [A-Za-z0-9_.-].
	CustomParameters map[string]string
	// TestMode routes a test-host request to a simulator: TestModeExternal
	// or TestModeInternal. Leave it empty in production.
	TestMode TestMode
}

// TestMode is OPP's testMode parameter, accepted only on the test host.
type TestMode string

// The testMode values OPP accepts.
const (
	TestModeExternal TestMode = "EXTERNAL" // the connector's or acquirer's simulator
	TestModeInternal TestMode = "INTERNAL" // OPP's own simulator
)

// CaptureRequest captures all or part of a pre-authorization. Several partial
// captures may follow one PA, up to its authorized amount.
type CaptureRequest struct {
	Amount   decimal.Decimal // required, positive, within the currency's minor units
	Currency string          // required, ISO 4217, must match the PA's
	MerchantFields
}

// ReverseRequest voids a pre-authorization (or a debit where the acquirer
// allows it). Leave Amount zero and Currency empty for a full reversal, which
// sends neither; a partial reversal, where the acquirer supports it, sends
// both.
type ReverseRequest struct {
	Amount   decimal.Decimal // zero for a full reversal
	Currency string          // empty for a full reversal
	MerchantFields
}

// RefundRequest returns all or part of what a debit or capture moved. Several
// partial refunds may follow, up to the captured amount.
type RefundRequest struct {
	Amount   decimal.Decimal // required
	Currency string          // required
	MerchantFields
}

// ChargebackRequest records a chargeback the bank reported on a debit or
// capture. OPP documents no request parameter for the bank's reason, and
// rejects unknown parameters, so Reason is sent as
// customParameters[CHARGEBACK_REASON].
type ChargebackRequest struct {
	Amount   decimal.Decimal // required; the full or a partial amount
	Currency string          // required
	Reason   string          // the bank's reason, sent as customParameters[CHARGEBACK_REASON]
	MerchantFields
}

// ChargebackReversalRequest reverses a chargeback after the merchant won the
// representment.
type ChargebackReversalRequest struct {
	Amount   decimal.Decimal // required
	Currency string          // required
	MerchantFields
}

// RebillRequest charges an extra amount on top of a debit.
type RebillRequest struct {
	Amount   decimal.Decimal // required: the extra amount, not the new total
	Currency string          // required
	MerchantFields
}

// CreditRequest is a stand-alone credit (payout): money sent to a card with no
// referenced payment, so it carries the full card, holder and billing data.
// Its %v, %+v and %#v never show the card number or CVV.
type CreditRequest struct {
	Amount       decimal.Decimal // required
	Currency     string          // required
	PaymentBrand string          // required: VISA, MASTER, AMEX, ...
	Card         CardDetails     // required
	Billing      Billing         // sent when set; the acquirer decides what it needs
	MerchantFields
}

// CardDetails is the card a credit is paid to. Its %v, %+v and %#v, and
// those of anything that holds it, mask the number and omit the CVV.
type CardDetails struct {
	Number      string // 12-19 digits, Luhn-valid
	Holder      string // the name on the card, 3-128 characters
	ExpiryMonth string // "01".."12"
	ExpiryYear  string // four digits
	CVV         string // optional, 3-4 digits
}

// Billing is the billing address of a credit.
type Billing struct {
	Street1  string
	Street2  string
	City     string
	State    string
	Postcode string
	Country  string // ISO 3166-1 alpha-2, upper case
}

// Operation is a backoffice operation a merchant can perform on a payment.
type Operation string

// The operations of seed 004's availability table, plus the reversal of a
// debit that the API allows.
const (
	OpCapture            Operation = "capture"
	OpReverse            Operation = "reverse"
	OpRefund             Operation = "refund"
	OpChargeback         Operation = "chargeback"
	OpChargebackReversal Operation = "chargeback reversal"
	OpRebill             Operation = "rebill"
	OpCredit             Operation = "credit"
)

// PaymentType returns the paymentType an operation sends.
func (o Operation) PaymentType() PaymentType {
	switch o {
	case OpCapture:
		return Capture
	case OpReverse:
		return Reversal
	case OpRefund:
		return Refund
	case OpChargeback:
		return Chargeback
	case OpChargebackReversal:
		return ChargebackReversal
	case OpRebill:
		return Rebill
	case OpCredit:
		return Credit
	}
	return ""
}
