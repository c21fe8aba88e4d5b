"""TypeScript rules: the JavaScript rules, kept in step, and matching TypeScript and TSX syntax."""

from __future__ import annotations

import pytest
import yaml

from bot.rules.loader import DATA_DIR
from tests.rules.test_rules_javascript import CASES as JS_CASES
from tests.rules.test_rules_javascript import load, matches

TS = DATA_DIR / "typescript"
JS = DATA_DIR / "javascript"


def test_each_javascript_rule_has_a_typescript_twin_with_the_same_logic() -> None:
    # ast-grep parses patterns per language, so TypeScript needs its own files; they must not drift.
    js = {p.stem.removeprefix("js-"): p for p in JS.glob("*.yml")}
    ts = {p.stem.removeprefix("ts-"): p for p in TS.glob("*.yml")}
    assert js.keys() == ts.keys()
    for name in js:
        a = yaml.safe_load(js[name].read_text(encoding="utf-8"))
        b = yaml.safe_load(ts[name].read_text(encoding="utf-8"))
        assert (b["id"], b["language"]) == (f"ts-{name}", "typescript")
        for key in ("id", "language"):
            a.pop(key)
            b.pop(key)
        assert a == b, name


@pytest.mark.parametrize(("rule_id", "code", "flagged"), JS_CASES)
def test_javascript_cases_hold_in_typescript(rule_id: str, code: str, flagged: bool) -> None:
    rule = load("ts-" + rule_id.removeprefix("js-"), TS)
    assert bool(matches(rule, code, "typescript")) is flagged


# TypeScript-only syntax: type arguments, annotations, `as` casts, and JSX in .tsx files.
TS_CASES = [
    ("ts-axios-without-timeout", "const u = (await axios.get<User>(url)).data;", "typescript", True),
    ("ts-axios-without-timeout", "await axios.post<R>(url, body, { timeout: 1000 });", "typescript", False),
    (
        "ts-query-in-loop",
        "async function f(ids: string[]) { for (const id of ids) { await db.query<Row>('SELECT 1', [id]); } }",
        "typescript",
        True,
    ),
    (
        "ts-unbounded-cache",
        "const cache: Map<string, User> = new Map();\nexport function put(u: User) { cache.set(u.id, u); }",
        "typescript",
        True,
    ),
    (
        "ts-unbounded-cache",
        "const seen = new Set<string>();\nconst mark = (id: string) => seen.add(id);",
        "typescript",
        True,
    ),
    ("ts-catch-swallows-error", "try { a(); } catch (e: unknown) {}", "typescript", True),
    ("ts-catch-swallows-error", "try { a(); } catch (e: unknown) { log.error(e as Error); }", "typescript", False),
    (
        "ts-retry-without-backoff",
        "while (true) { try { return await api.post<C>('/c', {}); } catch (err) { if (++attempt > 3) throw err; } }",
        "typescript",
        True,
    ),
    ("ts-fetch-without-timeout", "export const Page = () => <Button onClick={() => fetch(url)} />;", "tsx", True),
    ("ts-localhost-url", 'const el = <a href="http://localhost:3000/docs">docs</a>;', "tsx", True),
    ("ts-localhost-url", "const el = <a href={docsUrl}>docs</a>;", "tsx", False),
    (
        "ts-unbounded-query",
        "return this.payments.find({ where: { merchantId } as FindOptionsWhere<P> });",
        "typescript",
        True,
    ),
]


@pytest.mark.parametrize(("rule_id", "code", "language", "flagged"), TS_CASES)
def test_typescript_syntax(rule_id: str, code: str, language: str, flagged: bool) -> None:
    assert bool(matches(load(rule_id, TS), code, language)) is flagged
