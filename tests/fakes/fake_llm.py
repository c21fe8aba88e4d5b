"""A fake OpenAI-compatible Chat Completions server: a real aiohttp server on 127.0.0.1.

It answers POST /v1/chat/completions (and /chat/completions) with bodies shaped like OpenAI's, errors in
OpenAI's error format, records every request, and plays a queue of scripted behaviours; when the queue is
empty it plays `default` (an empty, valid review).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

_ids = itertools.count(1)


def fake_token_count(text: str) -> int:
    """Count tokens the way this fake reports usage: one per four characters, rounded up."""
    return math.ceil(len(text) / 4)


@dataclass(frozen=True)
class Reply:
    """Answer 200 with `content` (a dict is sent as JSON text); `usage=False` leaves usage out."""

    content: str | dict[str, Any]
    delay: float = 0.0
    usage: bool = True
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Fail:
    """Answer with an OpenAI-style error body; `retry_after` sets the Retry-After header (seconds)."""

    status: int
    message: str = "The server had an error while processing your request."
    type: str = "server_error"
    code: str | None = None
    retry_after: str | None = None


@dataclass(frozen=True)
class Hang:
    """Wait `seconds` (longer than the client's timeout) before answering an empty review."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Compute:
    """Build the reply from the request body: `build(body)` returns the content (str or dict)."""

    build: Callable[[dict[str, Any]], str | dict[str, Any]]
    delay: float = 0.0


Behaviour = Reply | Fail | Hang | Compute
# A server's own handling of `response_format`: a behaviour that replaces the script, or None to play it.
Profile = Callable[[dict[str, Any]], "Behaviour | None"]


def _format_type(body: dict[str, Any]) -> str | None:
    fmt = body.get("response_format")
    return fmt.get("type") if isinstance(fmt, dict) else None


def llama_cpp_python(body: dict[str, Any]) -> Behaviour | None:
    """llama-cpp-python 0.3.x server: only `text` and `json_object` (optional `schema`); json_schema is a 500.

    Measured against 0.3.36: a pydantic literal_error on ('body', 'response_format', 'type') answered with 500.
    """
    if _format_type(body) == "json_schema":
        return Fail(
            500,
            "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
            "'msg': \"Input should be 'text' or 'json_object'\"}",
            "internal_server_error",
        )
    return None


def llama_server(body: dict[str, Any]) -> Behaviour | None:
    """llama.cpp's llama-server: honours json_schema; json_object may get free text with 200 (llama.cpp#24096)."""
    if _format_type(body) == "json_object":
        return Reply("Sure! I looked at the change and it seems fine to me.")
    return None


def lm_studio(body: dict[str, Any]) -> Behaviour | None:
    """LM Studio: json_schema and text only; json_object is a 400 (lmstudio-bug-tracker#189)."""
    if _format_type(body) == "json_object":
        return Fail(400, "'response_format.type' must be 'json_schema' or 'text'", "invalid_request_error")
    return None


def ollama_cloud(body: dict[str, Any]) -> Behaviour | None:
    """Ollama Cloud: accepts json_schema but does not enforce it (ollama/ollama#12362): the answer ignores it."""
    if _format_type(body) == "json_schema":
        return Reply({"review": "The change looks fine.", "issues": 0})
    return None


def vllm(body: dict[str, Any]) -> Behaviour | None:
    """vLLM: json_schema through guided decoding; an unsupported response_format is a 400."""
    if _format_type(body) not in (None, "text", "json_schema", "json_object"):
        return Fail(400, "Unsupported response_format type", "BadRequestError")
    return None


def azure_before_2024_08(body: dict[str, Any]) -> Behaviour | None:
    """Azure OpenAI before api-version 2024-08-01-preview: json_schema is a 400 naming response_format."""
    if _format_type(body) == "json_schema":
        return Fail(
            400,
            "response_format value as json_schema is enabled only for api versions 2024-08-01-preview and later",
            "invalid_request_error",
            "BadRequest",
        )
    return None


def refuses_every_format(body: dict[str, Any]) -> Behaviour | None:
    """A server that refuses any response_format with 400 (only plain requests get an answer)."""
    if "response_format" in body:
        return Fail(400, "response_format is not supported by this server", "invalid_request_error")
    return None


def fenced(content: dict[str, Any]) -> Reply:
    """Return a reply that wraps JSON in a ```json fence, as models without json_schema often do."""
    return Reply(f"Here is my review:\n```json\n{json.dumps(content, indent=2)}\n```\n")


def prose_wrapped(content: dict[str, Any]) -> Reply:
    """Return a reply with JSON amid prose."""
    return Reply(f"I reviewed the change. {json.dumps(content)} Let me know if you need more.")


def rate_limited(retry_after: str = "0") -> Fail:
    """Return a 429 in OpenAI's format."""
    return Fail(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded", retry_after)


def unauthorized() -> Fail:
    """Return a 401 that, like OpenAI's, echoes part of the key it was given."""
    return Fail(401, "Incorrect API key provided: sk-...oops.", "invalid_request_error", "invalid_api_key")


@dataclass
class Recorded:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    started: float
    ended: float = 0.0

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Return the chat messages of the request."""
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """Return the whole request as sent: headers and body."""
        return json.dumps(self.headers) + json.dumps(self.body)


@dataclass
class FakeLLM:
    """The running fake; script it with `enqueue`, set `latency` for benches, read `requests`."""

    latency: float = 0.0
    default: Behaviour = field(default_factory=lambda: Reply({"findings": []}))
    requests: list[Recorded] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    base_url: str = ""
    profile: Profile | None = None
    _queue: deque[Behaviour] = field(default_factory=deque)
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    def enqueue(self, *behaviours: Behaviour) -> None:
        """Play `behaviours` for the next requests, in order."""
        self._queue.extend(behaviours)

    async def start(self) -> str:
        """Start on a free port of 127.0.0.1; return the base URL (ending in /v1)."""
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_post("/chat/completions", self._completions)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self.base_url

    async def stop(self) -> None:
        """Release hanging handlers and stop the server."""
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _completions(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "We could not parse the JSON body of your request.", "invalid_request_error")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or "model" not in body:
            return _error(400, "'messages' and 'model' are required properties", "invalid_request_error")
        record = Recorded(request.path, dict(request.headers), body, time.monotonic())
        self.requests.append(record)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            by_server = self.profile(body) if self.profile is not None else None
            behaviour = by_server or (self._queue.popleft() if self._queue else self.default)
            if self.latency:
                await asyncio.sleep(self.latency)
            return await self._play(behaviour, body)
        finally:
            self.in_flight -= 1
            record.ended = time.monotonic()

    async def _play(self, behaviour: Behaviour, body: dict[str, Any]) -> web.Response:
        if isinstance(behaviour, Fail):
            headers = {"Retry-After": behaviour.retry_after} if behaviour.retry_after is not None else {}
            return _error(behaviour.status, behaviour.message, behaviour.type, behaviour.code, headers)
        if isinstance(behaviour, Hang):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), behaviour.seconds)
            return _completion(body, {"findings": []}, usage=True, finish_reason="stop")
        if isinstance(behaviour, Compute):
            await asyncio.sleep(behaviour.delay)
            return _completion(body, behaviour.build(body), usage=True, finish_reason="stop")
        await asyncio.sleep(behaviour.delay)
        return _completion(body, behaviour.content, usage=behaviour.usage, finish_reason=behaviour.finish_reason)


def _completion(
    body: dict[str, Any], content: str | dict[str, Any], *, usage: bool, finish_reason: str
) -> web.Response:
    text = content if isinstance(content, str) else json.dumps(content)
    prompt = sum(fake_token_count(str(m.get("content", ""))) + 4 for m in body["messages"])
    answer: dict[str, Any] = {
        "id": f"chatcmpl-fake{next(_ids)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": finish_reason,
            }
        ],
    }
    if usage:
        completion = fake_token_count(text)
        answer["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
    return web.json_response(answer)


def _error(
    status: int, message: str, type_: str, code: str | None = None, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers or {})


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeLLM]:
    """Yield a running fake OpenAI-compatible server; `.base_url` ends in /v1."""
    server = FakeLLM()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
