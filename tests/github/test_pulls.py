"""Reading pull requests over real HTTP: the diff, the 406 fallback with pagination, config from the base."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import GitHubClient, RetryPolicy
from bot.github.pulls import NO_PATCH_REASON, files_to_diff, get_diff, get_pull
from bot.pulls.repo_files import fetch_sources, load_config
from bot.review.diff import parse_diff
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub
from tests.fakes.fake_github_diff import FakeFile

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
FAST = RetryPolicy(attempts=2, backoff_base=0.01, timeout=5.0)


@pytest.fixture
async def gh(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[GitHubClient]:
    fake_github.add_repo("octo/app")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        yield auth.client(session, 7, base_url=fake_github.url, policy=FAST)


def _many_files(n: int) -> list[FakeFile]:
    return [FakeFile(f"src/m{i}.py", "added", f"@@ -0,0 +1,2 @@\n+x = {i}\n+y = {i}") for i in range(n)]


async def test_pull_and_whole_diff(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.repos["octo/app"].add_pull(3, diff=SAMPLE.read_text(), user="carol", draft=True)
    pull = await get_pull(gh, "octo/app", 3)
    assert (pull.author, pull.draft, pull.closed, pull.base_ref) == ("carol", True, False, "main")
    diff = await get_diff(gh, pull)
    assert [f.path for f in diff.files] == ["app/client.py", "README.md"]
    assert diff.files == parse_diff(SAMPLE.read_text())
    assert not fake_github.calls("pulls.files")


async def test_406_falls_back_to_paginated_files(gh: GitHubClient, fake_github: FakeGitHub):
    files = [*_many_files(250), FakeFile("logo.png", "added", None)]
    fake_github.repos["octo/app"].add_pull(4, files=files)
    fake_github.diff_max_files = 100
    pull = await get_pull(gh, "octo/app", 4)
    diff = await get_diff(gh, pull)
    assert len(diff.files) == 250
    assert diff.files[7].added == {1: "x = 7", 2: "y = 7"}
    assert [(s.path, s.reason) for s in diff.skipped] == [("logo.png", NO_PATCH_REASON)]
    pages = fake_github.calls("pulls.files")
    assert len(pages) == 3 and all(p.query.get("per_page") == "100" for p in pages)
    assert "rebuilt file by file" in diff.notes[0]


async def test_406_on_line_count_and_3000_file_cap(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.repos["octo/app"].add_pull(5, files=_many_files(30))
    fake_github.diff_max_lines = 10
    fake_github.files_max = 25  # stands in for GitHub's 3,000-file cap
    pull = await get_pull(gh, "octo/app", 5)
    diff = await get_diff(gh, pull)
    assert len(diff.files) == 25
    assert any("first 25 of 30" in n for n in diff.notes)


async def test_fallback_diff_equals_whole_diff(gh: GitHubClient, fake_github: FakeGitHub):
    repo = fake_github.repos["octo/app"]
    repo.add_pull(6, diff=SAMPLE.read_text())
    whole = await get_diff(gh, await get_pull(gh, "octo/app", 6))
    fake_github.diff_max_files = 0
    rebuilt = await get_diff(gh, await get_pull(gh, "octo/app", 6))
    assert rebuilt.files == whole.files


def test_files_to_diff_handles_renames_removals_and_bad_patches():
    entries = [
        {"filename": "new.py", "previous_filename": "old.py", "status": "renamed", "patch": "@@ -1 +1 @@\n-a\n+b"},
        {"filename": "gone.py", "status": "removed", "patch": "@@ -1,2 +0,0 @@\n-a\n-b"},
        {"filename": "moved.py", "previous_filename": "m.py", "status": "renamed", "patch": ""},
        {"filename": "broken.py", "status": "modified", "patch": "@@ -1,5 +1,5 @@\n+only one"},
        {"status": "modified", "patch": "@@ -1 +1 @@\n-a\n+b"},
    ]
    diff = files_to_diff(entries)
    assert [(f.path, f.status, f.old_path) for f in diff.files] == [
        ("new.py", "renamed", "old.py"),
        ("gone.py", "deleted", None),
    ]
    assert [s.path for s in diff.skipped] == ["broken.py"]


async def test_config_read_from_base_not_head(gh: GitHubClient, fake_github: FakeGitHub):
    repo = fake_github.repos["octo/app"]
    pull = repo.add_pull(7, diff=SAMPLE.read_text())
    repo.add_file("main", ".github/prodready.yml", "max_comments: 3\nrules:\n  custom: ci/rules\n")
    repo.add_file("main", "ci/rules/no-print.yml", "id: no-print\n")
    repo.add_file("main", "ci/rules/README.md", "not a rule")
    repo.add_file(pull.head_sha, ".github/prodready.yml", "max_comments: 0\ncategories:\n  security: false\n")
    loaded = await load_config(gh, "octo/app", base_ref=pull.base_ref)
    assert loaded.config.max_comments == 3 and loaded.config.category_enabled("security")
    assert loaded.custom_rules == {"ci/rules/no-print.yml": "id: no-print\n"}
    assert {r.query.get("ref") for r in fake_github.calls("contents.get")} == {"main"}


async def test_missing_and_invalid_config(gh: GitHubClient, fake_github: FakeGitHub):
    assert (await load_config(gh, "octo/app", base_ref="main")).problems == ()
    fake_github.repos["octo/app"].add_file("main", ".github/prodready.yml", "fail_on: sometimes\n")
    loaded = await load_config(gh, "octo/app", base_ref="main")
    assert loaded.config.fail_on == "high"
    assert [p.key for p in loaded.problems] == ["fail_on"]


async def test_sources_fetched_at_head_within_bounds(gh: GitHubClient, fake_github: FakeGitHub):
    repo = fake_github.repos["octo/app"]
    pull = repo.add_pull(8, files=_many_files(5))
    for i in range(5):
        repo.add_file(pull.head_sha, f"src/m{i}.py", f"x = {i}\ny = {i}\n")
    repo.add_file(pull.head_sha, "src/m0.py", "z" * 2000)
    diff = await get_diff(gh, await get_pull(gh, "octo/app", 8))
    sources = await fetch_sources(gh, "octo/app", diff.files, ref=pull.head_sha, max_fetches=3, max_bytes=1000)
    assert sorted(sources) == ["src/m1.py", "src/m2.py"]
    assert len(fake_github.calls("contents.get")) == 3
