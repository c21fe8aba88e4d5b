"""Call an OpenAI-compatible Chat Completions endpoint with timeouts, bounded retries and a circuit breaker."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import openai
from openai import AsyncOpenAI

from bot import metrics
from bot.llm.breaker import CircuitBreaker
from bot.settings import LLMSettings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local servers (Ollama, llama.cpp, vLLM) take no key, but the client library insists on one.
KEYLESS_PLACEHOLDER = "no-key"


class LLMError(Exception):
    """A call failed; the message is safe to show users (it never carries the server's text or a key)."""


class LLMUnavailable(LLMError):
    """The circuit breaker is open: the endpoint failed repeatedly and is left alone for a while."""


@dataclass(frozen=True, slots=True)
class Completion:
    """The text of the first choice, and the usage the server reported (None when it reported none)."""

    text: str
    prompt_tokens: int | None
    completion_tokens: int | None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait between attempts; `max_retry_after` caps how long a server may make us wait."""

    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Return the wait before retry `attempt` (0-based): exponential, with jitter over its upper half."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return ceiling / 2 + rng() * ceiling / 2


class ChatClient:
    """One long-lived client per process: shares the connection pool, the concurrency bound and the breaker."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        policy: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self.policy = policy or RetryPolicy()
        self.breaker = breaker or CircuitBreaker()
        self._sleep = sleep
        self._rng = rng
        self._semaphore = asyncio.Semaphore(settings.concurrency)
        self._schema_supported = True
        key = settings.api_key.reveal() if settings.api_key else KEYLESS_PLACEHOLDER
        # The library's own retries are off: ours honour Retry-After, add jitter and feed the breaker.
        self._openai = AsyncOpenAI(
            base_url=settings.base_url or DEFAULT_BASE_URL,
            api_key=key,
            timeout=settings.timeout_seconds,
            max_retries=0,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._openai.close()

    async def complete(
        self,
        *,
        model: str,
        messages: Sequence[Mapping[str, str]],
        response_format: Mapping[str, Any] | None = None,
    ) -> Completion:
        """Return the model's answer; raise LLMError once retries are spent, LLMUnavailable if paused."""
        if not self.breaker.allow():
            raise LLMUnavailable(
                f"the LLM is paused after repeated failures (retrying in {self.breaker.retry_in():.0f} s)"
            )
        try:
            async with self._semaphore:
                result = await self._with_retries(model, messages, response_format)
        except LLMError:
            self.breaker.record_failure()
            raise
        except BaseException:
            # Cancelled from outside: says nothing about the endpoint, but a claimed trial is given back.
            self.breaker.abandon_trial()
            raise
        self.breaker.record_success()
        return result

    async def _with_retries(
        self, model: str, messages: Sequence[Mapping[str, str]], response_format: Mapping[str, Any] | None
    ) -> Completion:
        retries = 0
        while True:
            try:
                return await self._measured_call(model, messages, response_format)
            except openai.BadRequestError as exc:
                if response_format is not None and self._schema_supported and _about_schema(exc):
                    # Some OpenAI-compatible servers reject json_schema; the prompt still asks for JSON.
                    log.warning("the LLM server rejected response_format; asking for JSON in the prompt only")
                    self._schema_supported = False
                    continue
                raise LLMError(_describe(exc)) from None
            except (openai.APIStatusError, openai.APIConnectionError, TimeoutError) as exc:
                reason = _describe(exc)
                if not _retryable(exc) or retries >= self.settings.max_retries:
                    raise LLMError(_failed(reason, retries + 1)) from None
                wait = self.policy.backoff(retries, self._rng)
                retry_after = _retry_after(exc)
                if retry_after is not None:
                    if retry_after > self.policy.max_retry_after:
                        raise LLMError(f"{reason}: the server asked to wait {retry_after:.0f} s") from None
                    wait = retry_after
                retries += 1
                log.info(
                    "LLM call failed (%s); retry %d of %d in %.2f s", reason, retries, self.settings.max_retries, wait
                )
                await self._sleep(wait)
            except openai.APIError as exc:
                raise LLMError(f"unusable response ({type(exc).__name__})") from None

    async def _measured_call(
        self, model: str, messages: Sequence[Mapping[str, str]], response_format: Mapping[str, Any] | None
    ) -> Completion:
        started = time.perf_counter()
        try:
            completion = await self._call(model, messages, response_format)
        except Exception as exc:
            metrics.record_llm_call(seconds=time.perf_counter() - started, error=_error_kind(exc))
            raise
        metrics.record_llm_call(
            seconds=time.perf_counter() - started,
            prompt_tokens=completion.prompt_tokens or 0,
            completion_tokens=completion.completion_tokens or 0,
        )
        return completion

    async def _call(
        self, model: str, messages: Sequence[Mapping[str, str]], response_format: Mapping[str, Any] | None
    ) -> Completion:
        extra: dict[str, Any] = {}
        if response_format is not None and self._schema_supported:
            extra["response_format"] = response_format
        # The library's timeout covers each network phase; this one bounds the whole call, so a
        # server that trickles bytes cannot hold a worker for longer.
        async with asyncio.timeout(self.settings.timeout_seconds):
            response = await self._openai.chat.completions.create(
                model=model, messages=cast(Any, list(messages)), temperature=0, **extra
            )
        if not response.choices:
            return Completion("", _usage(response, "prompt_tokens"), _usage(response, "completion_tokens"))
        text = response.choices[0].message.content or ""
        return Completion(text, _usage(response, "prompt_tokens"), _usage(response, "completion_tokens"))


def _usage(response: Any, name: str) -> int | None:
    value = getattr(response.usage, name, None) if response.usage is not None else None
    return value if isinstance(value, int) else None


def _about_schema(exc: openai.BadRequestError) -> bool:
    text = str(exc).lower()
    return "response_format" in text or "json_schema" in text


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | TimeoutError)


_STATUS_MEANING = {401: "authentication failed", 403: "permission denied", 404: "model or URL not found"}


def _describe(exc: BaseException) -> str:
    # The server's own message is left out on purpose: providers echo parts of keys in it.
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    if isinstance(exc, openai.APIStatusError):
        meaning = _STATUS_MEANING.get(exc.status_code, "rate limited" if exc.status_code == 429 else "")
        return f"HTTP {exc.status_code}" + (f" ({meaning})" if meaning else "")
    return type(exc).__name__


def _error_kind(exc: BaseException) -> str:
    """Return a small, fixed label for a failed call (metrics must not grow a label per message)."""
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        return "rate_limited" if exc.status_code == 429 else f"http_{exc.status_code // 100}xx"
    return "other"


def _failed(reason: str, attempts: int) -> str:
    return reason if attempts == 1 else f"{reason} after {attempts} attempts"


def _retry_after(exc: BaseException) -> float | None:
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) / scale)
        except ValueError:
            pass
        if name == "retry-after":
            try:
                return max(0.0, email.utils.parsedate_to_datetime(raw).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    return None
