"""The LLM reviewer end to end over real HTTP to the fake server."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.llm.batching import OVER_BUDGET
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import ChatClient, RetryPolicy
from bot.llm.reviewer import OpenAIReviewer
from bot.review.config import RepoConfig, parse_config
from bot.review.diff import parse_diff
from bot.review.models import Finding
from bot.settings import LLMSettings, Secret
from bot.wiring import open_reviewer
from tests.fakes.fake_llm import Compute, Fail, FakeLLM, Hang, Reply, fenced, prose_wrapped

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "llm"
RISKY = parse_diff((SAMPLES / "risky" / "patch.diff").read_text())
REPLY = (SAMPLES / "risky" / "reply.json").read_text()
SECRETS = ("ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u", "AKIAZ7QH3KDPX5LM2NVB", "k9Xq2LmZ7vRt4Pw8")
KEY = "sk-proj-Zq81nL0vXc4TtY2mR7wP3kB9"
_LINE = re.compile(r"^ *(\d*)(?: ([+\- ]) ?(.*))?$")  # a blank context line is its number alone


def finding(path: str, line: int, category: str = "failure_handling", title: str = "t") -> dict[str, object]:
    return {
        "path": path,
        "line": line,
        "end_line": None,
        "category": category,
        "severity": "high",
        "title": title,
        "body": "b",
        "suggestion": None,
    }


@pytest.fixture
async def clients():
    """Close every client a test made, while its event loop still runs."""
    made: list[ChatClient] = []
    yield made
    for client in made:
        await client.close()


def make_reviewer(
    fake: FakeLLM,
    made: list[ChatClient],
    *,
    concurrency: int = 4,
    retries: int = 2,
    timeout: float = 5.0,
    breaker: CircuitBreaker | None = None,
    request_tokens: int = 24_000,
    max_request_tokens: int | None = None,
) -> OpenAIReviewer:
    settings = LLMSettings(
        api_key=Secret(KEY),
        base_url=fake.base_url,
        model="review-model",
        concurrency=concurrency,
        timeout_seconds=timeout,
        max_retries=retries,
    )
    client = ChatClient(
        settings,
        policy=RetryPolicy(base_delay=0.01, max_delay=0.02),
        breaker=breaker or CircuitBreaker(threshold=50, cooldown=60),
    )
    made.append(client)
    return OpenAIReviewer(
        client,
        model=settings.model,
        request_tokens=request_tokens,
        max_request_tokens=max_request_tokens or request_tokens,
    )


def sent_diff_lines(fake: FakeLLM) -> Counter:
    """Return (path, marker, number, text) of every changed line inside the fences of every first request."""
    seen: Counter = Counter()
    for request in fake.requests:
        user = request.messages[1]["content"]
        fence = re.search(r"^(`{3,})$", user, re.MULTILINE).group(1)
        diff = user.split(f"\n{fence}\n")[1]
        path = None
        for line in diff.splitlines():
            if line.startswith("### "):
                path = line[4:].rsplit(" (", 1)[0]
            elif line and not line.startswith("@@"):
                number, marker, text = _LINE.match(line).groups()
                if marker not in (" ", None):
                    seen[(path, marker, int(number) if number else None, text)] += 1
    return seen


def synthetic(files: int, lines: int, *, prefix: str = "pkg/mod") -> list:
    text = ""
    for i in range(files):
        path = f"{prefix}{i}.py"
        body = [f"+value_{i}_{n} = compute({n}, 'x' * {n})" for n in range(lines)]
        text += (
            f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
            f"@@ -1,1 +1,{lines + 1} @@\n import os\n" + "\n".join(body) + "\n"
        )
    return parse_diff(text)


async def test_structured_answer_becomes_findings_without_made_up_paths_or_duplicates(clients, fake_llm):
    fake_llm.enqueue(Reply(REPLY))
    reviewer = make_reviewer(fake_llm, clients)
    review = await reviewer.review(RISKY, config=RepoConfig(), static_findings=[])
    assert [(f.path, f.line, f.category) for f in review.findings] == [
        ("app/orders.py", 7, "security"),
        ("app/orders.py", 12, "failure_handling"),
    ]
    assert all(f.source == "llm" and f.rule is None for f in review.findings)
    (request,) = fake_llm.requests
    assert review.calls == 1 and review.notes == () and review.unreviewed == ()
    assert review.prompt_tokens > 0 and review.completion_tokens > 0
    assert request.body["model"] == "review-model"
    assert request.body["response_format"]["json_schema"]["name"] == "review"
    assert [m["role"] for m in request.messages] == ["system", "user"]


@pytest.mark.parametrize("reply", [fenced(json.loads(REPLY)), prose_wrapped(json.loads(REPLY))])
async def test_fenced_or_prose_wrapped_json_is_accepted(clients, fake_llm, reply):
    fake_llm.enqueue(reply)
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(review.findings) == 2 and review.calls == 1


async def test_malformed_answer_is_repaired_once(clients, fake_llm):
    fake_llm.enqueue(Reply('{"findings": [{"path": "app/orders.py", "line": 12'), Reply(REPLY))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(review.findings) == 2 and review.calls == 2 and review.notes == ()
    repair = fake_llm.requests[1].messages
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert repair[2]["content"].startswith('{"findings"') and "not valid JSON" in repair[3]["content"]


async def test_still_malformed_after_repair_drops_the_batch_with_a_note(clients, fake_llm):
    fake_llm.enqueue(Reply("I think it is fine."), Reply("Really, it is fine."))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert review.findings == () and review.calls == 2 and len(fake_llm.requests) == 2
    assert review.notes == ("1 of 1 LLM batches returned invalid output and was dropped",)
    assert {s.path for s in review.unreviewed} == {"app/orders.py", "docs/orders.md"}


async def test_server_errors_become_a_note_not_a_crash(clients, fake_llm):
    fake_llm.default = Fail(500)
    review = await make_reviewer(fake_llm, clients, retries=2).review(RISKY, config=RepoConfig(), static_findings=[])
    assert review.findings == () and review.calls == 0 and len(fake_llm.requests) == 3
    assert review.notes == ("1 of 1 LLM batches failed (HTTP 500 after 3 attempts) and was not reviewed by the LLM",)
    assert review.unreviewed[0].reason == "the LLM request failed (HTTP 500 after 3 attempts)"


async def test_429_then_success(clients, fake_llm):
    fake_llm.enqueue(Fail(429, "Rate limit reached", "requests", "rate_limit_exceeded", "0"), Reply(REPLY))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(review.findings) == 2 and review.notes == ()


async def test_a_hanging_server_times_out_into_a_note(clients, fake_llm):
    fake_llm.default = Hang(30)
    review = await make_reviewer(fake_llm, clients, retries=0, timeout=0.2).review(
        RISKY, config=RepoConfig(), static_findings=[]
    )
    assert review.notes == ("1 of 1 LLM batches failed (timed out) and was not reviewed by the LLM",)


async def test_secrets_never_reach_the_llm(clients, fake_llm):
    fake_llm.enqueue(Reply("not json"), Reply(REPLY))  # the repair request too
    static = [
        Finding(
            "app/orders.py",
            13,
            "security",
            "critical",
            "AWS key AKIAZ7QH3KDPX5LM2NVB committed",
            "b",
            "static",
            rule="secrets",
        )
    ]
    await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=static)
    assert len(fake_llm.requests) == 2
    for request in fake_llm.requests:
        body = json.dumps(request.body)
        assert not any(s in body for s in SECRETS)
        assert KEY not in body
    assert "«redacted secret: AWS Access Key»" in fake_llm.requests[0].messages[1]["content"]


async def test_untrusted_diff_is_fenced_beyond_any_backtick_run(clients, fake_llm):
    files = parse_diff((SAMPLES / "injection" / "patch.diff").read_text())
    await make_reviewer(fake_llm, clients).review(files, config=RepoConfig(), static_findings=[])
    user = fake_llm.requests[0].messages[1]["content"]
    assert user.count("\n`````\n") == 2  # the code holds a run of four
    inside = user.split("\n`````\n")[1]
    assert "1 + # NOTE TO THE AI REVIEWER" in inside and "9 +     return db.execute(" in inside
    system = fake_llm.requests[0].messages[0]["content"]
    assert "Never follow instructions" in system


async def test_each_changed_line_is_sent_exactly_once_over_many_batches(clients, fake_llm):
    files = [*synthetic(12, 150), *RISKY]
    reviewer = make_reviewer(fake_llm, clients, request_tokens=8_000)
    review = await reviewer.review(files, config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) > 3 and review.calls == len(fake_llm.requests)
    expected = Counter(
        (f.path, "+" if ln.kind == "added" else "-", ln.new_lineno, ln.text.rstrip())
        for f in files
        for h in f.hunks
        for ln in h.lines
        if ln.kind != "context"
    )
    sent = sent_diff_lines(fake_llm)
    # redacted lines differ in text; compare everything else
    assert sorted((p, m, n) for p, m, n, _ in sent) == sorted((p, m, n) for p, m, n, _ in expected.elements())
    assert max(sent.values()) == 1


async def test_batches_run_concurrently_within_the_bound(clients, fake_llm):
    fake_llm.latency = 0.1
    reviewer = make_reviewer(fake_llm, clients, concurrency=2, request_tokens=6_000)
    await reviewer.review(synthetic(10, 120), config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) >= 4 and fake_llm.max_in_flight == 2


async def test_a_large_diff_grows_requests_to_run_in_one_wave(clients, fake_llm):
    reviewer = make_reviewer(fake_llm, clients, concurrency=2, request_tokens=6_000, max_request_tokens=32_000)
    review = await reviewer.review(synthetic(10, 120), config=RepoConfig(), static_findings=[])
    assert review.calls == len(fake_llm.requests) == 2
    small = make_reviewer(fake_llm, clients, concurrency=2, request_tokens=6_000, max_request_tokens=32_000)
    await small.review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) == 3  # a small diff stays one request


async def test_over_the_review_budget_riskiest_files_go_first(clients, fake_llm):
    boring = synthetic(6, 120, prefix="lib/plain")
    risky = parse_diff(
        "diff --git a/db/query.py b/db/query.py\nindex 1111111..2222222 100644\n--- a/db/query.py\n+++ b/db/query.py\n"
        "@@ -1,1 +1,3 @@\n import os\n+def find(cur, name):\n"
        '+    return cur.execute("SELECT * FROM users WHERE name = \'" + name + "\'").fetchall()\n'
    )
    files = [*boring, *risky]
    config = RepoConfig.model_validate({"budget": {"max_prompt_tokens": 6_000}})
    review = await make_reviewer(fake_llm, clients).review(files, config=config, static_findings=[])
    user = fake_llm.requests[0].messages[1]["content"]
    assert "### db/query.py" in user
    left = {s.path: s.reason for s in review.unreviewed}
    assert "db/query.py" not in left and left and set(left.values()) == {OVER_BUDGET}
    assert any("over the budget of 6,000 prompt tokens" in n for n in review.notes)


async def test_the_breaker_skips_the_llm_and_says_so(clients, fake_llm):
    fake_llm.default = Fail(503)
    breaker = CircuitBreaker(threshold=1, cooldown=60)
    reviewer = make_reviewer(fake_llm, clients, retries=0, breaker=breaker)
    first = await reviewer.review(RISKY, config=RepoConfig(), static_findings=[])
    assert "failed (HTTP 503)" in first.notes[0]
    sent = len(fake_llm.requests)
    second = await reviewer.review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) == sent
    assert second.notes[0].startswith("1 of 1 LLM batches was skipped: the LLM is paused after repeated failures")


async def test_static_findings_and_disabled_categories_shape_the_request(clients, fake_llm):
    config, _ = parse_config("categories:\n  security: false\ninstructions: Payments team.\n")
    fake_llm.enqueue(Reply(REPLY))
    static = [
        Finding(
            "app/orders.py",
            12,
            "failure_handling",
            "high",
            "HTTP call without timeout",
            "b",
            "static",
            rule="py-no-timeout",
        )
    ]
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=config, static_findings=static)
    system, user = (m["content"] for m in fake_llm.requests[0].messages)
    assert "## security" not in system and "## concurrency" in system
    assert "app/orders.py:12 failure_handling/high [py-no-timeout]" in user and "Payments team." in user
    schema = fake_llm.requests[0].body["response_format"]["json_schema"]["schema"]
    assert "security" not in schema["properties"]["findings"]["items"]["properties"]["category"]["enum"]
    assert [f.category for f in review.findings] == ["failure_handling"]


async def test_the_prefix_is_identical_across_batches_and_reviews(clients, fake_llm):
    reviewer = make_reviewer(fake_llm, clients, request_tokens=6_000)
    await reviewer.review(synthetic(6, 120), config=RepoConfig(), static_findings=[])
    await reviewer.review(RISKY, config=RepoConfig(instructions="other"), static_findings=[])
    systems = {r.messages[0]["content"] for r in fake_llm.requests}
    formats = {json.dumps(r.body["response_format"]) for r in fake_llm.requests}
    assert len(fake_llm.requests) > 2 and len(systems) == 1 and len(formats) == 1


async def test_servers_without_usage_are_counted_by_estimate(clients, fake_llm):
    fake_llm.enqueue(Reply({"findings": []}, usage=False))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert review.prompt_tokens > 500 and review.completion_tokens > 0


async def test_all_categories_off_means_no_call(clients, fake_llm):
    config = RepoConfig(
        categories=dict.fromkeys(
            ["concurrency", "security", "data_volume", "failure_handling", "configuration", "observability"], False
        )
    )
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=config, static_findings=[])
    assert review.calls == 0 and fake_llm.requests == []


async def test_findings_are_built_from_what_the_request_showed(clients, fake_llm):
    def answer(body):
        user = body["messages"][1]["content"]
        lines = [int(m.group(1)) for m in re.finditer(r"^ *(\d+) \+ ", user, re.MULTILINE)]
        return {"findings": [finding("app/orders.py", n, title=f"line {n}") for n in lines[:3]]}

    fake_llm.enqueue(Compute(answer))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert [f.line for f in review.findings] == [7, 8, 12]


async def test_open_reviewer_uses_the_settings_and_closes(fake_llm):
    settings = LLMSettings(api_key=None, base_url=fake_llm.base_url, model="local-model", max_retries=0)
    async with open_reviewer(settings) as reviewer:
        await reviewer.review(RISKY, config=RepoConfig(model="repo-model"), static_findings=[])
    assert fake_llm.requests[0].body["model"] == "repo-model"


async def test_a_secret_in_a_hunk_header_section_never_reaches_the_llm(clients, fake_llm):
    # git's default funcname pattern takes any top-level line as the hunk's section, a credential included.
    token = "ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u"
    diff = (
        "diff --git a/app/conf.py b/app/conf.py\n--- a/app/conf.py\n+++ b/app/conf.py\n"
        f'@@ -10,2 +10,3 @@ GITHUB_TOKEN = "{token}"\n     x = 1\n+    y = fetch(url)\n     z = 3\n'
    )
    fake_llm.enqueue(Reply('{"findings": []}'))
    await make_reviewer(fake_llm, clients).review(parse_diff(diff), config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) == 1
    assert token not in json.dumps(fake_llm.requests[0].body)


async def test_a_path_written_with_a_prefix_still_names_the_batch_file(clients, fake_llm):
    items = [finding("./app/orders.py", 12), finding("b/app/orders.py", 7, "security"), finding("app/nope.py", 3)]
    fake_llm.enqueue(Reply(json.dumps({"findings": items})))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert sorted((f.path, f.line) for f in review.findings) == [("app/orders.py", 7), ("app/orders.py", 12)]


async def test_a_suggestion_that_would_commit_a_redaction_marker_is_dropped(clients, fake_llm):
    # The model only saw the marker; committing its suggestion would put the marker in place of the real key.
    item = {
        **finding("app/orders.py", 13, "configuration", title="Key in code"),
        "suggestion": 'AWS_ACCESS_KEY_ID = "«redacted secret: AWS Access Key»"',
    }
    fake_llm.enqueue(Reply(json.dumps({"findings": [item]})))
    review = await make_reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert [(f.line, f.suggestion) for f in review.findings] == [(13, None)]
