package example

func fanOut(items []Item) {
	for _, it := range items {
		// ruleid: go-unbounded-goroutines
		go handle(it)
	}
}

func pool(jobs chan Job, workers int) {
	for i := 0; i < workers; i++ {
		// ok: go-unbounded-goroutines
		go worker(jobs)
	}
}

func (h *handler) audit(w http.ResponseWriter, r *http.Request) {
	// The request goes with the goroutine and outlives the handler.
	// ruleid: go-unbounded-goroutines
	go audit(r)
	w.WriteHeader(http.StatusAccepted)
}

func (h *handler) removeUser(w http.ResponseWriter, r *http.Request) {
	user := h.load(r)
	// One background deletion per admin request, holding only the user's id.
	// ok: go-unbounded-goroutines
	go func() {
		if err := h.store.RemoveUser(user.ID); err != nil {
			slog.Error("Unable to delete user", slog.Any("error", err))
		}
	}()
	w.WriteHeader(http.StatusNoContent)
}
