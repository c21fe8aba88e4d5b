"""The "prodready" check run: in progress, then failure, success or neutral, over real HTTP to the fake GitHub."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy
from bot.github.errors import Unavailable
from bot.jobs.model import JobRequest
from bot.pulls.review_job import ReviewDeps, run_review_job
from bot.render.check_run import CHECK_NAME, MAX_SUMMARY, incomplete, verdict
from bot.review.config import RepoConfig
from bot.review.models import ChecklistItem, Finding, ReviewResult, ReviewStats
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub, FakeRepo

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"


@pytest.fixture
async def deps(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[ReviewDeps]:
    fake_github.add_repo("octo/app").add_pull(1, diff=SAMPLE.read_text())
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    policy = RetryPolicy(attempts=2, backoff_base=0.01, timeout=5.0)
    async with aiohttp.ClientSession() as session:
        yield ReviewDeps(session=session, auth=auth, api_url=fake_github.url, policy=policy)


def _repo(fake: FakeGitHub, config: str | None = "check_run: true\n") -> FakeRepo:
    repo = fake.repos["octo/app"]
    if config is not None:
        repo.add_file("main", ".github/prodready.yml", config)
    return repo


def _job(fake: FakeGitHub) -> JobRequest:
    head = fake.repos["octo/app"].pulls[1].head_sha
    return JobRequest(delivery_id="d", installation_id=7, repo="octo/app", number=1, head_sha=head, reason="opened")


async def test_failure_when_a_finding_reaches_fail_on(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github)
    await run_review_job(_job(fake_github), deps=deps)
    [run] = repo.check_runs
    [created] = fake_github.calls("checks.create")
    assert created.json() == {"name": CHECK_NAME, "head_sha": run["head_sha"], "status": "in_progress"}
    assert run["head_sha"] == repo.pulls[1].head_sha
    assert (run["status"], run["conclusion"]) == ("completed", "failure")
    assert run["output"]["title"] == "1 finding(s) at or above high"
    assert "app/client.py:7" in run["output"]["summary"]
    # The check completes after the review is posted, so its verdict never runs ahead of the comments.
    routes = [r.route for r in fake_github.requests]
    assert routes.index("checks.create") < routes.index("pulls.reviews.create") < routes.index("checks.update")
    assert fake_github.violations == []


async def test_findings_beyond_max_comments_still_fail_the_check(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github, "check_run: true\nmax_comments: 0\n")
    await run_review_job(_job(fake_github), deps=deps)
    [run] = repo.check_runs
    assert (run["conclusion"], run["output"]["title"]) == ("failure", "1 finding(s) at or above high")
    assert repo.review_comments == []


async def test_success_when_findings_stay_below_fail_on(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github, "check_run: true\nfail_on: critical\n")
    await run_review_job(_job(fake_github), deps=deps)
    [run] = repo.check_runs
    assert run["conclusion"] == "success"
    assert run["output"]["title"] == "No finding at or above critical (2 below)"
    assert len(repo.review_comments) == 2  # the findings are still posted


@pytest.mark.parametrize("config", [None, "check_run: false\n", "check_run: [oops]\n"])
async def test_no_check_run_unless_the_base_config_asks(deps: ReviewDeps, fake_github: FakeGitHub, config):
    repo = _repo(fake_github, config)
    repo.add_file(repo.pulls[1].head_sha, ".github/prodready.yml", "check_run: true\n")  # the head has no say
    await run_review_job(_job(fake_github), deps=deps)
    assert fake_github.calls("checks.create") == [] and repo.check_runs == []
    assert len(repo.reviews) == 1


async def test_neutral_when_the_review_cannot_complete(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github)
    fake_github.inject("pulls.reviews.create", "502", times=5)
    with pytest.raises(Unavailable):
        await run_review_job(_job(fake_github), deps=deps)
    [run] = repo.check_runs
    assert (run["status"], run["conclusion"]) == ("completed", "neutral")
    assert "could not be completed" in run["output"]["summary"] and "502" in run["output"]["summary"]
    assert "ghs_" not in run["output"]["summary"]


async def test_missing_checks_permission_does_not_stop_the_review(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github)
    fake_github.checks_permission = False
    await run_review_job(_job(fake_github), deps=deps)
    assert repo.check_runs == [] and fake_github.calls("checks.update") == []
    assert len(repo.reviews) == 1
    assert "Checks read and write permission" in repo.issue_comments[0]["body"]


async def test_a_refused_update_does_not_fail_the_job(deps: ReviewDeps, fake_github: FakeGitHub):
    repo = _repo(fake_github)
    fake_github.inject("checks.update", "502", times=5)
    await run_review_job(_job(fake_github), deps=deps)
    assert len(repo.reviews) == 1 and repo.check_runs[0]["status"] == "in_progress"


def _many(n: int) -> ReviewResult:
    long_title = "x" * 5000 + " @team <script>"
    findings = tuple(
        Finding(
            path=f"src/m{i}.py",
            line=i + 1,
            category="security",
            severity="critical",
            title=long_title,
            body="b",
            source="llm",
        )
        for i in range(n)
    )
    return ReviewResult(findings, (ChecklistItem("security", "fail", "x"),), ReviewStats())


def test_output_respects_github_limits_and_sanitises():
    out = verdict(_many(5000), RepoConfig())
    payload = out.payload()["output"]
    assert len(payload["summary"]) <= MAX_SUMMARY < 65535 and len(payload["title"]) <= 200
    assert "<script>" not in payload["summary"] and "@team" not in payload["summary"]
    assert "… and 4970 more" in payload["summary"]
    assert out.conclusion == "failure"


def test_neutral_output_is_bounded():
    out = incomplete("boom " * 10_000)
    assert out.conclusion == "neutral" and len(out.payload()["output"]["summary"]) < 1000


async def test_fake_refuses_a_completed_run_without_conclusion(shared_dir: Path, deps: ReviewDeps, fake_github):
    """The validation is live for check runs: GitHub's description requires a conclusion with completed."""
    gh = deps.auth.client(deps.session, 7, base_url=fake_github.url, policy=deps.policy)
    head = fake_github.repos["octo/app"].pulls[1].head_sha
    with pytest.raises(Exception, match="422"):
        await gh.post("/repos/octo/app/check-runs", data={"name": "x", "head_sha": head, "status": "completed"})
    assert any("check-runs" in v for v in fake_github.violations)


async def test_a_review_cut_off_by_the_job_time_limit_does_not_leave_the_check_in_progress(
    deps: ReviewDeps, fake_github: FakeGitHub
):
    # The runner bounds each attempt with asyncio.timeout, which cancels the job mid-call; a check run left
    # "in progress" would block a pull request that requires it until someone pushes again.
    repo = _repo(fake_github)
    fake_github.timeout_delay = 5.0
    fake_github.inject("pulls.reviews.create", "timeout")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await run_review_job(_job(fake_github), deps=deps)
    [run] = repo.check_runs
    assert (run["status"], run["conclusion"]) == ("completed", "neutral")
    assert "could not be completed" in run["output"]["summary"]
