"""Every request the bot sends validates against GitHub's published OpenAPI description."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy
from bot.jobs.model import JobRequest
from bot.llm.client import ChatClient
from bot.llm.reviewer import OpenAIReviewer
from bot.pulls.review_job import ReviewDeps, report_failure, run_review_job
from bot.settings import LLMSettings, Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub
from tests.fakes.fake_llm import FakeLLM

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"


async def test_every_request_conforms(shared_dir: Path, fake_github: FakeGitHub, fake_llm: FakeLLM, github_app_key):
    assert fake_github.validate
    repo = fake_github.add_repo("octo/app")
    pull = repo.add_pull(1, diff=SAMPLE.read_text(), user="alice")
    repo.add_file("main", ".github/prodready.yml", "check_run: true\nrules:\n  custom: ci/rules\n")
    repo.add_file("main", "ci/rules/r.yml", "id: r\n")
    repo.add_file(pull.head_sha, "app/client.py", "import requests\n")
    repo.collaborators["wanda"] = "write"
    first_head, second_head = pull.head_sha, "b" * 40
    repo.comparisons[f"{first_head}...{second_head}"] = pull.files[:1]
    fake_github.add_installation(7, ["octo/app"])
    comment = repo.add_issue_comment(1, "/prodready recheck", user="wanda")
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    job = dict(delivery_id="d", installation_id=7, repo="octo/app", number=1)
    chat = ChatClient(LLMSettings(api_key=None, base_url=fake_llm.base_url, model="m", max_retries=0))
    async with aiohttp.ClientSession() as session:
        llm = OpenAIReviewer(chat, model="m")
        deps = ReviewDeps(session=session, auth=auth, api_url=fake_github.url, policy=RetryPolicy(), llm=llm)
        await run_review_job(JobRequest(**job, head_sha=pull.head_sha, reason="opened"), deps=deps)
        fake_github.diff_max_files = 0  # the 406 fallback: files endpoint with pagination
        repo.push(1, second_head)
        await run_review_job(
            JobRequest(**job, head_sha=second_head, reason="synchronize", before_sha=first_head), deps=deps
        )
        recheck = JobRequest(**job, head_sha="", reason="recheck", comment_id=comment, requested_by="wanda")
        await run_review_job(recheck, deps=deps)
        refused = JobRequest(**job, head_sha="", reason="recheck", comment_id=comment, requested_by="nobody")
        await run_review_job(refused, deps=deps)
        await report_failure(JobRequest(**job, head_sha=pull.head_sha, reason="opened"), "boom", deps=deps)
    await chat.close()
    routes = {r.route for r in fake_github.requests}
    assert routes >= {
        "app.token",
        "pulls.get",
        "pulls.files",
        "pulls.comments",
        "pulls.reviews.create",
        "contents.get",
        "compare",
        "checks.create",
        "checks.update",
        "collaborators.permission",
        "issues.comments.list",
        "issues.comments.create",
        "issues.comments.update",
        "reactions.create",
    }
    assert fake_github.violations == []


async def test_fake_reports_a_nonconforming_request(shared_dir: Path, fake_github: FakeGitHub):
    """The check itself can fail: a review with an event GitHub does not know is recorded."""
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff=SAMPLE.read_text())
    async with aiohttp.ClientSession() as session:
        url = f"{fake_github.url}/repos/octo/app/pulls/1/reviews"
        async with session.post(url, json={"event": "LGTM"}) as response:
            assert response.status == 401
    assert len(fake_github.violations) == 1 and "LGTM" in fake_github.violations[0]
