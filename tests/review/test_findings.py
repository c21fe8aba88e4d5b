"""Finalising findings: anchoring, merging, ordering, filtering and the comment cap."""

from __future__ import annotations

from dataclasses import replace

from bot.review.config import parse_config
from bot.review.diff import parse_diff
from bot.review.findings import finalize_findings, merge_duplicates
from bot.review.models import Finding

DIFF = """\
diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -1,3 +1,8 @@
 import os
+import requests
+
+def pay(amount):
+    r = requests.post("http://localhost/pay", json={"a": amount})
+    return r.json()
 
 print(os.getcwd())
"""


def finding(line: int, **kw: object) -> Finding:
    base = Finding(
        path="app.py", line=line, category="failure_handling", severity="high", title="t", body="b", source="static"
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def config(text: str = ""):
    cfg, problems = parse_config(text)
    assert not problems
    return cfg


def test_off_diff_and_unknown_paths_never_survive():
    files = parse_diff(DIFF)
    _shown, kept = finalize_findings(
        [finding(5), finding(500), finding(5, path="other.py"), finding(5, path="b/app.py")],
        files=files,
        config=config(),
    )
    for f in kept:
        assert f.line in files[0].commentable
    assert all(f.path == "app.py" for f in kept)


def test_static_and_llm_on_the_same_line_merge_into_one_keeping_the_worse_severity():
    static = finding(5, rule="py-requests-no-timeout", severity="medium", suggestion=None)
    llm = finding(5, source="llm", severity="high", rule=None, suggestion="requests.post(..., timeout=5)")
    merged = merge_duplicates([static, llm])
    assert len(merged) == 1
    assert merged[0].severity == "high"
    assert merged[0].suggestion is not None


def test_equal_severity_prefers_the_static_finding():
    static = finding(5, rule="py-requests-no-timeout")
    llm = finding(5, source="llm", title="LLM says the same")
    assert merge_duplicates([llm, static]) == [static]


def test_different_problems_on_adjacent_lines_stay_apart():
    url = finding(14, category="configuration", severity="medium", rule="py-localhost-url")
    key = finding(15, category="configuration", severity="high", rule="py-test-api-key")
    assert merge_duplicates([url, key]) == [url, key]


def test_different_categories_or_distant_lines_are_not_merged():
    a = finding(3)
    b = finding(3, category="configuration")
    c = finding(6)
    assert len(merge_duplicates([a, b, c])) == 3


def test_order_min_severity_and_cap():
    files = parse_diff(DIFF)
    candidates = [
        finding(2, severity="low", category="observability"),
        finding(5, severity="critical", category="security"),
        finding(4, severity="medium", category="concurrency"),
        finding(6, severity="high", category="data_volume"),
    ]
    shown, kept = finalize_findings(candidates, files=files, config=config("min_severity: medium\nmax_comments: 2"))
    assert [f.severity for f in kept] == ["critical", "high", "medium"]
    assert [f.severity for f in shown] == ["critical", "high"]


def test_disabled_categories_and_rules_are_dropped():
    files = parse_diff(DIFF)
    candidates = [finding(5, category="security"), finding(2, rule="noisy-rule"), finding(4, category="concurrency")]
    cfg = config("categories: {security: false}\nrules: {disable: [noisy-rule]}")
    shown, _ = finalize_findings(candidates, files=files, config=cfg)
    assert [f.category for f in shown] == ["concurrency"]


def test_zero_max_comments_shows_nothing_but_keeps_for_checklist():
    files = parse_diff(DIFF)
    shown, kept = finalize_findings([finding(5)], files=files, config=config("max_comments: 0"))
    assert shown == [] and len(kept) == 1


def test_a_block_spanning_finding_does_not_swallow_one_inside_it():
    block = finding(2, end_line=6, category="concurrency", severity="medium", title="unbounded goroutines")
    inner = finding(5, category="concurrency", severity="high", title="map written without a lock")
    assert len(merge_duplicates([block, inner])) == 2
