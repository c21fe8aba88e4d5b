@RestController
public class RatesController {
    // Built once, shared by every request.
    // ok: java-http-client-per-request
    private final HttpClient shared = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @GetMapping("/rates/{pair}")
    public String rate(@PathVariable String pair) throws Exception {
        // ruleid: java-http-client-per-request
        HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();
        return client.send(request(pair), BodyHandlers.ofString()).body();
    }

    @PostMapping("/hooks")
    public void hook(@RequestBody Hook hook) throws IOException {
        // ruleid: java-http-client-per-request
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            http.execute(new HttpPost(hook.url()));
        }
    }

    public String quote(String symbol) throws IOException {
        // ruleid: java-http-client-per-request
        OkHttpClient ok = new OkHttpClient();
        return ok.newCall(new Request.Builder().url(QUOTES + symbol).build()).execute().body().string();
    }

    @GetMapping("/shared/{pair}")
    public String sharedRate(@PathVariable String pair) throws Exception {
        // ok: java-http-client-per-request
        return shared.send(request(pair), BodyHandlers.ofString()).body();
    }

    @GetMapping("/template")
    public String template() {
        // No pool of its own (java-http-client-without-timeout speaks about its timeouts).
        // ok: java-http-client-per-request
        WebClient web = WebClient.create(BASE);
        return web.get().retrieve().bodyToMono(String.class).block();
    }
}

@Configuration
class HttpConfig {
    @Bean
    public HttpClient httpClient() {
        // A bean: built once at start-up.
        // ok: java-http-client-per-request
        return HttpClient.newHttpClient();
    }
}
