"""SARIF 2.1.0, for GitHub code scanning and other tools that read static-analysis results."""

from __future__ import annotations

import json
from urllib.parse import quote

from bot import __version__
from bot.review.models import ReviewResult, Severity

_LEVEL: dict[Severity, str] = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning ranks results by this property (0.0-10.0).
_SECURITY_SEVERITY: dict[Severity, str] = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(result: ReviewResult) -> str:
    """Return the findings as a SARIF 2.1.0 log with one run."""
    rules: dict[str, dict[str, object]] = {}
    results = []
    for f in result.findings:
        rule_id = f.rule or f"llm/{f.category}"
        rules.setdefault(
            rule_id,
            {
                "id": rule_id,
                "shortDescription": {"text": f.title if f.rule else f"{f.category} (LLM review)"},
                "properties": {"tags": [f.category], "security-severity": _SECURITY_SEVERITY[f.severity]},
            },
        )
        region: dict[str, int] = {"startLine": f.line}
        if f.end_line:
            region["endLine"] = f.end_line
        # `uri` is an RFC 3986 URI reference: a space, '%', '#' or non-ASCII letter in a path must be escaped.
        results.append(
            {
                "ruleId": rule_id,
                "level": _LEVEL[f.severity],
                "message": {"text": f"{f.title}\n\n{f.body}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": quote(f.path)}, "region": region}}],
                "properties": {"category": f.category, "severity": f.severity, "source": f.source},
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
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
