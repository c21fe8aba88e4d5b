package example

func countActive(users []User) int {
	active := 0
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Add(1)
		go func(u User) {
			defer wg.Done()
			if u.Active() {
				// ruleid: go-goroutine-shared-variable
				active++
			}
		}(u)
	}
	wg.Wait()
	return active
}

func syncAll(ctx context.Context, feeds []Feed) error {
	var firstErr error
	var wg sync.WaitGroup
	for _, f := range feeds {
		wg.Add(1)
		go func(f Feed) {
			defer wg.Done()
			if err := f.Sync(ctx); err != nil {
				// ruleid: go-goroutine-shared-variable
				firstErr = err
			}
		}(f)
	}
	wg.Wait()
	return firstErr
}

func total(orders []Order) int64 {
	var sum int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, o := range orders {
		wg.Add(1)
		go func(o Order) {
			defer wg.Done()
			mu.Lock()
			// ok: go-goroutine-shared-variable
			sum += o.Amount
			mu.Unlock()
		}(o)
	}
	wg.Wait()
	return sum
}

func render(pages []Page) {
	var wg sync.WaitGroup
	for _, p := range pages {
		wg.Add(1)
		go func(p Page) {
			defer wg.Done()
			size := 0
			for _, b := range p.Blocks {
				// The goroutine's own variable.
				// ok: go-goroutine-shared-variable
				size += len(b)
			}
			p.Report(size)
		}(p)
	}
	wg.Wait()
}

func fetchBoth(ctx context.Context) (A, B, error) {
	var a A
	var b B
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// One goroutine, one writer, read after wg.Wait(): no race.
		// ok: go-goroutine-shared-variable
		a = loadA(ctx)
	}()
	b = loadB(ctx)
	wg.Wait()
	return a, b, nil
}

func startWorkers(n int, jobs <-chan Job) {
	for i := 0; i < n; i++ {
		go func(id int) {
			for job := range jobs {
				// A parameter: each goroutine has its own copy.
				// ok: go-goroutine-shared-variable
				id = job.Worker
				job.Run(id)
			}
		}(i)
	}
}

// The goroutine declares its own `n`, with a value of its own: the outer `n` is untouched.
func sizes(files []File) int {
	n := 0
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f File) {
			defer wg.Done()
			n := f.Size()
			// ok: go-goroutine-shared-variable
			n++
			report(n)
		}(f)
	}
	wg.Wait()
	return n
}
