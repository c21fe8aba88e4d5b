"""POST /webhook: check the signature before anything else, route the event, answer at once."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from gidgethub import ValidationFailure, sansio
from gidgethub.routing import Router

from bot import metrics
from bot.events import PayloadError
from bot.jobs.model import JobQueue, JobRequest
from bot.observability import log_context
from bot.settings import Secret

log = logging.getLogger(__name__)

# GitHub caps webhook payloads at 25 MB and drops bigger ones, so nothing larger is a real delivery.
MAX_PAYLOAD_BYTES = 25 * 1024 * 1024
# GitHub gives up on a delivery after 10 s; answer well before, even if the job store is stuck.
DISPATCH_TIMEOUT_SECONDS = 8.0
# GitHub sends a delivery at once; a body still trickling in after this is a client holding a connection
# (and up to the payload cap of memory) open, so it is cut off.
BODY_READ_TIMEOUT_SECONDS = 20.0
# Outcomes decided before the signature is checked: their event header is anyone's to choose, and as a
# metric label each new value would be one more time series kept for the life of the process.
_UNVERIFIED_OUTCOMES = frozenset({"too_large", "bad_signature", "slow_body"})


def error_response(status: int, message: str) -> web.Response:
    """Return a JSON error body GitHub's delivery log shows verbatim."""
    return web.json_response({"error": message}, status=status)


@dataclass
class _CountingQueue:
    """Pass submissions through to the real queue and remember what happened, for the response."""

    queue: JobQueue
    queued: int = 0
    duplicates: int = 0

    async def submit(self, request: JobRequest) -> bool:
        accepted = await self.queue.submit(request)
        if accepted:
            self.queued += 1
        else:
            self.duplicates += 1
        return accepted


def decode_payload(content_type: str, body: bytes) -> Any:
    """Return the JSON object a delivery carries; raise ValueError saying what is wrong with it."""
    mime = content_type.split(";", 1)[0].strip().lower()
    text = body.decode("utf-8")
    if mime == "application/x-www-form-urlencoded":
        # The webhook's other content type puts the JSON in a form field named "payload".
        fields = urllib.parse.parse_qs(text)
        if "payload" not in fields:
            raise ValueError("form body has no 'payload' field")
        text = fields["payload"][0]
    try:
        data = json.loads(text)
    except RecursionError:
        # The parser recurses per nesting level; a body nested deeper than the stack is no real delivery.
        raise ValueError("JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"payload must be a JSON object, got {type(data).__name__}")
    return data


class WebhookHandler:
    """The aiohttp handler for POST /webhook."""

    def __init__(self, *, secret: Secret, router: Router, queue: JobQueue) -> None:
        self._secret = secret
        self._router = router
        self._queue = queue

    async def handle(self, request: web.Request) -> web.Response:
        """Answer one delivery: 2xx once queued or ignored, 4xx for what GitHub would never send."""
        started = time.perf_counter()
        event_name = request.headers.get("X-GitHub-Event", "")
        delivery_id = request.headers.get("X-GitHub-Delivery", "")
        with log_context(delivery_id=delivery_id or None, event=event_name or None):
            response, outcome = await self._handle(request, event_name, delivery_id)
        label = "unverified" if outcome in _UNVERIFIED_OUTCOMES else event_name
        metrics.record_delivery(label, outcome, seconds=time.perf_counter() - started)
        return response

    async def _handle(self, request: web.Request, event_name: str, delivery_id: str) -> tuple[web.Response, str]:
        if request.content_length is not None and request.content_length > MAX_PAYLOAD_BYTES:
            # Refused from the header alone: the body is never read.
            log.warning("rejected: body of %d bytes exceeds the payload cap", request.content_length)
            return error_response(413, f"payload larger than {MAX_PAYLOAD_BYTES} bytes"), "too_large"
        signature = request.headers.get("X-Hub-Signature-256", "")
        # gidgethub would also take a "sha1=" value here; only SHA-256 is accepted.
        if not signature.startswith("sha256="):
            log.warning("rejected: no SHA-256 signature header")
            return error_response(401, "missing X-Hub-Signature-256 (sha256=...) signature"), "bad_signature"
        try:
            async with asyncio.timeout(BODY_READ_TIMEOUT_SECONDS):
                body = await request.read()
        except TimeoutError:
            log.warning("rejected: body not received within %s s", BODY_READ_TIMEOUT_SECONDS)
            return error_response(408, "request body not received in time"), "slow_body"
        except web.HTTPRequestEntityTooLarge:
            log.warning("rejected: streamed body exceeds the payload cap")
            return error_response(413, f"payload larger than {MAX_PAYLOAD_BYTES} bytes"), "too_large"
        try:
            # Constant-time HMAC comparison, on the raw bytes, before any parsing.
            sansio.validate_event(body, signature=signature, secret=self._secret.reveal())
        except ValidationFailure:
            log.warning("rejected: signature does not match the webhook secret")
            return error_response(401, "signature does not match"), "bad_signature"
        if not event_name or not delivery_id:
            return error_response(400, "missing X-GitHub-Event or X-GitHub-Delivery header"), "bad_request"
        try:
            data = decode_payload(request.headers.get("Content-Type", ""), body)
        except (UnicodeDecodeError, ValueError) as exc:
            message = "malformed JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            log.warning("rejected: %s", message)
            return error_response(400, message), "bad_request"
        if event_name == "ping":
            log.info("ping: webhook is set up")
            return web.json_response({"status": "pong"}), "pong"
        return await self._dispatch(sansio.Event(data, event=event_name, delivery_id=delivery_id))

    async def _dispatch(self, event: sansio.Event) -> tuple[web.Response, str]:
        counting = _CountingQueue(self._queue)
        try:
            async with asyncio.timeout(DISPATCH_TIMEOUT_SECONDS):
                await self._router.dispatch(event, queue=counting)
        except PayloadError as exc:
            log.warning("rejected: %s", exc)
            return error_response(400, str(exc)), "bad_request"
        except TimeoutError:
            log.error("job queue did not answer within %.0f s", DISPATCH_TIMEOUT_SECONDS)
            return error_response(503, "job queue unavailable, redeliver later"), "error"
        except Exception:
            # The delivery can be redelivered from GitHub's settings page; the details go to the log only.
            log.exception("failed to handle delivery")
            return error_response(500, "internal error"), "error"
        if counting.queued:
            return web.json_response({"status": "queued"}, status=202), "queued"
        if counting.duplicates:
            return web.json_response({"status": "duplicate"}), "duplicate"
        return web.json_response({"status": "ignored"}), "ignored"
