package backofficetest

import (
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oppkit/backoffice/resultcodes"
)

// contentTypeJSON is the Content-Type of every OPP answer.
const contentTypeJSON = "application/json;charset=UTF-8"

// timestampLayout is OPP's timestamp format: "2026-01-01 00:00:00+0000".
const timestampLayout = "2006-01-02 15:04:05-0700"

// paramError is one entry of result.parameterErrors.
type paramError struct {
	name, value, message string
}

// rejection is a request refused before anything was committed: an HTTP 4xx
// with a result code.
type rejection struct {
	status int
	code   string
	params []paramError
}

func reject(status int, code string, params ...paramError) *rejection {
	return &rejection{status: status, code: code, params: params}
}

// badParam is a 200.300.404 (invalid or missing parameter) about one
// parameter.
func badParam(name, value, message string) *rejection {
	return reject(http.StatusBadRequest, codeBadParameter, paramError{name, redactValue(name, value), message})
}

// invalid is an HTTP 400 with code, naming the offending parameter.
func invalid(code, name, value, message string) *rejection {
	return reject(http.StatusBadRequest, code, paramError{name, redactValue(name, value), message})
}

// cardEcho is what OPP echoes of a card.
type cardEcho struct {
	bin, last4, holder, month, year string
}

// wireObject is an OPP answer about one transaction: the body of an
// operation's response, an element of a query's payments, an error body.
type wireObject struct {
	id, referencedID, paymentType, paymentBrand string
	amount, currency, descriptor, shortID       string
	mtid, memo                                  string
	custom                                      map[string]string
	code                                        string
	params                                      []paramError
	details                                     bool // send resultDetails
	card                                        *cardEcho
	entityID                                    string // for ndc
	at                                          time.Time
}

// appendJSON appends p as OPP's JSON, keys in OPP's order and absent when
// empty.
func (p *wireObject) appendJSON(b []byte) []byte {
	b = append(b, '{')
	b = appendField(b, "id", p.id, false)
	b = appendField(b, "referencedId", p.referencedID, true)
	b = appendField(b, "paymentType", p.paymentType, true)
	b = appendField(b, "paymentBrand", p.paymentBrand, true)
	b = appendField(b, "amount", p.amount, true)
	b = appendField(b, "currency", p.currency, true)
	b = appendField(b, "descriptor", p.descriptor, true)
	b = appendField(b, "merchantTransactionId", p.mtid, true)
	b = appendField(b, "merchantMemo", p.memo, true)
	if len(p.custom) > 0 {
		b = append(b, `,"customParameters":{`...)
		names := make([]string, 0, len(p.custom))
		for k := range p.custom {
			names = append(names, k)
		}
		slices.Sort(names)
		for i, k := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, p.custom[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"result":`...)
	b = appendResult(b, p.code, p.params)
	if p.details {
		b = append(b, `,"resultDetails":{`...)
		b = appendField(b, "ExtendedDescription", extendedDescription(p.code), false)
		b = appendField(b, "ConnectorTxID1", connectorTxID(p.id), true)
		b = appendField(b, "AcquirerResponse", acquirerResponse(p.code), true)
		b = append(b, '}')
	}
	if c := p.card; c != nil {
		b = append(b, `,"card":{`...)
		b = appendField(b, "bin", c.bin, false)
		b = appendField(b, "last4Digits", c.last4, true)
		b = appendField(b, "holder", c.holder, true)
		b = appendField(b, "expiryMonth", c.month, true)
		b = appendField(b, "expiryYear", c.year, true)
		b = append(b, '}')
	}
	b = appendField(b, "shortId", p.shortID, true)
	return appendTrailer(b, p.entityID, p.id, p.at)
}

// appendQuery appends the answer of GET /v1/query?merchantTransactionId=.
func appendQuery(b []byte, code string, payments [][]byte, entityID, id string, at time.Time) []byte {
	b = append(b, `{"result":`...)
	b = appendResult(b, code, nil)
	if len(payments) > 0 {
		b = append(b, `,"payments":[`...)
		for i, p := range payments {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, p...)
		}
		b = append(b, ']')
	}
	return appendTrailer(b, entityID, id, at)
}

// appendTrailer appends buildNumber, timestamp and ndc, and closes the
// object.
func appendTrailer(b []byte, entityID, id string, at time.Time) []byte {
	b = append(b, `,"buildNumber":"`+buildNumber+`","timestamp":"`...)
	b = at.UTC().AppendFormat(b, timestampLayout)
	b = append(b, `","ndc":"`...)
	b = append(b, entityID...) // letters and digits only
	b = append(b, '_')
	b = appendNDCSuffix(b, id)
	return append(b, '"', '}')
}

func appendResult(b []byte, code string, params []paramError) []byte {
	b = append(b, `{"code":`...)
	b = appendString(b, code)
	b = append(b, `,"description":`...)
	b = appendString(b, description(code))
	if len(params) > 0 {
		b = append(b, `,"parameterErrors":[`...)
		for i, pe := range params {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendField(b, "name", pe.name, false)
			b = append(b, `,"value":`...)
			b = appendString(b, pe.value)
			b = appendField(b, "message", pe.message, true)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendField appends "key":"value", preceded by a comma if comma is set;
// an empty value is left out when comma is set (the first key is always
// written).
func appendField(b []byte, key, value string, comma bool) []byte {
	if comma {
		if value == "" {
			return b
		}
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `":`...)
	return appendString(b, value)
}

// appendString appends s as a JSON string, escaped as encoding/json does.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendNDCSuffix appends the 32-hex half of an ndc: a hash of the
// response's id.
func appendNDCSuffix(b []byte, id string) []byte {
	h := fnv.New128a()
	h.Write([]byte(id))
	var sum [16]byte
	return hex.AppendEncode(b, h.Sum(sum[:0]))
}

// shortID is OPP's short id ("1234.5678.9012"), derived from the id.
func shortID(id string) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	d := strconv.FormatUint(h.Sum64()%1_000_000_000_000+1_000_000_000_000, 10)[1:]
	return d[0:4] + "." + d[4:8] + "." + d[8:12]
}

func connectorTxID(id string) string { return "FAKE-" + id[:min(len(id), 16)] }

// extendedDescription and acquirerResponse are resultDetails' texts.
func extendedDescription(code string) string {
	return byStatus(code, "Approved", "Pending", "Declined")
}

func acquirerResponse(code string) string { return byStatus(code, "00", "received", "05") }

// byStatus picks the word for code's status.
func byStatus(code, succeeded, pending, rejected string) string {
	switch statusOf(code) {
	case StatusSucceeded:
		return succeeded
	case StatusPending:
		return pending
	}
	return rejected
}

// redactValue keeps card secrets out of everything the gateway writes or
// records.
func redactValue(name, value string) string {
	switch name {
	case "card.number":
		return maskPAN(value)
	case "card.cvv":
		if value == "" {
			return ""
		}
		return "***"
	}
	return value
}

// maskPAN keeps the first six and last four characters of a card number
// when it has at least 13, and masks everything otherwise.
func maskPAN(s string) string {
	if len(s) < 13 {
		return stars(len(s))
	}
	return s[:6] + stars(len(s)-10) + s[len(s)-4:]
}

func stars(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '*'
	}
	return string(b)
}

// html5xx is the body of a 5xx from the infrastructure in front of OPP: not
// an OPP answer.
func html5xx(status int) []byte {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	return []byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text + "</h1></center>\r\n</body>\r\n</html>\r\n")
}

// The result codes the fake answers with for its own decisions. Their
// descriptions, like those of every code a test asks for, come verbatim from
// OPP's catalogue in package resultcodes.
const (
	codeSuccessLive      = "000.000.000" // Transaction succeeded
	codeSuccessTest      = "000.100.110" // the default success: 'Merchant in Integrator Test Mode'
	codeRequestOK        = "000.000.100" // successful request (a query that found payments)
	codeMissingCard      = "100.100.100"
	codeInvalidCard      = "100.100.101"
	codeMissingMonth     = "100.100.200"
	codeInvalidMonth     = "100.100.201"
	codeMissingYear      = "100.100.300"
	codeInvalidYear      = "100.100.301"
	codeCardExpired      = "100.100.303"
	codeMissingHolder    = "100.100.400"
	codeHolderLength     = "100.100.401"
	codeHolderInvalid    = "100.100.402"
	codeMissingBrand     = "100.100.500"
	codeInvalidBrand     = "100.100.501"
	codeInvalidCVV       = "100.100.601"
	codeBrandMismatch    = "100.100.700"
	codeTestMode         = "100.300.101"
	codeMTIDTooLong      = "100.300.200"
	codeNoAmount         = "100.550.300"
	codeNoCurrency       = "100.550.400"
	codeInvalidCurrency  = "100.550.401"
	codeStreetTooLong    = "100.800.101"
	codeZipTooLong       = "100.800.201"
	codeCityTooLong      = "100.800.301"
	codeStateTooLong     = "100.800.401"
	codeInvalidCountry   = "100.800.501"
	codeBadMethod        = "200.300.403"
	codeBadParameter     = "200.300.404"
	codeBadRequest       = "200.100.103"
	codeNotConfigured    = "600.200.201"
	codeBadPaymentType   = "600.200.300"
	codeUnknownReference = "700.100.100"
	codeAmountMismatch   = "700.100.200"
	codeCurrencyMismatch = "700.100.500"
	codeInvalidType      = "700.300.100"
	codeRefRejected      = "700.300.200"
	codeAlreadyDone      = "700.300.300"
	codeWasChargedBack   = "700.300.600"
	codeNoLongerReverse  = "700.300.700"
	codeCannotCapture    = "700.400.100"
	codeCannotRefund     = "700.400.200"
	codeCannotReverse    = "700.400.300"
	codeCannotCB         = "700.400.400"
	codeCannotCR         = "700.400.410"
	codeNoChargeback     = "700.400.420"
	codeCBNeedsMoney     = "700.400.550"
	codeRefPending       = "700.400.570"
	codeNotFound         = "700.400.580"
	codeEntityMismatch   = "700.400.700"
	codeDuplicate        = "800.110.100"
	codeThrottled        = "800.120.100"
	codeBadAuth          = "800.900.300"
	codeNoRights         = "800.900.301"
)

// describe returns OPP's description of code, and whether the catalogue
// has it.
func describe(code string) (string, bool) {
	c, ok := resultcodes.Lookup(code)
	return c.Description, ok
}

// description returns the description of a code the fake itself chose.
func description(code string) string {
	d, _ := describe(code)
	return d
}

// Status is where a transaction stands, as its result code says.
type Status string

// The statuses of a transaction.
const (
	// StatusSucceeded is a success, a success to review manually, or a
	// booked chargeback (000.100.2xx): the money moved.
	StatusSucceeded Status = "succeeded"
	// StatusPending is an outcome that is not final (000.200.xxx,
	// 800.400.5xx, 100.400.500): no money moved yet.
	StatusPending Status = "pending"
	// StatusRejected is any other code: a decline, a communication error
	// (900.xxx), ... No money moved.
	StatusRejected Status = "rejected"
)

// statusOf classifies code with OPP's documented result-code groups.
func statusOf(code string) Status {
	switch resultcodes.Classify(code) {
	case resultcodes.Success, resultcodes.SuccessReview, resultcodes.Chargeback:
		return StatusSucceeded
	case resultcodes.Pending, resultcodes.PendingLong:
		return StatusPending
	}
	return StatusRejected
}
