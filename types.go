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
	PaymentTypePreAuthorization   PaymentType = "PA" // an authorization, created outside this SDK
	PaymentTypeDebit              PaymentType = "DB" // a sale, created outside this SDK
	PaymentTypeCapture            PaymentType = "CP" // captures a PA
	PaymentTypeReversal           PaymentType = "RV" // voids a PA (or a DB, CP or RB where the acquirer allows it)
	PaymentTypeRefund             PaymentType = "RF" // returns captured, debited, rebilled or credited money
	PaymentTypeChargeback         PaymentType = "CB" // records a chargeback from the bank
	PaymentTypeChargebackReversal PaymentType = "CR" // reverses a chargeback; on a CR, a representment or its reversal
	PaymentTypeRebill             PaymentType = "RB" // charges an extra amount on top of a DB
	PaymentTypeCredit             PaymentType = "CD" // a stand-alone credit (payout), with no referenced payment
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
	MerchantTransactionID string            // the operation's key (see "Keys across calls" in the package doc)
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
//
// A payment that succeeded is exactly one that AllowedOperations may offer
// operations on.
func (p *Payment) Succeeded() bool { return moneyMoved(p.Result.Category()) }

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

// Uncertain reports whether OPP recorded the payment with an uncertain
// result (900.xxx, e.g. 900.100.300 "timeout, uncertain result"): the
// acquirer may or may not have moved the money, and OPP has not said which
// yet. Treat it as an unknown outcome: wait for it (Client.AwaitOutcome) or
// ask OPP's support; never as a decline.
func (p *Payment) Uncertain() bool { return p.Result.Category() == resultcodes.RejectedCommunication }

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

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// ReverseRequest voids a pre-authorization, a capture, a debit or a rebill
// (where the acquirer allows it). Leave Amount zero and Currency empty for a
// full reversal, which sends neither; a partial reversal, where the
// acquirer supports it, sends both.
type ReverseRequest struct {
	Amount   decimal.Decimal // zero for a full reversal
	Currency string          // empty for a full reversal

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// RefundRequest returns all or part of what a debit or capture moved. Several
// partial refunds may follow, up to the captured amount.
type RefundRequest struct {
	Amount   decimal.Decimal // required
	Currency string          // required

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// ChargebackRequest records a chargeback the bank reported on a debit,
// capture or rebill. Reason is optional: OPP defines no request parameter for
// a chargeback's reason and never requires one, so, by this SDK's
// convention, a Reason that is set is sent as
// customParameters[CHARGEBACK_REASON], and an empty one is not sent.
type ChargebackRequest struct {
	Amount   decimal.Decimal // required; the full or a partial amount
	Currency string          // required
	Reason   string          // optional: the bank's reason, sent as customParameters[CHARGEBACK_REASON] when set

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// ReverseChargebackRequest reverses a chargeback after the merchant won the
// representment.
type ReverseChargebackRequest struct {
	Amount   decimal.Decimal // required
	Currency string          // required

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// RebillRequest charges an extra amount on top of a debit.
type RebillRequest struct {
	Amount   decimal.Decimal // required: the extra amount, not the new total
	Currency string          // required

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// CreditRequest is a stand-alone credit (payout): money sent to a card with no
// referenced payment, so it carries the full card, holder and billing data.
// Its fmt verbs, its log/slog value (text and JSON handlers) and its JSON
// encoding never show the card number or CVV.
type CreditRequest struct {
	Amount       decimal.Decimal // required
	Currency     string          // required
	PaymentBrand string          // required: VISA, MASTER, AMEX, ...
	Card         CardDetails     // required
	Billing      Billing         // sent when set; the acquirer decides what it needs

	// The fields of the back-office dialog, all optional (see
	// "Merchant fields" in the package doc): Descriptor is the statement
	// text ("Usage"), MerchantTransactionID the operation's key
	// ("Transaction ID"; generated when empty), MerchantMemo a note for the
	// back office ("Memo").
	Descriptor            string
	MerchantTransactionID string
	MerchantMemo          string
	CustomParameters      map[string]string // sent as customParameters[NAME]=value
	TestMode              TestMode          // test host only; empty in production
}

// CardDetails is the card a credit is paid to. Its fmt verbs, its log/slog
// value and its JSON encoding, and those of anything that holds it, mask
// the number and star the CVV.
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

// Operation names what a call does: one of the seven money movements, or a
// lookup. It is what an error is about (Error.Operation, ...), and its
// values are lower-case snake_case words, safe as log keys and metric
// labels.
type Operation string

// The money movements: the operations of OPP's back-office availability
// table, those OPP's API allows beyond it (see AllowedOperations), and the
// stand-alone credit.
const (
	OperationCapture           Operation = "capture"
	OperationReverse           Operation = "reverse"
	OperationRefund            Operation = "refund"
	OperationChargeback        Operation = "chargeback"
	OperationReverseChargeback Operation = "reverse_chargeback"
	OperationRebill            Operation = "rebill"
	OperationCredit            Operation = "credit"
)

// The lookups, named after the Client methods that make them.
const (
	OperationPayment                         Operation = "payment"
	OperationPaymentsByMerchantTransactionID Operation = "payments_by_merchant_transaction_id"
	OperationSearchPayments                  Operation = "search_payments"
	OperationPaymentDetails                  Operation = "payment_details"
)

// String returns the operation's name.
func (o Operation) String() string { return string(o) }

// MovesMoney reports whether the operation is a money movement rather than
// a lookup.
func (o Operation) MovesMoney() bool { return o.PaymentType() != "" }

// PaymentType returns the paymentType an operation sends.
func (o Operation) PaymentType() PaymentType {
	switch o {
	case OperationCapture:
		return PaymentTypeCapture
	case OperationReverse:
		return PaymentTypeReversal
	case OperationRefund:
		return PaymentTypeRefund
	case OperationChargeback:
		return PaymentTypeChargeback
	case OperationReverseChargeback:
		return PaymentTypeChargebackReversal
	case OperationRebill:
		return PaymentTypeRebill
	case OperationCredit:
		return PaymentTypeCredit
	}
	return ""
}
