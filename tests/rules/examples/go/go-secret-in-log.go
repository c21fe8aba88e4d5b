package auth

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	token := r.Header.Get("X-Api-Token")
	user, err := h.store.UserByToken(token)
	if err != nil {
		slog.Warn("unknown api token",
			slog.String("client_ip", r.RemoteAddr),
			// Anyone who reads the logs can replay it.
			// ruleid: go-secret-in-log
			slog.String("token", token),
		)
		return
	}
	slog.Info("signed in",
		// ok: go-secret-in-log
		slog.Int64("user_id", user.ID),
		// Something about the token, not the token.
		// ok: go-secret-in-log
		slog.String("token_id", user.TokenID),
		// ok: go-secret-in-log
		slog.String("password", "redacted"),
	)
	// ruleid: go-secret-in-log
	logger.Debug("cookie", zap.String("session_cookie", readCookie(r)))
	// ruleid: go-secret-in-log
	log.WithField("form_csrf", r.FormValue("csrf")).Warn("csrf mismatch")
}
