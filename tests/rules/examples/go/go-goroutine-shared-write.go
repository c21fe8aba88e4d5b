package example

func fanOut(items []Item) map[string]int {
	results := map[string]int{}
	for _, it := range items {
		go func(it Item) {
			// ruleid: go-goroutine-shared-write
			results[it.ID] = compute(it)
		}(it)
	}
	return results
}

func convert(r io.Reader) chan Comment {
	threads := map[string]string{}
	ch := make(chan Comment)
	go func() {
		defer close(ch)
		for _, t := range decode(r) {
			// ok: go-goroutine-shared-write
			threads[t.ID] = t.Link
			ch <- Comment{Link: threads[t.Parent]}
		}
	}()
	return ch
}

func convertAndShare(r io.Reader) (chan Comment, map[string]string) {
	threads := map[string]string{}
	ch := make(chan Comment)
	go func() {
		defer close(ch)
		for _, t := range decode(r) {
			// ruleid: go-goroutine-shared-write
			threads[t.ID] = t.Link
		}
	}()
	return ch, threads
}

func (a *App) accept(p Person) {
	go func() {
		msg, err := a.serialize()
		if err != nil {
			return
		}
		// ok: go-goroutine-shared-write
		msg["@context"] = namespace
		a.post(p.Inbox, msg)
	}()
}

func (s *Server) record(ev Event) {
	go func() {
		// ruleid: go-goroutine-shared-write
		s.counts[ev.Kind]++
	}()
}
