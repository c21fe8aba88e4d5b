"""The whole pipeline on awkward inputs: empty, huge, and an LLM that points off the diff or repeats rules."""

from __future__ import annotations

from bot.llm.client import ChatClient
from bot.llm.reviewer import OpenAIReviewer
from bot.review.config import parse_config
from bot.review.diff import parse_diff
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules
from bot.settings import llm_settings_from_env
from tests.fakes.fake_llm import Compute, Fail, FakeLLM, Reply


def new_file(path: str, lines: list[str]) -> str:
    body = "".join(f"+{line}\n" for line in lines)
    return (
        f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n"
        f"+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}"
    )


def many_files(count: int) -> str:
    parts = []
    for n in range(count):
        lines = [f"def handler_{n}(request):", f"    return request.args.get('page_{n}')"]
        if n % 500 == 0:
            lines = ["import requests", f"def pay_{n}(x):", "    return requests.post(URL, json=x)"]
        parts.append(new_file(f"svc/mod_{n:04d}.py", lines))
    return "".join(parts)


def reviewer(fake: FakeLLM) -> tuple[OpenAIReviewer, ChatClient]:
    settings = llm_settings_from_env({"OPENAI_BASE_URL": fake.base_url, "PRODREADY_LLM_MAX_RETRIES": "0"})
    client = ChatClient(settings)
    return OpenAIReviewer(client, model="m"), client


def every_finding_is_commentable(result, files) -> bool:
    by_path = {f.path: f for f in files}
    return all(
        f.path in by_path
        and f.line in by_path[f.path].commentable
        and (f.end_line is None or all(n in by_path[f.path].commentable for n in range(f.line, f.end_line + 1)))
        for f in result.findings
    )


async def test_empty_diff_gives_an_empty_review_without_calling_the_llm(fake_llm: FakeLLM):
    llm, client = reviewer(fake_llm)
    try:
        result = await run_review(parse_diff(""), rules=run_rules, config=parse_config(None)[0], llm=llm)
    finally:
        await client.close()
    assert result.findings == () and result.stats.files == 0 and fake_llm.requests == []
    assert {c.status for c in result.checklist} == {"not_applicable"}


async def test_a_5000_file_diff_stays_within_the_budget_and_on_the_diff(fake_llm: FakeLLM):
    files = parse_diff(many_files(5_000))
    config, _ = parse_config("budget: {max_prompt_tokens: 20000}")
    llm, client = reviewer(fake_llm)
    try:
        result = await run_review(files, rules=run_rules, config=config, llm=llm)
    finally:
        await client.close()
    assert result.stats.files == 5_000 and result.stats.changed_lines >= 10_000
    assert result.stats.prompt_tokens <= 20_000 * 1.1  # the fake counts a little differently from our estimate
    assert result.unreviewed, "what did not fit the budget must be listed"
    assert any(f.rule == "py-requests-without-timeout" for f in result.findings)
    assert every_finding_is_commentable(result, files)
    # The riskiest code (HTTP calls) went to the LLM first.
    sent = "".join(r.text for r in fake_llm.requests)
    assert "svc/mod_0500.py" in sent


async def test_llm_findings_off_the_diff_are_reanchored_or_dropped_and_repeats_of_rules_merge(fake_llm: FakeLLM):
    diff = new_file(
        "pay.py",
        ["import requests", "", "def pay(x):", "    r = requests.post(PAY_URL, json=x)", "    return r"],
    )

    def answer(body: dict) -> dict:
        base = {"category": "failure_handling", "severity": "high", "body": "b", "suggestion": None, "end_line": None}
        return {
            "findings": [
                {**base, "path": "pay.py", "line": 4, "title": "no timeout (again)"},  # repeats the static rule
                {**base, "path": "pay.py", "line": 7, "title": "just past the hunk"},  # re-anchored to line 5
                {**base, "path": "pay.py", "line": 400, "title": "far away"},  # dropped
                {**base, "path": "ghost.py", "line": 1, "title": "no such file"},  # dropped
                {**base, "path": "pay.py", "line": 2, "end_line": 90, "category": "observability", "title": "range"},
            ]
        }

    fake_llm.default = Compute(answer)
    llm, client = reviewer(fake_llm)
    try:
        files = parse_diff(diff)
        result = await run_review(files, rules=run_rules, config=parse_config(None)[0], llm=llm)
    finally:
        await client.close()
    titles = {f.title for f in result.findings}
    assert "far away" not in titles and "no such file" not in titles
    assert every_finding_is_commentable(result, files)
    on_line_4 = [f for f in result.findings if f.line == 4 and f.category == "failure_handling"]
    assert len(on_line_4) == 1 and on_line_4[0].source == "static"


async def test_an_llm_that_returns_nothing_useful_leaves_the_static_review(fake_llm: FakeLLM):
    fake_llm.default = Reply("I cannot help with that.")
    llm, client = reviewer(fake_llm)
    diff = new_file("pay.py", ["import requests", "requests.get('https://x.example.com')"])
    try:
        result = await run_review(parse_diff(diff), rules=run_rules, config=parse_config(None)[0], llm=llm)
    finally:
        await client.close()
    assert [f.source for f in result.findings] == ["static"]
    assert any("invalid" in n or "dropped" in n for n in result.notes), result.notes


async def test_checklist_does_not_credit_an_llm_review_that_never_happened(fake_llm: FakeLLM):
    fake_llm.default = Fail(503)
    llm, client = reviewer(fake_llm)
    diff = new_file("api.py", ["def handler(request):", "    return request.args.get('page')"])
    try:
        result = await run_review(parse_diff(diff), rules=run_rules, config=parse_config(None)[0], llm=llm)
    finally:
        await client.close()
    passed = [c.summary for c in result.checklist if c.status == "pass"]
    assert passed and fake_llm.requests
    assert not any("LLM review" in s and "no LLM" not in s for s in passed), passed
