"""Each Go rule flags the risky code and leaves its safe twin alone."""

from __future__ import annotations

import pytest

from bot.rules.loader import DATA_DIR
from tests.rules.conftest import rules_with_examples
from tests.rules.test_rules_javascript import load, matches

FOLDER = DATA_DIR / "go"


def go(body: str, params: str = "ctx context.Context") -> str:
    """Wrap statements in a function so they parse as Go."""
    return f"package p\n\nfunc f({params}) {{\n{body}\n}}\n"


HANDLER = "w http.ResponseWriter, r *http.Request"

# (rule id, code, flagged?)
CASES = [
    ("go-http-client-without-timeout", "package p\nvar c = &http.Client{}", True),
    ("go-http-client-without-timeout", "package p\nvar c = &http.Client{Transport: t}", True),
    ("go-http-client-without-timeout", "package p\nvar c = &http.Client{Timeout: 5 * time.Second}", False),
    # Each request carries its own deadline.
    (
        "go-http-client-without-timeout",
        "package p\nfunc send(req *http.Request) error {\n"
        "\tctx, cancel := context.WithTimeout(req.Context(), time.Minute)\n"
        "\tdefer cancel()\n\tc := &http.Client{}\n\t_, err := c.Do(req.WithContext(ctx))\n\treturn err\n}",
        False,
    ),
    (
        "go-http-client-without-timeout",
        "package p\nfunc send(req *http.Request) error {\n"
        "\tc := &http.Client{}\n\t_, err := c.Do(req.WithContext(ctx))\n\treturn err\n}",
        True,
    ),
    ("go-http-default-client", go("resp, err := http.Get(url)"), True),
    ("go-http-default-client", go("resp, err := http.DefaultClient.Do(req)"), True),
    ("go-http-default-client", go("resp, err := client.Do(req)"), False),
    ("go-http-server-without-timeouts", go('http.ListenAndServe(":8080", mux)'), True),
    ("go-http-server-without-timeouts", go('s := &http.Server{Addr: ":8080", Handler: mux}'), True),
    (
        "go-http-server-without-timeouts",
        go('s := &http.Server{Addr: ":80", ReadHeaderTimeout: 5 * time.Second}'),
        False,
    ),
    (
        "go-retry-without-backoff",
        go("for attempt := 0; attempt < 3; attempt++ {\n\terr = call()\n\tif err != nil {\n\t\tcontinue\n\t}\n}"),
        True,
    ),
    (
        "go-retry-without-backoff",
        go(
            "for attempt := 0; attempt < 3; attempt++ {\n\terr = call()\n\tif err != nil {\n"
            "\t\ttime.Sleep(time.Duration(1<<attempt) * time.Second)\n\t}\n}"
        ),
        False,
    ),
    ("go-context-background-in-handler", go("ctx := context.Background()\n_ = ctx", HANDLER), True),
    ("go-context-background-in-handler", go("ctx := context.Background()\n_ = ctx", "n int"), False),
    # Only a log line gets it: nothing waits on the context.
    (
        "go-context-background-in-handler",
        go('slog.Default().LogAttrs(context.Background(), slog.LevelInfo, "request")', HANDLER),
        False,
    ),
    (
        "go-context-background-in-handler",
        go("rows, _ := db.QueryContext(context.Background(), q)\n_ = rows", HANDLER),
        True,
    ),
    ("go-unchecked-error", go('db.Exec("UPDATE t SET a = 1")'), True),
    ("go-unchecked-error", go('if _, err := tx.Exec("DELETE FROM t"); err != nil {\n\treturn\n}\ntx.Commit()'), True),
    ("go-unchecked-error", go("tx.Commit()"), False),
    ("go-unchecked-error", go('if _, err := db.Exec("UPDATE t SET a = 1"); err != nil {\n\treturn\n}'), False),
    ("go-unchecked-error", go("defer tx.Commit()"), False),
    ("go-unchecked-error", "package p\n\nfunc f() error {\n\tdb.QueryRow(q).Scan(&n)\n\treturn nil\n}\n", True),
    ("go-unchecked-error", go("db.QueryRow(q, id).Scan(&exists)"), False),
    ("go-error-discarded", go("_ = err"), True),
    ("go-error-discarded", go('n, _ := strconv.Atoi(r.FormValue("n"))'), True),
    ("go-error-discarded", go("rows, _ := db.Query(q, id)"), True),
    ("go-error-discarded", go("_ = tx.Commit()"), True),
    # A parse of stored data falling back to zero, a bool from goquery, a rollback in a defer: deliberate.
    ("go-error-discarded", go("n, _ := strconv.Atoi(s)"), False),
    ("go-error-discarded", go('href, _ := s.Attr("href")'), False),
    ("go-error-discarded", go("_ = tx.Rollback()"), False),
    ("go-error-discarded", go("v, _ := cache.Load(k)"), False),
    ("go-error-discarded", go("n, err := strconv.Atoi(s)"), False),
    ("go-empty-error-branch", go("if err != nil {\n}"), True),
    # The client has gone: nobody is left to tell.
    ("go-empty-error-branch", go("if _, err := io.WriteString(w, frame); err != nil {\n}"), False),
    ("go-empty-error-branch", go("if err := store.Save(ctx, m); err != nil {\n}"), True),
    (
        "go-empty-error-branch",
        "package p\n\nfunc save() error {\n\terr := w()\n\tif err != nil {\n\t\treturn nil\n\t}\n\treturn w()\n}\n",
        True,
    ),
    # A bare return in a handler, `continue` past one bad item: that is the handling.
    ("go-empty-error-branch", go("if err != nil {\n\treturn\n}", HANDLER), False),
    ("go-empty-error-branch", go("go func() {\n\tif err != nil {\n\t\treturn\n\t}\n}()"), True),
    ("go-empty-error-branch", go("for _, u := range us {\n\tif err != nil {\n\t\tcontinue\n\t}\n}"), False),
    ("go-empty-error-branch", go('if err != nil {\n\treturn fmt.Errorf("load: %w", err)\n}'), False),
    ("go-tls-insecure-skip-verify", go("c := &tls.Config{InsecureSkipVerify: true}"), True),
    ("go-tls-insecure-skip-verify", go("c := &tls.Config{MinVersion: tls.VersionTLS12}"), False),
    # A hook calling this same server over loopback; a remote host named beside it stays reported.
    (
        "go-tls-insecure-skip-verify",
        go(
            'u := conf.Server.LocalRootURL + "api/trigger"\n'
            "c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}\n"
            "c.Get(u)"
        ),
        False,
    ),
    (
        "go-tls-insecure-skip-verify",
        go('c := &tls.Config{InsecureSkipVerify: true}\nresp, err := get(c, "https://127.0.0.1:3000/health")'),
        False,
    ),
    (
        "go-tls-insecure-skip-verify",
        go('c := &tls.Config{InsecureSkipVerify: true}\nresp, err := get(c, "https://api.partner.example/health")'),
        True,
    ),
    # The user's own opt-in for a self-signed peer.
    (
        "go-tls-insecure-skip-verify",
        go("if feed.AllowSelfSignedCertificates {\n\tc = &tls.Config{InsecureSkipVerify: true}\n}"),
        False,
    ),
    ("go-jwt-parse-unverified", go("_, _, err := p.ParseUnverified(raw, claims)"), True),
    ("go-jwt-parse-unverified", go("_, _, err := p.ParseUnverified(raw, claims)\ntok, err := p.Parse(raw, kf)"), False),
    (
        "go-goroutine-shared-write",
        go("for _, it := range items {\n\tgo func(it Item) {\n\t\tresults[it.ID] = compute(it)\n\t}(it)\n}"),
        True,
    ),
    ("go-goroutine-shared-write", go("go func() {\n\tout = append(out, 1)\n}()"), True),
    (
        "go-goroutine-shared-write",
        go("go func() {\n\tmu.Lock()\n\tresults[k] = v\n\tmu.Unlock()\n}()"),
        False,
    ),
    ("go-goroutine-shared-write", go("go func() {\n\tlocal := map[string]int{}\n\tlocal[k] = 1\n}()"), False),
    (
        "go-goroutine-shared-variable",
        go("n := 0\nfor _, it := range items {\n\tgo func() {\n\t\tn++\n\t}()\n}"),
        True,
    ),
    (
        "go-goroutine-shared-variable",
        go("n := 0\nfor _, it := range items {\n\tgo func() {\n\t\tmu.Lock()\n\t\tn++\n\t\tmu.Unlock()\n\t}()\n}"),
        False,
    ),
    (
        "go-close-while-sending",
        go("ch := make(chan int)\ngo func() {\n\tfor {\n\t\tch <- 1\n\t}\n}()\nclose(ch)"),
        True,
    ),
    ("go-close-while-sending", go("ch := make(chan int)\ngo func() {\n\tdefer close(ch)\n\tch <- 1\n}()"), False),
    ("go-redis-incr-then-expire", go("rdb.Incr(ctx, key)\nrdb.Expire(ctx, key, time.Minute)"), True),
    (
        "go-redis-incr-then-expire",
        go("pipe := rdb.TxPipeline()\npipe.Incr(ctx, key)\npipe.Expire(ctx, key, time.Minute)\npipe.Exec(ctx)"),
        False,
    ),
    ("go-http-transport-per-call", go("c := &http.Client{Transport: &http.Transport{}}\nresp, err := c.Do(req)"), True),
    ("go-http-transport-per-call", "package p\nvar c = &http.Client{Transport: &http.Transport{}}", False),
    ("go-handler-writes-shared-map", go("sessions[id] = s", HANDLER), True),
    ("go-handler-writes-shared-map", go("mu.Lock()\nsessions[id] = s\nmu.Unlock()", HANDLER), False),
    ("go-handler-writes-shared-map", go("m := map[string]int{}\nm[id] = 1", HANDLER), False),
    ("go-handler-writes-shared-map", go("h.sessions[id] = s", HANDLER), True),
    ("go-handler-writes-shared-map", go("h.hits[id]++", HANDLER), True),
    ("go-handler-writes-shared-map", go("delete(h.sessions, id)", HANDLER), True),
    ("go-handler-writes-shared-map", go("delete(sessions, id)", HANDLER), True),
    # The session this request loaded for itself.
    (
        "go-handler-writes-shared-map",
        go('session, err := store.Get(r, "blog")\ndelete(session.Values, alias)', HANDLER),
        False,
    ),
    # The slice hangs off a value this request built for its response.
    (
        "go-handler-writes-shared-map",
        go(
            "result := resp{Items: make([]item, len(xs))}\nfor i, x := range xs {\n  result.Items[i] = item{x}\n}",
            HANDLER,
        ),
        False,
    ),
    ("go-unbounded-goroutines", go("for _, it := range items {\n\tgo handle(it)\n}"), True),
    ("go-unbounded-goroutines", go("go audit(r)", HANDLER), True),
    ("go-unbounded-goroutines", go("for i := 0; i < workers; i++ {\n\tgo worker(jobs)\n}"), False),
    # An accept loop: one goroutine per live connection, as net/http serves.
    (
        "go-unbounded-goroutines",
        go(
            "for newChan := range chans {\n\tch, _, err := newChan.Accept()\n\tif err != nil {\n\t\tcontinue\n\t}\n"
            "\tgo serve(ch)\n}"
        ),
        False,
    ),
    ("go-unbounded-goroutines", go("g.SetLimit(8)\nfor _, it := range items {\n\tgo handle(it)\n}"), False),
    ("go-read-all-unbounded", go("b, err := io.ReadAll(r.Body)", HANDLER), True),
    (
        "go-read-all-unbounded",
        go("r.Body = http.MaxBytesReader(w, r.Body, 1<<20)\nb, err := io.ReadAll(r.Body)", HANDLER),
        False,
    ),
    ("go-read-all-unbounded", go("b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))"), False),
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go("ids, err := s.ListUserIDs(ctx)\nfor _, id := range ids {\n\trow := db.QueryRow(q, id)\n}"),
        True,
    ),
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go(
            "rows, err := db.Query(q)\nfor rows.Next() {\n\tvar e Entry\n\tentries = append(entries, e)\n}\n"
            "for _, e := range entries {\n\tdb.QueryRow(u, e.ID)\n}"
        ),
        True,
    ),
    # A write per row read: a batch run row by row (a repair job, a deletion), not a read per row.
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go(
            "rows, err := db.Query(q)\nfor rows.Next() {\n\tvar e Entry\n\tentries = append(entries, e)\n}\n"
            "for _, e := range entries {\n\tdb.Exec(u, e.ID)\n}"
        ),
        False,
    ),
    # A loop over what the caller passed: a bounded batch, not rows read here.
    (
        "go-query-in-loop",
        'import "database/sql"\n\n' + go("for _, id := range ids {\n\trow := db.QueryRow(q, id)\n}"),
        False,
    ),
    # goquery's selections are not a database: without a database package nothing is a query.
    ("go-query-in-loop", go('for _, n := range nodes {\n\tdoc.Find("a").First()\n}'), False),
    ("go-query-in-loop", go("for _, id := range ids {\n\tv := r.URL.Query().Get(id)\n}"), False),
    ("go-query-in-loop", go('rows, err := db.Query("SELECT id FROM t WHERE id = ANY($1)", pq.Array(ids))'), False),
    # Batched deletes are the fix for one query per row.
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go(
            "for _, batch := range batches(ids, 500) {\n"
            "\t_, err := tx.ExecContext(ctx, `DELETE FROM t WHERE id IN `+in(batch))\n}"
        ),
        False,
    ),
    # A first argument that is a string but not SQL: a process label, a metadata key.
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go('for _, k := range keys {\n\tout, err := process.Exec("get " + k, "git", "config", k)\n}'),
        False,
    ),
    (
        "go-query-in-loop",
        'import "database/sql"\n\n' + go('for _, h := range hs {\n\tv := meta.Get("origin")\n}'),
        False,
    ),
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go(
            "ids, err := store.FindOrderIDs(ctx, user)\nfor _, id := range ids {\n"
            "\terr := db.QueryRowContext(ctx, `SELECT n FROM t WHERE id = $1`, id).Scan(&n)\n}"
        ),
        True,
    ),
    (
        "go-query-in-loop",
        'import "database/sql"\n\n'
        + go(
            'err = sess.Where("repo_id=?", repo.ID).Find(&issues)\n'
            'for _, i := range issues {\n\terr = sess.Where("issue_id=?", i.ID).Find(&atts)\n}'
        ),
        True,
    ),
    # A failed parse's zero value checked on the next line is handled.
    (
        "go-error-discarded",
        go('uid, _ := strconv.ParseInt(c.Query("uid"), 10, 64)\nif uid == 0 {\n\treturn\n}'),
        False,
    ),
    ("go-error-discarded", go('uid, _ := strconv.ParseInt(c.Query("uid"), 10, 64)\nremove(uid)'), True),
    ("go-error-discarded", go('render, _ := strconv.ParseBool(c.Query("render"))'), False),
    # Building a request fails only on a malformed method or URL: real code builds it from settled URLs.
    ("go-error-discarded", go("req, _ := http.NewRequestWithContext(ctx, http.MethodPost, sinkURL, body)"), False),
    ("go-error-discarded", go('req, _ := http.NewRequest("GET", "https://api.example.com/v1/ping", nil)'), False),
    ("go-unbounded-query", go('rows, err := db.Query("SELECT * FROM accounts")'), True),
    # A table of what administrators configured.
    ("go-unbounded-query", go("rows, err := tx.QueryContext(ctx, `SELECT id, uid FROM idp ORDER BY id`)"), False),
    ("go-unbounded-query", go('rows, err := db.Query("SELECT key, value FROM system_setting")'), False),
    ("go-unbounded-query", go('rows, err := db.Query("SELECT id FROM jobs WHERE done = false")'), True),
    ("go-unbounded-query", go('rows, err := db.Query("SELECT id FROM jobs WHERE id > $1 LIMIT 100", id)'), False),
    ("go-localhost-url", go('dsn := "postgres://app@localhost:5432/app"'), True),
    ("go-localhost-url", go('dsn := os.Getenv("DATABASE_URL")'), False),
    # A unix-socket peer named as loopback for the trusted-proxy check: who called, not whom to call.
    ("go-localhost-url", go('if r.RemoteAddr == "@" {\n\tr.RemoteAddr = "127.0.0.1:65535"\n}'), False),
    ("go-localhost-url", go('cfg.Addr = "127.0.0.1:6379"'), True),
    ("go-localhost-url", go('email := uuid.New().String() + "@localhost"'), False),
    ("go-localhost-url", go('dsn := "postgres://app:pw@localhost:5432/app"'), True),
    ("go-localhost-url", go('fmt.Printf("memos is running at http://localhost:%d\\n", port)'), False),
    ("go-localhost-url", '//go:build !prod\n\npackage web\n\nvar devServer = "http://localhost:5173"\n', False),
    ("go-debug-enabled", go("gin.SetMode(gin.DebugMode)"), True),
    ("go-debug-enabled", 'package main\n\nimport _ "net/http/pprof"\n', True),
    ("go-debug-enabled", go("gin.SetMode(gin.ReleaseMode)"), False),
    ("go-test-credential", go('key := "sk_test_abcdefgh12345"'), True),
    ("go-test-credential", go('key := os.Getenv("STRIPE_KEY")'), False),
]


@pytest.mark.parametrize(("rule_id", "code", "flagged"), CASES)
def test_rule_flags_only_the_risky_code(rule_id: str, code: str, flagged: bool) -> None:
    found = matches(load(rule_id, FOLDER), code, "go")
    assert bool(found) is flagged, found


def test_every_go_rule_has_a_flagged_and_a_clean_case() -> None:
    # A rule whose evidence is its annotated example file needs no case here.
    ids = {p.stem for p in FOLDER.glob("*.yml")} - rules_with_examples("go")
    assert {rid for rid, _, f in CASES if f} >= ids
    assert {rid for rid, _, f in CASES if not f} >= ids
