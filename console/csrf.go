package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// csrfCookie holds the browser's random nonce; a form's token is the HMAC of
// the handler's secret over the user and that nonce (a signed double-submit
// cookie). A cross-site page can neither read the cookie nor compute the
// token, and a token is bound to the user it was rendered for.
const csrfCookie = "opp_console_csrf"

// csrfToken returns the token for the forms of the page being rendered,
// setting the nonce cookie if the browser has none.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request, user User) string {
	nonce := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		nonce = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		nonce = base64.RawURLEncoding.EncodeToString(b)
		path := basePath(r) + "/"
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: nonce, Path: path, HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	}
	return h.sign(user.Name, nonce)
}

// sign is the token of user for nonce.
func (h *Handler) sign(user, nonce string) string {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte("opp-console-csrf\x00"))
	m.Write([]byte(user))
	m.Write([]byte{0})
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfOK reports whether the POST's token matches its cookie and user.
func (h *Handler) csrfOK(r *http.Request, user User) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.PostFormValue("csrf")
	want := h.sign(user.Name, c.Value)
	return hmac.Equal([]byte(got), []byte(want))
}
