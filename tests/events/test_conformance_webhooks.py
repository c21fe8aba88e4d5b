"""GitHub's published webhook payloads: they match GitHub's schemas, and the router and server take them all."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import jsonschema
import pytest
import referencing
import referencing.jsonschema
from aiohttp.test_utils import TestServer
from gidgethub import sansio

from bot.events import router
from bot.server import create_app
from bot.settings import settings_from_env
from tests.conftest import SHARED
from tests.fakes.recording_queue import RecordingQueue
from tests.fakes.webhook_sender import deliver

SECRET = "conformance-secret"
WEBHOOKS = SHARED / "github" / "webhooks"
# Files are named event.action[.variant].json (ping.json has no action); SOURCE.json describes them.
PAYLOADS = sorted(p.name for p in WEBHOOKS.glob("*.json") if p.name != "SOURCE.json") if WEBHOOKS.is_dir() else []
# What the App does with each: the published examples that should start a review.
REVIEWED = {
    "pull_request.opened.json": "opened",
    "pull_request.opened.with-null-body.json": "opened",
    "pull_request.opened.with-organization.json": "opened",
    "pull_request.reopened.json": "reopened",
    "pull_request.synchronize.json": "synchronize",
    "pull_request.ready_for_review.with-installation.json": "ready_for_review",
}


def load(shared_dir: Path, name: str) -> dict:
    return json.loads((shared_dir / "github" / "webhooks" / name).read_text())


def event_of(name: str) -> str:
    return name.split(".")[0]


def schema_path(webhooks: Path, name: str) -> Path:
    event, *rest = name.removesuffix(".json").split(".")
    action = rest[0] if rest and event != "ping" else "event"
    return webhooks / "schemas" / event / f"{action}.schema.json"


def registry(webhooks: Path) -> referencing.Registry:
    resources = []
    for path in (webhooks / "schemas").rglob("*.schema.json"):
        contents = json.loads(path.read_text())
        resource = referencing.Resource.from_contents(contents, default_specification=referencing.jsonschema.DRAFT7)
        resources.append((contents["$id"], resource))
    return referencing.Registry().with_resources(resources)


def test_the_payload_folder_has_the_events_we_handle(shared_dir):
    assert {event_of(n) for n in PAYLOADS} >= {"pull_request", "issue_comment", "ping", "installation"}
    assert set(REVIEWED) <= set(PAYLOADS)


@pytest.mark.parametrize("name", PAYLOADS)
def test_payload_matches_githubs_schema(shared_dir, name):
    webhooks = shared_dir / "github" / "webhooks"
    validator = jsonschema.Draft7Validator(
        json.loads(schema_path(webhooks, name).read_text()), registry=registry(webhooks)
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load(shared_dir, name))]
    assert errors == []


def test_a_pull_request_comment_built_from_the_published_issue_comment_still_matches_the_schema(shared_dir):
    # The event tests add issue.pull_request to GitHub's example; the schema must allow that shape.
    webhooks = shared_dir / "github" / "webhooks"
    data = load(shared_dir, "issue_comment.created.with-installation.json")
    data["issue"]["pull_request"] = {
        "url": "https://api.github.com/repos/o/r/pulls/1",
        "html_url": "https://github.com/o/r/pull/1",
        "diff_url": "https://github.com/o/r/pull/1.diff",
        "patch_url": "https://github.com/o/r/pull/1.patch",
    }
    schema = json.loads(schema_path(webhooks, "issue_comment.created.json").read_text())
    jsonschema.Draft7Validator(schema, registry=registry(webhooks)).validate(data)


@pytest.mark.parametrize("name", PAYLOADS)
async def test_router_accepts_every_published_payload(shared_dir, name):
    queue = RecordingQueue()
    await router.dispatch(sansio.Event(load(shared_dir, name), event=event_of(name), delivery_id=name), queue=queue)
    assert [r.reason for r in queue.requests] == ([REVIEWED[name]] if name in REVIEWED else [])


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, RecordingQueue]]:
    queue = RecordingQueue()
    app = create_app(settings_from_env({"GITHUB_WEBHOOK_SECRET": SECRET}), queue=queue)
    async with TestServer(app, host="127.0.0.1") as srv:
        yield srv, queue


async def test_server_acknowledges_every_published_payload(shared_dir, server):
    srv, queue = server
    answers = {}
    async with aiohttp.ClientSession() as session:
        for name in PAYLOADS:
            status, body = await deliver(
                session,
                str(srv.make_url("/webhook")),
                event_of(name),
                load(shared_dir, name),
                secret=SECRET,
                delivery_id=name,
            )
            answers[name] = (status, body["status"])
    expected = {
        name: (202, "queued") if name in REVIEWED else (200, "pong" if name.startswith("ping") else "ignored")
        for name in PAYLOADS
    }
    assert answers == expected
    assert sorted(r.delivery_id for r in queue.requests) == sorted(REVIEWED)
