interface OrderRepository extends JpaRepository<Order, Long> {
    // ruleid: java-unbounded-query
    @Query("SELECT o FROM Order o WHERE o.status = 'OPEN'")
    List<Order> openOrders();

    // Paged by the caller.
    // ok: java-unbounded-query
    @Query("SELECT o FROM Order o WHERE o.status = 'OPEN'")
    Page<Order> openOrders(Pageable pageable);
}

@RestController
class Reports {
    @GetMapping("/orders")
    List<Order> all() {
        // Every order, to every client that asks.
        // ruleid: java-unbounded-query
        return orderRepository.findAll();
    }

    List<Order> page() {
        // ok: java-unbounded-query
        return orderRepository.findAll(PageRequest.of(0, 50));
    }

    void byKey() {
        // ok: java-unbounded-query
        String q = "SELECT * FROM orders WHERE id = ?";
        // ok: java-unbounded-query
        String m = "SELECT * FROM orders WHERE member_id = #{memberId}";
        // ok: java-unbounded-query
        String c = "SELECT count(*) FROM orders WHERE status = 'OPEN'";
        // ok: java-unbounded-query
        String ping = "SELECT 1 FROM DUAL";
    }

    // A settings table read whole on purpose: a few dozen keys.
    Iterable<ServerConfig> settings() {
        // ok: java-unbounded-query
        return serverConfigRepository.findAll();
    }

    // ok: java-unbounded-query
    @Query("SELECT a FROM App a WHERE a.name LIKE %:name%")
    List<App> findByName(@Param("name") String name);
}

@Service
class ExportService {
    // A service's caller decides whether a whole read is meant (an export, a refresh).
    List<AppNamespace> everyNamespace() {
        // ok: java-unbounded-query
        return appNamespaceRepository.findAll();
    }
}

class Routes {
    @GetMapping("/apps")
    List<App> apps() {
        // ruleid: java-unbounded-query
        return appRepository.findAll();
    }
}
