package web

import "net/http"

func loginAs(w http.ResponseWriter, r *http.Request) {
	session, _ := store.Get(r, "app")
	// ruleid: go-session-from-request
	session.Values["user_id"] = r.FormValue("user_id")
	// ruleid: go-session-from-request
	session.Values[r.URL.Query().Get("key")] = true
	user := lookup(r.FormValue("email"))
	// ok: go-session-from-request
	session.Values["user_id"] = user.ID
	session.Save(r, w)
}

func ginLogin(c *gin.Context) {
	s := sessions.Default(c)
	// ruleid: go-session-from-request
	s.Set("role", c.Query("role"))
	// ok: go-session-from-request
	s.Set("role", "viewer")
}
