@RestController
@RequestMapping("/reports")
public class ReportController {
    private final ThreadPoolTaskExecutor reportExecutor;
    private final ExecutorService shared = Executors.newFixedThreadPool(4);

    @PostMapping
    public ResponseEntity<Void> start(@RequestBody ReportRequest request) {
        // ruleid: java-thread-per-request
        new Thread(() -> reports.build(request)).start();
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/{id}/parts")
    public List<Part> parts(@PathVariable long id) throws Exception {
        // ruleid: java-thread-per-request
        ExecutorService pool = Executors.newFixedThreadPool(8);
        return pool.invokeAll(tasksFor(id)).stream().map(this::join).toList();
    }

    public ResponseEntity<Void> export(long id) {
        // ruleid: java-thread-per-request
        Thread worker = new Thread(() -> exporter.run(id), "export-" + id);
        worker.start();
        return ResponseEntity.accepted().build();
    }

    @PostMapping("/queued")
    public ResponseEntity<Void> queued(@RequestBody ReportRequest request) {
        // ok: java-thread-per-request
        reportExecutor.submit(() -> reports.build(request));
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/virtual")
    public List<Part> virtualParts(long id) throws Exception {
        // ok: java-thread-per-request
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            return ex.invokeAll(tasksFor(id)).stream().map(this::join).toList();
        }
    }

    @PostConstruct
    public void warmUp() {
        // Runs once at start-up, not per request.
        // ok: java-thread-per-request
        new Thread(this::prime, "warm-up").start();
    }
}

public class LegacyExportServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
        // ruleid: java-thread-per-request
        ExecutorService ex = Executors.newSingleThreadExecutor();
        ex.submit(() -> export(req.getParameter("id")));
    }
}

@Component
public class Indexer {
    // A component's public method is not a request handler by itself.
    public void start() {
        // ok: java-thread-per-request
        new Thread(this::loop, "indexer").start();
    }
}
