package registry

import "sync"

type Registry struct {
	mu       sync.Mutex
	sessions map[string]*Session
	counts   map[string]int
	hits     int
}

func (r *Registry) Close(ids []string) error {
	for _, id := range ids {
		s := r.lookup(id)
		if s != nil {
			r.mu.Lock()
			err := s.Flush()
			r.mu.Unlock()
			if err != nil {
				return err
			}
		}
		// The lock was released above: this delete races with Open and Count.
		// ruleid: go-map-write-after-unlock
		delete(r.sessions, id)
	}
	return nil
}

func (r *Registry) Touch(id string) {
	r.mu.Lock()
	n := r.counts[id]
	r.mu.Unlock()
	// ruleid: go-map-write-after-unlock
	r.counts[id] = n + 1
}

func (r *Registry) Replace(id string, next *Session) {
	r.mu.Lock()
	old := r.sessions[id]
	r.mu.Unlock()
	old.Stop()
	r.mu.Lock()
	// Locked again before the write.
	// ok: go-map-write-after-unlock
	r.sessions[id] = next
	r.mu.Unlock()
}

func (r *Registry) Open(id string, s *Session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// ok: go-map-write-after-unlock
	r.sessions[id] = s
}

func (r *Registry) Reset() {
	counts := map[string]int{}
	r.mu.Lock()
	r.hits = 0
	r.mu.Unlock()
	// A map this function made for itself is not written through the receiver.
	// ok: go-map-write-after-unlock
	counts["reset"] = 1
	r.mu.Lock()
	r.counts = counts
	r.mu.Unlock()
}

func (c *Cache) Evict(key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		return errNotFound
	}
	c.count--
	// ok: go-map-write-after-unlock
	delete(c.items, key)
	return nil
}

func (c *Cache) Take(key string) (Item, bool) {
	c.mu.Lock()
	item, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return Item{}, false
	}
	// The unlock above belongs to the branch that returned: the lock is still held here.
	// ok: go-map-write-after-unlock
	delete(c.items, key)
	c.mu.Unlock()
	return item, true
}
