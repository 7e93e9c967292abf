package opp

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// DecodeFast decodes data, an answer of OPP's, into *w exactly as
// json.Unmarshal would, for the shape OPP's operations answer with: one
// JSON object whose fields are those of WirePayment (never Payments or
// Records), with plain strings (no escapes) and string-valued
// resultDetails and customParameters, in any order, among fields it does
// not know, which it skips. Nothing in *w refers to data, which the caller
// may reuse.
//
// It reports false, leaving *w zero, for anything else: a lookup's list
// of payments, parameterErrors, a null, a number where a string belongs, a
// string with an escape, a key repeated or differing from a field's name
// only in case, input that is not JSON. The caller then decodes with
// encoding/json, which stays the definition: a fuzz test pins every answer
// DecodeFast gives to json.Unmarshal's.
//
// It exists because encoding/json's reflection costs more than the rest of
// an operation's client-side work, and over loopback that cost shows in
// every call (BenchmarkDecode, `go run ./internal/benchcmp`).
func DecodeFast(data []byte, w *WireAnswer) bool {
	d := fastDecoder{s: string(data)} // one copy, of which every field is a substring
	if !d.payment(&w.WirePayment) {
		*w = WireAnswer{}
		return false
	}
	return true
}

// fastDecoder reads one JSON text; every method reports false where
// encoding/json would either fail or need more than this fast path does.
type fastDecoder struct {
	s string
	i int
}

// maxSkipDepth bounds the nesting of a skipped value; deeper input goes to
// encoding/json.
const maxSkipDepth = 64

// payment reads the top-level object into w, then requires the end of
// input.
func (d *fastDecoder) payment(w *WirePayment) bool {
	var seen uint32
	ok := d.object(func(key string) bool {
		f := slices.Index(paymentKeys[:], key)
		if f < 0 {
			return !foldsToAny(key, paymentKeys[:]) && d.skip(0)
		}
		if seen&(1<<f) != 0 {
			return false
		}
		seen |= 1 << f
		switch f {
		case fResult:
			return d.result(&w.Result)
		case fResultDetails:
			m := map[string]any{}
			w.ResultDetails = m
			return d.stringMap(func(k, v string) { m[k] = v })
		case fCustomParameters:
			m := map[string]string{}
			w.CustomParameters = m
			return d.stringMap(func(k, v string) { m[k] = v })
		case fCard:
			w.Card = new(WireCard)
			return d.card(w.Card)
		case fPayments, fRecords:
			return false
		}
		v, ok := d.plainString()
		*paymentString(w, f) = v
		return ok
	})
	d.space()
	return ok && d.i == len(d.s)
}

// The top-level fields of WireAnswer, by index into paymentKeys. fPayments
// and fRecords are those of a lookup's answer, which the fast path leaves
// to encoding/json.
const (
	fID = iota
	fReferencedID
	fPaymentType
	fPaymentBrand
	fAmount
	fCurrency
	fDescriptor
	fMerchantTransactionID
	fMerchantMemo
	fTimestamp
	fBuildNumber
	fNDC
	fShortID
	fResult
	fResultDetails
	fCustomParameters
	fCard
	fPayments
	fRecords
)

// paymentKeys are the JSON names of the top-level fields, in the order of
// the constants above.
var paymentKeys = [...]string{
	"id", "referencedId", "paymentType", "paymentBrand", "amount", "currency", "descriptor",
	"merchantTransactionId", "merchantMemo", "timestamp", "buildNumber", "ndc", "shortId",
	"result", "resultDetails", "customParameters", "card", "payments", "records",
}

// paymentString is the string field of w that f names.
func paymentString(w *WirePayment, f int) *string {
	switch f {
	case fID:
		return &w.ID
	case fReferencedID:
		return &w.ReferencedID
	case fPaymentType:
		return &w.PaymentType
	case fPaymentBrand:
		return &w.PaymentBrand
	case fAmount:
		return &w.Amount
	case fCurrency:
		return &w.Currency
	case fDescriptor:
		return &w.Descriptor
	case fMerchantTransactionID:
		return &w.MerchantTransactionID
	case fMerchantMemo:
		return &w.MerchantMemo
	case fTimestamp:
		return &w.Timestamp
	case fBuildNumber:
		return &w.BuildNumber
	case fNDC:
		return &w.NDC
	}
	return &w.ShortID
}

var (
	resultKeys = []string{"code", "description", "parameterErrors"}
	cardKeys   = []string{"bin", "last4Digits", "holder", "expiryMonth", "expiryYear"}
)

// result reads OPP's result object; parameterErrors go to encoding/json.
func (d *fastDecoder) result(r *WireResult) bool {
	return d.stringFields(resultKeys, &r.Code, &r.Description, nil)
}

// card reads the card object.
func (d *fastDecoder) card(c *WireCard) bool {
	return d.stringFields(cardKeys, &c.Bin, &c.Last4Digits, &c.Holder, &c.ExpiryMonth, &c.ExpiryYear)
}

// stringFields reads an object whose members named keys[i] are plain
// strings stored in *dsts[i], once each; a nil dsts[i] is a member the
// fast path leaves to encoding/json. Other members are skipped.
func (d *fastDecoder) stringFields(keys []string, dsts ...*string) bool {
	var seen uint32
	return d.object(func(key string) bool {
		i := slices.Index(keys, key)
		switch {
		case i < 0:
			return !foldsToAny(key, keys) && d.skip(0)
		case dsts[i] == nil || seen&(1<<i) != 0:
			return false
		}
		seen |= 1 << i
		v, ok := d.plainString()
		*dsts[i] = v
		return ok
	})
}

// stringMap reads an object whose values are all plain strings, handing
// each pair to put in order: a repeated key keeps its last value, as in
// encoding/json.
func (d *fastDecoder) stringMap(put func(k, v string)) bool {
	return d.object(func(key string) bool {
		v, ok := d.plainString()
		if ok {
			put(key, v)
		}
		return ok
	})
}

// foldsToAny reports whether key, which matches none of keys exactly,
// matches one of them case-insensitively, as encoding/json would match it
// to that field. Only ASCII keys reach here (plainKey), for which
// encoding/json's folding is ASCII case folding.
func foldsToAny(key string, keys []string) bool {
	for _, k := range keys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// object reads an object, calling member with each key with the decoder
// positioned at the key's value. It accepts only ASCII keys without
// escapes.
func (d *fastDecoder) object(member func(key string) bool) bool {
	d.space()
	if !d.consume('{') {
		return false
	}
	d.space()
	if d.consume('}') {
		return true
	}
	for {
		key, ok := d.plainKey()
		if !ok {
			return false
		}
		d.space()
		if !d.consume(':') {
			return false
		}
		d.space()
		if !member(key) {
			return false
		}
		d.space()
		if d.consume('}') {
			return true
		}
		if !d.consume(',') {
			return false
		}
		d.space()
	}
}

// plainString reads a string without escapes or control characters, in
// valid UTF-8: its value is then its bytes, as encoding/json would give
// them.
func (d *fastDecoder) plainString() (string, bool) {
	if !d.consume('"') {
		return "", false
	}
	start, ascii := d.i, true
	for ; d.i < len(d.s); d.i++ {
		switch c := d.s[d.i]; {
		case c == '"':
			v := d.s[start:d.i]
			d.i++
			return v, ascii || utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// plainKey reads a key: a plain string of ASCII only, since encoding/json
// folds some non-ASCII letters onto ASCII ones when it matches a key to a
// field.
func (d *fastDecoder) plainKey() (string, bool) {
	k, ok := d.plainString()
	for i := 0; ok && i < len(k); i++ {
		ok = k[i] < utf8.RuneSelf
	}
	return k, ok
}

// skip reads and discards one JSON value of any kind, checking its syntax.
func (d *fastDecoder) skip(depth int) bool {
	if depth > maxSkipDepth || d.i >= len(d.s) {
		return false
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(func(string) bool { return d.skip(depth + 1) })
	case c == '[':
		d.i++
		d.space()
		if d.consume(']') {
			return true
		}
		for {
			if !d.skip(depth + 1) {
				return false
			}
			d.space()
			if d.consume(']') {
				return true
			}
			if !d.consume(',') {
				return false
			}
			d.space()
		}
	case c == '"':
		return d.skipString()
	case c == '-' || c >= '0' && c <= '9':
		return d.skipNumber()
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(d.s[d.i:], lit) {
			d.i += len(lit)
			return true
		}
	}
	return false
}

// skipString reads a string with any valid escapes. encoding/json accepts
// invalid UTF-8 in a string (and replaces it), so this does too.
func (d *fastDecoder) skipString() bool {
	d.i++ // the opening quote
	for d.i < len(d.s) {
		c := d.s[d.i]
		d.i++
		switch {
		case c == '"':
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if d.i >= len(d.s) {
				return false
			}
			e := d.s[d.i]
			d.i++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if d.i+4 > len(d.s) {
					return false
				}
				for _, h := range []byte(d.s[d.i : d.i+4]) {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return false
					}
				}
				d.i += 4
			default:
				return false
			}
		}
	}
	return false
}

// skipNumber reads a number by JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *fastDecoder) skipNumber() bool {
	d.consume('-')
	switch {
	case d.consume('0'):
	case d.i < len(d.s) && d.s[d.i] >= '1' && d.s[d.i] <= '9':
		d.digits()
	default:
		return false
	}
	if d.consume('.') && d.digits() == 0 {
		return false
	}
	if d.consume('e') || d.consume('E') {
		if !d.consume('+') {
			d.consume('-')
		}
		if d.digits() == 0 {
			return false
		}
	}
	return true
}

// digits reads a run of digits and returns its length.
func (d *fastDecoder) digits() int {
	start := d.i
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
	}
	return d.i - start
}

// space skips JSON whitespace.
func (d *fastDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// consume reads c if it is next.
func (d *fastDecoder) consume(c byte) bool {
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}
