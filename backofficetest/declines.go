package backofficetest

import (
	"net/url"
	"strings"

	"github.com/shopspring/decimal"
)

// amountCodes is the fake's amount convention (see the package doc's "Test
// data that declines"): an operation of any payment type whose amount is one
// of these answers the code.
var amountCodes = map[string]string{
	"9999.20": "000.200.000",
	"9999.30": "900.100.300",
	"9999.51": "800.100.151",
	"9999.53": "800.100.153",
	"9999.55": "800.100.155",
	"9999.62": "800.100.162",
	"9999.71": "800.100.171",
}

// holderCode returns the result code a card.holder asks for by OPP's
// negative-testing rule, or "".
func holderCode(holder string) string {
	if !codeShape(holder) || strings.HasPrefix(holder, "000.") {
		return ""
	}
	if _, ok := describe(holder); !ok {
		return ""
	}
	return holder
}

// outcome is the result code of an operation of type pt on ref (nil for an
// initial payment) that passed every check: a code a fault forces, the next
// code SetNextResults queued for pt, the code its card.holder or amount asks
// for (see amountCodes), or success (see successCode). The caller holds mu.
func (g *Gateway) outcome(pt string, ref *txn, v url.Values, amount decimal.Decimal) string {
	if code, ok := g.forcedOutcome(); ok {
		return code
	}
	if q := g.forced[pt]; len(q) > 0 {
		g.forced[pt] = q[1:]
		return q[0]
	}
	if inList(initialOps, pt) {
		if code := holderCode(v.Get("card.holder")); code != "" {
			return code
		}
	}
	if amount.IntPart() == 9999 {
		if code, ok := amountCodes[amount.StringFixed(2)]; ok {
			return code
		}
	}
	return successCode(pt, ref, g.successCode)
}
