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

// One goroutine per destination the service was built with: the operator chose how many.
func (s *Service) fanOut(c Comment) {
	var wg sync.WaitGroup
	for _, dest := range s.destinations {
		wg.Add(1)
		// ok: go-unbounded-goroutines
		go func(d Destination) {
			defer wg.Done()
			d.Send(c)
		}(dest)
	}
	wg.Wait()
}

// A field of another value, not of the receiver: here the request's list.
func (s *Service) notifyAll(req *Batch) {
	for _, user := range req.Users {
		// ruleid: go-unbounded-goroutines
		go s.notify(user)
	}
}

// A plain function ranging over a field of its argument.
func startAll(cfg *Config) {
	for _, job := range cfg.Jobs {
		// ruleid: go-unbounded-goroutines
		go run(job)
	}
}

// A WebSocket's read and write loops live as long as the connection.
func upgrade(c *echo.Context) error {
	ws, err := websocket.Accept(c.Response(), c.Request(), nil)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	// ok: go-unbounded-goroutines
	go writeLoop(ctx, ws, cancel)
	return nil
}

// A handler that hands its request context to a goroutine and upgrades nothing.
func track(c *echo.Context) error {
	// ruleid: go-unbounded-goroutines
	go record(c)
	return nil
}
