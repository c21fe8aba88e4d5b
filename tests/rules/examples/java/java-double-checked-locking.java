public class Registry {
    private static Catalog catalog;
    private static volatile Catalog safeCatalog;
    private Pricing pricing;
    private final Object lock = new Object();

    public static Catalog catalog() {
        // Another thread can see the reference before Catalog's constructor has finished.
        // ruleid: java-double-checked-locking
        if (catalog == null) {
            synchronized (Registry.class) {
                if (catalog == null) {
                    catalog = new Catalog();
                }
            }
        }
        return catalog;
    }

    public Pricing pricing() {
        // No second check either: two threads both build it.
        // ruleid: java-double-checked-locking
        if (pricing == null) {
            synchronized (lock) {
                pricing = Pricing.load();
            }
        }
        return pricing;
    }

    public static Catalog safeCatalog() {
        // ok: java-double-checked-locking
        if (safeCatalog == null) {
            synchronized (Registry.class) {
                if (safeCatalog == null) {
                    safeCatalog = new Catalog();
                }
            }
        }
        return safeCatalog;
    }

    public synchronized Pricing lockedPricing() {
        // ok: java-double-checked-locking
        if (pricing == null) {
            synchronized (lock) {
                pricing = Pricing.load();
            }
        }
        return pricing;
    }

    public Pricing local() {
        Pricing p = null;
        // A local variable is not shared.
        // ok: java-double-checked-locking
        if (p == null) {
            synchronized (lock) {
                p = Pricing.load();
            }
        }
        return p;
    }
}
