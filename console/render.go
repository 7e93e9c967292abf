package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/internal/money"
	"github.com/oppkit/backoffice/resultcodes"
	"github.com/shopspring/decimal"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// assetHandler serves the embedded CSS and script under /assets/.
func assetHandler() http.Handler {
	sub, _ := fs.Sub(assetFS, "assets")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/assets", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	}))
}

// pages holds one template set per page, each the layout plus the page.
type pages struct {
	set map[string]*template.Template
}

var funcs = template.FuncMap{
	"opLabel": opLabel,
}

// loadPages parses the embedded templates.
func loadPages() (*pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, fmt.Errorf("console: templates: %w", err)
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, name := range []string{"transactions", "details", "dialog", "done", "error"} {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console: templates: %w", err)
		}
		p.set[name] = t
	}
	return p, nil
}

// frame is what every page shows around its content.
type frame struct {
	Title string
	Base  string
	User  User
	CSRF  string
	// Page is the page's own data.
	Page any
}

// render writes page name with status; pages are rendered to a buffer first
// so that a template error never sends half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, user User, title string, data any) {
	f := frame{Title: title, Base: basePath(r), User: user, Page: data}
	f.CSRF = h.csrfToken(w, r, user)
	var buf bytes.Buffer
	if err := h.pages.set[name].ExecuteTemplate(&buf, "layout.html", f); err != nil {
		h.audit.Error("console: rendering failed", "page", name, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail renders the error page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, user User, title, msg string) {
	h.render(w, r, status, "error", user, title, struct{ Title, Message string }{title, msg})
}

// txn is a transaction as the views show it.
type txn struct {
	ID, ShortID, MTID, RefID string
	Type, TypeName           string
	Amount                   string // formatted in the currency's minor units; "full" for a full reversal
	Currency                 string
	Code, Description        string
	Category                 string
	Status, StatusLabel      string // CSS class and label: ok, review, pending, rejected, chargeback, unknown
	Time                     string
	Card                     string
	Brand                    string
	Descriptor, Memo         string
	Reason                   string // a chargeback's reason
	Details                  []kv   // result details and custom parameters
	Current                  bool   // the transaction the details page is about
	Href                     string // its details page
}

type kv struct{ K, V string }

var typeNames = map[backoffice.PaymentType]string{
	backoffice.PaymentTypePreAuthorization:   "Pre-Authorization",
	backoffice.PaymentTypeDebit:              "Debit",
	backoffice.PaymentTypeCapture:            "Capture",
	backoffice.PaymentTypeReversal:           "Reversal",
	backoffice.PaymentTypeRefund:             "Refund",
	backoffice.PaymentTypeChargeback:         "Chargeback",
	backoffice.PaymentTypeChargebackReversal: "Chargeback Reversal",
	backoffice.PaymentTypeRebill:             "Rebill",
	backoffice.PaymentTypeCredit:             "Credit",
}

// typeName is a payment type as OPP's back office names it.
func typeName(t backoffice.PaymentType) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return string(t)
}

// formatAmount shows an amount with its currency's minor units.
func formatAmount(a decimal.Decimal, currency string) string {
	n, ok := money.MinorUnits(currency)
	if !ok {
		return a.String()
	}
	return a.StringFixed(int32(n))
}

// status classifies a result code for the status colours.
func status(code string) (class, label string) {
	c := resultcodes.Classify(code)
	switch {
	case c == resultcodes.Success:
		return "ok", "Succeeded"
	case c.IsReview():
		return "review", "Succeeded, review"
	case c.IsPending():
		return "pending", "Pending"
	case c == resultcodes.Chargeback:
		return "chargeback", "Charged back"
	case c.IsRejected():
		return "rejected", "Rejected"
	}
	return "unknown", "Unknown code"
}

// view turns a payment into what the views show. Nothing secret is in a
// Payment: OPP echoes cards masked (bin and last four digits).
func view(p *backoffice.Payment, base string) txn {
	t := txn{
		Href: base + "/payments/" + p.ID,
		ID:   p.ID, ShortID: p.ShortID, MTID: p.MerchantTransactionID, RefID: p.ReferencedID,
		Type: string(p.PaymentType), TypeName: typeName(p.PaymentType),
		Currency: p.Currency, Code: p.Result.Code, Description: strings.TrimSpace(p.Result.Description),
		Category: p.Result.Category().String(), Brand: p.PaymentBrand,
		Descriptor: p.Descriptor, Memo: p.MerchantMemo,
	}
	if t.Description == "" {
		if c, ok := resultcodes.Lookup(p.Result.Code); ok {
			t.Description = strings.TrimSpace(c.Description)
		}
	}
	t.Status, t.StatusLabel = status(p.Result.Code)
	switch {
	case p.Amount.IsZero() && p.PaymentType == backoffice.PaymentTypeReversal:
		t.Amount = "full"
	case p.Amount.IsZero():
		t.Amount = "—"
	default:
		t.Amount = formatAmount(p.Amount, p.Currency)
	}
	if !p.Timestamp.IsZero() {
		t.Time = p.Timestamp.UTC().Format("2006-01-02 15:04:05")
	}
	if p.Card != nil {
		t.Card = p.Card.Bin + "······" + p.Card.Last4Digits
	}
	for _, k := range sortedKeys(p.CustomParameters) {
		if k == backoffice.ChargebackReasonParameter {
			t.Reason = p.CustomParameters[k]
			continue
		}
		t.Details = append(t.Details, kv{k, p.CustomParameters[k]})
	}
	for _, k := range sortedKeys(p.ResultDetails) {
		t.Details = append(t.Details, kv{k, p.ResultDetails[k]})
	}
	return t
}

// dateLayout is the form of the date inputs.
const dateLayout = "2006-01-02"

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }
