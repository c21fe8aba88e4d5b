@Service
public class TicketService {
    // ruleid: java-shared-counter
    private long nextNumber = 1000;
    // ruleid: java-shared-counter
    private int issuedToday;
    // ok: java-shared-counter
    private final AtomicLong served = new AtomicLong();
    // Changed only under the lock.
    // ok: java-shared-counter
    private int pending;
    // Set once from configuration.
    // ok: java-shared-counter
    private int limit;

    public Ticket issue(String queue) {
        this.issuedToday += 1;
        served.incrementAndGet();
        return new Ticket(queue, nextNumber++);
    }

    public void enqueue() {
        synchronized (this) {
            pending++;
        }
    }

    @Value("${tickets.limit}")
    public void setLimit(int limit) {
        this.limit = limit;
    }

    public int remaining(int used) {
        // A local of the same name.
        int limit = this.limit;
        limit -= used;
        return limit;
    }
}

class Page {
    // Not shared: a new one per use.
    // ok: java-shared-counter
    private int count;

    void add() {
        count++;
    }
}
