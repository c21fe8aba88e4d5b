"""POST /webhook over real HTTP on 127.0.0.1: signatures, bad input, size cap, routing, answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.server import create_app, webhook
from bot.settings import SettingsError, settings_from_env
from tests.events.test_pull_request import pr_payload
from tests.fakes.recording_queue import RecordingQueue
from tests.fakes.webhook_sender import deliver, delivery_headers, sign

SECRET = "whsec-test-3f9c2a"


def settings(secret: str = SECRET):
    return settings_from_env({"GITHUB_WEBHOOK_SECRET": secret})


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
async def server(queue) -> AsyncIterator[TestServer]:
    async with TestServer(create_app(settings(), queue=queue), host="127.0.0.1") as srv:
        yield srv


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


def url(server: TestServer, path: str = "/webhook") -> str:
    return str(server.make_url(path))


async def post_raw(session, server, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    async with session.post(url(server), data=body, headers=headers) as resp:
        return resp.status, await resp.json()


async def test_signed_pull_request_is_queued_with_202(server, session, queue):
    status, body = await deliver(session, url(server), "pull_request", pr_payload("opened"), secret=SECRET)
    assert (status, body) == (202, {"status": "queued"})
    assert [r.reason for r in queue.requests] == ["opened"]


async def test_missing_signature_is_401_and_nothing_is_queued(server, session, queue):
    status, body = await deliver(session, url(server), "pull_request", pr_payload("opened"), secret=None)
    assert status == 401
    assert "signature" in body["error"]
    assert queue.requests == []


@pytest.mark.parametrize(
    "signature",
    [
        "sha256=" + "0" * 64,
        "sha256=not-hex",
        "sha256=",
        "",
        "sha1=" + "0" * 40,
        "0" * 64,
    ],
)
async def test_wrong_or_malformed_signature_is_401(server, session, queue, signature):
    body = json.dumps(pr_payload("opened")).encode()
    headers = delivery_headers("pull_request", body, secret=None)
    headers["X-Hub-Signature-256"] = signature
    status, _ = await post_raw(session, server, body, headers)
    assert status == 401
    assert queue.requests == []


async def test_signature_made_with_another_secret_is_401(server, session, queue):
    status, _ = await deliver(session, url(server), "pull_request", pr_payload("opened"), secret="other-secret")
    assert status == 401
    assert queue.requests == []


async def test_body_changed_after_signing_is_401(server, session, queue):
    body = json.dumps(pr_payload("opened")).encode()
    headers = delivery_headers("pull_request", body, secret=SECRET)
    tampered = body.replace(b'"octo/repo"', b'"evil/repo"')
    status, _ = await post_raw(session, server, tampered, headers)
    assert status == 401
    assert queue.requests == []


async def test_malformed_json_with_a_good_signature_is_400(server, session, queue):
    body = b'{"action": "opened", "number": '
    status, answer = await post_raw(session, server, body, delivery_headers("pull_request", body, secret=SECRET))
    assert (status, answer) == (400, {"error": "malformed JSON"})
    assert queue.requests == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[1, 2]", "payload must be a JSON object, got list"),
        (b"null", "payload must be a JSON object, got NoneType"),
        (b"\xff\xfe{}", "utf-8"),
        (b"", "malformed JSON"),
    ],
)
async def test_bodies_that_are_not_a_json_object_are_400(server, session, queue, body, message):
    status, answer = await post_raw(session, server, body, delivery_headers("pull_request", body, secret=SECRET))
    assert status == 400
    assert message in answer["error"]


async def test_missing_event_header_is_400(server, session):
    body = json.dumps(pr_payload("opened")).encode()
    headers = delivery_headers("pull_request", body, secret=SECRET)
    del headers["X-GitHub-Event"]
    status, answer = await post_raw(session, server, body, headers)
    assert status == 400
    assert "X-GitHub-Event" in answer["error"]


async def test_form_encoded_delivery_is_accepted(server, session, queue):
    from urllib.parse import urlencode

    body = urlencode({"payload": json.dumps(pr_payload("reopened"))}).encode()
    headers = delivery_headers("pull_request", body, secret=SECRET)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    status, _ = await post_raw(session, server, body, headers)
    assert status == 202
    assert [r.reason for r in queue.requests] == ["reopened"]


async def test_ping_is_answered_and_queues_nothing(server, session, queue):
    status, body = await deliver(
        session, url(server), "ping", {"zen": "Keep it logically awesome.", "hook_id": 1}, secret=SECRET
    )
    assert (status, body) == (200, {"status": "pong"})
    assert queue.requests == []


async def test_ping_with_a_bad_signature_is_still_401(server, session):
    status, _ = await deliver(session, url(server), "ping", {"zen": "x"}, secret="wrong")
    assert status == 401


async def test_redelivery_of_the_same_delivery_id_is_acknowledged_as_duplicate(server, session, queue):
    first = await deliver(session, url(server), "pull_request", pr_payload("opened"), secret=SECRET, delivery_id="x")
    second = await deliver(session, url(server), "pull_request", pr_payload("opened"), secret=SECRET, delivery_id="x")
    assert first == (202, {"status": "queued"})
    assert second == (200, {"status": "duplicate"})
    assert len(queue.requests) == 1


async def test_events_we_do_not_handle_are_acknowledged_and_ignored(server, session, queue):
    for event, payload in [("star", {"action": "created"}), ("pull_request", pr_payload("labeled"))]:
        assert await deliver(session, url(server), event, payload, secret=SECRET) == (200, {"status": "ignored"})
    assert queue.requests == []


async def test_signed_payload_missing_fields_is_400_naming_the_field(server, session, queue):
    payload = pr_payload("opened")
    del payload["pull_request"]["head"]
    status, body = await deliver(session, url(server), "pull_request", payload, secret=SECRET)
    assert (status, body) == (400, {"error": "payload has no pull_request.head.sha"})


async def test_queue_failure_is_500_without_details(session):
    failing = RecordingQueue(fail=RuntimeError("database is locked at /secret/path"))
    async with TestServer(create_app(settings(), queue=failing), host="127.0.0.1") as srv:
        status, body = await deliver(session, url(srv), "pull_request", pr_payload("opened"), secret=SECRET)
    assert (status, body) == (500, {"error": "internal error"})


async def test_stuck_queue_is_503_before_github_gives_up(session, monkeypatch):
    monkeypatch.setattr(webhook, "DISPATCH_TIMEOUT_SECONDS", 0.05)
    async with TestServer(create_app(settings(), queue=RecordingQueue(delay=5)), host="127.0.0.1") as srv:
        status, body = await deliver(session, url(srv), "pull_request", pr_payload("opened"), secret=SECRET)
    assert status == 503
    assert "redeliver" in body["error"]


async def test_declared_oversize_body_is_413_without_being_read(server):
    # Announce 30 MB but send a few bytes: the answer must come from the headers alone.
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(
        b"POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: big\r\nX-Hub-Signature-256: sha256=00\r\n"
        b"Content-Length: 30000000\r\n\r\n{}"
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=5)
    writer.close()
    assert status_line.startswith(b"HTTP/1.1 413")


async def test_streamed_body_over_the_cap_is_413(server, session, queue):
    chunk = b" " * (1024 * 1024)

    async def body():
        for _ in range(26):
            yield chunk

    headers = delivery_headers("pull_request", b"", secret=SECRET)
    async with session.post(url(server), data=body(), headers=headers) as resp:
        assert resp.status == 413
        assert "larger than" in (await resp.json())["error"]
    assert queue.requests == []


async def test_a_payload_just_under_25_mib_is_accepted(server, session, queue):
    payload = pr_payload("opened")
    payload["pull_request"]["body"] = ""
    size = len(json.dumps(payload).encode())
    payload["pull_request"]["body"] = "x" * (webhook.MAX_PAYLOAD_BYTES - size)
    body = json.dumps(payload).encode()
    assert len(body) == webhook.MAX_PAYLOAD_BYTES
    status, _ = await post_raw(session, server, body, delivery_headers("pull_request", body, secret=SECRET))
    assert status == 202


def test_app_refuses_to_start_without_a_webhook_secret():
    with pytest.raises(SettingsError, match="GITHUB_WEBHOOK_SECRET is not set"):
        create_app(settings_from_env({}), queue=RecordingQueue())


def test_sign_matches_githubs_documented_example():
    # https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert sign(b"Hello, World!", "It's a Secret to Everybody") == expected


async def test_unsigned_requests_cannot_add_metric_labels(server, session):
    # The event header is anyone's to choose until the signature is checked; each new value would be a new
    # time series held in memory and served at /metrics for the life of the process.
    for i in range(5):
        event = f"forged-event-{i}"
        status, _ = await deliver(session, url(server), event, pr_payload("opened"), secret="not-the-secret")
        assert status == 401
    async with session.get(url(server, "/metrics")) as resp:
        text = await resp.text()
    assert "forged-event" not in text
    assert 'event="unverified",outcome="bad_signature"' in text
