package form

import (
	"net/url"
	"slices"
)

// encodeOperation returns what url.Values.Encode returns for
// query.Values(op), without reflection: the parameters in byte order of
// their names (the order url.Values.Encode sorts them in), each name and
// value escaped by url.QueryEscape, entityId and paymentType always sent,
// the other fields only when not empty. go-querystring stays the definition
// of the names: the tests compare both encoders on every field.
func encodeOperation(op *Operation) []byte {
	size := len("entityId=&paymentType=") + len(op.EntityID) + len(op.PaymentType) +
		len(op.Amount) + len(op.Currency) + len(op.Descriptor) + len(op.MerchantTransactionID) +
		len(op.MerchantMemo) + len(op.TestMode) + 96
	for name, value := range op.CustomParameters {
		size += len("&customParameters%5B%5D=") + len(name) + len(value)
	}
	b := make([]byte, 0, size)
	// The names in byte order: every customParameters[...] name sorts
	// after "currency" and before "descriptor".
	b = appendOptional(b, "amount=", op.Amount)
	b = appendOptional(b, "currency=", op.Currency)
	b = op.CustomParameters.appendEncoded(b)
	b = appendOptional(b, "descriptor=", op.Descriptor)
	b = appendField(b, "entityId=", op.EntityID)
	b = appendOptional(b, "merchantMemo=", op.MerchantMemo)
	b = appendOptional(b, "merchantTransactionId=", op.MerchantTransactionID)
	b = appendField(b, "paymentType=", op.PaymentType)
	b = appendOptional(b, "testMode=", op.TestMode)
	return b
}

// appendField appends "&name=value" ("name=value" first), value escaped;
// key is "name=" and needs no escaping.
func appendField(b []byte, key, value string) []byte {
	if len(b) > 0 {
		b = append(b, '&')
	}
	b = append(b, key...)
	return append(b, url.QueryEscape(value)...)
}

// appendOptional is appendField for an omitempty field.
func appendOptional(b []byte, key, value string) []byte {
	if value == "" {
		return b
	}
	return appendField(b, key, value)
}

// appendEncoded appends p as EncodeValues and url.Values.Encode together
// would: customParameters[NAME]=value in byte order of the whole name,
// escaped.
func (p Params) appendEncoded(b []byte) []byte {
	if len(p) == 0 {
		return b
	}
	var buf [8]string
	names := buf[:0]
	for name := range p {
		names = append(names, name)
	}
	// "customParameters[" + name + "]" sorts as name + "]".
	slices.SortFunc(names, compareBracketed)
	for _, name := range names {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, "customParameters%5B"...)
		b = append(b, url.QueryEscape(name)...)
		b = append(b, "%5D="...)
		b = append(b, url.QueryEscape(p[name])...)
	}
	return b
}

// compareBracketed compares x+"]" with y+"]" without building them.
func compareBracketed(x, y string) int {
	for i := 0; i <= len(x) && i <= len(y); i++ {
		cx, cy := byte(']'), byte(']')
		if i < len(x) {
			cx = x[i]
		}
		if i < len(y) {
			cy = y[i]
		}
		if cx != cy {
			return int(cx) - int(cy)
		}
	}
	return len(x) - len(y)
}
