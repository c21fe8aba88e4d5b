"""The review job end to end over real HTTP against the fake GitHub (static rules, no LLM)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy
from bot.jobs.model import JobRequest
from bot.pulls.review_job import REFUSED_RECHECK, ReviewDeps, report_failure, run_review_job
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub, FakePull

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
WRITES = {"pulls.reviews.create", "issues.comments.create", "issues.comments.update", "reactions.create"}


@pytest.fixture
async def deps(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[ReviewDeps]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff=SAMPLE.read_text(), user="alice")
    repo.collaborators.update({"wanda": "write", "mae": "maintain", "ada": "admin", "rita": "read", "tom": "triage"})
    fake_github.users.add("stranger")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        yield ReviewDeps(session=session, auth=auth, api_url=fake_github.url, policy=RetryPolicy(backoff_base=0.01))


def _pull(fake: FakeGitHub) -> FakePull:
    return fake.repos["octo/app"].pulls[1]


def _job(fake: FakeGitHub, **kw) -> JobRequest:
    base = dict(
        delivery_id="d1", installation_id=7, repo="octo/app", number=1, head_sha=_pull(fake).head_sha, reason="opened"
    )
    return JobRequest(**{**base, **kw})


def _writes(fake: FakeGitHub) -> list[str]:
    return [r.route for r in fake.requests if r.route in WRITES]


async def test_review_posted_with_static_findings(deps: ReviewDeps, fake_github: FakeGitHub):
    await run_review_job(_job(fake_github), deps=deps)
    repo = fake_github.repos["octo/app"]
    assert {c["line"] for c in repo.review_comments} == {3, 7}
    assert repo.reviews[0]["commit_id"] == _pull(fake_github).head_sha
    assert "Static rules only" in repo.issue_comments[0]["body"]


async def test_second_run_posts_no_duplicates(deps: ReviewDeps, fake_github: FakeGitHub):
    await run_review_job(_job(fake_github), deps=deps)
    await run_review_job(_job(fake_github, delivery_id="d2", reason="synchronize"), deps=deps)
    repo = fake_github.repos["octo/app"]
    assert len(repo.review_comments) == 2 and len(repo.reviews) == 1 and len(repo.issue_comments) == 1


async def test_config_from_base_can_silence_but_head_cannot(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = fake_github.repos["octo/app"]
    repo.add_file(_pull(fake_github).head_sha, ".github/prodready.yml", "max_comments: 0\n")
    await run_review_job(_job(fake_github), deps=deps)
    assert len(repo.review_comments) == 2
    repo.add_file("main", ".github/prodready.yml", "categories: {configuration: false}\nmax_comments: nope\n")
    await run_review_job(_job(fake_github, delivery_id="d2", reason="recheck", requested_by="alice"), deps=deps)
    assert "max_comments" in repo.issue_comments[0]["body"]  # the config problem is reported


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("alice", True),
        ("wanda", True),
        ("mae", True),
        ("ada", True),
        ("rita", False),
        ("tom", False),
        ("stranger", False),
        ("ghost", False),
    ],
)
async def test_recheck_permission_matrix(deps: ReviewDeps, fake_github: FakeGitHub, who, allowed):
    repo = fake_github.repos["octo/app"]
    comment = repo.add_issue_comment(1, "/prodready recheck", user=who)
    await run_review_job(
        _job(fake_github, reason="recheck", head_sha="", comment_id=comment, requested_by=who), deps=deps
    )
    if allowed:
        assert repo.reactions == [{"id": 1, "comment_id": comment, "content": "eyes"}]
        assert len(repo.reviews) == 1
    else:
        assert not repo.reactions and not repo.reviews
        assert repo.issue_comments[-1]["body"] == REFUSED_RECHECK
        assert "@" not in REFUSED_RECHECK


async def test_closed_pull_request_gets_nothing(deps: ReviewDeps, fake_github: FakeGitHub):
    _pull(fake_github).state = "closed"
    await run_review_job(_job(fake_github), deps=deps)
    assert _writes(fake_github) == []


async def test_a_stale_job_reviews_the_current_head_never_the_old_one(deps: ReviewDeps, fake_github: FakeGitHub):
    # Deliveries arrive out of order, so the job left for a pull request may name an older push.
    job = _job(fake_github)
    fake_github.repos["octo/app"].push(1, "f" * 40)
    await run_review_job(job, deps=deps)
    assert [r["commit_id"] for r in fake_github.repos["octo/app"].reviews] == ["f" * 40]


async def test_a_head_already_reviewed_is_not_reviewed_again_unless_rechecked(
    deps: ReviewDeps, fake_github: FakeGitHub
):
    await run_review_job(_job(fake_github), deps=deps)
    writes = len(_writes(fake_github))
    await run_review_job(_job(fake_github, delivery_id="d2", reason="synchronize"), deps=deps)
    assert len(_writes(fake_github)) == writes
    await run_review_job(_job(fake_github, delivery_id="d3", reason="recheck", requested_by="alice"), deps=deps)
    assert len(_writes(fake_github)) > writes


async def test_draft_skipped_unless_config_asks(deps: ReviewDeps, fake_github: FakeGitHub):
    _pull(fake_github).draft = True
    await run_review_job(_job(fake_github), deps=deps)
    assert _writes(fake_github) == []
    fake_github.repos["octo/app"].add_file("main", ".github/prodready.yml", "review_drafts: true\n")
    await run_review_job(_job(fake_github), deps=deps)
    assert "pulls.reviews.create" in _writes(fake_github)


async def test_deleted_pull_request_ends_quietly(deps: ReviewDeps, fake_github: FakeGitHub):
    job = _job(fake_github)
    del fake_github.repos["octo/app"].pulls[1]
    await run_review_job(job, deps=deps)
    assert _writes(fake_github) == []


async def test_failure_report_edits_summary(deps: ReviewDeps, fake_github: FakeGitHub):
    await run_review_job(_job(fake_github), deps=deps)
    await report_failure(_job(fake_github), "GitHub answered 502 three times", deps=deps)
    [summary] = fake_github.repos["octo/app"].issue_comments
    assert "review failed" in summary["body"] and "502" in summary["body"]
