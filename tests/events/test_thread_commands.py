"""Slash commands other than recheck, in the conversation and as replies in review threads, through the router."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gidgethub import sansio

from bot.events import router
from bot.pulls.commands import Command, parse_command
from tests.events.test_comments import comment_payload, dispatch
from tests.fakes.recording_queue import RecordingQueue

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "github" / "webhooks"


def reply_payload(body: str, *, login: str = "octocat", user_type: str = "User", reply_to: int | None = 55) -> dict:
    user = {"login": login, "type": user_type}
    comment = {"id": 77, "body": body, "user": user, "author_association": "MEMBER"}
    if reply_to is not None:
        comment["in_reply_to_id"] = reply_to
    return {
        "action": "created",
        "comment": comment,
        "pull_request": {"number": 7, "state": "open", "user": {"login": "octocat"}},
        "repository": {"full_name": "octo/repo"},
        "installation": {"id": 42},
        "sender": user,
    }


@pytest.mark.parametrize(
    ("body", "in_thread", "expected"),
    [
        (
            "/prodready ignore py-requests-no-timeout flaky here",
            False,
            Command("ignore", "py-requests-no-timeout", "flaky here"),
        ),
        ("/PRODREADY Ignore security", False, Command("ignore", "security", "")),
        ("/prodready ignore", False, Command("ignore", None, "")),
        ("/prodready ignore not in this demo", True, Command("ignore", None, "not in this demo")),
        ("/prodready help", False, Command("help")),
        ("/prodready", False, Command("help")),
        ("/prodready frobnicate", False, Command("unknown", word="frobnicate")),
        ("please /prodready ignore security", False, None),
        ("", False, None),
    ],
)
def test_commands_are_parsed_from_the_first_line(body, in_thread, expected):
    assert parse_command(body, in_thread=in_thread) == expected


async def test_conversation_ignore_enqueues_a_command_job_with_its_line():
    queue = await dispatch(comment_payload("/prodready ignore security not exposed\nmore text"))
    [job] = queue.requests
    assert (job.reason, job.command, job.reply_to, job.requested_by) == (
        "command",
        "/prodready ignore security not exposed",
        None,
        "octocat",
    )


async def test_thread_reply_enqueues_with_the_thread_it_answers():
    queue = RecordingQueue()
    event = sansio.Event(reply_payload("/prodready ignore"), event="pull_request_review_comment", delivery_id="d-1")
    await router.dispatch(event, queue=queue)
    [job] = queue.requests
    assert (job.reason, job.reply_to, job.comment_id, job.number) == ("command", 55, 77, 7)


@pytest.mark.parametrize(
    "payload",
    [
        reply_payload("/prodready ignore", reply_to=None),  # a person's own review comment, not a reply
        reply_payload("/prodready ignore", login="ci[bot]", user_type="Bot"),
        reply_payload("looks fine to me"),
    ],
)
async def test_thread_events_that_are_no_command_for_us_enqueue_nothing(payload):
    queue = RecordingQueue()
    await router.dispatch(sansio.Event(payload, event="pull_request_review_comment", delivery_id="d-2"), queue=queue)
    assert queue.requests == []


async def test_github_sample_of_a_review_comment_dispatches_cleanly():
    path = SAMPLE / "pull_request_review_comment.created.json"
    if not path.is_file():
        pytest.skip("../shared/github is absent")
    data = json.loads(path.read_text())
    data["comment"]["body"] = "/prodready ignore"
    data["comment"]["in_reply_to_id"] = 1
    data["installation"] = {"id": 3}
    queue = RecordingQueue()
    await router.dispatch(sansio.Event(data, event="pull_request_review_comment", delivery_id="d-3"), queue=queue)
    [job] = queue.requests
    assert job.repo == "Codertocat/Hello-World" and job.reply_to == 1
