"""The whole App over loopback: signed webhooks -> server -> durable queue -> worker -> fake GitHub and LLM."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.pulls.review_job import REFUSED_RECHECK
from bot.server.main import WORKER_KEY
from bot.wiring import Tuning
from tests.fakes.app_harness import running_app
from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.webhook_sender import deliver, delivery_headers

SECRET = "e2e-webhook-secret-41c7"
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
INSTALLATION = 7


@dataclass
class World:
    """The running App and the fakes around it."""

    github: FakeGitHub
    llm: FakeLLM
    repo: FakeRepo
    server: TestServer
    session: aiohttp.ClientSession

    @property
    def pull(self) -> FakePull:
        return self.repo.pulls[1]

    @property
    def url(self) -> str:
        return str(self.server.make_url("/webhook"))

    async def send(self, event: str, payload: dict, **kw: object) -> tuple[int, dict]:
        return await deliver(self.session, self.url, event, payload, secret=SECRET, **kw)  # type: ignore[arg-type]

    async def settle(self) -> None:
        """Wait until the worker has nothing queued or running."""
        await asyncio.wait_for(self.server.app[WORKER_KEY].runner.wait_idle(), timeout=20)

    def pr_event(self, action: str, **extra: object) -> dict:
        return {
            "action": action,
            "number": 1,
            "pull_request": {
                "number": 1,
                "state": self.pull.state,
                "draft": self.pull.draft,
                "head": {"sha": self.pull.head_sha, "ref": "feature"},
                "base": {"sha": self.pull.base_sha, "ref": "main"},
                "user": {"login": self.pull.user, "type": "User"},
            },
            "repository": {"full_name": self.repo.full_name},
            "installation": {"id": INSTALLATION},
            "sender": {"login": self.pull.user, "type": "User"},
            **extra,
        }

    def comment_event(self, body: str, *, login: str, user_type: str = "User") -> dict:
        comment_id = self.repo.add_issue_comment(1, body, user=login, kind=user_type)
        user = {"login": login, "type": user_type}
        return {
            "action": "created",
            "issue": {"number": 1, "state": "open", "pull_request": {"url": "x"}, "user": {"login": self.pull.user}},
            "comment": {"id": comment_id, "body": body, "user": user},
            "repository": {"full_name": self.repo.full_name},
            "installation": {"id": INSTALLATION},
            "sender": user,
        }


@pytest.fixture
async def world(fake_github: FakeGitHub, fake_llm: FakeLLM, github_app_key, tmp_path) -> AsyncIterator[World]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff=SAMPLE.read_text(), user="alice")
    repo.collaborators.update({"wanda": "write", "rita": "read"})
    fake_github.add_installation(INSTALLATION, ["octo/app"])
    # The production wiring unchanged (the default Tuning), with the settings the shared harness points at the fakes.
    async with running_app(
        fake_github,  # type: ignore[arg-type]  # no hooks are needed here
        fake_llm,
        private_key=github_app_key[0],
        data_dir=tmp_path / "data",
        tuning=Tuning(),
        env={"GITHUB_WEBHOOK_SECRET": SECRET},
    ) as app:
        yield World(fake_github, fake_llm, repo, app.server, app.session)


def writes(world: World) -> list[str]:
    kinds = {"pulls.reviews.create", "issues.comments.create", "issues.comments.update", "reactions.create"}
    return [r.route for r in world.github.requests if r.route in kinds]


def summaries(world: World) -> list[dict]:
    return [c for c in world.repo.issue_comments if c["user"]["type"] == "Bot"]


async def test_opened_pull_request_gets_a_review_and_a_summary(world):
    assert await world.send("pull_request", world.pr_event("opened")) == (202, {"status": "queued"})
    await world.settle()
    [review] = world.repo.reviews
    assert review["commit_id"] == world.pull.head_sha
    assert {c["line"] for c in world.repo.review_comments} == {3, 7}
    assert len(summaries(world)) == 1
    assert world.llm.requests, "the LLM was asked too"
    assert world.github.violations == []


async def test_webhook_is_answered_while_the_review_is_still_running(world):
    # The first GitHub call of the job hangs, then fails once: the delivery must not wait for any of it.
    world.github.timeout_delay = 0.3
    world.github.inject("pulls.get", "timeout")
    assert await world.send("pull_request", world.pr_event("opened")) == (202, {"status": "queued"})
    assert world.repo.reviews == []
    await world.settle()
    assert len(world.repo.reviews) == 1


async def test_synchronize_edits_the_summary_in_place(world):
    await world.send("pull_request", world.pr_event("opened"))
    await world.settle()
    [summary] = summaries(world)
    old_head = world.pull.head_sha
    world.repo.push(1, "f" * 40)
    status, _ = await world.send("pull_request", world.pr_event("synchronize", before=old_head, after="f" * 40))
    await world.settle()
    assert status == 202
    assert [c["id"] for c in summaries(world)] == [summary["id"]]
    assert writes(world).count("issues.comments.update") >= 1
    assert writes(world).count("issues.comments.create") == 1


async def test_draft_is_skipped_then_reviewed_when_ready(world):
    world.pull.draft = True
    assert (await world.send("pull_request", world.pr_event("opened")))[0] == 202
    await world.settle()
    assert writes(world) == []
    world.pull.draft = False
    assert (await world.send("pull_request", world.pr_event("ready_for_review")))[0] == 202
    await world.settle()
    assert len(world.repo.reviews) == 1


@pytest.mark.parametrize("login", ["alice", "wanda"])
async def test_recheck_by_the_author_or_a_writer_reviews_and_reacts(world, login):
    status, _ = await world.send("issue_comment", world.comment_event("/prodready recheck", login=login))
    await world.settle()
    assert status == 202
    assert [r["content"] for r in world.repo.reactions] == ["eyes"]
    assert len(world.repo.reviews) == 1


async def test_recheck_by_a_reader_is_refused_with_a_reply(world):
    await world.send("issue_comment", world.comment_event("/prodready recheck", login="rita"))
    await world.settle()
    assert world.repo.reviews == []
    assert REFUSED_RECHECK in [c["body"] for c in world.repo.issue_comments]


async def test_recheck_by_a_bot_never_reaches_github(world):
    event = world.comment_event("/prodready recheck", login="helper[bot]", user_type="Bot")
    before = len(world.github.requests)
    assert await world.send("issue_comment", event) == (200, {"status": "ignored"})
    await world.settle()
    assert len(world.github.requests) == before


async def test_bad_signature_and_malformed_json_do_nothing(world):
    assert (await deliver(world.session, world.url, "pull_request", world.pr_event("opened"), secret="nope"))[0] == 401
    body = b'{"action": "opened",'
    async with world.session.post(
        world.url, data=body, headers=delivery_headers("pull_request", body, secret=SECRET)
    ) as resp:
        assert resp.status == 400
    await world.settle()
    assert world.github.requests == []


async def test_base_branch_config_is_honoured_and_head_branch_config_ignored(world):
    # The head tries to silence the review; only the base branch's file counts.
    world.repo.add_file(world.pull.head_sha, ".github/prodready.yml", "max_comments: 0\nfail_on: critical\n")
    world.repo.add_file("main", ".github/prodready.yml", "categories:\n  configuration: false\n")
    await world.send("pull_request", world.pr_event("opened"))
    await world.settle()
    comments = world.repo.review_comments
    assert comments, "max_comments: 0 from the head branch was ignored"
    assert all("localhost" not in c["body"] for c in comments), "configuration is off on the base branch"
    assert {c["line"] for c in comments} == {7}


async def test_invalid_config_is_reported_and_defaults_used(world):
    world.repo.add_file("main", ".github/prodready.yml", "max_comments: lots\n")
    await world.send("pull_request", world.pr_event("opened"))
    await world.settle()
    [summary] = summaries(world)
    assert "max_comments" in summary["body"]
    assert {c["line"] for c in world.repo.review_comments} == {3, 7}


async def test_redelivered_webhook_is_reviewed_once(world):
    payload = world.pr_event("opened")
    first = await world.send("pull_request", payload, delivery_id="same-delivery")
    second = await world.send("pull_request", payload, delivery_id="same-delivery")
    await world.settle()
    assert (first[0], second) == (202, (200, {"status": "duplicate"}))
    assert len(world.repo.reviews) == 1


async def test_metrics_show_the_delivery_and_the_finished_job(world):
    await world.send("pull_request", world.pr_event("opened"))
    await world.settle()
    async with world.session.get(world.server.make_url("/metrics")) as resp:
        text = await resp.text()
    assert 'prodready_jobs_total{outcome="done",reason="opened"}' in text
    assert 'prodready_webhook_deliveries_total{event="pull_request",outcome="queued"}' in text
    assert json.dumps(SECRET) not in text
