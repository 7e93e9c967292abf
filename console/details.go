package console

import (
	"errors"
	"net/http"
	"slices"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// button is an action button of the Details view.
type button struct {
	Op    string
	Label string
	Href  string
}

// detailsPage is the data of the Transaction Details view.
type detailsPage struct {
	T         txn
	Timeline  []txn
	Remaining []kv
	Buttons   []button
	// Withheld are the operations OPP would allow that the user may not
	// perform, named so the user knows whom to ask.
	Withheld []string
	Problem  *problem
}

// details serves the Transaction Details view.
func (h *Handler) details(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(w, r)
	if !ok {
		return
	}
	base := basePath(r)
	id := r.PathValue("id")
	d, err := h.client.PaymentDetails(r.Context(), id)
	if err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, backoffice.ErrNotFound) || errors.Is(err, backoffice.ErrInvalidRequest) {
			status = http.StatusNotFound
		}
		h.render(w, r, status, "details", user, "Transaction "+id, &detailsPage{T: txn{ID: id}, Problem: explain(err, base, "")})
		return
	}
	h.render(w, r, http.StatusOK, "details", user, "Transaction "+id, detailsOf(d, user, base))
}

// detailsOf builds the Details view of d for user.
func detailsOf(d *backoffice.PaymentDetails, user User, base string) *detailsPage {
	data := &detailsPage{T: view(d.Payment, base)}
	all := append([]*backoffice.Payment{d.Payment}, d.Linked...)
	slices.SortStableFunc(all, func(a, b *backoffice.Payment) int { return a.Timestamp.Compare(b.Timestamp) })
	for _, p := range all {
		t := view(p, base)
		t.Current = p.ID == d.Payment.ID
		data.Timeline = append(data.Timeline, t)
	}
	cur := d.Payment.Currency
	rem := d.Remaining
	for _, x := range []struct {
		label string
		v     decimal.Decimal
	}{
		{"Left to capture", rem.Capture},
		{"Left to refund", rem.Refund},
		{"Left to reverse", rem.Reverse},
		{"Left to charge back", rem.Chargeback},
	} {
		if x.v.IsPositive() {
			data.Remaining = append(data.Remaining, kv{x.label, formatAmount(x.v, cur) + " " + cur})
		}
	}
	for _, op := range d.AllowedOperations() {
		if !slices.Contains(consoleOps, op) {
			continue
		}
		if !user.Can(op) {
			data.Withheld = append(data.Withheld, opLabel(op))
			continue
		}
		data.Buttons = append(data.Buttons, button{Op: string(op), Label: opLabel(op), Href: base + "/payments/" + d.Payment.ID + "/" + string(op)})
	}
	return data
}

// left is what an operation's dialog pre-fills: what is left for op.
func left(op backoffice.Operation, r backoffice.Remaining) decimal.Decimal {
	switch op {
	case backoffice.OperationCapture:
		return r.Capture
	case backoffice.OperationRefund:
		return r.Refund
	case backoffice.OperationReverse, backoffice.OperationReverseChargeback:
		return r.Reverse
	case backoffice.OperationChargeback:
		return r.Chargeback
	}
	return decimal.Zero // a rebill's amount is a new charge: nothing to pre-fill
}
