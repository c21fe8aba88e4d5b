"""`/prodready recheck` comments through the combined router: who and what may trigger a recheck."""

from __future__ import annotations

import json

import pytest
from gidgethub import sansio

from bot.events import router
from bot.events.comments import is_recheck_command
from tests.fakes.recording_queue import RecordingQueue


def comment_payload(body: str | None, *, login: str = "octocat", user_type: str = "User", **issue: object) -> dict:
    """Build an issue_comment.created payload on a pull request."""
    user = {"login": login, "type": user_type}
    return {
        "action": "created",
        "issue": {"number": 7, "state": "open", "pull_request": {"url": "https://x/pulls/7"}, **issue},
        "comment": {"id": 991, "body": body, "user": user},
        "repository": {"full_name": "octo/repo"},
        "installation": {"id": 42},
        "sender": user,
    }


async def dispatch(data: dict, *, action_event: str = "issue_comment") -> RecordingQueue:
    queue = RecordingQueue()
    await router.dispatch(sansio.Event(data, event=action_event, delivery_id="d-9"), queue=queue)
    return queue


@pytest.mark.parametrize(
    "body",
    [
        "/prodready recheck",
        "/PRODREADY Recheck",
        "   /prodready    recheck   ",
        "\n\n/prodready recheck\nplease, the config changed",
        "/prodready recheck\r\nthanks",
        "\t/prodready\trecheck",
    ],
)
def test_recheck_command_is_recognised(body):
    assert is_recheck_command(body)


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "   \n  ",
        "/prodready",
        "/prodready rechecks",
        "/prodready recheck now",
        "please /prodready recheck",
        "thanks!\n/prodready recheck",
        "> /prodready recheck",
        "`/prodready recheck`",
        "prodready recheck",
    ],
)
def test_other_text_is_not_a_recheck(body):
    assert not is_recheck_command(body)


async def test_recheck_enqueues_a_job_naming_the_comment_and_who_asked():
    queue = await dispatch(comment_payload("/prodready recheck", login="alice"))
    [job] = queue.requests
    assert (job.reason, job.comment_id, job.requested_by) == ("recheck", 991, "alice")
    assert (job.repo, job.number, job.installation_id, job.delivery_id) == ("octo/repo", 7, 42, "d-9")
    # The event has no head sha: the worker reviews the head it reads.
    assert job.head_sha == ""


@pytest.mark.parametrize(
    ("login", "user_type"),
    [("dependabot[bot]", "Bot"), ("renovate[bot]", "User"), ("prodready", "Bot"), ("Some-App[BOT]", "User")],
)
async def test_bots_never_trigger_a_recheck(login, user_type):
    assert (await dispatch(comment_payload("/prodready recheck", login=login, user_type=user_type))).requests == []


async def test_bot_sender_on_a_human_comment_is_also_ignored():
    data = comment_payload("/prodready recheck")
    data["sender"] = {"login": "ci[bot]", "type": "Bot"}
    assert (await dispatch(data)).requests == []


async def test_comment_on_a_plain_issue_is_ignored():
    data = comment_payload("/prodready recheck")
    del data["issue"]["pull_request"]
    assert (await dispatch(data)).requests == []


async def test_edited_and_deleted_comments_do_not_trigger():
    for action in ("edited", "deleted"):
        data = comment_payload("/prodready recheck")
        data["action"] = action
        assert (await dispatch(data)).requests == []


async def test_recheck_on_a_closed_pull_request_is_ignored():
    assert (await dispatch(comment_payload("/prodready recheck", state="closed"))).requests == []


async def test_recheck_without_installation_is_ignored():
    data = comment_payload("/prodready recheck")
    del data["installation"]
    assert (await dispatch(data)).requests == []


async def test_ordinary_comment_with_odd_fields_is_ignored_without_error():
    data = comment_payload("LGTM")
    data["comment"]["user"] = None
    assert (await dispatch(data)).requests == []


async def test_real_issue_comment_made_into_a_pr_comment_triggers(shared_dir):
    # GitHub's published examples are all on plain issues; adding the key turns one into a PR comment.
    data = json.loads((shared_dir / "github/webhooks/issue_comment.created.with-installation.json").read_text())
    assert (await dispatch(data)).requests == []
    data["issue"]["pull_request"] = {"url": data["issue"]["url"].replace("/issues/", "/pulls/")}
    data["comment"]["body"] = "/prodready recheck"
    [job] = (await dispatch(data)).requests
    assert job.requested_by == data["comment"]["user"]["login"]
    assert job.comment_id == data["comment"]["id"]


async def test_recheck_by_a_user_github_no_longer_names_is_ignored_not_refused_as_malformed():
    # GitHub's schema allows a null comment user (deleted accounts); nobody can be checked for permission.
    data = comment_payload("/prodready recheck")
    data["comment"]["user"] = None
    assert (await dispatch(data)).requests == []


@pytest.mark.parametrize(
    ("association", "author", "queued"),
    [
        ("NONE", "someone-else", False),  # a stranger: dropped before it costs budget or a reply
        ("FIRST_TIME_CONTRIBUTOR", "someone-else", False),
        ("NONE", "mallory", True),  # the pull request's own author always may
        ("CONTRIBUTOR", "someone-else", True),  # private org members show up as this: the worker decides
        ("MEMBER", "someone-else", True),
        (None, "someone-else", True),  # no association in the payload: the worker decides
    ],
)
async def test_rechecks_from_strangers_are_dropped_before_the_queue(association, author, queued):
    data = comment_payload("/prodready recheck", login="mallory", user={"login": author})
    if association is not None:
        data["comment"]["author_association"] = association
    assert bool((await dispatch(data)).requests) is queued
