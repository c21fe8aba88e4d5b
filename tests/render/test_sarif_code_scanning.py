"""SARIF that GitHub code scanning keeps: valid 2.1.0, stable fingerprints, described rules, CWE tags."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bot.render.github import inline_comments
from bot.render.sarif import FINGERPRINT_KEY, cwe_of, plain_text, render_sarif
from bot.review.diff import parse_diff
from bot.review.models import ReviewResult
from bot.rules.catalog import all_rules
from bot.rules.engine import run_rules

# Our own reduced schema (no PyPI package ships the OASIS document; see its $comment).
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-reduced.schema.json").read_text())
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "risky-checkout.diff"


def _diff(prefix_lines: int) -> str:
    """Return a new file whose risky lines sit below `prefix_lines` harmless ones."""
    body = [f"X{i} = {i}" for i in range(prefix_lines)]
    body += [
        "import requests",
        "def charge(cur, order_id):",
        '    cur.execute("SELECT * FROM orders WHERE id = %s" % order_id)',
        '    return requests.post("http://localhost:4000/charge")',
    ]
    added = "".join(f"+{line}\n" for line in body)
    return (
        "diff --git a/shop/pay.py b/shop/pay.py\nnew file mode 100644\n--- /dev/null\n+++ b/shop/pay.py\n"
        f"@@ -0,0 +1,{len(body)} @@\n{added}"
    )


async def _review(diff: str) -> tuple[ReviewResult, list]:
    from bot.review.config import RepoConfig
    from bot.review.pipeline import run_review

    files = parse_diff(diff)
    return await run_review(files, config=RepoConfig(), rules=run_rules), files


async def test_the_log_is_valid_sarif_that_code_scanning_reads():
    result, files = await _review(EXAMPLE.read_text())
    log = json.loads(render_sarif(result, files))
    jsonschema.validate(log, SCHEMA, format_checker=jsonschema.FormatChecker())
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["helpUri"].startswith("https://") for r in rules)
    results = log["runs"][0]["results"]
    assert results and all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    sql = next(r for r in rules if r["id"] == "py-sql-built-from-strings")
    assert sql["properties"]["tags"] == ["security", "external/cwe/cwe-89"]
    assert sql["properties"]["security-severity"] == "8.0"
    assert sql["help"]["markdown"] and sql["fullDescription"]["text"]


async def test_message_text_is_plain_and_the_markdown_is_kept_beside_it():
    result, files = await _review(EXAMPLE.read_text())
    for r in json.loads(render_sarif(result, files))["runs"][0]["results"]:
        assert "`" not in r["message"]["text"] and "**" not in r["message"]["text"]
        assert r["message"]["markdown"].startswith("**")


async def test_fingerprints_stay_when_unrelated_lines_above_a_finding_move():
    first, first_files = await _review(_diff(0))
    moved, moved_files = await _review(_diff(7))

    def prints(result: ReviewResult, files: list) -> dict[str, str]:
        runs = json.loads(render_sarif(result, files))["runs"][0]["results"]
        return {r["ruleId"]: r["partialFingerprints"][FINGERPRINT_KEY] for r in runs}

    before, after = prints(first, first_files), prints(moved, moved_files)
    assert before and before == after
    lines = {f.rule: f.line for f in first.findings}
    assert all(f.line == lines[f.rule] + 7 for f in moved.findings)


async def test_sarif_fingerprints_are_the_inline_comments_own():
    result, files = await _review(EXAMPLE.read_text())
    comments = [c.fingerprint for c in inline_comments(result.findings, files)]
    sarif = [
        r["partialFingerprints"][FINGERPRINT_KEY] for r in json.loads(render_sarif(result, files))["runs"][0]["results"]
    ]
    assert sarif == comments


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.category == "security"], ids=lambda r: r.id)
def test_every_security_rule_has_a_cwe(rule):
    assert cwe_of(rule.id) is not None


def test_plain_text_drops_markup():
    assert plain_text("Use `timeout=` and **never** [this](https://x.y)") == "Use timeout= and never this (https://x.y)"
