LIMIT = 100


def allow(r, ip):
    key = f"rate:{ip}"
    n = r.incr(key)
    if n == 1:
        # ruleid: py-redis-incr-then-expire
        r.expire(key, 60)
    return n <= LIMIT


def allow_atomic(r, ip):
    key = f"rate:{ip}"
    with r.pipeline() as pipe:
        pipe.incr(key)
        # ok: py-redis-incr-then-expire
        pipe.expire(key, 60)
        n, _ = pipe.execute()
    return n <= LIMIT


async def hits(redis, user):
    count = await redis.incr(f"hits:{user}")
    # ruleid: py-redis-incr-then-expire
    await redis.expire(f"hits:{user}", 3600)
    return count


def remember(r, token, user):
    r.set(token, user)
    # ok: py-redis-incr-then-expire
    r.expire(token, 3600)
