package backofficetest

import (
	"net/url"
	"strings"

	"github.com/shopspring/decimal"
)

// Test data that declines, so that a test written in any language, or a QA
// engineer with curl, can make an operation decline without the Go helpers.
//
// OPP's published test-mode data: OPP's stage (test) host simulates a
// decline when a PA, DB or CD carries the result code itself as
// card.holder ("negative testing": card.holder=800.100.151), for any code of
// the catalogue that is neither a success nor pending (none starting with
// 000.). The fake does the same on POST /v1/payments: such a holder passes
// the holder checks and the payment answers that code (HTTP 200, rejected,
// no money moved). OPP publishes no card numbers that decline: every valid
// test card number is approved (4200000000000000, 4000000000000002, ...).
//
// Where OPP publishes nothing (the backoffice operations carry no card),
// the fake's own amount convention: an operation of any payment type whose
// amount is one of these declines or stays pending:
//
//	amount    result code   OPP's description
//	9999.20   000.200.000   transaction pending
//	9999.30   900.100.300   timeout, uncertain result
//	9999.51   800.100.151   transaction declined (invalid card)
//	9999.53   800.100.153   transaction declined (invalid CVV)
//	9999.55   800.100.155   transaction declined (amount exceeds credit)
//	9999.62   800.100.162   transaction declined (limit exceeded)
//	9999.71   800.100.171   transaction declined (pick up card)
//
// Any other amount, 9999.xx included, succeeds. Codes queued by
// SetNextResults come first, then card.holder, then the amount.
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

// outcome is the result code of an operation of type pt that passed every
// check: the next code SetNextResults queued for pt, the code its
// card.holder or amount asks for (see amountCodes), or success. The caller
// holds mu.
func (g *Gateway) outcome(pt string, v url.Values, amount decimal.Decimal) string {
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
	return g.successCode
}
