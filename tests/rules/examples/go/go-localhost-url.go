package store

func open() (*sql.DB, error) {
	// ruleid: go-localhost-url
	return sql.Open("postgres", "postgres://app@localhost:5432/app")
}

func cacheAddr() string {
	// ruleid: go-localhost-url
	return "127.0.0.1:6379"
}

func remoteIP(r *http.Request) string {
	if r.RemoteAddr == "@" || r.RemoteAddr == "" {
		// A fallback IP for a unix-socket peer, not an address to call.
		// ok: go-localhost-url
		return "127.0.0.1"
	}
	// ok: go-localhost-url
	if r.RemoteAddr == "127.0.0.1" {
		return "local"
	}
	// ok: go-localhost-url
	trusted := []string{"127.0.0.1/8"}
	return trusted[0]
}
