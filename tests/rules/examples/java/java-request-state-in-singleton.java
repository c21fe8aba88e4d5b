@Service
public class ImportService {
    private final UserHolder userHolder;
    private String currentUser;
    private int batchSize;
    private volatile String lastOperator;

    public ImportService(UserHolder userHolder) {
        this.userHolder = userHolder;
    }

    public void importFile(InputStream in) {
        // The next request overwrites it while this one is still importing.
        // ruleid: java-request-state-in-singleton
        currentUser = userHolder.getUser().getUserId();
        // ruleid: java-request-state-in-singleton
        this.currentUser = SecurityContextHolder.getContext().getAuthentication().getName();
        // Configuration, not request data.
        // ok: java-request-state-in-singleton
        batchSize = config.importBatchSize();
        // Visible to every thread at once is still shared by every request.
        // ruleid: java-request-state-in-singleton
        lastOperator = userHolder.getUser().getUserId();
        // A local variable is the request's own.
        String user = userHolder.getUser().getUserId();
        save(in, user);
    }

    public void setCurrentUser(String user) {
        // ok: java-request-state-in-singleton
        this.currentUser = user;
    }
}

public class ImportJob {
    private String currentUser;

    public void run(Request request) {
        // Not a singleton bean: one object per job.
        // ok: java-request-state-in-singleton
        currentUser = request.getUser();
    }
}
