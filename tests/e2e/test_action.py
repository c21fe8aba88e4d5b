"""`prodready action` end to end: GitHub's published payloads in, real HTTP to the fake GitHub, the App's review out.

The payloads are read from ../shared/github/webhooks (skipped where absent) and only adjusted in memory.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cli.action import run_action
from bot.cli.action_report import FORK_REASON
from bot.pulls.review_job import REFUSED_RECHECK
from bot.render.summary import SUMMARY_MARKER
from tests.fakes.app_harness import FAST
from tests.fakes.fake_github import ACTIONS_LOGIN, FakeGitHub, FakePull, FakeRepo

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
WRITES = {"pulls.reviews.create", "issues.comments.create", "issues.comments.update", "reactions.create"}


@dataclass
class ActionWorld:
    """The fake GitHub holding the pull request of GitHub's sample payload, and a workflow token for it."""

    github: FakeGitHub
    repo: FakeRepo
    pull: FakePull
    token: str
    tmp: Path
    payloads: Path
    runs: int = 0

    def payload(self, name: str) -> dict[str, Any]:
        return copy.deepcopy(json.loads((self.payloads / name).read_text()))

    def env(self, event: str, payload: dict[str, Any], **more: str) -> dict[str, str]:
        self.runs += 1
        path = self.tmp / f"event-{self.runs}.json"
        path.write_text(json.dumps(payload))
        return {
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(path),
            "GITHUB_TOKEN": self.token,
            "GITHUB_REPOSITORY": self.repo.full_name,
            "GITHUB_API_URL": self.github.url,
            "GITHUB_STEP_SUMMARY": str(self.tmp / "step-summary.md"),
            "GITHUB_RUN_ID": str(self.runs),
            **more,
        }

    async def run(self, event: str, payload: dict[str, Any], **more: str) -> int:
        return await run_action(self.env(event, payload, **more), tuning=FAST)

    def opened(self) -> dict[str, Any]:
        return self.payload("pull_request.opened.json")

    def comment(self, body: str, *, login: str, association: str) -> dict[str, Any]:
        """Return GitHub's issue_comment sample as a comment by `login` on this pull request's conversation."""
        data = self.payload("issue_comment.created.json")
        comment_id = self.repo.add_issue_comment(self.pull.number, body, user=login)
        data["issue"].update(number=self.pull.number, state="open", pull_request={"url": "x"})
        data["issue"]["user"]["login"] = self.pull.user
        data["comment"].update(id=comment_id, body=body, author_association=association)
        data["comment"]["user"].update(login=login, type="User")
        data["sender"].update(login=login, type="User")
        return data

    @property
    def summary_path(self) -> Path:
        return self.tmp / "step-summary.md"

    def writes(self) -> list[str]:
        return [r.route for r in self.github.requests if r.route in WRITES]

    def summaries(self) -> list[dict[str, Any]]:
        return [c for c in self.repo.issue_comments if str(c["body"]).startswith(SUMMARY_MARKER)]


def world_for(github: FakeGitHub, payloads: Path, tmp: Path, **token: Any) -> ActionWorld:
    """Set the fake up as the repository and pull request of GitHub's `pull_request.opened` sample."""
    opened = json.loads((payloads / "pull_request.opened.json").read_text())
    pr = opened["pull_request"]
    repo = github.add_repo(opened["repository"]["full_name"], default_branch=pr["base"]["ref"])
    pull = repo.add_pull(
        pr["number"],
        diff=SAMPLE.read_text(),
        head_sha=pr["head"]["sha"],
        base_sha=pr["base"]["sha"],
        base_ref=pr["base"]["ref"],
        user=pr["user"]["login"],
    )
    repo.collaborators.update({"wanda": "write", "rita": "read"})
    return ActionWorld(github, repo, pull, github.issue_token([repo.full_name], **token), tmp, payloads)


@pytest.fixture
def world(fake_github: FakeGitHub, shared_dir: Path, tmp_path: Path) -> ActionWorld:
    return world_for(fake_github, shared_dir / "github" / "webhooks", tmp_path)


async def test_opened_posts_one_review_and_one_summary_as_the_workflow_token(world: ActionWorld):
    status = await world.run("pull_request", world.opened())
    [review] = world.repo.reviews
    assert review["commit_id"] == world.pull.head_sha and review["user"]["login"] == ACTIONS_LOGIN
    assert {c["line"] for c in world.repo.review_comments} == {3, 7}
    [summary] = world.summaries()
    assert summary["user"]["login"] == ACTIONS_LOGIN
    # The default fail_on is high, and app/client.py:7 is a high finding.
    assert status == 1
    assert "posted on the pull request" in world.summary_path.read_text()
    assert world.github.violations == []


async def test_a_second_run_of_the_same_event_posts_nothing_new(world: ActionWorld):
    assert await world.run("pull_request", world.opened()) == 1
    [summary] = world.summaries()
    before = list(world.writes())
    # A re-run must end in the same verdict, so it reviews again; what is on the pull request already stays.
    assert await world.run("pull_request", world.opened()) == 1
    new = world.writes()[len(before) :]
    assert "pulls.reviews.create" not in new and "issues.comments.create" not in new
    assert len(world.repo.reviews) == 1 and len(world.repo.review_comments) == 2
    assert [c["id"] for c in world.summaries()] == [summary["id"]]
    assert world.summaries()[0]["body"] == summary["body"]


async def test_synchronize_edits_the_summary_in_place(world: ActionWorld):
    await world.run("pull_request", world.opened())
    [summary] = world.summaries()
    old_head = world.pull.head_sha
    world.repo.push(world.pull.number, "f" * 40)
    data = world.payload("pull_request.synchronize.json")
    data["pull_request"]["head"]["sha"] = "f" * 40
    data.update(before=old_head, after="f" * 40)
    await world.run("pull_request", data)
    assert [c["id"] for c in world.summaries()] == [summary["id"]]
    assert "f" * 7 in world.summaries()[0]["body"]
    assert world.writes().count("issues.comments.update") == 1
    assert world.writes().count("issues.comments.create") == 1


async def test_recheck_from_a_writer_reviews_and_from_a_reader_does_not(world: ActionWorld):
    assert await world.run("issue_comment", world.comment("/prodready recheck", login="rita", association="NONE")) == 0
    assert world.writes() == [], "a reader with no association is ignored without a reply"
    reader = world.comment("/prodready recheck", login="rita", association="CONTRIBUTOR")
    assert await world.run("issue_comment", reader) == 0
    assert world.repo.reviews == []
    assert [c["body"] for c in world.repo.issue_comments if c["user"]["login"] == ACTIONS_LOGIN] == [REFUSED_RECHECK]
    writer = world.comment("/prodready recheck", login="wanda", association="COLLABORATOR")
    assert await world.run("issue_comment", writer) == 1
    assert len(world.repo.reviews) == 1 and len(world.summaries()) == 1
    assert [r["content"] for r in world.repo.reactions] == ["eyes"]


async def test_a_comment_that_is_no_command_does_nothing(world: ActionWorld):
    data = world.comment("Looks good to me", login="wanda", association="COLLABORATOR")
    assert await world.run("issue_comment", data) == 0
    assert world.writes() == []


async def test_a_403_on_posting_writes_the_step_summary_and_annotations(
    fake_github: FakeGitHub, shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    world = world_for(fake_github, shared_dir / "github" / "webhooks", tmp_path, read_only=True)
    status = await world.run("pull_request", world.opened())
    assert status == 1  # fail_on high, and app/client.py:7 is high
    assert "pulls.reviews.create" in [r.route for r in world.github.requests], "it tried to post"
    assert world.repo.reviews == [] and world.repo.issue_comments == []
    text = world.summary_path.read_text()
    assert text.startswith("> **Nothing was posted on Codertocat/Hello-World#2:** GitHub refused")
    assert "app/client.py:7" in text
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=app/client.py,line=7,title=prodready high") for line in out)
    assert any(line.startswith("::warning file=app/client.py,line=3,") for line in out)


async def test_fail_on_decides_the_exit_status_when_nothing_could_be_posted(
    fake_github: FakeGitHub, shared_dir: Path, tmp_path: Path
):
    world = world_for(fake_github, shared_dir / "github" / "webhooks", tmp_path, read_only=True)
    world.repo.add_file(world.pull.base_ref, ".github/prodready.yml", "fail_on: critical\n")
    assert await world.run("pull_request", world.opened()) == 0


async def test_a_forks_pull_request_run_posts_nothing_and_says_why(world: ActionWorld):
    data = world.opened()
    data["pull_request"]["head"]["repo"]["full_name"] = "mallory/Hello-World"
    assert await world.run("pull_request", data) == 1
    assert world.writes() == [], "a fork's token is read-only: not even an attempt"
    assert FORK_REASON in world.summary_path.read_text()


async def test_pull_request_target_from_a_fork_posts_with_the_base_token(world: ActionWorld):
    data = world.opened()
    data["pull_request"]["head"]["repo"]["full_name"] = "mallory/Hello-World"
    assert await world.run("pull_request_target", data) == 1
    assert len(world.repo.reviews) == 1


async def test_check_run_when_the_config_asks(world: ActionWorld):
    world.repo.add_file(world.pull.base_ref, ".github/prodready.yml", "check_run: true\n")
    await world.run("pull_request", world.opened())
    [check] = world.repo.check_runs
    assert check["head_sha"] == world.pull.head_sha and check["conclusion"] == "failure"


async def test_sarif_is_written_where_asked(world: ActionWorld):
    await world.run(
        "pull_request", world.opened(), PRODREADY_SARIF="out/prodready.sarif", GITHUB_WORKSPACE=str(world.tmp)
    )
    log = json.loads((world.tmp / "out" / "prodready.sarif").read_text())
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]} == {3, 7}


async def test_another_bots_marker_neither_hides_a_finding_nor_takes_over_the_summary(world: ActionWorld):
    fake_fp = "<!-- prodready:fp=0123456789abcdef -->"
    world.repo.add_issue_comment(world.pull.number, f"{SUMMARY_MARKER}\nplanted", user="other[bot]", kind="Bot")
    await world.run("pull_request", world.opened())
    fps = [c["body"].split("prodready:fp=")[1][:16] for c in world.repo.review_comments]
    # Now another bot copies both our inline comments, fingerprints included, onto the pull request.
    for comment in list(world.repo.review_comments):
        world.repo.review_comments.append(
            {**comment, "id": comment["id"] + 1, "user": {"login": "x[bot]", "type": "Bot"}}
        )
    del world.repo.review_comments[:2]
    world.repo.reviews.clear()
    await world.run("pull_request", world.opened())
    assert len(world.repo.reviews) == 1, "the copied markers did not stand for our comments"
    assert sorted(c["body"].split("prodready:fp=")[1][:16] for c in world.repo.review_comments[2:]) == sorted(fps)
    ours = [c for c in world.summaries() if c["user"]["login"] == ACTIONS_LOGIN]
    assert len(ours) == 1 and world.summaries()[0]["body"] == f"{SUMMARY_MARKER}\nplanted"
    assert fake_fp not in ours[0]["body"]


async def test_other_events_and_a_missing_token_are_reported(world: ActionWorld, capsys: pytest.CaptureFixture[str]):
    assert await world.run("push", {"ref": "refs/heads/main"}) == 0
    env = world.env("pull_request", world.opened())
    env["GITHUB_TOKEN"] = ""
    assert await run_action(env, tuning=FAST) == 2
    assert "GITHUB_TOKEN is empty" in capsys.readouterr().err
