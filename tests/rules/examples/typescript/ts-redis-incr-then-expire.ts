export async function allow(redis, ip) {
  const key = `rate:${ip}`;
  const n = await redis.incr(key);
  if (n === 1) {
    // ruleid: ts-redis-incr-then-expire
    await redis.expire(key, 60);
  }
  return n <= LIMIT;
}

export async function allowAtomic(redis, ip) {
  const key = `rate:${ip}`;
  // ok: ts-redis-incr-then-expire
  const [[, n]] = await redis.multi().incr(key).expire(key, 60, "NX").exec();
  return n <= LIMIT;
}

export async function touch(redis, id) {
  await redis.incr(`views:${id}`);
  // A different key: the session's TTL.
  // ok: ts-redis-incr-then-expire
  await redis.expire(`session:${id}`, 1800);
}

class Throttle {
  async hit(user) {
    const count = await this.client.INCR(user);
    // ruleid: ts-redis-incr-then-expire
    await this.client.EXPIRE(user, 300);
    return count;
  }
}

export async function canSendEmail(redis: Redis, userId: string) {
  const key = `mail:${userId}`;
  const count = await redis.incr(key);
  // NX on every call: a TTL lost once is set by the next call.
  // ok: ts-redis-incr-then-expire
  await redis.expire(key, 3600, "NX");
  return count <= 5;
}
