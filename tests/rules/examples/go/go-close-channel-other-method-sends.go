package example

type Pool struct {
	queue chan Job
	done  chan struct{}
	wg    sync.WaitGroup
}

func (p *Pool) Push(jobs []Job) {
	for _, job := range jobs {
		p.queue <- job
	}
}

// A Push that runs during or after Shutdown panics on the closed queue.
func (p *Pool) Shutdown() {
	// ruleid: go-close-channel-other-method-sends
	close(p.queue)
	p.wg.Wait()
}

type Guarded struct {
	mu     sync.Mutex
	closed bool
	events chan Event
}

func (g *Guarded) Publish(e Event) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	g.events <- e
}

// The sender checks a closed flag under the same lock.
func (g *Guarded) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	// ok: go-close-channel-other-method-sends
	close(g.events)
}

type Selecting struct {
	out  chan Msg
	stop chan struct{}
}

func (s *Selecting) Send(m Msg) {
	select {
	case s.out <- m:
	case <-s.stop:
	}
}

// Senders select on stop: closing it is the signal, and the channel they send on stays open.
func (s *Selecting) Stop() {
	// ok: go-close-channel-other-method-sends
	close(s.stop)
}

// A select does not make the send safe: a case that sends on a closed channel panics when chosen.
func (s *Selecting) Close() {
	// ruleid: go-close-channel-other-method-sends
	close(s.out)
}

type Producer struct {
	results chan int
}

// The method that sends is the one that closes: the idiom.
func (p *Producer) Run(n int) {
	for i := 0; i < n; i++ {
		p.results <- i
	}
	// ok: go-close-channel-other-method-sends
	close(p.results)
}
