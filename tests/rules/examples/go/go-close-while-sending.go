package example

func firstQuote(ctx context.Context, providers []Provider) (Quote, error) {
	results := make(chan Quote, 1)
	// The function stops waiting after the timeout and closes the channel under a late sender.
	// ruleid: go-close-while-sending
	defer close(results)
	for _, p := range providers {
		go func(p Provider) {
			results <- p.Quote(ctx)
		}(p)
	}
	select {
	case q := <-results:
		return q, nil
	case <-time.After(2 * time.Second):
		return Quote{}, ErrTimeout
	}
}

func (s *Streamer) run(ctx context.Context) {
	events := make(chan Event)
	ticker := time.NewTicker(time.Second)
	go func() {
		for range ticker.C {
			events <- s.poll()
		}
	}()
	for ev := range events {
		if ev.Last {
			// The ticker loop above is still sending.
			// ruleid: go-close-while-sending
			close(events)
			return
		}
		s.publish(ev)
	}
}

func produce(items []Item) <-chan Item {
	out := make(chan Item)
	go func() {
		// The sender closes its own channel when it is done: the idiom.
		// ok: go-close-while-sending
		defer close(out)
		for _, it := range items {
			out <- it
		}
	}()
	return out
}

func fanIn(sources []Source) []Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, s := range sources {
		wg.Add(1)
		go func(s Source) {
			defer wg.Done()
			for _, r := range s.Results() {
				out <- r
			}
		}(s)
	}
	go func() {
		wg.Wait()
		// Closed once every sender is done.
		// ok: go-close-while-sending
		close(out)
	}()
	return collect(out)
}

func dispatch(jobs []Job, workers int) {
	queue := make(chan Job, len(jobs))
	for i := 0; i < workers; i++ {
		go func() {
			for job := range queue {
				job.Run()
			}
		}()
	}
	for _, job := range jobs {
		queue <- job
	}
	// This function is the sender; the goroutines only receive.
	// ok: go-close-while-sending
	close(queue)
}

func lookup(key string) Value {
	done := make(chan Value)
	go func() {
		done <- fetch(key)
	}()
	v := <-done
	// The one send has been received: nothing can send any more.
	// ok: go-close-while-sending
	close(done)
	return v
}
