"""Incremental review on a push: only changed files go to the LLM; earlier findings are kept, new ones added,
fixed ones dropped; a force-push, an unknown old head or a recheck reviews everything.

Real parts throughout: the fake GitHub and the fake LLM server over loopback, the real OpenAIReviewer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import RetryPolicy
from bot.jobs.model import JobRequest
from bot.llm.client import ChatClient
from bot.llm.reviewer import OpenAIReviewer
from bot.pulls.incremental import still_standing
from bot.pulls.review_job import ReviewDeps, run_review_job
from bot.render.summary import read_mark
from bot.review.diff import parse_diff
from bot.settings import LLMSettings, Secret
from tests.fakes.fake_github import APP_ID, BOT_LOGIN, FakeGitHub, FakeRepo
from tests.fakes.fake_github_diff import split_git_diff
from tests.fakes.fake_llm import Compute, FakeLLM

H1, H2 = "1" * 40, "2" * 40
_BUG = re.compile(r"^\s*(\d+) [+ ] .*grow_forever\(")


def _new_file(path: str, lines: list[str]) -> str:
    body = "\n".join(f"+{line}" for line in lines)
    head = f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/{path}\n"
    return f"{head}@@ -0,0 +1,{len(lines)} @@\n{body}\n"


A = _new_file("app/a.py", ["def f(x):", "    grow_forever(x)", "    return 1"])
B1 = _new_file("app/b.py", ["def g(y):", "    y = 2", "    grow_forever(y)"])
B2 = _new_file("app/b.py", ["def g(y):", "    y = bounded(2)", "    return y", "    grow_forever(z)"])


def model_that_flags_grow_forever(body: dict[str, Any]) -> dict[str, Any]:
    """Answer like a model: one data_volume finding on every shown line that calls grow_forever()."""
    user = body["messages"][-1]["content"]
    findings, path = [], None
    for line in user.splitlines():
        header = re.match(r"^### (\S+) \(", line)
        if header:
            path = header.group(1)
        match = _BUG.match(line)
        if match and path:
            findings.append(
                {
                    "path": path,
                    "line": int(match.group(1)),
                    "end_line": None,
                    "category": "data_volume",
                    "severity": "high",
                    "title": "Cache grows without bound",
                    "body": "Every request adds an entry that is never evicted; memory grows until the process dies.",
                    "suggestion": None,
                }
            )
    return {"findings": findings}


@pytest.fixture
async def setup(fake_github: FakeGitHub, fake_llm: FakeLLM, github_app_key) -> AsyncIterator[dict[str, Any]]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff=A + B1, head_sha=H1)
    fake_github.add_installation(7, ["octo/app"])
    fake_llm.default = Compute(model_that_flags_grow_forever)
    chat = ChatClient(LLMSettings(api_key=None, base_url=fake_llm.base_url, model="m", max_retries=0))
    async with aiohttp.ClientSession() as session:
        yield {"repo": repo, "session": session, "chat": chat, "key": github_app_key[0]}
    await chat.close()


def _deps(fake: FakeGitHub, s: dict[str, Any]) -> ReviewDeps:
    """Return fresh dependencies, as a restarted process would have: nothing is remembered in memory."""
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(s["key"]))
    llm = OpenAIReviewer(s["chat"], model="m")
    return ReviewDeps(session=s["session"], auth=auth, api_url=fake.url, policy=RetryPolicy(backoff_base=0.01), llm=llm)


def _job(head: str, reason: str = "synchronize", **kw: Any) -> JobRequest:
    base = dict(delivery_id=f"d-{head[:3]}-{reason}", installation_id=7, repo="octo/app", number=1)
    return JobRequest(**base, head_sha=head, reason=reason, **kw)  # type: ignore[arg-type]


def _push(repo: FakeRepo, diff: str, *, status: str | None = "ahead", changed: list[str] = ()) -> None:
    pull = repo.pulls[1]
    repo.push(1, H2)
    pull.diff_text, pull.files = diff, split_git_diff(diff)
    if status is not None:
        repo.comparisons[f"{H1}...{H2}"] = [f for f in pull.files if f.filename in changed]
        repo.compare_status[f"{H1}...{H2}"] = status


def _sent_paths(fake_llm: FakeLLM, since: int) -> set[str]:
    texts = [r.messages[-1]["content"] for r in fake_llm.requests[since:]]
    return {p for t in texts for p in re.findall(r"^### (\S+) \(", t, flags=re.MULTILINE)}


def _summary(repo: FakeRepo) -> str:
    [comment] = repo.issue_comments
    return str(comment["body"])


def _data_volume_row(body: str) -> str:
    return next(line for line in body.splitlines() if line.startswith("| Performance at production volume"))


async def _first_review(fake_github: FakeGitHub, fake_llm: FakeLLM, s: dict[str, Any]) -> None:
    await run_review_job(_job(H1, "opened"), deps=_deps(fake_github, s))
    assert _sent_paths(fake_llm, 0) == {"app/a.py", "app/b.py"}
    assert {(c["path"], c["line"]) for c in s["repo"].review_comments} == {("app/a.py", 2), ("app/b.py", 3)}
    assert read_mark(_summary(s["repo"])) is not None


async def test_push_sends_only_the_changed_file_and_keeps_new_and_drops_fixed(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM
):
    repo = setup["repo"]
    await _first_review(fake_github, fake_llm, setup)
    sent_before = len(fake_llm.requests)
    _push(repo, A + B2, changed=["app/b.py"])
    await run_review_job(_job(H2, before_sha=H1), deps=_deps(fake_github, setup))

    assert _sent_paths(fake_llm, sent_before) == {"app/b.py"}  # a.py did not change: not sent again
    [compare] = fake_github.calls("compare")
    assert compare.path.endswith(f"/compare/{H1}...{H2}")
    # New: b.py:4 is posted. Kept: a.py:2 is not posted again. Fixed: b.py:3 is gone from the summary.
    assert [(c["path"], c["line"]) for c in repo.review_comments[2:]] == [("app/b.py", 4)]
    row = _data_volume_row(_summary(repo))
    assert "app/a.py:2" in row and "app/b.py:4" in row and "app/b.py:3" not in row
    assert "❌ fail" in row and "2 findings" in row
    mark = read_mark(_summary(repo))
    assert mark is not None and (mark.head_sha, mark.llm) == (H2, "full")
    assert "Incremental review" in _summary(repo)


async def test_push_with_nothing_changed_for_the_llm_keeps_every_finding(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM
):
    repo = setup["repo"]
    await _first_review(fake_github, fake_llm, setup)
    sent_before = len(fake_llm.requests)
    _push(repo, A + B1, status="identical", changed=[])
    await run_review_job(_job(H2), deps=_deps(fake_github, setup))
    assert len(fake_llm.requests) == sent_before  # no LLM call at all
    row = _data_volume_row(_summary(repo))
    assert "app/a.py:2" in row and "app/b.py:3" in row
    assert len(repo.review_comments) == 2 and len(repo.reviews) == 1


@pytest.mark.parametrize("status", ["diverged", "behind", None])
async def test_force_push_or_unknown_old_head_reviews_everything(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM, status
):
    repo = setup["repo"]
    await _first_review(fake_github, fake_llm, setup)
    sent_before = len(fake_llm.requests)
    _push(repo, A + B2, status=status, changed=["app/b.py"])  # None: compare answers 404
    await run_review_job(_job(H2, before_sha=H1), deps=_deps(fake_github, setup))
    assert _sent_paths(fake_llm, sent_before) == {"app/a.py", "app/b.py"}
    assert "Full review" in _summary(repo)
    assert "app/b.py:3" not in _data_volume_row(_summary(repo))


async def test_recheck_reviews_everything_without_comparing(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM
):
    repo = setup["repo"]
    await _first_review(fake_github, fake_llm, setup)
    sent_before = len(fake_llm.requests)
    _push(repo, A + B2, changed=["app/b.py"])
    await run_review_job(_job("", "recheck", requested_by="alice"), deps=_deps(fake_github, setup))
    assert _sent_paths(fake_llm, sent_before) == {"app/a.py", "app/b.py"}
    assert fake_github.calls("compare") == []


async def test_partial_llm_review_is_not_trusted_next_time(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM
):
    """A file the LLM failed on last time is sent again even though the push did not touch it."""
    repo = setup["repo"]
    fake_llm.enqueue(*[Compute(lambda body: "not json")] * 2)  # the first batch and its repair fail
    await run_review_job(_job(H1, "opened"), deps=_deps(fake_github, setup))
    mark = read_mark(_summary(repo))
    assert mark is not None and mark.llm == "partial"
    sent_before = len(fake_llm.requests)
    _push(repo, A + B2, changed=["app/b.py"])
    await run_review_job(_job(H2, before_sha=H1), deps=_deps(fake_github, setup))
    assert _sent_paths(fake_llm, sent_before) == {"app/a.py", "app/b.py"}
    assert fake_github.calls("compare") == []


async def test_earlier_findings_only_from_our_comments_and_only_where_the_code_still_is(
    setup: dict[str, Any], fake_github: FakeGitHub, fake_llm: FakeLLM
):
    repo = setup["repo"]
    await _first_review(fake_github, fake_llm, setup)
    ours = list(repo.review_comments)
    files = parse_diff(A + B1)
    assert {(f.path, f.line) for f in still_standing(ours, files, skip=frozenset(), ours=BOT_LOGIN)} == {
        ("app/a.py", 2),
        ("app/b.py", 3),
    }
    assert [f.path for f in still_standing(ours, files, skip=frozenset({"app/b.py"}), ours=BOT_LOGIN)] == ["app/a.py"]
    # The code under b.py:3 changed although the compare did not say so: that finding is not kept.
    assert [f.path for f in still_standing(ours, parse_diff(A + B2), skip=frozenset(), ours=BOT_LOGIN)] == ["app/a.py"]
    # A person copying our comment's text (marker included) does not plant a finding.
    forged = [{**c, "user": {"login": "mallory", "type": "User"}} for c in ours]
    assert still_standing(forged, files, skip=frozenset(), ours=BOT_LOGIN) == []
