package ui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// TokenHeader is the request header that may carry the token.
const TokenHeader = "X-Lakesync-Token"

// NewToken is a random token of 32 bytes, hex.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make the UI's token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CheckListen refuses a listen address that is not loopback (127.0.0.0/8,
// ::1 or localhost) unless allowRemote.
func CheckListen(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. 127.0.0.1:8642: %w", addr, err)
	}
	if allowRemote || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("--listen %s is not a loopback address: anyone who can reach it could try the UI; listen on 127.0.0.1, or give --allow-remote (every request still needs the token)", addr)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// guard lets through only requests that carry the token, name this UI in
// their Host (and Origin, when sent), and, for a POST, carry the token in
// the form or the header.
type guard struct {
	token string
	// listen is the address the server is bound to (HOST:PORT).
	listen string
	next   http.Handler
}

// cookieName is the token's cookie; cookies are shared by every port of a
// host, so the name carries the port.
func (g guard) cookieName() string {
	_, port, _ := net.SplitHostPort(g.listen)
	return "lakesync_ui_" + port
}

// hostOK says whether a Host header names this UI: the listen address,
// or, on loopback, localhost, 127.0.0.1 or [::1] with its port; on a
// wildcard address (--allow-remote), any host with its port.
func (g guard) hostOK(hostport string) bool {
	if strings.EqualFold(hostport, g.listen) {
		return true
	}
	lhost, lport, _ := net.SplitHostPort(g.listen)
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != lport {
		return false
	}
	if ip := net.ParseIP(lhost); lhost == "" || (ip != nil && ip.IsUnspecified()) {
		return true
	}
	return isLoopback(lhost) && (host == "localhost" || host == "127.0.0.1" || host == "::1")
}

func (g guard) tokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(g.token)) == 1
}

func (g guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.hostOK(r.Host) {
		http.Error(w, "refused: Host "+r.Host+" is not this UI's address "+g.listen, http.StatusForbidden)
		return
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Scheme != "http" || !strings.EqualFold(u.Host, r.Host) {
			http.Error(w, "refused: Origin "+o+" is not this UI", http.StatusForbidden)
			return
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		http.Error(w, "refused: a cross-site request", http.StatusForbidden)
		return
	}
	header := r.Header.Get(TokenHeader)
	query := r.URL.Query().Get("token")
	var cookie string
	if c, err := r.Cookie(g.cookieName()); err == nil {
		cookie = c.Value
	}
	if !g.tokenOK(header) && !g.tokenOK(query) && !g.tokenOK(cookie) {
		http.Error(w, "401 unauthorized: open the URL lakesync ui printed at start (it carries ?token=...)", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost {
		if !g.tokenOK(header) && !g.tokenOK(r.PostFormValue("token")) {
			http.Error(w, "refused: an action must carry the token in its form or the "+TokenHeader+" header", http.StatusForbidden)
			return
		}
	} else if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if g.tokenOK(query) {
		// The first visit: keep the token in a cookie and take it out of
		// the address bar (and the history).
		http.SetCookie(w, &http.Cookie{Name: g.cookieName(), Value: g.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if r.Method == http.MethodGet {
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: with no-referrer a browser sends
	// "Origin: null" on the UI's own form posts.
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cache-Control", "no-store")
	g.next.ServeHTTP(w, r)
}
