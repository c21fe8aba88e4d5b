package web

import "net/http"

func login(w http.ResponseWriter, token string) {
	// ruleid: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "session_token", Value: token, Path: "/"})
	// ruleid: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "auth", Value: token, HttpOnly: true})
	// ruleid: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Secure: false})
	// ok: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "session_token", Value: token, Secure: true, HttpOnly: true})
	// ok: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})
	// ok: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: "csrf_token", Value: token, Secure: true})
	// ok: go-cookie-without-secure-flags
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Secure: cfg.HTTPS, HttpOnly: true})
}

func logout(w http.ResponseWriter, r *http.Request) {
	// ok: go-cookie-without-secure-flags
	c := &http.Cookie{Name: "session", Value: "", MaxAge: -1}
	c.Secure = r.TLS != nil
	c.HttpOnly = true
	http.SetCookie(w, c)
}

func callBetula(req *http.Request, token string) {
	// A cookie sent to another service, not set on a browser.
	// ok: go-cookie-without-secure-flags
	req.AddCookie(&http.Cookie{Name: "betula-token", Value: token})
}
