package conformance

import (
	"net/url"
	"strings"

	bo "github.com/oppkit/backoffice"
)

// The fields the answers must carry, from OPP's published response bodies
// and the fields integrators' clients read (see Expect.Source).
var (
	initialFields = []string{"id", "paymentType", "paymentBrand", "amount", "currency", "result", "card", "buildNumber", "timestamp", "ndc"}
	opFields      = []string{"id", "referencedId", "paymentType", "amount", "currency", "result", "buildNumber", "timestamp", "ndc"}
	voidFields    = []string{"id", "referencedId", "paymentType", "result", "buildNumber", "timestamp", "ndc"}
	errorFields   = []string{"result", "buildNumber", "timestamp", "ndc"}
	paramFields   = []string{"result", "result.parameterErrors", "buildNumber", "timestamp", "ndc"}
	lookupFields  = []string{"id", "paymentType", "amount", "currency", "result", "buildNumber", "timestamp", "ndc"}
	queryFields   = []string{"result", "payments", "buildNumber", "timestamp", "ndc"}
	declineFields = []string{"id", "paymentType", "result", "buildNumber", "timestamp", "ndc"}
)

// testSuccess is the success code of OPP's test host: "Request
// successfully processed in 'Merchant in Integrator Test Mode'".
const testSuccess = "000.100.110"

// The documentation each expectation rests on, until a recorded OPP answer
// confirms or corrects it.
const (
	srcTestCard     = "OPP's server-to-server examples: a PA, DB or CD with the test card VISA 4200000000000000 succeeds on the test host with 000.100.110 and echoes the card (bin, last4Digits, holder, expiry), never its number"
	srcCapture      = "OPP's API rules: captures can be for full or partial amounts, and multiple capture requests against the same PA are allowed; the answer carries id, referencedId, paymentType, amount, currency, result, buildNumber, timestamp, ndc"
	srcOverCapture  = "OPP's result code 700.400.100: cannot capture (PA value exceeded, PA reverted or invalid workflow?); reference errors come with HTTP 400"
	srcRefund       = "OPP's API rules: a refund can be performed against a debit (DB) or a captured preauthorization (PA->CP), for a partial or full amount"
	srcOverRefund   = "OPP's result code 700.400.200: cannot refund (refund volume exceeded or tx reversed or invalid workflow?)"
	srcInvalidType  = "OPP's result code 700.300.100: referenced tx can not be refunded, captured or reversed (invalid type); OPP's back-office availability table offers no such operation on this type"
	srcReverse      = "OPP's API rules: a reversal can be sent against a DB or a PA; a full reversal does not require the amount or currency (so the answer need not carry them)"
	srcPartialRV    = "OPP's API rules: if the acquirer supports it, a partial reversal sends amount and currency; what it leaves can still be captured"
	srcReverseAgain = "OPP's result code 700.400.300: cannot reverse (already refunded|reversed, invalid workflow or amount exceeded)"
	srcRVCaptured   = "OPP's result code 700.300.700: referenced tx can not be reversed (reversal not possible anymore); that OPP answers it for a PA already captured is this project's reading"
	srcRVOnCapture  = "OPP's result code 700.400.530: reversal needs at least one successful transaction of type (CP or DB or RB or PA), so a CP and an RB can be reversed"
	srcRebill       = "OPP's API rules: a rebill (RB) is sent against a prior debit (DB), for an amount on top of it"
	srcRefundRB     = "OPP's result code 700.400.520: refund needs at least one successful transaction of type (CP or DB or RB or RC), so an RB can be refunded"
	srcChargeback   = "OPP's chargeback pages (HyperPay, Peach): a chargeback (CB) is performed against a previous capture (CP) or debit (DB), for the full or a partial amount"
	srcCBOnce       = "OPP's chargeback pages: multiple chargeback requests against the same payment are not allowed; 700.400.400 cannot chargeback (already chargebacked or invalid workflow?)"
	srcCBReversed   = "OPP's result code 700.400.400: cannot chargeback (already chargebacked or invalid workflow?); that a reversed debit, which moved nothing, answers it is this project's reading"
	srcCBOnPA       = "OPP's result code 700.400.550: chargeback needs at least one successful transaction of type (CP or DB or RB)"
	srcCR           = "OPP's chargeback pages: a chargeback reversal (CR) is performed against a previous chargeback (CB)"
	srcCRAgain      = "OPP's result code 700.400.410: cannot reversal chargeback (chargeback is already reversaled or invalid workflow?)"
	srcCRNoCB       = "OPP's result code 700.400.420: cannot reversal chargeback (no chargeback existing or invalid workflow?)"
	srcRepresent    = "OPP's chargeback pages (HyperPay, Peach): a representment is a CR performed against a previous chargeback reversal; 000.100.105 Chargeback Representment is successful"
	srcCredit       = "OPP's integration guide: a credit (CD) is sent to /v1/payments with the full card data, and its id is stored to refund the credited amount later"
	srcDecline      = "OPP's negative testing: on the test host, a card.holder that is a rejection result code declines the payment with that code; a decline is HTTP 200 (OPP's result-code docs: the code decides, not the HTTP status); declined records can lack amount and currency"
	srcRejectedRef  = "OPP's result code 700.300.200: referenced tx was rejected"
	srcLookupID     = "OPP's reporting API: GET /v1/query/{id} answers the payment itself, with its own result"
	srcLookupKey    = "OPP's reporting API: GET /v1/query?merchantTransactionId= lists every payment carrying the key, with 000.000.100 (successful request)"
	srcNoMatch      = "OPP's reporting API as integrators record it: a query that matches nothing answers HTTP 400 with 700.400.580 (cannot find transaction)"
	srcAmountFormat = "OPP's parameter reference: amount matches [0-9]{1,10}(\\.[0-9]{2})?; a white label's recorded answer to a malformed amount is HTTP 400, 200.300.404 (invalid or missing parameter), parameterErrors naming amount"
	srcCurrency     = "OPP's result code 100.550.401: invalid currency (OPP's parameter reference: currency is [A-Z]{3})"
	srcKeyTooLong   = "OPP's result code 100.300.200: transaction id too long (OPP's parameter reference: merchantTransactionId is 8 to 255 characters)"
	srcKeyTooShort  = "OPP's parameter reference: merchantTransactionId is 8 to 255 characters; a parameter out of its format is 200.300.404 with parameterErrors naming it"
	srcDescriptor   = "OPP's parameter reference: descriptor is at most 127 characters; a parameter out of its format is 200.300.404 with parameterErrors naming it"
	srcUnknownParam = "OPP's parameter validation: an unknown parameter is 200.300.404 (invalid or missing parameter) with parameterErrors naming it (this project's reading of integrators' reports)"
	srcReusedKey    = "OPP documents no idempotency: merchantTransactionId is the merchant's reference and duplicate blocking on it is a risk rule a channel must have configured, so a second refund with the same key is processed, and a lookup by the key lists both"
)

func created(src string) Expect {
	return Expect{Status: 200, Code: testSuccess, Fields: initialFields, Absent: []string{"referencedId"}, Source: src}
}

func done(src string) Expect {
	return Expect{Status: 200, Code: testSuccess, Fields: opFields, Source: src}
}

func voided(src string) Expect {
	return Expect{Status: 200, Code: testSuccess, Fields: voidFields, Source: src}
}

func refused(code, src string) Expect {
	return Expect{Status: 400, Code: code, Fields: errorFields, Source: src}
}

func badParam(code, src string, blamed ...string) Expect {
	return Expect{Status: 400, Code: code, Fields: paramFields, ParameterErrors: blamed, Source: src}
}

func declined() Expect {
	return Expect{Status: 200, Code: DeclineCode, Fields: declineFields, Absent: []string{"referencedId"}, Source: srcDecline}
}

// Scenarios returns the suite: every rule of OPP's back-office availability
// table and API rules (partial and repeated captures, over-capture,
// refunds up to what is captured, full and partial reversal, a reversal
// after a capture, rebill, chargeback once, chargeback reversal,
// representment, refund of a credit, operations on declined and on reversed
// payments), lookups by id and by merchantTransactionId (with and without a
// match), bad parameters (format, length, unknown) and a reused
// merchantTransactionId. A run sends about 80 requests and creates about 20
// test payments.
func Scenarios() []Scenario {
	const (
		PA = bo.PaymentTypePreAuthorization
		DB = bo.PaymentTypeDebit
		CP = bo.OperationCapture
		RV = bo.OperationReverse
		RF = bo.OperationRefund
		CB = bo.OperationChargeback
		CR = bo.OperationReverseChargeback
		RB = bo.OperationRebill
	)
	return []Scenario{
		{"capture/partial-and-repeated", "A PA can be captured in parts, several times, up to its amount; a capture beyond what is left is refused.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("cp 40.00", CP, "pa", "40.00", done(srcCapture))
				s.Op("cp 60.00", CP, "pa", "60.00", done(srcCapture))
				s.Op("cp 0.01 beyond", CP, "pa", "0.01", refused("700.400.100", srcOverCapture))
			}},
		{"capture/over-capture", "A capture of more than the PA authorized is refused; the PA can still be captured in full.",
			func(s *Session) {
				s.Pay("pa", PA, "50.00", created(srcTestCard))
				s.Op("cp 50.01", CP, "pa", "50.01", refused("700.400.100", srcOverCapture))
				s.Op("cp 50.00", CP, "pa", "50.00", done(srcCapture))
			}},
		{"refund/up-to-captured", "A capture can be refunded in parts up to what it captured; a PA cannot be refunded.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("cp", CP, "pa", "70.00", done(srcCapture))
				s.Op("rf 30.00", RF, "cp", "30.00", done(srcRefund))
				s.Op("rf 40.00", RF, "cp", "40.00", done(srcRefund))
				s.Op("rf 0.01 beyond", RF, "cp", "0.01", refused("700.400.200", srcOverRefund))
				s.Op("rf on pa", RF, "pa", "10.00", refused("700.300.100", srcInvalidType))
			}},
		{"refund/debit", "A debit can be refunded up to its amount, not beyond.",
			func(s *Session) {
				s.Pay("db", DB, "100.00", created(srcTestCard))
				s.Op("rf 100.01", RF, "db", "100.01", refused("700.400.200", srcOverRefund))
				s.Op("rf 100.00", RF, "db", "100.00", done(srcRefund))
			}},
		{"reversal/full", "A full reversal of a PA sends no amount; the reversed PA can be neither captured nor reversed again.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("rv", RV, "pa", "", voided(srcReverse))
				s.Op("cp after rv", CP, "pa", "10.00", refused("700.400.100", srcOverCapture))
				s.Op("rv again", RV, "pa", "", refused("700.400.300", srcReverseAgain))
			}},
		{"reversal/partial", "A partial reversal of a PA sends amount and currency; what it leaves can be captured, no more.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("rv 30.00", RV, "pa", "30.00", done(srcPartialRV))
				s.Op("cp 70.00", CP, "pa", "70.00", done(srcPartialRV))
				s.Op("cp 0.01 beyond", CP, "pa", "0.01", refused("700.400.100", srcOverCapture))
			}},
		{"reversal/after-capture", "A captured PA can no longer be reversed; its capture can, and is then no longer refundable.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("cp", CP, "pa", "100.00", done(srcCapture))
				s.Op("rv pa after cp", RV, "pa", "", refused("700.300.700", srcRVCaptured))
				s.Op("rv cp", RV, "cp", "", voided(srcRVOnCapture))
				s.Op("rf cp after rv", RF, "cp", "10.00", refused("700.400.200", srcOverRefund))
			}},
		{"reversal/debit", "A debit can be reversed; a reversed debit can be neither refunded nor charged back.",
			func(s *Session) {
				s.Pay("db", DB, "100.00", created(srcTestCard))
				s.Op("rv", RV, "db", "", voided(srcReverse))
				s.Op("rf after rv", RF, "db", "10.00", refused("700.400.200", srcOverRefund))
				s.Op("cb after rv", CB, "db", "100.00", refused("700.400.400", srcCBReversed))
			}},
		{"rebill", "A debit can be rebilled on top of its amount; the rebill and the debit are refundable each up to its own amount; a PA cannot be rebilled.",
			func(s *Session) {
				s.Pay("db", DB, "100.00", created(srcTestCard))
				s.Op("rb 20.00", RB, "db", "20.00", done(srcRebill))
				s.Op("rf 20.00 of rb", RF, "rb 20.00", "20.00", done(srcRefundRB))
				s.Op("rf 100.00 of db", RF, "db", "100.00", done(srcRefund))
				s.Pay("pa", PA, "10.00", created(srcTestCard))
				s.Op("rb on pa", RB, "pa", "10.00", refused("700.300.100", srcInvalidType))
			}},
		{"reversal/rebill", "A rebill can be reversed.",
			func(s *Session) {
				s.Pay("db", DB, "50.00", created(srcTestCard))
				s.Op("rb", RB, "db", "10.00", done(srcRebill))
				s.Op("rv rb", RV, "rb", "", voided(srcRVOnCapture))
			}},
		{"chargeback/once-reversal-representment", "A debit is charged back once; the chargeback is reversed once; the reversal can be represented.",
			func(s *Session) {
				s.Pay("db", DB, "100.00", created(srcTestCard))
				s.Op("cb", CB, "db", "100.00", done(srcChargeback))
				s.Op("cb again", CB, "db", "100.00", refused("700.400.400", srcCBOnce))
				s.Op("cr", CR, "cb", "100.00", done(srcCR))
				s.Op("cr again", CR, "cb", "100.00", refused("700.400.410", srcCRAgain))
				s.Op("representment", CR, "cr", "100.00", Expect{Status: 200, Code: "000.100.105", Fields: opFields, Source: srcRepresent})
			}},
		{"chargeback/partial-on-capture", "A capture can be charged back in part; a PA cannot be charged back; only a chargeback can be reversed as one.",
			func(s *Session) {
				s.Pay("pa", PA, "100.00", created(srcTestCard))
				s.Op("cp", CP, "pa", "100.00", done(srcCapture))
				s.Op("cb 40.00 of cp", CB, "cp", "40.00", done(srcChargeback))
				s.Op("cb on pa", CB, "pa", "10.00", refused("700.400.550", srcCBOnPA))
				s.Op("cr on cp", CR, "cp", "10.00", refused("700.400.420", srcCRNoCB))
			}},
		{"credit/refund", "A stand-alone credit can be refunded up to the credited amount.",
			func(s *Session) {
				s.Credit("cd", "50.00", created(srcCredit))
				s.Op("rf 20.00 of cd", RF, "cd", "20.00", done(srcCredit))
				s.Op("rf 30.01 beyond", RF, "cd", "30.01", refused("700.400.200", srcOverRefund))
			}},
		{"declined", "A declined PA or DB is answered HTTP 200 with the decline's code; no operation is allowed on it.",
			func(s *Session) {
				s.Decline("pa", PA, "10.00", declined())
				s.Op("cp on declined pa", CP, "pa", "10.00", refused("700.300.200", srcRejectedRef))
				s.Op("rv on declined pa", RV, "pa", "", refused("700.300.200", srcRejectedRef))
				s.Decline("db", DB, "10.00", declined())
				s.Op("rf on declined db", RF, "db", "10.00", refused("700.300.200", srcRejectedRef))
				s.Op("cb on declined db", CB, "db", "10.00", refused("700.300.200", srcRejectedRef))
			}},
		{"lookup/by-id", "A payment is found by its id; an id no payment has is not.",
			func(s *Session) {
				s.Pay("db", DB, "10.00", created(srcTestCard))
				s.Lookup("by id", "db", Expect{Status: 200, Code: testSuccess, Fields: lookupFields, Source: srcLookupID})
				s.Lookup("by unknown id", Unknown, refused("700.400.580", srcNoMatch))
			}},
		{"lookup/by-merchantTransactionId", "A payment is found by its merchantTransactionId; a key no payment carries is not.",
			func(s *Session) {
				s.Pay("db", DB, "10.00", created(srcTestCard))
				s.LookupKey("by key", "db", Expect{Status: 200, Code: "000.000.100", Fields: queryFields, Payments: 1, Source: srcLookupKey})
				s.LookupKey("by unknown key", Unknown, refused("700.400.580", srcNoMatch))
			}},
		{"parameters/bad", "Malformed, too long, too short and unknown parameters are refused before anything moves, naming the parameter.",
			func(s *Session) {
				s.Pay("db", DB, "10.00", created(srcTestCard))
				rf := func(extra ...string) url.Values {
					v := url.Values{"paymentType": {"RF"}, "amount": {"1.00"}, "currency": {Currency}}
					for i := 0; i+1 < len(extra); i += 2 {
						v.Set(extra[i], extra[i+1])
					}
					return v
				}
				s.Send("amount with one decimal", "db", rf("amount", "1.5"), badParam("200.300.404", srcAmountFormat, "amount"))
				s.Send("amount with eleven digits", "db", rf("amount", "12345678901.00"), badParam("200.300.404", srcAmountFormat, "amount"))
				s.Send("currency in lower case", "db", rf("currency", "eur"), refused("100.550.401", srcCurrency))
				s.Send("merchantTransactionId of 256 characters", "db", rf("merchantTransactionId", strings.Repeat("k", 256)), refused("100.300.200", srcKeyTooLong))
				s.Send("merchantTransactionId of 7 characters", "db", rf("merchantTransactionId", "kkkkkkk"), badParam("200.300.404", srcKeyTooShort, "merchantTransactionId"))
				s.Send("descriptor of 128 characters", "db", rf("descriptor", strings.Repeat("d", 128)), badParam("200.300.404", srcDescriptor, "descriptor"))
				s.Send("unknown parameter", "db", rf("shopperColour", "blue"), badParam("200.300.404", srcUnknownParam, "shopperColour"))
			}},
		{"merchantTransactionId/reused", "Two refunds with the same merchantTransactionId are both processed, and a lookup by it lists both.",
			func(s *Session) {
				s.Pay("db", DB, "100.00", created(srcTestCard))
				s.Op("rf 10.00 key k", RF, "db", "10.00", done(srcReusedKey), "k")
				s.Op("rf 10.00 key k again", RF, "db", "10.00", done(srcReusedKey), "k")
				s.LookupKey("by key k", "k", Expect{Status: 200, Code: "000.000.100", Fields: queryFields, Payments: 2, Source: srcReusedKey})
			}},
	}
}
