@Service
class ReportClient {
    // ruleid: java-localhost-url
    private static final String BASE = "http://localhost:8081/reports";

    String base(Environment env) {
        // A fallback for a missing property: what runs when the setting is missing.
        // ok: java-localhost-url
        return env.getProperty("reports.url", "http://localhost:8081/reports");
    }

    void started(String port) {
        // ok: java-localhost-url
        log.info("Local: http://localhost:{}", port);
        // ok: java-localhost-url
        String email = "api@localhost";
        // ruleid: java-localhost-url
        restTemplate.getForObject("http://localhost:9000/status", String.class);
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

class Defaults {
    // ok: java-localhost-url
    @Value("${payments.url:http://localhost:9090}")
    private String paymentsUrl;
}
