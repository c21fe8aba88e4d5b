"""The CLI's report formats hold up on odd paths and odd finding text."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from bot.render.markdown import render_markdown
from bot.render.sarif import render_sarif
from bot.review.models import Finding, ReviewResult, ReviewStats

# RFC 3986 URI-reference characters (unreserved, reserved and percent escapes): no space, no raw non-ASCII.
_URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def result_with(*findings: Finding) -> ReviewResult:
    return ReviewResult(findings=findings, checklist=(), stats=ReviewStats())


def finding(path: str = "src/app.py", **changes: object) -> Finding:
    base = Finding(path, 3, "failure_handling", "high", "No timeout", "Add one.", "llm")
    return Finding(**{**{k: getattr(base, k) for k in base.__slots__}, "path": path, **changes})


def test_sarif_artifact_uris_are_valid_uri_references_that_name_the_file():
    paths = ["docs/release plan.py", "src/größe.py", "src/100%.py", "src/a#b.py"]
    log = json.loads(render_sarif(result_with(*(finding(p) for p in paths))))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert all(_URI_REFERENCE.match(u) for u in uris), uris
    assert [unquote(u) for u in uris] == paths


def test_markdown_suggestion_fence_is_longer_than_any_backtick_run_inside():
    suggestion = 'doc = """\n```python\nprint(1)\n```\n"""'
    out = render_markdown(result_with(finding(suggestion=suggestion)))
    fence = re.search(r"^(`{3,})$", out, re.MULTILINE).group(1)
    assert len(fence) > 3
    assert f"{fence}\n{suggestion}\n{fence}" in out
