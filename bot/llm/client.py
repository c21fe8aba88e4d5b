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
from bot.llm.output_mode import ModeCache
from bot.settings import LLMSettings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local servers (Ollama, llama.cpp, vLLM) take no key, but the client library insists on one.
KEYLESS_PLACEHOLDER = "no-key"


class LLMError(Exception):
    """A call failed; the message is safe to show users (it never carries the server's text or a key)."""


class LLMUnavailable(LLMError):
    """The circuit breaker is open: the endpoint failed repeatedly and is left alone for a while."""


class FormatRejected(LLMError):
    """The server refused the `response_format` it was sent (it answered, so the endpoint itself is fine).

    `offers_json_object` tells whether the refusal names `json_object` as a type it takes (llama-cpp-python's
    does): only then is JSON mode worth a request; otherwise the next request goes out plain.
    """

    def __init__(self, message: str, *, offers_json_object: bool = False) -> None:
        super().__init__(message)
        self.offers_json_object = offers_json_object


class ContextExceeded(LLMError):
    """The request does not fit the model's context window: a smaller request may."""


class DeadlineExceeded(LLMError):
    """The review's time for the LLM ran out before this call could finish."""


# A retry that would start with less time than this left before the deadline is not started: it could not finish.
MIN_CALL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Completion:
    """The text of the first choice, and the usage the server reported (None when it reported none)."""

    text: str
    prompt_tokens: int | None
    completion_tokens: int | None
    # "length" means the answer was cut by the server's token limit.
    finish_reason: str | None = None


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
        modes: ModeCache | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self.policy = policy or RetryPolicy()
        self.breaker = breaker or CircuitBreaker()
        # How this endpoint's models are asked for JSON, negotiated once for the life of the client.
        self.modes = modes or ModeCache()
        self.endpoint = settings.base_url or DEFAULT_BASE_URL
        self._sleep = sleep
        self._rng = rng
        self._semaphore = asyncio.Semaphore(settings.concurrency)
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
        deadline: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        """Return the model's answer; raise LLMError once retries are spent, LLMUnavailable if paused.

        `deadline` (event-loop time) bounds the call and its retries: FormatRejected, ContextExceeded and
        DeadlineExceeded are raised at once, never retried.
        """
        if not self.breaker.allow():
            raise LLMUnavailable(
                f"the LLM is paused after repeated failures (retrying in {self.breaker.retry_in():.0f} s)"
            )
        try:
            async with self._semaphore:
                result = await self._with_retries(model, messages, response_format, deadline, max_tokens)
        except (FormatRejected, ContextExceeded):
            # The server answered, and said why: nothing is wrong with the endpoint.
            self.breaker.record_success()
            raise
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
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        response_format: Mapping[str, Any] | None,
        deadline: float | None,
        max_tokens: int | None,
    ) -> Completion:
        loop = asyncio.get_running_loop()
        retries = 0
        while True:
            timeout = self.settings.timeout_seconds
            if deadline is not None:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise DeadlineExceeded("no time left within the review's LLM deadline")
                timeout = min(timeout, remaining)
            try:
                return await self._measured_call(
                    model, messages, response_format, seconds=timeout, max_tokens=max_tokens
                )
            except (openai.APIStatusError, openai.APIConnectionError, TimeoutError) as exc:
                if isinstance(exc, openai.APIStatusError):
                    if response_format is not None and _about_format(exc):
                        # llama-cpp-python answers 500, LM Studio and vLLM 400: the same request fails again.
                        kind = response_format.get("type")
                        raise FormatRejected(
                            f"the server refused response_format {kind}",
                            offers_json_object=kind != "json_object" and "json_object" in _error_text(exc),
                        ) from None
                    if _about_context(exc):
                        raise ContextExceeded("the request exceeds the model's context window") from None
                reason = _describe(exc)
                clipped = timeout < self.settings.timeout_seconds
                if clipped and isinstance(exc, openai.APITimeoutError | TimeoutError):
                    raise DeadlineExceeded("timed out at the review's LLM deadline") from None
                if not _retryable(exc) or retries >= self.settings.max_retries:
                    raise LLMError(_failed(reason, retries + 1)) from None
                wait = self.policy.backoff(retries, self._rng)
                retry_after = _retry_after(exc)
                if retry_after is not None:
                    if retry_after > self.policy.max_retry_after:
                        raise LLMError(f"{reason}: the server asked to wait {retry_after:.0f} s") from None
                    wait = retry_after
                if deadline is not None and loop.time() + wait + MIN_CALL_SECONDS > deadline:
                    raise DeadlineExceeded(f"{reason}; no time left for a retry within the deadline") from None
                retries += 1
                log.info(
                    "LLM call failed (%s); retry %d of %d in %.2f s", reason, retries, self.settings.max_retries, wait
                )
                await self._sleep(wait)
            except openai.APIError as exc:
                raise LLMError(f"unusable response ({type(exc).__name__})") from None

    async def _measured_call(
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        response_format: Mapping[str, Any] | None,
        *,
        seconds: float,
        max_tokens: int | None,
    ) -> Completion:
        started = time.perf_counter()
        try:
            completion = await self._call(model, messages, response_format, seconds=seconds, max_tokens=max_tokens)
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
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        response_format: Mapping[str, Any] | None,
        *,
        seconds: float,
        max_tokens: int | None,
    ) -> Completion:
        extra: dict[str, Any] = {}
        if response_format is not None:
            extra["response_format"] = response_format
        if max_tokens is not None:
            extra["max_tokens"] = max_tokens
        # The library's timeout covers each network phase; this one bounds the whole call, so a
        # server that trickles bytes cannot hold a worker for longer.
        async with asyncio.timeout(seconds):
            response = await self._openai.chat.completions.create(
                model=model, messages=cast(Any, list(messages)), temperature=0, timeout=seconds, **extra
            )
        prompt, answer = _usage(response, "prompt_tokens"), _usage(response, "completion_tokens")
        if not response.choices:
            return Completion("", prompt, answer)
        choice = response.choices[0]
        return Completion(choice.message.content or "", prompt, answer, getattr(choice, "finish_reason", None))


def _usage(response: Any, name: str) -> int | None:
    value = getattr(response.usage, name, None) if response.usage is not None else None
    return value if isinstance(value, int) else None


def _error_text(exc: openai.APIStatusError) -> str:
    # The server's words are read to decide, never shown: providers echo parts of keys in them.
    try:
        body = exc.response.text
    except Exception:  # a body that cannot be read decides nothing
        body = ""
    return f"{exc} {body}".lower()


def _about_format(exc: openai.APIStatusError) -> bool:
    if exc.status_code < 400 or exc.status_code in (401, 403, 404, 408, 409, 429):
        return False
    text = _error_text(exc)
    return "response_format" in text or "json_schema" in text


# OpenAI and vLLM: code context_length_exceeded, "maximum context length"; llama.cpp's llama-server:
# "the request exceeds the available context size" (type exceed_context_size_error, ggml-org/llama.cpp#15780).
_CONTEXT_SIGNS = ("context_length_exceeded", "maximum context length", "exceeds the available context size")


def _about_context(exc: openai.APIStatusError) -> bool:
    if exc.status_code < 400 or exc.status_code in (401, 403, 404, 429):
        return False
    text = _error_text(exc)
    return any(sign in text for sign in _CONTEXT_SIGNS) or "exceed_context_size_error" in text


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
