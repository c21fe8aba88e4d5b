package example

func (l *Limiter) Allow(ctx context.Context, client string) (bool, error) {
	key := "rate:" + client
	n, err := l.rdb.Incr(ctx, key).Result()
	if err != nil {
		return false, err
	}
	if n == 1 {
		// ruleid: go-redis-incr-then-expire
		l.rdb.Expire(ctx, key, time.Minute)
	}
	return n <= l.limit, nil
}

func (l *Limiter) AllowAtomic(ctx context.Context, client string) (bool, error) {
	key := "rate:" + client
	var incr *redis.IntCmd
	_, err := l.rdb.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		incr = pipe.Incr(ctx, key)
		// ok: go-redis-incr-then-expire
		pipe.Expire(ctx, key, time.Minute)
		return nil
	})
	if err != nil {
		return false, err
	}
	return incr.Val() <= l.limit, nil
}

func (s *Sessions) Touch(ctx context.Context, id string) {
	s.rdb.Incr(ctx, "hits:"+id)
	// A different key: the session's TTL, not the counter's.
	// ok: go-redis-incr-then-expire
	s.rdb.Expire(ctx, "session:"+id, 30*time.Minute)
}
