"""The LLM part of a review runs inside one deadline: a hung endpoint costs the deadline, not minutes."""

from __future__ import annotations

import re
import time

import pytest

from bot.llm.breaker import CircuitBreaker
from bot.llm.client import ChatClient, RetryPolicy
from bot.llm.reviewer import OpenAIReviewer
from bot.review.config import RepoConfig
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules
from bot.settings import LLMSettings, llm_settings_from_env
from tests.fakes.fake_llm import Fail, FakeLLM, Hang, Reply
from tests.llm.test_reviewer import RISKY, synthetic


@pytest.fixture
async def clients():
    made: list[ChatClient] = []
    yield made
    for client in made:
        await client.close()


def reviewer(fake: FakeLLM, made: list[ChatClient], *, deadline: float, timeout: float = 120.0, **kw):
    settings = LLMSettings(
        api_key=None,
        base_url=fake.base_url,
        model="m",
        timeout_seconds=timeout,
        max_retries=3,
        deadline_seconds=deadline,
    )
    client = ChatClient(settings, policy=RetryPolicy(base_delay=0.01, max_delay=0.02), breaker=CircuitBreaker())
    made.append(client)
    return OpenAIReviewer(client, model="m", **kw)


def test_the_deadline_comes_from_the_environment():
    assert llm_settings_from_env({}).deadline_seconds == 120
    assert llm_settings_from_env({"PRODREADY_LLM_DEADLINE_SECONDS": "7.5"}).deadline_seconds == 7.5


async def test_a_hung_endpoint_costs_the_deadline_and_the_review_keeps_its_static_findings(clients, fake_llm):
    fake_llm.default = Hang(60)
    llm = reviewer(fake_llm, clients, deadline=2)
    started = time.monotonic()
    result = await run_review(RISKY, config=RepoConfig(), rules=run_rules, llm=llm)
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 3
    # The per-call timeout was cut to what the deadline left: one request, no retries.
    assert len(fake_llm.requests) == 1
    assert result.findings and all(f.source == "static" for f in result.findings)
    (note,) = [n for n in result.notes if "did not answer" in n]
    assert note.startswith("the LLM did not answer within 2 s; 1 of 1 batches were not reviewed: ")
    assert "app/orders.py" in note and "docs/orders.md" in note
    assert "the circuit breaker is open" in note
    assert {s.reason for s in result.unreviewed} == {"the LLM did not answer within the deadline"}


async def test_after_a_deadline_the_breaker_lets_the_next_review_skip_the_model_at_once(clients, fake_llm):
    fake_llm.default = Hang(60)
    llm = reviewer(fake_llm, clients, deadline=1)
    await llm.review(RISKY, config=RepoConfig(), static_findings=[])
    assert llm._client.breaker.state == "open"
    started = time.monotonic()
    second = await llm.review(RISKY, config=RepoConfig(), static_findings=[])
    assert time.monotonic() - started < 0.5
    assert len(fake_llm.requests) == 1
    assert second.notes[0].startswith("1 of 1 LLM batches was skipped: the LLM is paused")


async def test_a_retry_that_cannot_finish_inside_the_deadline_is_not_started(clients, fake_llm):
    fake_llm.enqueue(Fail(503, retry_after="1.5"))
    llm = reviewer(fake_llm, clients, deadline=2)
    started = time.monotonic()
    review = await llm.review(RISKY, config=RepoConfig(), static_findings=[])
    assert time.monotonic() - started < 1
    assert len(fake_llm.requests) == 1
    assert review.notes[0].startswith("the LLM did not answer within 2 s")


async def test_batches_that_finished_before_the_deadline_are_kept_and_the_late_ones_named(clients, fake_llm):
    files = synthetic(3, 150)
    llm = reviewer(fake_llm, clients, deadline=1.5, request_tokens=4_000, max_request_tokens=4_000)
    fast = {
        "findings": [
            {
                "path": "pkg/mod0.py",
                "line": 3,
                "end_line": None,
                "category": "security",
                "severity": "high",
                "title": "t",
                "body": "b",
                "suggestion": None,
            }
        ]
    }
    fake_llm.enqueue(Reply(fast, delay=0.3))
    fake_llm.default = Hang(60)
    review = await llm.review(files, config=RepoConfig(), static_findings=[])
    assert [(f.path, f.line) for f in review.findings] == [("pkg/mod0.py", 3)]
    (note,) = [n for n in review.notes if "did not answer" in n]
    late, total = map(int, re.search(r"; (\d+) of (\d+) batches were not reviewed: ", note).groups())
    # Batches still queued behind the concurrency limit at the deadline count as not reviewed too.
    assert late == total - 1 and total >= len(fake_llm.requests) >= 3
    assert "pkg/mod2.py" in note


async def test_without_trouble_the_deadline_changes_nothing(clients, fake_llm):
    llm = reviewer(fake_llm, clients, deadline=5)
    review = await llm.review(RISKY, config=RepoConfig(), static_findings=[])
    assert review.notes == () and llm._client.breaker.state == "closed"
