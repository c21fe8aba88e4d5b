"""The Chat Completions client over real HTTP to the fake server: retries, timeouts, errors, breaker."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.llm.breaker import CircuitBreaker
from bot.llm.client import (
    KEYLESS_PLACEHOLDER,
    ChatClient,
    ContextExceeded,
    FormatRejected,
    LLMError,
    LLMUnavailable,
    RetryPolicy,
)
from bot.settings import LLMSettings, Secret
from tests.fakes.fake_llm import Fail, FakeLLM, Hang, Reply, rate_limited, unauthorized

KEY = "sk-proj-Zq81nL0vXc4TtY2mR7wP3kB9"
MESSAGES = [{"role": "user", "content": "hello"}]
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, max_retry_after=5)


def make_client(
    fake: FakeLLM,
    *,
    key: str | None = KEY,
    retries: int = 3,
    timeout: float = 5.0,
    breaker: CircuitBreaker | None = None,
    concurrency: int = 4,
) -> ChatClient:
    settings = LLMSettings(
        api_key=Secret(key) if key else None,
        base_url=fake.base_url,
        model="m",
        concurrency=concurrency,
        timeout_seconds=timeout,
        max_retries=retries,
    )
    return ChatClient(settings, policy=FAST, breaker=breaker or CircuitBreaker(threshold=100, cooldown=60))


async def test_a_plain_call_returns_text_and_reported_usage(fake_llm):
    fake_llm.enqueue(Reply("hi there"))
    client = make_client(fake_llm)
    try:
        done = await client.complete(model="gpt-x", messages=MESSAGES, response_format={"type": "json_object"})
    finally:
        await client.close()
    assert done.text == "hi there" and done.completion_tokens == 2 and done.prompt_tokens
    (request,) = fake_llm.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-x" and request.body["response_format"] == {"type": "json_object"}


async def test_keyless_local_servers_get_a_placeholder_key(fake_llm):
    client = make_client(fake_llm, key=None)
    try:
        await client.complete(model="llama3", messages=MESSAGES)
    finally:
        await client.close()
    assert fake_llm.requests[0].headers["Authorization"] == f"Bearer {KEYLESS_PLACEHOLDER}"


async def test_429_then_success_waits_as_retry_after_says(fake_llm):
    fake_llm.enqueue(rate_limited(retry_after="0.3"), Reply("ok"))
    client = make_client(fake_llm)
    try:
        done = await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert done.text == "ok"
    first, second = fake_llm.requests
    assert second.started - first.ended >= 0.28


async def test_a_retry_after_beyond_the_cap_fails_at_once(fake_llm):
    fake_llm.enqueue(rate_limited(retry_after="3600"))
    client = make_client(fake_llm)
    try:
        with pytest.raises(LLMError, match=r"HTTP 429 .*3600 s"):
            await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert len(fake_llm.requests) == 1


async def test_server_errors_are_retried_a_bounded_number_of_times(fake_llm):
    fake_llm.enqueue(*[Fail(500)] * 3, Fail(503), Reply("never reached"))
    client = make_client(fake_llm, retries=3)
    try:
        with pytest.raises(LLMError, match=r"^HTTP 503 after 4 attempts$"):
            await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert len(fake_llm.requests) == 4


async def test_500_then_success(fake_llm):
    fake_llm.enqueue(Fail(500), Fail(502), Reply("fine"))
    client = make_client(fake_llm)
    try:
        assert (await client.complete(model="m", messages=MESSAGES)).text == "fine"
    finally:
        await client.close()


async def test_a_hanging_server_times_out_and_is_retried(fake_llm):
    fake_llm.enqueue(Hang(30), Hang(30))
    client = make_client(fake_llm, retries=1, timeout=0.3)
    started = time.monotonic()
    try:
        with pytest.raises(LLMError, match="timed out after 2 attempts"):
            await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert time.monotonic() - started < 2.0
    assert len(fake_llm.requests) == 2


async def test_401_is_not_retried_and_the_servers_text_is_not_repeated(fake_llm):
    fake_llm.enqueue(unauthorized())
    client = make_client(fake_llm)
    try:
        with pytest.raises(LLMError) as caught:
            await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert str(caught.value) == "HTTP 401 (authentication failed)"
    assert "sk-" not in str(caught.value) and len(fake_llm.requests) == 1


async def test_nothing_listening_is_a_connection_failure(fake_llm):
    await fake_llm.stop()
    client = make_client(fake_llm, retries=1)
    try:
        with pytest.raises(LLMError, match="connection failed after 2 attempts"):
            await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()


@pytest.mark.parametrize("status", [400, 500])
async def test_a_refused_response_format_is_reported_at_once_and_not_retried(fake_llm, status):
    fake_llm.enqueue(Fail(status, "response_format json_schema is not supported", "invalid_request_error"))
    client = make_client(fake_llm)
    fmt = {"type": "json_schema", "json_schema": {"name": "review", "strict": True, "schema": {}}}
    try:
        with pytest.raises(FormatRejected, match="refused response_format json_schema"):
            await client.complete(model="m", messages=MESSAGES, response_format=fmt)
    finally:
        await client.close()
    assert len(fake_llm.requests) == 1
    assert client.breaker.state == "closed"


async def test_a_context_error_is_reported_as_such_without_retry(fake_llm):
    fake_llm.enqueue(Fail(400, "maximum context length exceeded", "invalid_request_error"))
    client = make_client(fake_llm)
    try:
        with pytest.raises(ContextExceeded, match="context window"):
            await client.complete(model="m", messages=MESSAGES, response_format={"type": "json_object"})
    finally:
        await client.close()
    assert len(fake_llm.requests) == 1


async def test_other_bad_requests_fail_without_retry(fake_llm):
    fake_llm.enqueue(Fail(400, "unsupported parameter: temperature", "invalid_request_error"))
    client = make_client(fake_llm)
    try:
        with pytest.raises(LLMError, match=r"^HTTP 400$"):
            await client.complete(model="m", messages=MESSAGES, response_format={"type": "json_object"})
    finally:
        await client.close()


async def test_the_breaker_opens_skips_calls_and_closes_after_the_cooldown(fake_llm):
    fake_llm.enqueue(Fail(500), Fail(500))
    breaker = CircuitBreaker(threshold=2, cooldown=0.3)
    client = make_client(fake_llm, retries=0, breaker=breaker)
    try:
        for _ in range(2):
            with pytest.raises(LLMError):
                await client.complete(model="m", messages=MESSAGES)
        with pytest.raises(LLMUnavailable, match="paused"):
            await client.complete(model="m", messages=MESSAGES)
        assert len(fake_llm.requests) == 2  # the open breaker sent nothing
        await asyncio.sleep(0.35)
        assert (await client.complete(model="m", messages=MESSAGES)).text
        assert breaker.state == "closed"
    finally:
        await client.close()


async def test_concurrency_is_bounded_by_the_settings(fake_llm):
    fake_llm.latency = 0.1
    client = make_client(fake_llm, concurrency=3)
    try:
        await asyncio.gather(*(client.complete(model="m", messages=MESSAGES) for _ in range(10)))
    finally:
        await client.close()
    assert fake_llm.max_in_flight == 3


async def test_calls_feed_the_llm_metrics_latency_tokens_and_errors(fake_llm):
    from bot.metrics import REGISTRY

    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before_ok = value("prodready_llm_request_seconds_count", outcome="ok")
    before_prompt = value("prodready_llm_tokens_total", kind="prompt")
    before_429 = value("prodready_llm_errors_total", kind="rate_limited")
    fake_llm.enqueue(rate_limited(retry_after="0"), Reply("ok"))
    client = make_client(fake_llm)
    try:
        done = await client.complete(model="m", messages=MESSAGES)
    finally:
        await client.close()
    assert value("prodready_llm_request_seconds_count", outcome="ok") == before_ok + 1
    assert value("prodready_llm_tokens_total", kind="prompt") == before_prompt + (done.prompt_tokens or 0) > 0
    assert value("prodready_llm_errors_total", kind="rate_limited") == before_429 + 1
