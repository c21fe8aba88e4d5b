"""Structured output adapts to the server: json_schema, then json_object with the schema in the prompt, then plain.

Over real HTTP against the fake server playing each known server's handling of `response_format`.
"""

from __future__ import annotations

import json

import pytest

from bot import metrics
from bot.llm.breaker import CircuitBreaker
from bot.llm.client import ChatClient, RetryPolicy
from bot.llm.reviewer import OpenAIReviewer
from bot.render.summary import render_summary
from bot.review.config import RepoConfig
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules
from bot.settings import LLMSettings
from tests.fakes.fake_llm import (
    Fail,
    FakeLLM,
    Reply,
    azure_before_2024_08,
    llama_cpp_python,
    llama_server,
    lm_studio,
    ollama_cloud,
    refuses_every_format,
)
from tests.llm.test_reviewer import RISKY, finding, synthetic

ANSWER = {"findings": [finding("app/orders.py", 7, "security")]}


@pytest.fixture
async def clients():
    made: list[ChatClient] = []
    yield made
    for client in made:
        await client.close()


def reviewer(fake: FakeLLM, made: list[ChatClient], *, client: ChatClient | None = None, **kw) -> OpenAIReviewer:
    if client is None:
        settings = LLMSettings(api_key=None, base_url=fake.base_url, model="m", timeout_seconds=5, max_retries=2)
        client = ChatClient(
            settings, policy=RetryPolicy(base_delay=0.01, max_delay=0.02), breaker=CircuitBreaker(threshold=50)
        )
        made.append(client)
    return OpenAIReviewer(client, model="m", **kw)


def formats(fake: FakeLLM) -> list[str]:
    return [r.body.get("response_format", {}).get("type", "plain") for r in fake.requests]


def schema_in_system(request) -> bool:
    return '"findings"' in request.messages[0]["content"] and "JSON Schema" in request.messages[0]["content"]


def mode_count(mode: str) -> float:
    return metrics.REGISTRY.get_sample_value("prodready_llm_output_modes_total", {"mode": mode}) or 0.0


async def test_a_refusal_naming_json_object_is_asked_again_with_json_object_and_the_schema_in_the_prompt(
    clients, fake_llm
):
    fake_llm.profile = llama_cpp_python
    fake_llm.default = Reply(ANSWER)
    before = mode_count("json_object")
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema", "json_object"]
    second = fake_llm.requests[1]
    assert second.body["response_format"]["schema"]["required"] == ["findings"]
    assert schema_in_system(second) and not schema_in_system(fake_llm.requests[0])
    # A fallback answer is capped (local servers otherwise generate until the context is full); json_schema is not.
    assert second.body["max_tokens"] == 1_500 and "max_tokens" not in fake_llm.requests[0].body
    assert [(f.path, f.line) for f in review.findings] == [("app/orders.py", 7)]
    assert review.output_mode == "json_object" and review.calls == 2 and review.notes == ()
    assert mode_count("json_object") == before + 1


@pytest.mark.parametrize("status", [400, 500])
async def test_a_refusal_that_names_no_other_format_goes_straight_to_plain_instructions(clients, fake_llm, status):
    fake_llm.profile = azure_before_2024_08 if status == 400 else _refuses_json_schema_with_500
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema", "plain"]
    assert schema_in_system(fake_llm.requests[1]) and fake_llm.requests[1].body["max_tokens"] == 1_500
    assert review.output_mode == "plain" and review.calls == 2 and len(review.findings) == 1


def _refuses_json_schema_with_500(body):
    if body.get("response_format", {}).get("type") == "json_schema":
        return Fail(500, "unsupported response_format: json_schema", "server_error")
    return None


@pytest.mark.parametrize(
    "profile",
    [llama_cpp_python, azure_before_2024_08, refuses_every_format, lm_studio, ollama_cloud],
    ids=["llama-cpp-python", "azure-2024-06", "refuses-all", "lm-studio", "ollama-cloud"],
)
async def test_a_first_review_of_many_batches_pays_at_most_one_extra_request(clients, fake_llm, profile):
    fake_llm.profile = profile
    fake_llm.default = Reply(ANSWER)
    files = synthetic(6, 40)
    review = await reviewer(fake_llm, clients, request_tokens=4_000, max_request_tokens=4_000).review(
        files, config=RepoConfig(), static_findings=[]
    )
    # A request asked again in another mode carries the same user message: distinct ones are the batches.
    batches = len({r.messages[1]["content"] for r in fake_llm.requests})
    assert batches >= 3
    assert review.calls == len(fake_llm.requests) <= batches + 1
    assert not review.unreviewed


async def test_the_negotiated_mode_is_reused_by_later_reviews_on_the_same_client(clients, fake_llm):
    fake_llm.profile = llama_cpp_python
    first = reviewer(fake_llm, clients)
    await first.review(RISKY, config=RepoConfig(), static_findings=[])
    fake_llm.requests.clear()
    # Another reviewer of the same process (same client): no request is spent on json_schema again.
    again = await reviewer(fake_llm, clients, client=first._client).review(
        RISKY, config=RepoConfig(), static_findings=[]
    )
    assert formats(fake_llm) == ["json_object"]
    assert again.calls == 1 and again.output_mode == "json_object"


async def test_concurrent_batches_of_the_first_review_pay_the_refusal_once(clients, fake_llm):
    fake_llm.profile = llama_cpp_python
    files = synthetic(6, 40)
    review = await reviewer(fake_llm, clients, request_tokens=4_000, max_request_tokens=4_000).review(
        files, config=RepoConfig(), static_findings=[]
    )
    batches = len(fake_llm.requests) - 1
    assert batches >= 3
    assert formats(fake_llm).count("json_schema") == 1
    assert review.calls == batches + 1


async def test_json_object_refused_too_means_plain_instructions(clients, fake_llm):
    fake_llm.profile = refuses_every_format
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema", "plain"]
    assert schema_in_system(fake_llm.requests[-1])
    assert review.output_mode == "plain" and len(review.findings) == 1


async def test_a_server_that_names_json_object_and_refuses_it_still_gets_plain_instructions(clients, fake_llm):
    fake_llm.profile = lambda body: llama_cpp_python(body) or refuses_every_format(body)
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    # The one case that costs two extra requests: the refusal promised json_object.
    assert formats(fake_llm) == ["json_schema", "json_object", "plain"]
    assert review.output_mode == "plain" and len(review.findings) == 1


async def test_lm_studio_keeps_json_schema(clients, fake_llm):
    fake_llm.profile = lm_studio
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema"] and review.output_mode == "json_schema"


async def test_an_ignored_schema_moves_the_repair_and_later_requests_to_json_object(clients, fake_llm):
    fake_llm.profile = ollama_cloud
    fake_llm.default = Reply(ANSWER)
    first = reviewer(fake_llm, clients)
    review = await first.review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema", "json_object"]
    assert schema_in_system(fake_llm.requests[1])
    assert len(review.findings) == 1 and review.output_mode == "json_object"
    fake_llm.requests.clear()
    await reviewer(fake_llm, clients, client=first._client).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_object"]


async def test_free_text_under_json_object_moves_on_to_plain(clients, fake_llm):
    # llama-server honours json_schema; here a proxy in front refused it, naming json_object as what it takes.
    fake_llm.profile = lambda body: llama_cpp_python(body) or llama_server(body)
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert formats(fake_llm) == ["json_schema", "json_object", "plain"]
    assert review.output_mode == "plain" and len(review.findings) == 1


async def test_an_answer_cut_by_the_length_limit_splits_the_batch(clients, fake_llm):
    fake_llm.enqueue(Reply('{"findings": [{"path": "app/ord', finish_reason="length"))
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    first, *halves = fake_llm.requests
    assert len(halves) == 2
    assert "app/orders.py" in first.messages[1]["content"] and "docs/orders.md" in first.messages[1]["content"]
    assert ["docs/orders.md" in h.messages[1]["content"] for h in halves].count(True) == 1
    assert review.calls == 3 and not review.unreviewed
    assert metrics.REGISTRY.get_sample_value("prodready_llm_batch_splits_total") >= 1


@pytest.mark.parametrize(
    "error",
    [
        Fail(400, "This model's maximum context length is 8192 tokens.", "invalid_request_error"),
        Fail(400, "too long", "invalid_request_error", "context_length_exceeded"),
        Fail(500, "the request exceeds the available context size. try increasing the context size", "x"),
    ],
    ids=["openai", "code", "llama-server"],
)
async def test_a_context_error_splits_the_batch_instead_of_dropping_it(clients, fake_llm, error):
    fake_llm.enqueue(error)
    fake_llm.default = Reply(ANSWER)
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) == 3
    assert not review.unreviewed and review.notes == ()
    # Both halves answer the fake's one finding; the pipeline keeps one comment per problem.
    assert {(f.path, f.line) for f in review.findings} == {("app/orders.py", 7)}


async def test_a_batch_that_never_fits_is_reported_after_bounded_splits(clients, fake_llm):
    fake_llm.default = Fail(400, "too long", "invalid_request_error", "context_length_exceeded")
    review = await reviewer(fake_llm, clients).review(RISKY, config=RepoConfig(), static_findings=[])
    assert len(fake_llm.requests) <= 1 + 2 + 4 + 8
    assert review.unreviewed and all("even in smaller requests" in s.reason for s in review.unreviewed)


async def test_the_summary_cost_line_names_the_negotiated_mode(clients, fake_llm):
    fake_llm.profile = llama_cpp_python
    result = await run_review(RISKY, config=RepoConfig(), rules=run_rules, llm=reviewer(fake_llm, clients))
    body = render_summary(result, head_sha="a" * 40)
    assert "Cost: 2 LLM call(s)" in body
    assert "answers as json_object (negotiated: the server did not honour json_schema)" in body
    assert json.loads(json.dumps(result.to_json()))["stats"].keys() == {
        "files",
        "hunks",
        "changed_lines",
        "llm_calls",
        "prompt_tokens",
        "completion_tokens",
        "skipped_files",
    }
