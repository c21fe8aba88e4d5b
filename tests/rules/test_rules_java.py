"""Each Java rule flags the risky code and leaves its safe twin alone."""

from __future__ import annotations

import pytest

from bot.rules.loader import DATA_DIR
from tests.rules.conftest import rules_with_examples
from tests.rules.test_rules_javascript import load, matches

FOLDER = DATA_DIR / "java"


def method(body: str, annotations: str = "") -> str:
    """Wrap statements in a method of a class so they parse as Java."""
    return f"class C {{\n  {annotations}\n  Object m(String id) throws Exception {{\n{body}\n  }}\n}}\n"


def service(fields: str, annotation: str = "@Service") -> str:
    """Wrap field declarations in a class."""
    return f"{annotation}\npublic class S {{\n{fields}\n}}\n"


# (rule id, code, flagged?)
CASES = [
    (
        "java-trust-all-certificates",
        "class T implements X509TrustManager {\n  public void checkServerTrusted(X509Certificate[] c, String a) {}\n}",
        True,
    ),
    # An empty checkClientTrusted beside a real checkServerTrusted: outbound calls are still verified.
    (
        "java-trust-all-certificates",
        "class T implements X509TrustManager {\n  public void checkClientTrusted(X509Certificate[] c, String a) {}\n"
        "  public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {\n"
        "    delegate.checkServerTrusted(c, a);\n  }\n}",
        False,
    ),
    ("java-trust-all-certificates", method("conn.setHostnameVerifier((host, session) -> true);"), True),
    ("java-trust-all-certificates", method("b.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);"), True),
    (
        "java-trust-all-certificates",
        "class T implements X509TrustManager {\n"
        "  public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {\n"
        "    delegate.checkServerTrusted(c, a);\n  }\n}",
        False,
    ),
    ("java-jwt-decode-without-verify", method("return JWT.decode(token).getSubject();"), True),
    ("java-jwt-decode-without-verify", method("DecodedJWT d = JWT.decode(token);\nverifier.verify(token);"), False),
    ("java-catch-swallows-error", method("try { x(); } catch (IOException e) { }"), True),
    ("java-catch-swallows-error", method("try { x(); } catch (Exception e) { return null; }"), True),
    ("java-catch-swallows-error", method('try { x(); } catch (Exception e) { log.warn("x failed", e); }'), False),
    (
        "java-catch-swallows-error",
        method("try { x(); } catch (Exception e) { throw new IllegalStateException(e); }"),
        False,
    ),
    ("java-print-stack-trace", method("try { x(); } catch (Exception e) { e.printStackTrace(); }"), True),
    ("java-print-stack-trace", method('try { x(); } catch (Exception e) { log.error("x", e); }'), False),
    ("java-http-client-without-timeout", service("private final RestTemplate rest = new RestTemplate();"), True),
    ("java-http-client-without-timeout", method("HttpClient c = HttpClient.newHttpClient();"), True),
    (
        "java-http-client-without-timeout",
        method("HttpURLConnection c = (HttpURLConnection) url.openConnection();"),
        True,
    ),
    (
        "java-http-client-without-timeout",
        method("HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();"),
        False,
    ),
    (
        "java-http-client-without-timeout",
        method("HttpURLConnection c = (HttpURLConnection) url.openConnection();\nc.setReadTimeout(5000);"),
        False,
    ),
    (
        "java-retry-without-backoff",
        method(
            "for (int attempt = 0; attempt < 3; attempt++) {\n"
            "  try { return call(); } catch (IOException e) { last = e; }\n}"
        ),
        True,
    ),
    (
        "java-retry-without-backoff",
        method(
            "for (int attempt = 0; attempt < 3; attempt++) {\n"
            "  try { return call(); } catch (IOException e) { Thread.sleep(100L << attempt); }\n}"
        ),
        False,
    ),
    ("java-unbounded-query", method("return orderRepository.findAll();", '@GetMapping("/orders")'), True),
    ("java-unbounded-query", method("String q = \"SELECT * FROM orders WHERE status = 'OPEN'\";"), True),
    (
        "java-unbounded-query",
        method("return orderRepository.findAll(PageRequest.of(0, 50));", '@GetMapping("/orders")'),
        False,
    ),
    ("java-unbounded-query", method("return orderRepository.findAll();"), False),
    ("java-unbounded-query", method('String q = "SELECT * FROM orders WHERE id = ?";'), False),
    ("java-query-in-loop", method("for (String i : ids) { repo.findById(i); }"), True),
    (
        "java-query-in-loop",
        method('ids.forEach(i -> jdbcTemplate.queryForObject("SELECT 1", Integer.class, i));'),
        True,
    ),
    ("java-query-in-loop", method("List<Order> all = repo.findAllById(ids);"), False),
    (
        "java-query-in-loop",
        method("return ids.stream().map(i -> repo.findById(i).orElseThrow()).toList();"),
        True,
    ),
    # A Mono runs its lambda once: one query per request, not per row.
    ("java-query-in-loop", method("return name().flatMap(n -> sessionRepository.findByPrincipalName(n));"), False),
    # A paging loop issues one query per batch.
    (
        "java-query-in-loop",
        method("while (more) {\n  List<K> page = keyRepository.findFirst500ByIdGreaterThan(last);\n  more = false;\n}"),
        False,
    ),
    # The query already takes the group's collection.
    (
        "java-query-in-loop",
        method("for (String t : byTarget.keySet()) { repo.findByTypeInAndTargetId(byTarget.get(t), t); }"),
        False,
    ),
    (
        "java-shared-mutable-state",
        service(
            "private final Map<String, Order> cache = new HashMap<>();\nvoid keep(Order o) { cache.put(o.id(), o); }"
        ),
        True,
    ),
    (
        "java-shared-mutable-state",
        service('private static SimpleDateFormat F = new SimpleDateFormat("y");\nString d() { return F.format(now); }'),
        True,
    ),
    (
        "java-shared-mutable-state",
        service(
            "private final Map<String, Order> cache = new ConcurrentHashMap<>();\n"
            "void k(Order o) { cache.put(o.id(), o); }"
        ),
        False,
    ),
    (
        "java-shared-mutable-state",
        service("private final List<String> names = new ArrayList<>();\nvoid a() { names.add(x); }", ""),
        False,
    ),
    ("java-shared-mutable-state", service("private final Map<String, Order> cache = new HashMap<>();"), False),
    ("java-shared-counter", service("private int served;\nvoid serve() { served++; }"), True),
    (
        "java-shared-counter",
        service("private final AtomicInteger served = new AtomicInteger();\nvoid s() { served.incrementAndGet(); }"),
        False,
    ),
    ("java-shared-counter", service("private int served;\nsynchronized void serve() { served++; }"), False),
    (
        "java-read-modify-write",
        service(
            "void take(long id) {\n  Item i = items.findById(id).orElseThrow();\n"
            "  i.setStock(i.getStock() - 1);\n  items.save(i);\n}"
        ),
        True,
    ),
    (
        "java-read-modify-write",
        service(
            "void take(long id) {\n  Item i = items.findByIdForUpdate(id);\n"
            "  i.setStock(i.getStock() - 1);\n  items.save(i);\n}"
        ),
        False,
    ),
    (
        "java-thread-per-request",
        service("@PostMapping public void go() { new Thread(() -> work()).start(); }", "@RestController"),
        True,
    ),
    (
        "java-thread-per-request",
        service("@PostMapping public void go() { executor.submit(() -> work()); }", "@RestController"),
        False,
    ),
    (
        "java-http-client-per-request",
        service(
            "@GetMapping public String r() { return HttpClient.newHttpClient().send(q, h).body(); }", "@RestController"
        ),
        True,
    ),
    (
        "java-http-client-per-request",
        service("private final HttpClient c = HttpClient.newHttpClient();", "@RestController"),
        False,
    ),
    ("java-unbounded-threads", service("private final ExecutorService p = Executors.newCachedThreadPool();"), True),
    ("java-unbounded-threads", method("for (Job j : jobs) { new Thread(() -> run(j)).start(); }"), True),
    ("java-unbounded-threads", service("private final ExecutorService p = Executors.newFixedThreadPool(8);"), False),
    (
        "java-redis-incr-then-expire",
        method("long n = jedis.incr(id);\njedis.expire(id, 60);"),
        True,
    ),
    ("java-redis-incr-then-expire", method("redis.opsForValue().set(id, v);\nredis.expire(id, ttl);"), False),
    ("java-localhost-url", service('private static final String URL = "http://localhost:8081/api";'), True),
    ("java-localhost-url", service('@Value("${payments.url}") private String url;'), False),
    ("java-test-credential", service('private static final String KEY = "sk_test_51HqLyjWDarjtT1zdp7dc";'), True),
    ("java-test-credential", service('@Value("${stripe.key}") private String key;'), False),
]


@pytest.mark.parametrize(("rule_id", "code", "flagged"), CASES)
def test_rule_flags_only_the_risky_code(rule_id: str, code: str, flagged: bool) -> None:
    found = matches(load(rule_id, FOLDER), code, "java")
    assert bool(found) is flagged, found


def test_every_java_rule_has_a_flagged_and_a_clean_case() -> None:
    # A rule whose evidence is its annotated example file needs no case here.
    ids = {p.stem for p in FOLDER.glob("*.yml")} - rules_with_examples("java")
    assert {rid for rid, _, f in CASES if f} >= ids
    assert {rid for rid, _, f in CASES if not f} >= ids
