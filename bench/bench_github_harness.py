"""Shared set-up of the GitHub-side benches: the fake GitHub and the fake LLM server over loopback, and the
real review job between them, wired by bot.wiring as the server wires it.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.jobs.model import JobReason, JobRequest
from bot.pulls.review_job import ReviewDeps, run_review_job
from bot.review.config import CONFIG_PATH
from bot.settings import settings_from_env
from bot.wiring import Tuning, build_worker
from tests.fakes.fake_github import APP_ID, FakeGitHub, FakePull, FakeRepo, make_app_key
from tests.fakes.fake_github_diff import join_git_diff, split_git_diff
from tests.fakes.fake_llm import FakeLLM, fake_token_count

REPO = "octo/app"
H1, H2 = "1" * 40, "2" * 40


@dataclass
class Bench:
    """The running fakes and the dependencies of a review job."""

    github: FakeGitHub
    llm: FakeLLM
    repo: FakeRepo
    deps: ReviewDeps

    @property
    def pull(self) -> FakePull:
        """Return the pull request under review."""
        return self.repo.pulls[1]

    async def review(self, head: str, reason: JobReason, *, before: str | None = None) -> None:
        """Run one review job for the pull request at `head`."""
        request = JobRequest(f"d-{head[:4]}-{reason}", 7, REPO, 1, head, reason, before_sha=before)
        await run_review_job(request, deps=self.deps)

    def routes(self, since: int = 0) -> Counter[str]:
        """Return GitHub requests since index `since`, by route ("contents.get" split into config and files)."""
        counted: Counter[str] = Counter()
        for r in self.github.requests[since:]:
            route = r.route
            if route == "contents.get":
                route = "contents.get (config)" if r.path.endswith(CONFIG_PATH) else "contents.get (file)"
            counted[f"{r.method} {route}"] += 1
        return counted

    def prompt_tokens(self, since: int = 0) -> int:
        """Return the prompt tokens the fake LLM reported for requests since index `since`."""
        return sum(
            fake_token_count(str(m.get("content", ""))) + 4 for r in self.llm.requests[since:] for m in r.messages
        )

    def push(self, diff: str, *, changed: list[str]) -> None:
        """Move the head to H2 with `diff` as the whole pull request; the compare lists `changed`."""
        self.repo.push(1, H2)
        self.pull.diff_text, self.pull.files = diff, split_git_diff(diff)
        self.repo.comparisons[f"{H1}...{H2}"] = [f for f in self.pull.files if f.filename in changed]
        self.add_sources(H2)

    def add_sources(self, ref: str) -> None:
        """Store each file's added lines as its content at `ref`, so source fetches find something."""
        for f in self.pull.files:
            if f.patch and f.status != "removed":
                added = [ln[1:] for ln in f.patch.splitlines() if ln.startswith("+")]
                self.repo.add_file(ref, f.filename, "\n".join(added) + "\n")


@asynccontextmanager
async def running(diff: str, *, config: str | None = None, validate: bool = False) -> AsyncIterator[Bench]:
    """Start both fakes with one pull request of `diff` at H1 and yield the bench around them."""
    private, public = make_app_key()
    github = FakeGitHub(public_key_pem=public)
    github.validate = validate  # validation is the conformance test's job; here it would only add time
    await github.start()
    llm = FakeLLM()
    await llm.start()
    repo = github.add_repo(REPO)
    repo.add_pull(1, diff=diff, head_sha=H1)
    if config is not None:
        repo.add_file("main", CONFIG_PATH, config)
    github.add_installation(7, [REPO])
    env = {
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_PRIVATE_KEY": private,
        "GITHUB_API_URL": github.url,
        "OPENAI_BASE_URL": llm.base_url,
        "PRODREADY_MODEL": "bench",
        "PRODREADY_LLM_MAX_RETRIES": "0",
    }
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            # The runner is never started: the benches call the review job directly, without the queue.
            worker = build_worker(settings_from_env({**env, "PRODREADY_DATA_DIR": data_dir}), Tuning())
            try:
                bench = Bench(github, llm, repo, worker.deps)
                bench.add_sources(H1)
                yield bench
            finally:
                await worker.close()
    finally:
        await llm.stop()
        await github.stop()


def one_file_push(diff: str) -> tuple[str, str]:
    """Return (the diff after a push that changes a few lines of the first source file, that file's path)."""
    files = split_git_diff(diff)
    target = next(f for f in files if f.patch and f.status == "modified" and f.filename.endswith(".py"))
    lines = target.patch.splitlines() if target.patch else []
    edited = [ln + "  # reviewed" if ln.startswith("+") and i % 7 == 0 else ln for i, ln in enumerate(lines)]
    target.patch = "\n".join(edited)
    return join_git_diff(files), target.filename
