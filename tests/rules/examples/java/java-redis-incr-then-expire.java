@Service
public class LoginAttempts {
    private final StringRedisTemplate redis;

    public boolean tooMany(String user) {
        String key = "login:fail:" + user;
        Long n = redis.opsForValue().increment(key);
        if (n != null && n == 1) {
            // ruleid: java-redis-incr-then-expire
            redis.expire(key, Duration.ofMinutes(15));
        }
        return n != null && n > 5;
    }

    public long hit(Jedis jedis, String ip) {
        long n = jedis.incr(ip);
        // ruleid: java-redis-incr-then-expire
        jedis.expire(ip, 60);
        return n;
    }

    public boolean tooManyAtomic(String user) {
        String key = "login:fail:" + user;
        // ok: java-redis-incr-then-expire
        Long n = redis.execute(LIMIT_SCRIPT, List.of(key), "900");
        return n != null && n > 5;
    }

    public void remember(String token, String user) {
        redis.opsForValue().set(token, user);
        // Only a TTL, no counter in this method.
        // ok: java-redis-incr-then-expire
        redis.expire(token, Duration.ofHours(1));
    }
}
