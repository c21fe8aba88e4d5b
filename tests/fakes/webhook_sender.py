"""Send webhook deliveries the way GitHub does: JSON body, event and delivery headers, HMAC-SHA256 signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

import aiohttp


def sign(body: bytes, secret: str) -> str:
    """Return the X-Hub-Signature-256 value GitHub computes for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_headers(event: str, body: bytes, *, secret: str | None, delivery_id: str | None = None) -> dict[str, str]:
    """Return GitHub's delivery headers for `body`; no signature header when `secret` is None."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/test",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "1",
    }
    if secret is not None:
        headers["X-Hub-Signature-256"] = sign(body, secret)
    return headers


async def deliver(
    session: aiohttp.ClientSession,
    url: str,
    event: str,
    payload: Any,
    *,
    secret: str | None,
    delivery_id: str | None = None,
) -> tuple[int, Any]:
    """POST one delivery and return (status, JSON body)."""
    body = json.dumps(payload).encode()
    headers = delivery_headers(event, body, secret=secret, delivery_id=delivery_id)
    async with session.post(url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=30)) as resp:
        return resp.status, await resp.json(content_type=None)
