@RestController
public class OrderController {
    // ruleid: java-shared-mutable-state
    private final Map<Long, Order> recent = new HashMap<>();
    // Only read after construction.
    // ok: java-shared-mutable-state
    private final Map<String, String> aliases = new HashMap<>();
    // ok: java-shared-mutable-state
    private final Map<Long, Order> safe = new ConcurrentHashMap<>();
    // ruleid: java-shared-mutable-state
    private static final SimpleDateFormat DAY = new SimpleDateFormat("yyyy-MM-dd");

    public OrderController() {
        aliases.put("latest", "recent");
    }

    @GetMapping("/{id}")
    public Order get(@PathVariable long id) {
        Order order = recent.get(id);
        if (order == null) {
            order = orders.findById(id).orElseThrow();
            recent.put(id, order);
            safe.put(id, order);
        }
        return order;
    }

    @GetMapping("/day")
    public String day() {
        return DAY.format(new Date());
    }
}

@Service
public class TagService {
    // Filled once at start-up, read-only afterwards.
    // ok: java-shared-mutable-state
    private final List<String> reserved = new ArrayList<>();
    // Every change happens under the lock.
    // ok: java-shared-mutable-state
    private final Set<String> seen = new HashSet<>();
    // ruleid: java-shared-mutable-state
    private final List<String> recentTags = new ArrayList<>();

    @PostConstruct
    void load() {
        reserved.addAll(List.of("admin", "root"));
    }

    public boolean firstTime(String tag) {
        synchronized (seen) {
            return seen.add(tag);
        }
    }

    public void remember(String tag) {
        this.recentTags.add(tag);
    }

    public List<String> build(String prefix) {
        // A local list that happens to share the name.
        List<String> reserved = new ArrayList<>();
        reserved.add(prefix);
        return reserved;
    }
}

class Tags {
    // Not a bean: each caller makes its own.
    // ok: java-shared-mutable-state
    private final List<String> names = new ArrayList<>();

    void add(String n) {
        names.add(n);
    }
}

@Component
public class ProxyRegistry {
    private final StampedLock lock = new StampedLock();
    // Every change holds the write lock.
    // ok: java-shared-mutable-state
    private final Map<String, Route> routes = new HashMap<>();

    public void register(String name, Route route) {
        long stamp = lock.writeLock();
        try {
            routes.put(name, route);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static class Migration {
        // A helper object made per run, not the bean's own state.
        // ok: java-shared-mutable-state
        private final Map<String, String> seen = new HashMap<>();

        void mark(String k) {
            seen.put(k, k);
        }
    }
}

public class SiteSettings {
    // Static: every thread reads it, and an admin request changes it at runtime.
    // ruleid: java-shared-mutable-state
    private static Map<String, String> SETTINGS = new HashMap<>();
    // Static and filled by the static initializer only.
    // ok: java-shared-mutable-state
    private static final Map<String, String> DEFAULTS = new HashMap<>();
    // Changed only by a synchronized method.
    // ok: java-shared-mutable-state
    private static final List<Runnable> HOOKS = new ArrayList<>();

    static {
        DEFAULTS.put("name", "shop");
    }

    public static String get(String key) {
        return SETTINGS.getOrDefault(key, DEFAULTS.get(key));
    }

    public static void update(Map<String, String> changed) {
        SETTINGS.putAll(changed);
    }

    public static synchronized void onReady(Runnable hook) {
        HOOKS.add(hook);
    }
}
