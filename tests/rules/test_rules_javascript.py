"""Each JavaScript rule flags the risky code and leaves its safe twin alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from ast_grep_py import SgRoot

from bot.rules.loader import DATA_DIR, parse_rules
from bot.rules.model import SgRule
from tests.rules.conftest import rules_with_examples

FOLDER = DATA_DIR / "javascript"


def load(rule_id: str, folder: Path = FOLDER) -> SgRule:
    """Load one built-in rule file through the real loader."""
    path = folder / f"{rule_id}.yml"
    (rule,) = parse_rules(path.read_text(encoding="utf-8"), origin=path.name, builtin=True)
    return rule


def matches(rule: SgRule, code: str, language: str = "javascript") -> list[str]:
    """Return the text of every match of `rule` in `code`, passing the rule's text pre-check as the engine does."""
    if rule.requires is not None and not rule.requires.search(code):
        return []
    return [n.text() for n in SgRoot(code, language).root().find_all(rule.matcher)]  # type: ignore[arg-type]


# (rule id, code, flagged?)
CASES = [
    ("js-redis-incr-then-expire", "async function f(r, k) {\n  await r.incr(k);\n  await r.expire(k, 60);\n}", True),
    (
        "js-redis-incr-then-expire",
        "async function f(r, k) {\n  await r.multi().incr(k).expire(k, 60).exec();\n}",
        False,
    ),
    (
        "js-connected-flag-before-connect",
        "class Q {\n  async start() {\n    this.connected = true;\n    await this.client.connect();\n  }\n}",
        True,
    ),
    (
        "js-connected-flag-before-connect",
        "class Q {\n  async start() {\n    await this.client.connect();\n    this.connected = true;\n  }\n}",
        False,
    ),
    ("js-fetch-without-timeout", "const r = await fetch(url);", True),
    ("js-fetch-without-timeout", "await fetch(url, { method: 'POST', body });", True),
    ("js-fetch-without-timeout", "await fetch(url, { signal: AbortSignal.timeout(5000) });", False),
    ("js-fetch-without-timeout", "await fetch(url, { signal });", False),
    ("js-fetch-without-timeout", "await fetch(url, options);", False),
    ("js-axios-without-timeout", "await axios.get(url);", True),
    ("js-axios-without-timeout", "await axios.post(url, body);", True),
    ("js-axios-without-timeout", "await axios.get(url, { params });", True),
    ("js-axios-without-timeout", "const api = axios.create({ baseURL });", True),
    ("js-axios-without-timeout", "await axios.post(url, body, { timeout: 3000 });", False),
    ("js-axios-without-timeout", "const api = axios.create({ baseURL, timeout: 2000 });", False),
    ("js-axios-without-timeout", "await api.get(url);", False),
    (
        "js-retry-without-backoff",
        "for (let attempt = 0; attempt < 5; attempt++) { try { return await call(); } catch (e) { last = e; } }",
        True,
    ),
    (
        "js-retry-without-backoff",
        "for (let attempt = 0; attempt < 5; attempt++) { try { return await call(); }"
        " catch (e) { await sleep(2 ** attempt * 100); } }",
        False,
    ),
    (
        "js-retry-without-backoff",
        "for (const item of items) { try { await save(item); } catch (e) { log(e); } }",
        False,
    ),
    # Retrying only a lost unique-value race or a serialisation failure: the next attempt reads fresh state.
    (
        "js-retry-without-backoff",
        "for (let attempt = 1; ; attempt++) { try { return await fn(); }"
        " catch (err) { if (!(err instanceof UniqueConstraintError) || attempt >= 3) { throw err; } } }",
        False,
    ),
    (
        "js-retry-without-backoff",
        "for (let attempt = 1; attempt < 3; attempt++) { try { return await tx(); }"
        " catch (err) { if (err.code !== 'P2034') throw err; } }",
        False,
    ),
    (
        "js-retry-without-backoff",
        "for (let attempt = 1; attempt < 3; attempt++) { try { return await call(); }"
        " catch (err) { if (err instanceof TimeoutError) continue; throw err; } }",
        True,
    ),
    ("js-tls-verification-disabled", "new https.Agent({ rejectUnauthorized: false });", True),
    ("js-tls-verification-disabled", "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", True),
    ("js-tls-verification-disabled", "new https.Agent({ rejectUnauthorized: true, ca });", False),
    # Off only when the operator writes it into the URL: their choice for their own peer.
    (
        "js-tls-verification-disabled",
        "const tls = params.get('rejectUnauthorized') === 'false' ? { rejectUnauthorized: false } : {};",
        False,
    ),
    ("js-tls-verification-disabled", "const tls = secure ? { rejectUnauthorized: false } : {};", True),
    (
        "js-tls-verification-disabled",
        "if (notification.ignoreTls) { agent = new https.Agent({ rejectUnauthorized: false }); }",
        False,
    ),
    ("js-jwt-decode-without-verify", "function me(t) { return jwt.decode(t).sub; }", True),
    # An ID token from the provider's token endpoint, in the server's own code exchange.
    ("js-jwt-decode-without-verify", "function cb(req, at, rt, params) { return jwt.decode(params.id_token); }", False),
    ("js-jwt-decode-without-verify", "function cb(req) { return jwt.decode(req.body.id_token); }", True),
    (
        "js-jwt-decode-without-verify",
        "function me(t) { const { header } = jwt.decode(t, { complete: true });"
        " return jwt.verify(t, keys[header.kid]); }",
        False,
    ),
    # passport's jwt strategy verified the token before its callback reads the claims again.
    (
        "js-jwt-decode-without-verify",
        "function auth(req, res, next) { app.auth.passport.authenticate('jwt', (err, user) => {"
        " const claims = jwt.decode(extract(req)); next(claims); })(req, res, next); }",
        False,
    ),
    (
        "js-jwt-decode-without-verify",
        "function auth(req, res, next) { passport.use(strategy); const claims = jwt.decode(extract(req)); }",
        True,
    ),
    ("js-hardcoded-jwt-secret", "jwt.sign({ sub: id }, 'secret', { expiresIn: '1h' });", True),
    ("js-hardcoded-jwt-secret", "jwt.sign({ sub: id }, process.env.JWT_SECRET);", False),
    ("js-catch-swallows-error", "try { a(); } catch (e) {}", True),
    ("js-catch-swallows-error", "try { a(); } catch (e) { return null; }", True),
    ("js-catch-swallows-error", "try { a(); } catch (e) { res.status(502).json({ error: 'down' }); }", True),
    ("js-catch-swallows-error", "try { a(); } catch {}", True),
    # A comment in the block says why the error is dropped: a deliberate fallback (issue #11).
    ("js-catch-swallows-error", "try { a(); } catch { /* cache is optional */ }", False),
    ("js-catch-swallows-error", "try { a(); } catch (e) { logger.error({ err: e }, 'failed'); }", False),
    ("js-catch-swallows-error", "try { a(); } catch (e) { throw new AppError('x', { cause: e }); }", False),
    ("js-catch-swallows-error", "try { a(); } catch (e) { lastError = e; }", False),
    # Reading a body as JSON: a body that is not JSON is the expected failure, and null says so.
    (
        "js-catch-swallows-error",
        "async function b(req) { try { return await req.json(); } catch { return null; } }",
        False,
    ),
    ("js-catch-swallows-error", "async function b(r) { try { body = await r.clone().json(); } catch {} }", False),
    # Reading the body and then writing: the write's failure is lost with it.
    (
        "js-catch-swallows-error",
        "async function b(req) { try { const x = await req.json(); await db.save(x); } catch {} }",
        True,
    ),
    ("js-promise-catch-noop", "send(mail).catch(() => {});", True),
    ("js-promise-catch-noop", "await client.send(mail).catch(() => {});", True),
    # A no-op handler on a promise held elsewhere only silences the unhandled-rejection warning.
    ("js-promise-catch-noop", "writes.push(db.remove(k));\nwrites[writes.length - 1].catch(() => {});", False),
    ("js-promise-catch-noop", "Promise.resolve(v).catch(() => {});", False),
    ("js-promise-catch-noop", "send(mail).catch(() => null);", True),
    ("js-promise-catch-noop", "send(mail).catch((err) => logger.warn({ err }, 'mail failed'));", False),
    # A fallback or default is what runs when the setting is missing: judged noise on real applications.
    ("js-localhost-url", "const url = process.env.API || 'http://localhost:3000';", False),
    ("js-localhost-url", "const url = process.env.API ?? `http://localhost:${port}`;", False),
    ("js-localhost-url", "const url = dev ? 'http://localhost:3000' : prod;", False),
    ("js-localhost-url", "function mail({ assetBaseUrl = 'http://localhost:3002' }) { return assetBaseUrl; }", False),
    ("js-localhost-url", "function call(base = 'http://localhost:3002') { return fetch(base); }", False),
    ("js-localhost-url", "const user = { email: 'api@localhost' };", False),
    ("js-localhost-url", "const db = 'postgres://app:secret@localhost:5432/app';", True),
    ("js-localhost-url", "const res = await fetch('http://localhost:8080/api/orders');", True),
    ("js-localhost-url", "const url = `${process.env.API || 'x'}` + 'http://localhost:1/';", True),
    ("js-localhost-url", "const redis = new Redis('redis://127.0.0.1:6379');", True),
    ("js-localhost-url", "const url = 'https://api.example.com';", False),
    # The address of a server the file itself starts on the loopback.
    (
        "js-localhost-url",
        "server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));",
        False,
    ),
    (
        "js-localhost-url",
        "server.listen(8080);\nconst api = `http://127.0.0.1:9000/api`;",
        True,
    ),
    ("js-localhost-url", "// see http://localhost:3000 when running locally", False),
    ("js-test-credential", "const stripe = new Stripe('sk_test_4eC39HqLyjWDarjtT1zdp7dc');", True),
    ("js-test-credential", "const config = { apiKey: 'changeme' };", True),
    ("js-test-credential", "const stripe = new Stripe(process.env.STRIPE_KEY);", False),
    # An enum of form field kinds names a type.
    ("js-test-credential", 'const FieldTypes = { TEXT: "text", PASSWORD: "password" };', False),
    ("js-test-credential", 'const db = { user: "app", password: "password" };', True),
    ("js-test-credential", 'const db = { user: "app", "password": "secret" };', True),
    # A quoted key names the field; its value is what the user typed.
    ("js-test-credential", '$.ajax({ data: { "username": username, "password": password } });', False),
    # A map of environment variable names to config keys names fields.
    ("js-test-credential", "const envToConfig = { APP_DB_PASSWORD: 'password', APP_DB_USER: 'username' };", False),
    ("js-test-credential", "const smtp = { auth: { user, pass: 'password' } };", True),
    ("js-test-credential", "const label = 'test';", False),
    ("js-test-credential", "config.adminPassword = 'changeme';", True),
    # Showing a password field again: the input's type, not a credential.
    ("js-test-credential", "passwordInput.type = 'password';", False),
    ("js-debug-enabled", "const options = { debug: true, port };", True),
    ("js-debug-enabled", "mongoose.set('debug', true);", True),
    ("js-debug-enabled", "const options = { debug: process.env.DEBUG === '1' };", False),
    ("js-debug-enabled", "if (dev) { options = { debug: true }; }", False),
    ("js-debug-enabled", "process.env.NODE_ENV = 'development';", True),
    ("js-debug-enabled", "process.env.NODE_ENV = process.env.NODE_ENV || 'production';", False),
    ("js-debug-enabled", "const log = pino({ verbose: true });", False),
    ("js-unbounded-cache", "const cache = new Map();\nfunction put(k, v) { cache.set(k, v); }", True),
    ("js-unbounded-cache", "const seen = new Set();\nconst f = (id) => seen.add(id);", True),
    (
        "js-unbounded-cache",
        "const cache = new Map();\nfunction put(k, v) { cache.set(k, v); if (cache.size > 100) cache.delete(k); }",
        False,
    ),
    ("js-unbounded-cache", "function f() { const cache = new Map(); cache.set(1, 2); }", False),
    # Emptied by a reset elsewhere in the file (`counters = {}` after each publish), and by key.
    (
        "js-unbounded-cache",
        "let counters = {};\nfunction hit(r) { counters[r] = (counters[r] || 0) + 1; }\n"
        "function flush() { counters = {}; }",
        False,
    ),
    (
        "js-unbounded-cache",
        "const pending = {};\nfunction add(id, job) { pending[id] = job; }\n"
        "function done(key) { delete pending[key]; }",
        False,
    ),
    ("js-unbounded-cache", "const ROUTES = new Map();\nROUTES.set('/', home);", False),
    # A memo of Intl formatters (keyed by zone, which Intl checks) or a test hook's map: bounded.
    (
        "js-unbounded-cache",
        "let fmts = {};\nfunction fmt(zone) {\n"
        "  if (!fmts[zone]) fmts[zone] = new Intl.DateTimeFormat('en', { timeZone: zone });\n  return fmts[zone];\n}",
        False,
    ),
    (
        "js-unbounded-cache",
        "let fmts = {};\nfunction fmt(zone) {\n"
        "  if (!fmts[zone]) fmts[zone] = new Formatter(zone);\n  return fmts[zone];\n}",
        True,
    ),
    ("js-unbounded-cache", "const mocks = new Map();\nexport function __setMock(k, v) { mocks.set(k, v); }", False),
    ("js-unbounded-cache", "const mocks = new Map();\nexport function setMock(k, v) { mocks.set(k, v); }", True),
    (
        "js-query-in-loop",
        "async function names(ids) { for (const id of ids) { rows.push(await db.query('SELECT 1', [id])); } }",
        True,
    ),
    (
        "js-query-in-loop",
        "const orders = await Order.findAll(); for (const o of orders) { o.user = await User.findByPk(o.userId); }",
        True,
    ),
    # Parsed mentions of one comment, a parent chain: no evidence of a row count.
    ("js-query-in-loop", "const ms = parseMentions(text); for (const m of ms) { await User.findByPk(m.id); }", False),
    ("js-query-in-loop", "while (parentId) { const p = await Doc.findByPk(parentId); parentId = p.parentId; }", False),
    ("js-query-in-loop", "const users = await User.findAll({ where: { id: ids } });", False),
    # DDL per stale table, or a set-based write per range: one statement per object or chunk by nature.
    (
        "js-query-in-loop",
        "const ts = await db.query('SELECT name FROM pg_tables');\n"
        "for (const t of ts) { await db.query(`DROP TABLE ${t.name}`); }",
        False,
    ),
    (
        "js-query-in-loop",
        "const ts = await db.query('SELECT name FROM pg_tables');\n"
        "for (const t of ts) { await db.query(`SELECT * FROM ${t.name}`); }",
        True,
    ),
    (
        "js-query-in-loop",
        "const weeks = await db.query('SELECT DISTINCT week FROM stats');\nfor (const { week } of weeks) {\n"
        "  await db.query('DELETE FROM stats WHERE day >= :week AND day < :next', { week });\n}",
        False,
    ),
    (
        "js-query-in-loop",
        "const rows = await db.query('SELECT id FROM stats');\nfor (const { id } of rows) {\n"
        "  await db.query('DELETE FROM stats WHERE id = :id', { id });\n}",
        True,
    ),
    ("js-unbounded-query", "const users = await User.findAll();", True),
    ("js-unbounded-query", "const users = await prisma.user.findMany({ orderBy: { id: 'asc' } });", True),
    ("js-unbounded-query", "const q = 'SELECT * FROM jobs WHERE done IS NULL';", True),
    ("js-unbounded-query", "const users = await User.findAll({ where: { digest: true } });", True),
    ("js-unbounded-query", "const users = await User.findAll({ limit: 50, offset });", False),
    ("js-unbounded-query", "const users = await User.findAll(options);", False),
    ("js-unbounded-query", "const users = await prisma.user.findMany({ take: 20 });", False),
    ("js-unbounded-query", "const q = 'SELECT * FROM users WHERE id = $1';", False),
    ("js-unbounded-query", "const item = items.find((i) => i.id === id);", False),
    # The array's length needs evidence: the request, or what this function fetched; a name of unknown origin
    # is as long as its callers make it.
    (
        "js-promise-all-unbounded",
        "async function f(req) {\n  const { ids } = req.body;\n"
        "  await Promise.all(ids.map((id) => fetch(`${base}/${id}`)));\n}",
        True,
    ),
    ("js-promise-all-unbounded", "await Promise.all(req.body.ids.map((id) => fetch(`${base}/${id}`)));", True),
    ("js-promise-all-unbounded", "await Promise.all(ids.map((id) => fetch(`${base}/${id}`)));", False),
    (
        "js-promise-all-unbounded",
        "await Promise.all(req.body.ids.map((id) => limit(() => fetch(`${base}/${id}`))));",
        False,
    ),
    ("js-promise-all-unbounded", "await Promise.all([loadUser(), loadCart()]);", False),
    ("js-read-whole-file-from-request", "const data = fs.readFileSync(req.query.path);", True),
    (
        "js-read-whole-file-from-request",
        "function avatar(req, res) { const f = path.join(DIR, req.params.f); res.send(fs.readFileSync(f)); }",
        True,
    ),
    ("js-read-whole-file-from-request", "const config = fs.readFileSync('./config.json', 'utf8');", False),
    # A number cast picks a file in a fixed folder; a raw value or a second, unchecked piece still counts.
    (
        "js-read-whole-file-from-request",
        "async function icon(req, res) { const n = Number(req.query.n); res.send(await readFile(`icons/${n}.png`)); }",
        False,
    ),
    (
        "js-read-whole-file-from-request",
        "async function icon(req, res) { const n = req.query.n; res.send(await readFile(`icons/${n}.png`)); }",
        True,
    ),
    (
        "js-read-whole-file-from-request",
        "async function icon(req, res) { const n = parseInt(req.query.n, 10); const d = req.query.d;"
        " res.send(await readFile(`icons/${d}/${n}.png`)); }",
        True,
    ),
    # A function that takes `ctx` only to pass it on, reading files it names itself.
    (
        "js-read-whole-file-from-request",
        "async function seed(ctx, team) { for (const t of ['A', 'B']) { await readFile(`docs/${t}.md`); }"
        " await save(ctx.state.user, team); }",
        False,
    ),
    (
        "js-read-whole-file-from-request",
        "async function seed(ctx) { const t = ctx.request.body.t; await readFile(`docs/${t}.md`); }",
        True,
    ),
    # Fan-out through a plain function named for I/O, not only a client method.
    (
        "js-promise-all-unbounded",
        "async function f(id) {\n  const watchers = await db('watchers').where({ id });\n"
        "  await Promise.all(watchers.map((w) => sendMail(w.email, 'Back')));\n}",
        True,
    ),
    ("js-promise-all-unbounded", "await Promise.all(req.body.rows.map((r) => toDto(r)));", False),
    # A list capped where it is made, or a page of rows read with a limit.
    ("js-promise-all-unbounded", "await Promise.all(Array(Math.min(n, 50)).fill(0).map(() => Note.save({})));", False),
    (
        "js-promise-all-unbounded",
        "await Promise.all(req.body.ids.slice(0, 20).map((id) => Note.create({ id })));",
        False,
    ),
    ("js-promise-all-unbounded", "await Promise.all(Array(n).fill(0).map(() => Note.create({})));", False),
    (
        "js-promise-all-unbounded",
        "async function f() {\n  const jobs = await Job.findAll({ where: { stuck: true }, limit });\n"
        "  await Promise.all(jobs.map((j) => j.save()));\n}",
        False,
    ),
    (
        "js-promise-all-unbounded",
        "async function f() {\n  const jobs = await Job.findAll({ where: { stuck: true } });\n"
        "  await Promise.all(jobs.map((j) => j.save()));\n}",
        True,
    ),
    # Inside a transaction the queries queue on its one connection.
    (
        "js-promise-all-unbounded",
        "async function f() {\n  const rows = await Draft.findAll();\n"
        "  await Promise.all(rows.map((r) => Item.create(r, { transaction })));\n}",
        False,
    ),
    (
        "js-promise-all-unbounded",
        "async function f() {\n  const rows = await Draft.findAll();\n"
        "  await Promise.all(rows.map((r) => Item.create(r, { hooks: false })));\n}",
        True,
    ),
    (
        "js-promise-all-unbounded",
        "async function f(ctx) {\n  const t = ctx.state.transaction;\n  const names = await Domain.listAll(ctx);\n"
        "  await Promise.all(names.map((n) => Domain.upsert(ctx, { n })));\n}",
        False,
    ),
    (
        "js-promise-all-unbounded",
        "async function f(ctx) {\n  const names = await Domain.listAll(ctx);\n"
        "  await Promise.all(names.map((n) => Domain.upsert(ctx, { n })));\n}",
        True,
    ),
    # An array's `push` is no I/O; `pushNotification` is.
    ("js-promise-all-unbounded", "await Promise.all(ids.map(async (id) => out.push(await toDto(id))));", False),
    (
        "js-promise-all-unbounded",
        "async function f(uid) {\n  const ids = await Follower.findAll({ where: { uid } });\n"
        "  await Promise.all(ids.map((id) => pushNotification(id)));\n}",
        True,
    ),
    # Query-builder escape hatches fed from the request.
    # TypeORM: a `where` without `take` returns every matching row.
    ("js-unbounded-query", "return this.payments.find({ where: { merchantId } });", True),
    ("js-unbounded-query", "return payments.findBy({ merchantId });", True),
    # Scoped to one owner on a table that does not grow per event: bounded by its key (issue #11).
    ("js-unbounded-query", "return sections.findBy({ userId });", False),
    ("js-unbounded-query", "return this.payments.find({ where: { merchantId }, take: 50 });", False),
    ("js-unbounded-query", "return items.find((i) => i.id === id);", False),
    # An event table pinned on three columns (actor, item, kind): a handful of rows; on two it still grows.
    (
        "js-unbounded-query",
        "return Notification.findAll({ where: { actorId: e.actorId, commentId: e.modelId, event: Kind.Like } });",
        False,
    ),
    ("js-unbounded-query", "return Notification.findAll({ where: { actorId: e.actorId, teamId } });", True),
    ("js-unbounded-query", "return payments.findBy({ merchantId, orderId, kind: Kind.Refund });", False),
    # File paths from the request: read directly, or joined under a folder without a containment check.
]


@pytest.mark.parametrize(("rule_id", "code", "flagged"), CASES)
def test_rule_flags_only_the_risky_code(rule_id: str, code: str, flagged: bool) -> None:
    found = matches(load(rule_id), code)
    assert bool(found) is flagged, found


def test_every_javascript_rule_has_a_flagged_and_a_clean_case() -> None:
    # A rule whose evidence is its annotated example file needs no case here.
    ids = {p.stem for p in FOLDER.glob("*.yml")} - rules_with_examples("javascript")
    assert {rid for rid, _, f in CASES if f} >= ids
    assert {rid for rid, _, f in CASES if not f} >= ids


def test_broken_code_does_not_raise() -> None:
    # Diff hunks are fragments: half a function, an unclosed brace.
    for path in FOLDER.glob("*.yml"):
        matches(load(path.stem), "function (req, res) {\n  await fetch(url\n  } catch (e) {")
