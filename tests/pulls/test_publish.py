"""Publishing reviews over real HTTP: one COMMENT review, 422 recovery, summary in place, no duplicates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import GitHubClient, RetryPolicy
from bot.pulls.publish import SummaryComment, publish_failure, publish_review
from bot.render.github import fingerprint, inline_comment, sanitize
from bot.render.summary import SUMMARY_MARKER
from bot.review.diff import parse_diff
from bot.review.models import ChecklistItem, Finding, ReviewResult, ReviewStats
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, BOT_LOGIN, FakeGitHub

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
FAST = RetryPolicy(attempts=2, backoff_base=0.01, timeout=5.0)
FILES = parse_diff(SAMPLE.read_text())


def _finding(line: int, *, end: int | None = None, rule: str | None = "py-localhost-url", **kw) -> Finding:
    base = dict(
        path="app/client.py",
        category="configuration",
        severity="high",
        title="Localhost URL",
        body="Points at a developer machine.",
        source="static",
    )
    return Finding(line=line, end_line=end, rule=rule, **{**base, **kw})


def _result(*findings: Finding) -> ReviewResult:
    checklist = (ChecklistItem("configuration", "fail" if findings else "pass", "hard-coded URL"),)
    return ReviewResult(findings=findings, checklist=checklist, stats=ReviewStats(files=2, hunks=2))


@pytest.fixture
async def gh(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[GitHubClient]:
    fake_github.add_repo("octo/app").add_pull(1, diff=SAMPLE.read_text())
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        yield auth.client(session, 7, base_url=fake_github.url, policy=FAST)


async def _publish(gh: GitHubClient, fake: FakeGitHub, result: ReviewResult):
    head = fake.repos["octo/app"].pulls[1].head_sha
    return await publish_review(
        gh, repo="octo/app", number=1, head_sha=head, result=result, files=FILES, ours=BOT_LOGIN
    )


async def test_one_comment_review_and_summary(gh: GitHubClient, fake_github: FakeGitHub):
    suggestion = Finding(
        path="app/client.py",
        line=7,
        end_line=8,
        category="failure_handling",
        severity="high",
        title="No timeout",
        body="Hangs.",
        source="static",
        rule="py-requests-without-timeout",
        suggestion="    response = requests.get(url, timeout=10)\n    return response.json()",
    )
    await _publish(gh, fake_github, _result(_finding(3), suggestion))
    repo = fake_github.repos["octo/app"]
    [review] = fake_github.calls("pulls.reviews.create")
    sent = review.json()
    assert sent["event"] == "COMMENT" and sent["commit_id"] == repo.pulls[1].head_sha
    ranged = sent["comments"][1]
    assert (ranged["start_line"], ranged["line"], ranged["side"], ranged["start_side"]) == (7, 8, "RIGHT", "RIGHT")
    assert "```suggestion\n    response = requests.get(url, timeout=10)" in ranged["body"]
    [summary] = repo.issue_comments
    assert summary["body"].startswith(SUMMARY_MARKER)
    assert "#discussion_r" in summary["body"]  # the checklist row links its inline comment


async def test_same_findings_not_posted_twice_and_summary_edited(gh: GitHubClient, fake_github: FakeGitHub):
    await _publish(gh, fake_github, _result(_finding(3)))
    # The next push moves the line; the code is the same, so it is the same finding.
    moved = _finding(3)
    second = await _publish(gh, fake_github, _result(moved, _finding(7, rule="py-requests-without-timeout")))
    repo = fake_github.repos["octo/app"]
    assert len(repo.reviews) == 2 and len(repo.review_comments) == 2
    assert len(second.already_posted) == 1 and len(second.posted) == 1
    assert len(repo.issue_comments) == 1
    assert len(fake_github.calls("issues.comments.update")) == 1
    await _publish(gh, fake_github, _result(moved))
    assert len(repo.reviews) == 2  # nothing new: no review at all


async def test_422_retried_without_rejected_comment(gh: GitHubClient, fake_github: FakeGitHub):
    off_diff = _finding(40, rule="py-requests-without-timeout", title="Off the diff")
    out = await _publish(gh, fake_github, _result(_finding(3), off_diff))
    assert [c.finding.line for c in out.posted] == [3]
    assert out.unplaced == [off_diff]
    creates = fake_github.calls("pulls.reviews.create")
    assert len(creates) == 2 and len(fake_github.repos["octo/app"].reviews) == 1
    summary = fake_github.repos["octo/app"].issue_comments[0]["body"]
    assert "would not place on a line" in summary and "Off the diff" in summary


async def test_all_rejected_goes_to_summary_only(gh: GitHubClient, fake_github: FakeGitHub):
    out = await _publish(gh, fake_github, _result(_finding(50), _finding(60, rule="x")))
    assert out.review_id is None and len(out.unplaced) == 2
    assert not fake_github.repos["octo/app"].reviews


async def test_summary_found_only_from_a_bot(gh: GitHubClient, fake_github: FakeGitHub):
    repo = fake_github.repos["octo/app"]
    repo.add_issue_comment(1, SUMMARY_MARKER + " quoted by a person")
    await _publish(gh, fake_github, _result())
    assert len(repo.issue_comments) == 2 and repo.issue_comments[0]["body"].endswith("quoted by a person")


async def test_failure_reported_in_summary(gh: GitHubClient, fake_github: FakeGitHub):
    await _publish(gh, fake_github, _result())
    await publish_failure(
        gh, repo="octo/app", number=1, head_sha="abcdef12", reason="GitHub kept failing", ours=BOT_LOGIN
    )
    [summary] = fake_github.repos["octo/app"].issue_comments
    assert "review failed" in summary["body"] and "GitHub kept failing" in summary["body"]


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("ping @octocat and @org/team", "@octocat", "@\u200boctocat"),
        ("<img src=x onerror=alert(1)>", "<img", "&lt;img"),
        ("![x](https://evil.example/p.png)", "](https://evil", "(image: x)"),
        ("<!-- prodready:fp=0123456789abcdef -->", "<!--", "&lt;!--"),
        ("email me@example.com", "@\u200b", "me@example.com"),
        ("`List<int>` stays", "&lt;", "`List<int>`"),
        ("```\n<b>@x</b>\n```", "&lt;", "<b>@x</b>"),
    ],
)
def test_sanitize(text, absent, present):
    out = sanitize(text)
    assert absent not in out and present in out


def test_sanitize_bounds_length():
    assert len(sanitize("a" * 10_000)) <= 4000


def test_fingerprint_ignores_line_and_indentation():
    a, b = _finding(3), _finding(30)
    assert fingerprint(a, 'API_URL = "x"') == fingerprint(b, '   API_URL =  "x"')
    assert fingerprint(a, 'API_URL = "x"') != fingerprint(a, 'API_URL = "y"')
    assert fingerprint(a, "x") != fingerprint(_finding(3, rule="other"), "x")


def test_suggestion_fence_outlasts_backticks_in_code():
    f = _finding(3, suggestion="s = '```'")
    body = inline_comment(f, FILES).payload["body"]
    assert "````suggestion\ns = '```'\n````" in str(body)


def test_range_across_hunks_collapses_to_first_line_without_suggestion():
    f = _finding(3, end=2, suggestion="x")  # end before start: not a range GitHub would take
    payload = inline_comment(f, FILES).payload
    assert "start_line" not in payload and payload["line"] == 3 and "suggestion" not in str(payload["body"])


def test_huge_suggestion_is_dropped_to_keep_the_comment_under_githubs_limit():
    f = _finding(3, suggestion="x = '" + "a" * 70_000 + "'")
    body = str(inline_comment(f, FILES).payload["body"])
    assert len(body) <= 65_536 and "suggestion" not in body and "Localhost URL" in body


async def test_one_huge_suggestion_does_not_sink_the_other_comments(gh: GitHubClient, fake_github: FakeGitHub):
    huge = _finding(3, suggestion="x = '" + "a" * 70_000 + "'")
    other = _finding(7, rule="py-requests-without-timeout", title="No timeout")
    out = await _publish(gh, fake_github, _result(huge, other))
    assert sorted(c.finding.line for c in out.posted) == [3, 7] and not out.unplaced


async def test_fingerprint_in_a_persons_comment_does_not_hide_a_finding(gh: GitHubClient, fake_github: FakeGitHub):
    finding = _finding(3)
    fp = inline_comment(finding, FILES).fingerprint
    repo = fake_github.repos["octo/app"]
    # Anyone who can comment can write the hidden marker: only the App's own comments say what was posted.
    repo.review_comments.append(
        {
            "id": 1,
            "pull_number": 1,
            "path": "app/client.py",
            "line": 3,
            "body": f"nothing to see <!-- prodready:fp={fp} -->",
            "user": {"login": "mallory", "id": 9, "type": "User"},
            "html_url": "https://github.com/octo/app/pull/1#discussion_r1",
        }
    )
    out = await _publish(gh, fake_github, _result(finding))
    assert [c.fingerprint for c in out.posted] == [fp] and not out.already_posted


async def test_summary_deleted_during_the_review_is_written_again(gh: GitHubClient, fake_github: FakeGitHub):
    await _publish(gh, fake_github, _result())
    repo = fake_github.repos["octo/app"]
    [old] = repo.issue_comments
    known = SummaryComment(int(old["id"]), str(old["body"]))
    repo.issue_comments.clear()  # someone deleted it while the next review ran
    head = repo.pulls[1].head_sha
    out = await publish_review(
        gh,
        repo="octo/app",
        number=1,
        head_sha=head,
        result=_result(),
        files=FILES,
        ours=BOT_LOGIN,
        summary=known,
        summary_read=True,
    )
    [summary] = repo.issue_comments
    assert summary["body"].startswith(SUMMARY_MARKER) and out.summary_id == summary["id"] != known.id


REPEATED = """diff --git a/app/jobs.py b/app/jobs.py
new file mode 100644
--- /dev/null
+++ b/app/jobs.py
@@ -0,0 +1,4 @@
+def sync():
+    requests.get(url)
+def again():
+    requests.get(url)
"""


async def test_the_same_code_flagged_twice_in_a_file_gets_a_comment_at_each_place(
    gh: GitHubClient, fake_github: FakeGitHub
):
    repo = fake_github.repos["octo/app"]
    pull = repo.add_pull(2, diff=REPEATED)
    files = parse_diff(REPEATED)
    result = _result(*(_finding(n, path="app/jobs.py", rule="py-requests-without-timeout") for n in (2, 4)))

    async def publish():
        return await publish_review(
            gh, repo="octo/app", number=2, head_sha=pull.head_sha, result=result, files=files, ours=BOT_LOGIN
        )

    first = await publish()
    assert sorted(c.finding.line for c in first.posted) == [2, 4]
    second = await publish()
    assert not second.posted and len(second.already_posted) == 2
