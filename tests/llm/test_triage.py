"""The model as a second opinion on weak static findings: the pure decision, and the review end to end."""

from __future__ import annotations

import json

import pytest

from bot.llm.client import ChatClient
from bot.llm.reviewer import OpenAIReviewer
from bot.llm.triage import Verdict, candidate_ids, triage
from bot.render.summary import render_summary
from bot.review.config import RepoConfig, parse_config
from bot.review.diff import parse_diff
from bot.review.models import Finding
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules
from bot.rules.loader import RuleProblem, parse_rules
from bot.settings import LLMSettings
from tests.fakes.fake_llm import Compute, FakeLLM, Reply


def static(line: int, evidence: str = "strong", rule: str = "r") -> Finding:
    return Finding(
        path="app/jobs.py",
        line=line,
        category="failure_handling",
        severity="high",
        title=f"finding {line}",
        body="b",
        source="static",
        rule=rule,
        evidence=evidence,  # type: ignore[arg-type]
    )


def test_candidates_are_the_weak_static_findings_numbered_in_order():
    findings = [static(1), static(2, "weak"), static(3), static(4, "weak")]
    assert candidate_ids(findings) == {"W1": findings[1], "W2": findings[3]}


def test_a_dismissed_weak_finding_goes_and_the_rest_stay():
    findings = [static(1), static(2, "weak"), static(3, "weak")]
    decided = triage(findings, {"W1": Verdict("W1", dismissed=True, reason="guarded above")})
    assert decided.kept == (findings[0], findings[2])
    assert decided.dismissed == ((findings[1], "guarded above"),)


def test_no_verdicts_dismiss_nothing_and_a_confirmed_one_stays():
    findings = [static(1, "weak"), static(2, "weak")]
    assert triage(findings, {}).kept == tuple(findings)
    assert triage(findings, {"W1": Verdict("W1", dismissed=False)}).dismissed == ()


def test_a_strong_finding_is_never_dismissed_even_under_a_weak_ones_id():
    strong = static(1)
    # The id belongs to no candidate: a model guessing ids cannot reach a strong finding.
    assert triage([strong], {"W1": Verdict("W1", dismissed=True)}).kept == (strong,)


def test_a_rule_file_may_mark_its_findings_weak():
    text = """
id: maybe-unbounded
language: python
severity: warning
message: might read everything
metadata: {category: data_volume, evidence: weak}
rule: {pattern: fetch_all($X)}
"""
    (rule,) = parse_rules(text, origin="custom", builtin=False)
    assert rule.evidence == "weak"
    (default,) = parse_rules(text.replace(", evidence: weak", ""), origin="custom", builtin=False)
    assert default.evidence == "strong"
    with pytest.raises(RuleProblem, match=r"metadata\.evidence must be strong or weak"):
        list(parse_rules(text.replace("evidence: weak", "evidence: maybe"), origin="custom", builtin=False))


DIFF = """diff --git a/app/jobs.py b/app/jobs.py
index 1111111..2222222 100644
--- a/app/jobs.py
+++ b/app/jobs.py
@@ -1,1 +1,6 @@
 import os
+def run(rows):
+    for row in rows:
+        handle(row)
+    total = 1
+    return total
"""


RULES = {
    "weak.yml": """
id: weak-rule
language: python
severity: error
message: handle() may raise and stop the loop
metadata: {category: failure_handling, evidence: weak}
rule: {pattern: handle($X)}
""",
    "strong.yml": """
id: strong-rule
language: python
severity: error
message: a constant total
metadata: {category: failure_handling}
rule: {pattern: total = 1}
""",
}


async def review(fake: FakeLLM | None, rules: dict[str, str], config: RepoConfig | None = None):
    client = None
    if fake is not None:
        client = ChatClient(LLMSettings(api_key=None, base_url=fake.base_url, model="m", max_retries=0))
    try:
        llm = OpenAIReviewer(client, model="m") if client else None
        return await run_review(
            parse_diff(DIFF), config=config or RepoConfig(), rules=run_rules, custom_rules=rules, llm=llm
        )
    finally:
        if client:
            await client.close()


def dismiss_all(body: dict) -> dict:
    user = body["messages"][1]["content"]
    ids = [line.split(":")[0][2:] for line in user.splitlines() if line.startswith("- W")]
    return {
        "findings": [],
        "verdicts": [{"id": i, "verdict": "dismissed", "reason": "not a risk here"} for i in ids]
        + [{"id": "S1", "verdict": "dismissed", "reason": "made-up id"}],
    }


async def test_a_weak_candidate_the_model_dismisses_is_not_posted_and_the_summary_counts_it(fake_llm):
    fake_llm.default = Compute(dismiss_all)
    result = await review(fake_llm, RULES)
    (request,) = fake_llm.requests
    user = request.messages[1]["content"]
    assert "- W1: app/jobs.py:4 failure_handling/high [weak-rule]" in user
    assert "[strong-rule]" in user.split("Candidates from static analysis")[0]
    assert "verdicts" in request.body["response_format"]["json_schema"]["schema"]["required"]
    assert [f.rule for f in result.findings] == ["strong-rule"]
    assert "the LLM dismissed 1 of 1 weak static findings as false positives; they are not posted" in result.notes
    assert "the LLM dismissed 1 of 1 weak static findings" in render_summary(result, head_sha="b" * 40)


async def test_an_answer_without_verdicts_dismisses_nothing(fake_llm):
    fake_llm.default = Reply({"findings": []})
    result = await review(fake_llm, RULES)
    assert sorted(f.rule for f in result.findings) == ["strong-rule", "weak-rule"]
    assert not any("dismissed" in n for n in result.notes)


async def test_a_strong_finding_is_posted_even_when_the_model_dismisses_it(fake_llm):
    fake_llm.default = Reply({"findings": [], "verdicts": [{"id": "W1", "verdict": "dismissed", "reason": "x"}]})
    result = await review(fake_llm, {"strong.yml": RULES["strong.yml"]})
    assert [f.rule for f in result.findings] == ["strong-rule"]
    assert "verdicts" not in json.dumps(fake_llm.requests[0].body["response_format"])


async def test_without_the_model_weak_findings_follow_min_severity_as_before():
    low = {"weak.yml": RULES["weak.yml"].replace("severity: error", "severity: hint")}
    config, _ = parse_config("min_severity: medium\n")
    assert (await review(None, low, config)).findings == ()
    assert [f.rule for f in (await review(None, low)).findings] == ["weak-rule"]


FLOW_DIFF = """diff --git a/app/reports.py b/app/reports.py
new file mode 100644
--- /dev/null
+++ b/app/reports.py
@@ -0,0 +1,11 @@
+from flask import request
+from app import app, db
+
+def rows_for(kind):
+    return db.execute("SELECT * FROM audit WHERE kind = '%s'" % kind)
+
+@app.route("/reports")
+def reports():
+    owner = request.args["owner"]
+    db.execute(f"SELECT * FROM reports WHERE owner = '{owner}'")
+    return "ok"
"""


async def test_built_in_flow_leads_from_parameters_go_to_the_model_and_request_data_stays(fake_llm):
    fake_llm.default = Compute(dismiss_all)
    client = ChatClient(LLMSettings(api_key=None, base_url=fake_llm.base_url, model="m", max_retries=0))
    try:
        result = await run_review(
            parse_diff(FLOW_DIFF), config=RepoConfig(), rules=run_rules, llm=OpenAIReviewer(client, model="m")
        )
    finally:
        await client.close()
    user = fake_llm.requests[0].messages[1]["content"]
    # The parameter's path is a lead the model is asked about; the request's is proven and posted regardless.
    assert "- W1: app/reports.py:5 security/low [py-sql-built-from-strings]" in user
    assert [(f.line, f.severity) for f in result.findings if f.rule == "py-sql-built-from-strings"] == [(10, "high")]
    assert "the LLM dismissed 1 of 1 weak static findings as false positives; they are not posted" in result.notes
