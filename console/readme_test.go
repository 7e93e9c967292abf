package console_test

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/oppkit/backoffice"
	"github.com/oppkit/backoffice/backofficetest"
	"github.com/oppkit/backoffice/console"
)

// session and sessions stand for the merchant's own sign-in in the
// README's snippet.
type session struct{ Email, Role string }

type sessionStore map[string]session

func (s sessionStore) Get(r *http.Request) (session, error) {
	c, err := r.Cookie("admin")
	if err != nil {
		return session{}, err
	}
	if v, ok := s[c.Value]; ok {
		return v, nil
	}
	return session{}, errors.New("no session")
}

// TestReadmeConsole is the README's console snippet, so the guide cannot
// drift from the code: a lead gets the buttons, anyone else views, no
// session gets 401.
func TestReadmeConsole(t *testing.T) {
	client, gw := backofficetest.NewClient(t)
	pa := gw.SeedPreAuthorization(amt("10.00"), "EUR")
	sessions := sessionStore{"s1": {"lead@example.com", "payments-lead"}, "s2": {"agent@example.com", "support"}}
	auditLog := slog.New(slog.DiscardHandler)
	mux := http.NewServeMux()

	signedIn := func(r *http.Request) (string, string, error) {
		s, err := sessions.Get(r)
		return s.Email, s.Role, err
	}
	if err := mountConsole(mux, client, auditLog, signedIn); err != nil {
		t.Fatal(err)
	}

	srv := newServer(t, mux)
	for _, tc := range []struct {
		cookie  string
		status  int
		buttons bool
	}{{"s1", 200, true}, {"s2", 200, false}, {"", 401, false}} {
		req, _ := http.NewRequest("GET", srv+"/admin/payments/payments/"+pa, nil)
		if tc.cookie != "" {
			req.AddCookie(&http.Cookie{Name: "admin", Value: tc.cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		p := readPage(t, resp)
		if p.status != tc.status {
			t.Errorf("session %q: status %d", tc.cookie, p.status)
		}
		if tc.buttons {
			p.has(t, `href="/admin/payments/payments/`+pa+`/capture"`)
		} else {
			p.lacks(t, "data-op=")
		}
	}
}

// mountConsole is the README's console snippet, verbatim.
func mountConsole(mux *http.ServeMux, client *backoffice.Client, audit *slog.Logger,
	signedIn func(*http.Request) (email, role string, err error)) error {
	h, err := console.New(client,
		console.WithAuthenticator(func(r *http.Request) (console.User, error) {
			email, role, err := signedIn(r)
			if err != nil {
				return console.User{}, err // 401, nothing shown
			}
			u := console.User{Name: email}
			if role == "payments-lead" {
				u.Operations = console.AllOperations()
			}
			return u, nil // no Operations: view only
		}),
		console.WithAuditLogger(audit)) // one slog line per operation: who, what, which payment, key, outcome
	if err != nil {
		return err
	}
	mux.Handle("/admin/payments/", http.StripPrefix("/admin/payments", h))
	return nil
}
