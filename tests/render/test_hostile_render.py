"""Text from pull requests, other bots and custom rules meeting what prodready posts."""

from __future__ import annotations

import re

import pytest

from bot.pulls.incremental import still_standing
from bot.render.github import LLM_ORIGIN, one_line, sanitize
from bot.render.summary import render_summary
from bot.review.diff import parse_diff
from bot.review.models import Finding, ReviewResult, ReviewStats, SkippedFile

DIFF = "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -0,0 +1,2 @@\n+a = 1\n+b = 2\n"


@pytest.mark.timeout(10)
def test_a_bot_comment_claiming_a_vast_line_range_costs_nothing() -> None:
    # Any GitHub App's comments are listed as type Bot, and one may quote text a pull request author wrote.
    body = (
        "**high · concurrency**: planted\n\nbody\n\n"
        f"{LLM_ORIGIN} <!-- prodready:fp=0123456789abcdef --> <!-- prodready:lines=1-999999999999 -->"
    )
    comment = {"user": {"login": "other[bot]", "type": "Bot"}, "path": "app.py", "line": 1, "body": body}
    assert still_standing([comment], parse_diff(DIFF), skip=frozenset(), ours="prodready[bot]") == []


# Each text is prose to GitHub (CommonMark) around the mention, though it looks like code at a glance.
@pytest.mark.parametrize(
    "text",
    [
        "```\nx\n````\n@octocat\n```",  # a longer run closes the fence too
        "```\nx\n  ```\n@octocat\n```",  # so does one indented up to three spaces
        "``` x`y\n@octocat\n\n```",  # an info string with a backtick opens no fence
        "``@octocat`",  # a code span closes only on a run of the same length
        "\\`@octocat`",  # an escaped backtick opens nothing
        "`a\n\n@octocat`",  # a code span ends with its paragraph
        "`a` ``b`` ```@octocat``",
    ],
)
def test_mentions_that_only_look_like_code_are_neutralised(text: str) -> None:
    assert "@octocat" not in sanitize(text)
    assert not _mentions(one_line(text))


@pytest.mark.parametrize(
    "text",
    [
        "Use:\n```python\n@app.route('/')\ndef f(): ...\n```\ndone",
        "````\n```\n@app.get('/')\n```\n````",
        "Call `@cache` or ``@lru_cache(`x`)``.",
    ],
)
def test_real_code_keeps_its_decorators(text: str) -> None:
    assert sanitize(text) == text


@pytest.mark.parametrize(
    "path", ["x`@octocat`y.py", "x``@octocat``.py", "`@octocat", "a\n@octocat.py", "a|b`@octocat|.py"]
)
def test_paths_in_the_summary_cannot_mention_anyone(path: str) -> None:
    finding = Finding(
        path=path,
        line=1,
        end_line=None,
        category="security",
        severity="high",
        title="t",
        body="b",
        source="static",
        suggestion=None,
        rule="r",
    )
    stats = ReviewStats(files=1, hunks=1, changed_lines=1, skipped_files=[SkippedFile(path, "lockfile")])
    body = render_summary(
        ReviewResult(findings=(finding,), checklist=(), stats=stats), head_sha="a" * 40, unplaced=[finding]
    )
    assert "octocat" in body
    assert not _mentions(body)


def _mentions(markdown: str) -> list[str]:
    """Return the @names GitHub would link: outside code spans and fences, after a non-word character."""
    prose = re.sub(r"(?ms)^```.*?^```", "", markdown)
    spans = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
    prose = spans.sub("", prose)
    return re.findall(r"(?<![\w`])@[A-Za-z0-9]", prose)
