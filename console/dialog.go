package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/oppkit/backoffice"
	"github.com/shopspring/decimal"
)

// dialogPage is the data of the operation dialog.
type dialogPage struct {
	Op, Label  string
	T          txn // the payment the operation refers to
	Action     string
	Back       string
	Currency   string
	Left       string // what is left for the operation, formatted
	Amount     string
	Usage      string
	Key        string // the Transaction ID
	Memo       string
	Reason     string
	Chargeback bool
	Reversal   bool
	Errors     map[string]string // input name → what is wrong with it
	Problem    *problem
	Closed     bool // the outcome is unknown: the form is not offered again
}

// donePage is the data of the confirmation.
type donePage struct {
	Label   string
	T       txn // the new transaction
	Key     string
	Parent  string // the details URL of the payment operated on
	New     string // the details URL of the new transaction
	Adopted bool   // a second submission of a form: nothing was sent again
	Pending bool
}

// user authenticates the request; on failure it answers 401.
func (h *Handler) user(w http.ResponseWriter, r *http.Request) (User, bool) {
	u, err := h.auth(r)
	if err != nil {
		h.fail(w, r, http.StatusUnauthorized, User{}, "Not signed in", "The console could not tell who you are. Sign in to the admin and try again.")
		return User{}, false
	}
	return u, true
}

// operation reads the operation of the URL, answering 404 and 403 for an
// unknown one and one the user may not perform.
func (h *Handler) operation(w http.ResponseWriter, r *http.Request, user User) (backoffice.Operation, bool) {
	op, ok := parseOp(r.PathValue("op"))
	if !ok {
		h.fail(w, r, http.StatusNotFound, user, "No such page", "The console has no page at this address.")
		return "", false
	}
	if !user.Can(op) {
		h.fail(w, r, http.StatusForbidden, user, "Not permitted", "Your role does not allow "+opLabel(op)+". Ask an administrator of this admin for the permission.")
		return "", false
	}
	return op, true
}

// dialogFor prepares the dialog of op on d.
func dialogFor(op backoffice.Operation, d *backoffice.PaymentDetails, base string) *dialogPage {
	id := d.Payment.ID
	cur := d.Payment.Currency
	dp := &dialogPage{
		Op: string(op), Label: opLabel(op), T: view(d.Payment, base), Currency: cur,
		Action:     base + "/payments/" + id + "/" + string(op),
		Back:       base + "/payments/" + id,
		Chargeback: op == backoffice.OperationChargeback,
		Reversal:   op == backoffice.OperationReverse,
		Errors:     map[string]string{},
	}
	if l := left(op, d.Remaining); l.IsPositive() {
		dp.Left = formatAmount(l, cur)
		dp.Amount = dp.Left
	}
	return dp
}

// dialog serves the operation dialog, with a fresh Transaction ID.
func (h *Handler) dialog(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(w, r)
	if !ok {
		return
	}
	op, ok := h.operation(w, r, user)
	if !ok {
		return
	}
	base := basePath(r)
	d, ok := h.loadForOp(w, r, user, op)
	if !ok {
		return
	}
	dp := dialogFor(op, d, base)
	dp.Key = newKey()
	h.render(w, r, http.StatusOK, "dialog", user, dp.Label+" "+d.Payment.ID, dp)
}

// loadForOp reads the payment of the URL and checks that op is allowed on
// it now, answering the error page otherwise.
func (h *Handler) loadForOp(w http.ResponseWriter, r *http.Request, user User, op backoffice.Operation) (*backoffice.PaymentDetails, bool) {
	id := r.PathValue("id")
	d, err := h.client.PaymentDetails(r.Context(), id)
	if err != nil {
		p := explain(err, basePath(r), "")
		status := http.StatusBadGateway
		if errors.Is(err, backoffice.ErrNotFound) || errors.Is(err, backoffice.ErrInvalidRequest) {
			status = http.StatusNotFound
		}
		h.fail(w, r, status, user, p.Title, p.Meaning+" "+p.Next)
		return nil, false
	}
	if !slices.Contains(d.AllowedOperations(), op) {
		h.fail(w, r, http.StatusConflict, user, opLabel(op)+" is not possible now",
			"This "+typeName(d.Payment.PaymentType)+" cannot take a "+opLabel(op)+" in its current state, or nothing is left for it. Open the payment to see what it allows.")
		return nil, false
	}
	return d, true
}

// inputOf maps a request field that a *ValidationError names to the
// dialog's input.
func inputOf(field string) string {
	switch {
	case field == "Amount", field == "Currency":
		return "amount"
	case field == "Descriptor":
		return "usage"
	case field == "MerchantTransactionID":
		return "transactionId"
	case field == "MerchantMemo":
		return "memo"
	case field == "Reason", strings.HasPrefix(field, "CustomParameters"):
		return "reason"
	}
	return ""
}

// submit performs the dialog's operation, at most once per Transaction ID.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request) {
	user, ok := h.user(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	id := r.PathValue("id")
	key := strings.TrimSpace(r.PostFormValue("transactionId"))
	opName := r.PathValue("op")
	audit := h.audit.With("user", user.Name, "operation", opName, "payment_id", id, "merchant_transaction_id", key)
	ctx := r.Context()
	if err := h.origin.Check(r); err != nil {
		audit.LogAttrs(ctx, slog.LevelWarn, "console operation refused", slog.String("outcome", "refused_cross_origin"))
		h.fail(w, r, http.StatusForbidden, user, "Form expired",
			"This form was sent from another site. Nothing was sent. Open the payment in the console and submit from there.")
		return
	}
	if !h.csrfOK(r, user) {
		audit.LogAttrs(ctx, slog.LevelWarn, "console operation refused", slog.String("outcome", "refused_csrf"))
		h.fail(w, r, http.StatusForbidden, user, "Form expired",
			"This form was not issued to you by this console (it expired, or came from another site). Nothing was sent. Open the payment again and resubmit.")
		return
	}
	if op, ok := parseOp(opName); ok && !user.Can(op) {
		audit.LogAttrs(ctx, slog.LevelWarn, "console operation refused", slog.String("outcome", "refused_permission"))
	}
	op, ok := h.operation(w, r, user)
	if !ok {
		return
	}
	base := basePath(r)
	in := dialogPage{
		Amount: strings.TrimSpace(r.PostFormValue("amount")),
		Usage:  r.PostFormValue("usage"),
		Key:    key,
		Memo:   r.PostFormValue("memo"),
		Reason: r.PostFormValue("reason"),
	}
	if key == "" {
		in.Key = newKey()
		h.again(w, r, user, op, in, "transactionId", "is required: a new one is filled in")
		return
	}
	unlock := h.keys.lock(key)
	defer unlock()

	// A form submitted before: show what its Transaction ID did.
	if p := h.keys.payment(key); p != nil && p.ReferencedID == id && p.PaymentType == op.PaymentType() {
		audit.LogAttrs(ctx, slog.LevelInfo, "console operation", slog.String("outcome", "already_submitted"), slog.String("new_payment_id", p.ID))
		h.done(w, r, user, op, p, key, true)
		return
	}
	prior, err := h.client.PaymentsByMerchantTransactionID(ctx, key)
	var ve *backoffice.ValidationError
	if errors.As(err, &ve) {
		h.again(w, r, user, op, in, "transactionId", ve.Reason)
		return
	}
	if err != nil {
		audit.LogAttrs(ctx, slog.LevelWarn, "console operation not sent", slog.String("outcome", "key_lookup_failed"), slog.Any("error", err))
		in.Problem = explain(err, base, "")
		in.Problem.Meaning = "Before sending, the console checks with OPP that this Transaction ID was not used yet, and that check failed: nothing was sent. " + in.Problem.Meaning
		h.again(w, r, user, op, in, "", "")
		return
	}
	for _, p := range prior {
		if p.ReferencedID != id || p.PaymentType != op.PaymentType() {
			in.Key = newKey()
			h.again(w, r, user, op, in, "transactionId", "was already used for another transaction ("+string(p.PaymentType)+" "+p.ID+"): a new one is filled in")
			return
		}
		if p.Succeeded() || p.Pending() {
			h.keys.remember(key, p)
			audit.LogAttrs(ctx, slog.LevelInfo, "console operation", slog.String("outcome", "already_submitted"), slog.String("new_payment_id", p.ID))
			h.done(w, r, user, op, p, key, true)
			return
		}
	}
	if len(prior) > 0 {
		p := prior[len(prior)-1]
		in.Key = newKey()
		h.again(w, r, user, op, in, "transactionId", "was used by an attempt OPP rejected ("+p.Result.Code+" "+strings.TrimSpace(p.Result.Description)+"): a new one is filled in, submit to try again")
		return
	}

	d, ok := h.loadForOp(w, r, user, op)
	if !ok {
		return
	}
	amount, err := decimal.NewFromString(in.Amount)
	if err != nil || in.Amount == "" {
		audit.LogAttrs(ctx, slog.LevelInfo, "console operation not sent", slog.String("outcome", "invalid"), slog.String("field", "Amount"))
		h.againWith(w, r, user, op, d, in, "amount", "must be a number such as 12.50")
		return
	}
	audit = audit.With("amount", in.Amount, "currency", d.Payment.Currency)
	p, err := h.perform(ctx, op, d, amount, in)
	if err != nil {
		prob := explain(err, base, key)
		outcome := prob.Kind
		audit.LogAttrs(ctx, slog.LevelWarn, "console operation", slog.String("outcome", outcome), slog.String("result_code", prob.Code), slog.Any("error", err))
		if prob.Field != "" {
			if f := inputOf(prob.Field); f != "" {
				h.againWith(w, r, user, op, d, in, f, prob.Detail)
				return
			}
		}
		if prob.Spent {
			in.Key = newKey()
		}
		in.Problem = prob
		in.Closed = prob.Kind == "outcome-unknown" || prob.Kind == "unknown-code"
		dp := dialogFor(op, d, base)
		fill(dp, in)
		h.render(w, r, statusOf(prob), "dialog", user, dp.Label+" "+id, dp)
		return
	}
	h.keys.remember(key, p)
	outcome := "succeeded"
	if p.Pending() {
		outcome = "pending"
	}
	audit.LogAttrs(ctx, slog.LevelInfo, "console operation", slog.String("outcome", outcome),
		slog.String("result_code", p.Result.Code), slog.String("new_payment_id", p.ID))
	h.done(w, r, user, op, p, key, false)
}

// perform sends the operation. A reversal of exactly what is left is a full
// reversal, which sends no amount.
func (h *Handler) perform(ctx context.Context, op backoffice.Operation, d *backoffice.PaymentDetails, amount decimal.Decimal, in dialogPage) (*backoffice.Payment, error) {
	c, id, cur := h.client, d.Payment.ID, d.Payment.Currency
	switch op {
	case backoffice.OperationCapture:
		return c.Capture(ctx, id, backoffice.CaptureRequest{Amount: amount, Currency: cur, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo})
	case backoffice.OperationReverse:
		req := backoffice.ReverseRequest{Amount: amount, Currency: cur, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo}
		if amount.Equal(d.Remaining.Reverse) && amount.Equal(d.Payment.Amount) {
			req.Amount, req.Currency = decimal.Decimal{}, ""
		}
		return c.Reverse(ctx, id, req)
	case backoffice.OperationRefund:
		return c.Refund(ctx, id, backoffice.RefundRequest{Amount: amount, Currency: cur, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo})
	case backoffice.OperationRebill:
		return c.Rebill(ctx, id, backoffice.RebillRequest{Amount: amount, Currency: cur, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo})
	case backoffice.OperationChargeback:
		return c.Chargeback(ctx, id, backoffice.ChargebackRequest{Amount: amount, Currency: cur, Reason: in.Reason, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo})
	case backoffice.OperationReverseChargeback:
		return c.ReverseChargeback(ctx, id, backoffice.ReverseChargebackRequest{Amount: amount, Currency: cur, Descriptor: in.Usage, MerchantTransactionID: in.Key, MerchantMemo: in.Memo})
	}
	return nil, &backoffice.ValidationError{Operation: op, Field: "Operation", Reason: "is not offered by the console"}
}

// statusOf is the HTTP status of a page showing prob.
func statusOf(p *problem) int {
	switch p.Kind {
	case "invalid":
		return http.StatusUnprocessableEntity
	case "unauthorized":
		return http.StatusForbidden
	case "not-found":
		return http.StatusNotFound
	case "not-allowed", "declined":
		return http.StatusConflict
	}
	return http.StatusBadGateway
}

// fill copies what the user typed into the dialog.
func fill(dp *dialogPage, in dialogPage) {
	dp.Amount, dp.Usage, dp.Key, dp.Memo, dp.Reason = in.Amount, in.Usage, in.Key, in.Memo, in.Reason
	dp.Problem, dp.Closed = in.Problem, in.Closed
}

// again renders the dialog again with what the user typed, loading the
// payment; field and msg, when set, say what is wrong with one input.
func (h *Handler) again(w http.ResponseWriter, r *http.Request, user User, op backoffice.Operation, in dialogPage, field, msg string) {
	d, ok := h.loadForOp(w, r, user, op)
	if !ok {
		return
	}
	h.againWith(w, r, user, op, d, in, field, msg)
}

// againWith is again with the payment loaded.
func (h *Handler) againWith(w http.ResponseWriter, r *http.Request, user User, op backoffice.Operation, d *backoffice.PaymentDetails, in dialogPage, field, msg string) {
	dp := dialogFor(op, d, basePath(r))
	fill(dp, in)
	if field != "" {
		dp.Errors[field] = msg
	}
	status := http.StatusUnprocessableEntity
	if dp.Problem != nil {
		status = statusOf(dp.Problem)
	}
	h.render(w, r, status, "dialog", user, dp.Label+" "+d.Payment.ID, dp)
}

// done renders the confirmation of p, made with key.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, user User, op backoffice.Operation, p *backoffice.Payment, key string, adopted bool) {
	base := basePath(r)
	h.render(w, r, http.StatusOK, "done", user, opLabel(op)+" submitted", &donePage{
		Label: opLabel(op), T: view(p, base), Key: key, Adopted: adopted, Pending: p.Pending(),
		Parent: base + "/payments/" + p.ReferencedID, New: base + "/payments/" + p.ID,
	})
}
