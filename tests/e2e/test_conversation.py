"""People answer prodready: slash commands, 👎, addressed threads closed, usefulness; the whole App over loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.render.conversation import read_state
from bot.render.summary import CANNOT_RESOLVE
from bot.server.main import WORKER_KEY
from bot.wiring import Tuning
from tests.fakes.app_harness import running_app, sha
from tests.fakes.fake_github import FakeGitHub, FakePull, FakeRepo
from tests.fakes.fake_github_graphql import SCHEMA_PATH
from tests.fakes.webhook_sender import deliver

SECRET = "conversation-secret-7a1f"
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
INSTALLATION = 7
BEFORE = SAMPLE.read_text()
# The request gets its timeout: the failure_handling finding on line 7 is gone; the localhost one stays.
FIXED_TIMEOUT = BEFORE.replace('{user_id}")', '{user_id}", timeout=5)')
# Both fixed.
FIXED_BOTH = FIXED_TIMEOUT.replace('+API_URL = "http://localhost:8080/api"', '+API_URL = os.environ["API_URL"]')
# The code moves two lines down, unchanged.
MOVED = BEFORE.replace(
    "@@ -1,6 +1,10 @@\n import requests\n \n", "@@ -1,6 +1,12 @@\n import requests\n \n+import os\n+\n"
)

pytestmark = pytest.mark.skipif(
    not SCHEMA_PATH.is_file(), reason="GitHub's GraphQL schema is read from ../shared/github, which is absent here"
)


@dataclass
class World:
    github: FakeGitHub
    repo: FakeRepo
    server: TestServer
    session: aiohttp.ClientSession

    @property
    def pull(self) -> FakePull:
        return self.repo.pulls[1]

    async def send(self, event: str, payload: dict) -> None:
        url = str(self.server.make_url("/webhook"))
        status, _ = await deliver(self.session, url, event, payload, secret=SECRET)
        assert status in (200, 202)
        await asyncio.wait_for(self.server.app[WORKER_KEY].runner.wait_idle(), timeout=20)

    async def review(self, action: str = "opened") -> None:
        pull = {
            "number": 1,
            "state": "open",
            "draft": False,
            "head": {"sha": self.pull.head_sha, "ref": "feature"},
            "base": {"sha": self.pull.base_sha, "ref": "main"},
            "user": {"login": "alice", "type": "User"},
        }
        await self.send("pull_request", {"action": action, "number": 1, "pull_request": pull, **self._common("alice")})

    async def push(self, diff: str) -> None:
        self.repo.push(1, sha(diff))
        self.pull.diff_text = diff
        await self.review("synchronize")

    async def say(self, body: str, *, login: str = "alice", kind: str = "User", association: str = "MEMBER") -> None:
        cid = self.repo.add_issue_comment(1, body, user=login, kind=kind)
        comment = {"id": cid, "body": body, "user": {"login": login, "type": kind}, "author_association": association}
        issue = {"number": 1, "state": "open", "pull_request": {"url": "x"}, "user": {"login": "alice"}}
        await self.send(
            "issue_comment", {"action": "created", "issue": issue, "comment": comment, **self._common(login)}
        )

    async def reply(self, to: int, body: str, *, login: str = "alice", kind: str = "User") -> None:
        cid = self.repo.add_review_reply(1, to, body, user=login, kind=kind)
        comment = {
            "id": cid,
            "in_reply_to_id": to,
            "body": body,
            "user": {"login": login, "type": kind},
            "author_association": "OWNER",
        }
        pull = {"number": 1, "state": "open", "user": {"login": "alice", "type": "User"}}
        payload = {"action": "created", "comment": comment, "pull_request": pull, **self._common(login)}
        await self.send("pull_request_review_comment", payload)

    def _common(self, login: str) -> dict:
        return {
            "repository": {"full_name": self.repo.full_name},
            "installation": {"id": INSTALLATION},
            "sender": {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"},
        }

    def ours(self) -> list[dict]:
        return [c for c in self.repo.review_comments if c["user"]["type"] == "Bot" and "in_reply_to_id" not in c]

    def comment_at(self, text: str) -> dict:
        return next(c for c in self.ours() if text in c["body"])

    def summary(self) -> str:
        return next(c["body"] for c in self.repo.issue_comments if "prodready:summary" in c["body"])

    def replies(self) -> list[str]:
        return [
            c["body"]
            for c in self.repo.issue_comments
            if c["user"]["type"] == "Bot" and "prodready:summary" not in c["body"]
        ]

    def thread_replies(self) -> list[str]:
        return [c["body"] for c in self.repo.review_comments if c["user"]["type"] == "Bot" and "in_reply_to_id" in c]

    def calls(self, route: str) -> int:
        return len(self.github.calls(route))


@pytest.fixture
async def world(fake_github: FakeGitHub, github_app_key, tmp_path) -> AsyncIterator[World]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff=BEFORE, user="alice")
    repo.collaborators.update({"wanda": "write", "rita": "read"})
    fake_github.add_installation(INSTALLATION, ["octo/app"])
    async with running_app(
        fake_github,  # type: ignore[arg-type]  # no hooks are needed here
        None,
        private_key=github_app_key[0],
        data_dir=tmp_path / "data",
        tuning=Tuning(),
        env={"GITHUB_WEBHOOK_SECRET": SECRET},
    ) as app:
        world = World(fake_github, repo, app.server, app.session)
        await world.review()
        assert len(world.ours()) == 2
        yield world
    assert fake_github.violations == []


def rule_of(comment: dict) -> str:
    return comment["body"].split("rule `", 1)[1].split("`", 1)[0]


async def test_ignore_of_a_rule_by_the_author_stops_it_and_is_listed(world):
    timeout = world.comment_at("timeout")
    rule = rule_of(timeout)
    await world.say(f"/prodready ignore {rule} our client sets a default timeout")
    [ack] = world.replies()
    assert f"rules:\n  disable: [{rule}]" in ack and "never commits" in ack
    state = read_state(world.summary())
    assert [(i.kind, i.target, i.by) for i in state.ignores] == [("rule", rule, "alice")]
    assert "our client sets a default timeout" in world.summary()
    # The same rule on new code: not posted on the next push; the other finding still is.
    again = MOVED.replace("+    return response.json()", '+    return response.json() or requests.get("https://x")')
    await world.push(again)
    assert [c for c in world.ours() if rule in c["body"]] == [timeout]
    assert "Ignored on this pull request" in world.summary() and rule in world.summary()


async def test_ignore_of_a_category_by_a_writer_shows_the_config_lines(world):
    await world.say("/prodready ignore configuration", login="wanda")
    [ack] = world.replies()
    assert "categories:\n  configuration: false" in ack
    assert read_state(world.summary()).ignores[0].by == "wanda"


async def test_a_reader_is_refused_politely_and_nothing_is_recorded(world):
    await world.say("/prodready ignore security", login="rita")
    [refusal] = world.replies()
    assert "Only the pull request's author" in refusal
    assert read_state(world.summary()).ignores == ()


async def test_a_bot_is_never_answered(world):
    before = len(world.github.requests)
    await world.say("/prodready ignore security", login="helper[bot]", kind="Bot")
    assert len(world.github.requests) == before


async def test_help_lists_the_commands(world):
    await world.say("/prodready help")
    [text] = world.replies()
    assert "/prodready ignore RULE-OR-CATEGORY" in text and "/prodready recheck" in text


async def test_ignore_as_a_thread_reply_ignores_that_finding_wherever_it_moves(world):
    local = world.comment_at("localhost")
    await world.reply(local["id"], "/prodready ignore only used in the demo")
    [ack] = world.thread_replies()
    assert "not post this finding again" in ack
    [ignore] = read_state(world.summary()).ignores
    assert (ignore.kind, ignore.by, ignore.why) == ("finding", "alice", "only used in the demo")
    await world.push(MOVED)
    assert len(world.ours()) == 2  # nothing posted again
    assert "only used in the demo" in world.summary()


async def test_a_thread_reply_from_a_reader_is_refused_in_the_thread(world):
    local = world.comment_at("localhost")
    await world.reply(local["id"], "/prodready ignore", login="rita")
    [refusal] = world.thread_replies()
    assert "Only the pull request's author" in refusal


async def test_a_thumbs_down_from_a_writer_is_read_on_the_next_event(world):
    local, timeout = world.comment_at("localhost"), world.comment_at("timeout")
    world.repo.add_review_reaction(local["id"], "-1", user="wanda")
    world.repo.add_review_reaction(timeout["id"], "-1", user="rita")  # a reader: not an ignore
    await world.push(MOVED)
    # Only comments whose rollup shows a 👎 are asked about, once each.
    assert world.calls("reactions.review_comment") == 2
    [ignore] = read_state(world.summary()).ignores
    assert (ignore.target, ignore.by, ignore.via) == (
        read_state(world.summary()).ignores[0].target,
        "wanda",
        "reaction",
    )
    assert "👎" in world.summary()
    await world.push(BEFORE)
    assert world.calls("reactions.review_comment") == 2  # counts already read are not asked again


async def test_addressed_threads_are_resolved_unless_a_person_replied(world):
    world.github.contents_permission = "write"
    local, timeout = world.comment_at("localhost"), world.comment_at("timeout")
    world.repo.add_review_reply(1, local["id"], "Why is this a problem?", user="wanda")
    await world.push(FIXED_BOTH)
    assert world.repo.resolved_threads == {timeout["id"]}
    assert "2 addressed by a later push (100%)" in world.summary()
    assert CANNOT_RESOLVE not in world.summary()
    graphql_calls = world.calls("graphql")
    assert graphql_calls == 2  # the threads query, and one mutation for every thread
    await world.push(FIXED_BOTH + "\n")
    assert world.calls("graphql") == graphql_calls  # recorded in the summary: never asked twice


async def test_refused_resolve_falls_back_to_minimising_once_said(world):
    timeout = world.comment_at("timeout")
    await world.push(FIXED_TIMEOUT)
    assert world.repo.resolved_threads == set()
    assert timeout.get("minimized") == "outdated"
    assert world.summary().count(CANNOT_RESOLVE) == 1
    assert read_state(world.summary()).cannot_resolve
    world.github.graphql_requests.clear()
    await world.push(FIXED_BOTH)
    assert world.comment_at("localhost").get("minimized") == "outdated"
    [(query, _)] = world.github.graphql_requests
    assert "minimizeComment" in query and "resolveReviewThread" not in query


async def test_usefulness_counters_at_metrics(world):
    world.github.contents_permission = "write"
    await world.say(f"/prodready ignore {rule_of(world.comment_at('localhost'))}")
    await world.push(FIXED_TIMEOUT)
    async with world.session.get(world.server.make_url("/metrics")) as resp:
        text = await resp.text()
    assert 'prodready_inline_comments_total{category="failure_handling"' in text
    assert 'prodready_inline_comment_outcomes_total{category="failure_handling",outcome="addressed"' in text
    assert 'prodready_inline_comment_outcomes_total{category="configuration",outcome="ignored"' in text
    assert "1 addressed by a later push (50%), 1 ignored, 0 left" in world.summary()
