@Service
class ReportClient {
    // ruleid: java-localhost-url
    private static final String BASE = "http://localhost:8081/reports";

    String base(Environment env) {
        // A fallback in service code hides the missing property.
        // ruleid: java-localhost-url
        return env.getProperty("reports.url", "http://localhost:8081/reports");
    }
}

// The documented default of a bound property class, which deployments set.
@ConfigurationProperties(prefix = "search")
class SearchProperties {
    private String[] nodes;

    String[] nodes() {
        if (nodes == null || nodes.length == 0) {
            // ok: java-localhost-url
            return new String[] {"http://localhost:9200"};
        }
        return nodes;
    }
}
