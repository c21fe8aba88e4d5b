"""Pull request events through the combined router: which actions enqueue what."""

from __future__ import annotations

import copy
import json

import pytest
from gidgethub import sansio

from bot.events import PayloadError, router
from tests.fakes.recording_queue import RecordingQueue


def pr_payload(action: str, **overrides: object) -> dict:
    """Build a minimal pull_request payload with the fields GitHub always sends."""
    payload = {
        "action": action,
        "number": 7,
        "pull_request": {
            "number": 7,
            "state": "open",
            "draft": False,
            "head": {"sha": "a" * 40, "ref": "feature"},
            "base": {"sha": "b" * 40, "ref": "main"},
            "user": {"login": "octocat", "type": "User"},
        },
        "repository": {"full_name": "octo/repo"},
        "installation": {"id": 42},
        "sender": {"login": "octocat", "type": "User"},
    }
    payload.update(overrides)
    return payload


async def dispatch(data: dict, *, event: str = "pull_request", delivery: str = "d-1") -> RecordingQueue:
    queue = RecordingQueue()
    await router.dispatch(sansio.Event(data, event=event, delivery_id=delivery), queue=queue)
    return queue


@pytest.mark.parametrize("action", ["opened", "reopened", "ready_for_review"])
async def test_reviewed_actions_enqueue_a_job_with_ids_only(action):
    queue = await dispatch(pr_payload(action))
    [job] = queue.requests
    assert (job.delivery_id, job.installation_id, job.repo, job.number) == ("d-1", 42, "octo/repo", 7)
    assert (job.head_sha, job.reason, job.before_sha) == ("a" * 40, action, None)


async def test_synchronize_carries_the_previous_head_for_an_incremental_review():
    queue = await dispatch(pr_payload("synchronize", before="c" * 40, after="a" * 40))
    [job] = queue.requests
    assert job.reason == "synchronize"
    assert job.before_sha == "c" * 40


async def test_drafts_are_enqueued_so_the_worker_can_apply_review_drafts_from_the_base_config():
    data = pr_payload("opened")
    data["pull_request"]["draft"] = True
    queue = await dispatch(data)
    assert [r.reason for r in queue.requests] == ["opened"]


@pytest.mark.parametrize(
    "action", ["closed", "edited", "labeled", "assigned", "converted_to_draft", "review_requested"]
)
async def test_other_actions_enqueue_nothing(action):
    queue = await dispatch(pr_payload(action))
    assert queue.requests == []


async def test_a_closed_pull_request_is_never_reviewed_even_on_synchronize():
    data = pr_payload("synchronize", before="c" * 40)
    data["pull_request"]["state"] = "closed"
    assert (await dispatch(data)).requests == []


async def test_delivery_without_installation_is_ignored_and_logged(caplog):
    data = pr_payload("opened")
    del data["installation"]
    with caplog.at_level("INFO"):
        queue = await dispatch(data)
    assert queue.requests == []
    assert "no App installation id" in caplog.text


async def test_the_same_delivery_twice_is_enqueued_once():
    queue = RecordingQueue()
    event = sansio.Event(pr_payload("opened"), event="pull_request", delivery_id="same")
    await router.dispatch(event, queue=queue)
    await router.dispatch(event, queue=queue)
    assert len(queue.requests) == 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("pull_request"), "pull_request.number"),
        (lambda d: d["pull_request"]["head"].pop("sha"), "pull_request.head.sha"),
        (lambda d: d["pull_request"].update(number="7"), "pull_request.number must be int"),
        (lambda d: d["pull_request"].update(number=True), "pull_request.number must be int"),
        (lambda d: d.update(repository=None), "repository.full_name"),
    ],
)
async def test_a_payload_missing_what_a_review_needs_fails_with_the_path(mutate, message):
    data = pr_payload("opened")
    mutate(data)
    with pytest.raises(PayloadError, match=message):
        await dispatch(data)


async def test_real_opened_payload_becomes_the_expected_job(shared_dir):
    data = json.loads((shared_dir / "github/webhooks/pull_request.opened.json").read_text())
    queue = await dispatch(copy.deepcopy(data))
    [job] = queue.requests
    assert job.repo == data["repository"]["full_name"]
    assert job.number == data["pull_request"]["number"]
    assert job.head_sha == data["pull_request"]["head"]["sha"]
    assert job.installation_id == data["installation"]["id"]


async def test_real_synchronize_payload_carries_before(shared_dir):
    data = json.loads((shared_dir / "github/webhooks/pull_request.synchronize.json").read_text())
    [job] = (await dispatch(data)).requests
    assert job.before_sha == data["before"]
    assert job.head_sha == data["pull_request"]["head"]["sha"]
