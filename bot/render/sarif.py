"""SARIF 2.1.0, for GitHub code scanning and other tools that read static-analysis results.

Code scanning keeps an alert open across pushes by the result's `partialFingerprints`; ours is the same
fingerprint the inline review comment carries (path, rule and the flagged code, never the line number), so an
alert follows its code when lines above it move, and closes when the code is fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from bot import __version__
from bot.render.github import inline_comments
from bot.review.diff import FileDiff
from bot.review.models import Category, Finding, ReviewResult, Severity

_LEVEL: dict[Severity, str] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning ranks results by this property (0.0-10.0).
_SECURITY_SEVERITY: dict[Severity, str] = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "prodready/v1"
# The weakness each security rule finds, by its id (rule ids name the language first: py-, go-, js-, ...).
_CWE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern), cwe)
    for pattern, cwe in (
        (r"sql", 89),
        (r"shell|command-injection|child-process", 78),
        (r"eval", 95),
        (r"tls|trust-all", 295),
        (r"secret-in-log", 532),
        (r"jwt-secret|hardcoded-secret", 798),
        (r"jwt", 347),
        (r"deserializ|yaml-unsafe", 502),
        (r"path-from-request|path-check-without-normalize", 22),
        (r"missing-auth", 306),
        (r"ssrf", 918),
        (r"open-redirect", 601),
        (r"html-from-request|html-built-from-strings|mark-safe|document-link-without-url-check", 79),
        (r"xpath", 643),
        (r"ldap", 90),
        (r"password-hash-without-kdf", 916),
        (r"weak-password-hash|weak-hash-signature", 328),
        (r"insecure-random", 338),
        (r"cookie-without-secure-flags", 614),
        (r"xml-external-entities", 611),
        (r"session-from-request", 501),
    )
)
# Where to read about a kind of failure: the CWE entry closest to each category, for rules without a CWE tag.
_CATEGORY_CWE: dict[Category, int] = {
    "concurrency": 362,
    "security": 20,
    "data_volume": 400,
    "failure_handling": 1088,
    "configuration": 489,
    "observability": 778,
}
_CATEGORY_TEXT: dict[Category, str] = {
    "concurrency": "Races on shared state: read-then-write without a lock or transaction, globals written per request.",
    "security": "Untrusted input reaching SQL, shells, eval or deserialisation; TLS or JWT checks turned off.",
    "data_volume": "Work that grows with production data: unbounded queries, N+1 loops, whole files in memory.",
    "failure_handling": "External calls without timeouts, retries without backoff, no protection from a failing "
    "dependency.",
    "configuration": "Development values shipped to production: localhost URLs, test keys, local paths, debug flags.",
    "observability": "Failures nobody sees: errors swallowed without a log line, critical paths without metrics.",
}
_MARKUP = re.compile(r"```[^\n]*\n?|`|\*\*|__")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")


def cwe_of(rule_id: str) -> int | None:
    """Return the CWE a security rule's findings are instances of, when the rule is one we know."""
    return next((cwe for pattern, cwe in _CWE if pattern.search(rule_id)), None)


def plain_text(markdown: str) -> str:
    """Return markdown as plain text: links as "text (url)", without code fences, backticks or emphasis."""
    return _MARKUP.sub("", _LINK.sub(r"\1 (\2)", markdown)).strip()


def _cwe_uri(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"


def _rule(rule_id: str, f: Finding) -> dict[str, object]:
    """Return the SARIF rule (reportingDescriptor) for the findings of `rule_id`, described by its first one."""
    cwe = cwe_of(rule_id) if f.category == "security" and f.rule else None
    # Code scanning files results tagged "security" under security alerts, and reads CWE ids from the tags.
    tags: list[str] = [f.category]
    if cwe is not None:
        tags.append(f"external/cwe/cwe-{cwe}")
    if f.rule:
        short, full = f.title, plain_text(f.body)
        help_md = f"**{f.title}**\n\n{f.body.strip()}"
    else:
        short = f"{f.category} (LLM review)"
        full = _CATEGORY_TEXT[f.category]
        help_md = f"Found by the LLM review in the `{f.category}` category. {full}"
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full or short},
        "help": {"text": plain_text(help_md), "markdown": help_md},
        "helpUri": _cwe_uri(cwe if cwe is not None else _CATEGORY_CWE[f.category]),
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {"tags": tags, "security-severity": _SECURITY_SEVERITY[f.severity], "precision": "medium"},
    }


def render_sarif(result: ReviewResult, files: Sequence[FileDiff] = ()) -> str:
    """Return the findings as a SARIF 2.1.0 log with one run; `files` (the diff) makes the fingerprints."""
    rules: dict[str, dict[str, object]] = {}
    index: dict[str, int] = {}
    results = []
    for comment in inline_comments(result.findings, files):
        f = comment.finding
        rule_id = f.rule or f"llm/{f.category}"
        if rule_id not in rules:
            index[rule_id] = len(rules)
            rules[rule_id] = _rule(rule_id, f)
        region: dict[str, int] = {"startLine": f.line}
        if f.end_line:
            region["endLine"] = f.end_line
        markdown = f"**{f.title}**\n\n{f.body.strip()}"
        # `uri` is an RFC 3986 URI reference: a space, '%', '#' or non-ASCII letter in a path must be escaped.
        location = {"artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"}, "region": region}
        results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": index[rule_id],
                "level": _LEVEL[f.severity],
                "message": {"text": f"{plain_text(f.title)}. {plain_text(f.body)}", "markdown": markdown},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {FINGERPRINT_KEY: comment.fingerprint},
                "properties": {
                    "category": f.category,
                    "severity": f.severity,
                    "source": f.source,
                    "security-severity": _SECURITY_SEVERITY[f.severity],
                },
            }
        )
    log = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "prodready",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
