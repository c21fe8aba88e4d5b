"""Reading a range's diff and files from a real local git repository, whatever the user's git config."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.cli.local_git import GitError, diff_of_range, head_of_range, read_sources, repository_root
from bot.review.diff import parse_diff


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "protocol.file.allow=always", *args], cwd=cwd, check=True, capture_output=True)


def new_repo(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "dev@example.com")
    git(path, "config", "user.name", "Dev")
    return path


def test_diff_and_sources_match_the_files_despite_textconv_and_submodule_log(tmp_path):
    lib = new_repo(tmp_path / "lib")
    (lib / "a.txt").write_text("one\n")
    git(lib, "add", "-A")
    git(lib, "commit", "-qm", "one")
    repo = new_repo(tmp_path / "repo")
    git(repo, "submodule", "-q", "add", str(lib), "lib")
    (repo / ".gitattributes").write_text("*.py diff=shout\n")
    (repo / "my app.py").write_text("x = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    # A user's own settings: a textconv driver rewrites what `git diff` shows, and submodule=log adds
    # "  > message" lines that belong to no hunk.
    git(repo, "config", "diff.shout.textconv", "tr a-z A-Z")
    git(repo, "config", "diff.submodule", "log")
    (lib / "a.txt").write_text("two\n")
    git(lib, "commit", "-qam", "two")
    git(repo / "lib", "pull", "-q")
    (repo / "my app.py").write_text("x = 1\nrequests.get(url)\n")
    files = parse_diff(diff_of_range("HEAD", cwd=repo))
    app = next(f for f in files if f.path == "my app.py")
    assert app.added == {2: "requests.get(url)"}
    assert read_sources(["my app.py"], rev=head_of_range("HEAD"), cwd=repo) == {
        "my app.py": "x = 1\nrequests.get(url)\n"
    }


def test_a_repository_without_commits_is_a_plain_error(tmp_path):
    repo = new_repo(tmp_path / "empty")
    with pytest.raises(GitError, match="bad revision"):
        diff_of_range("main...HEAD", cwd=repo)


def test_outside_a_repository_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match="is not inside a git repository"):
        diff_of_range("HEAD~1...HEAD", cwd=plain)


def test_a_repository_git_refuses_to_use_says_why_not_that_there_is_none(tmp_path, monkeypatch):
    repo = new_repo(tmp_path / "theirs")
    # git's own test switch for "owned by someone else", the refusal a user meets on a shared or mounted checkout.
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    with pytest.raises(GitError, match="dubious ownership") as caught:
        diff_of_range("HEAD", cwd=repo)
    assert "not inside a git repository" not in str(caught.value)


def test_repository_root_is_found_from_a_subdirectory(tmp_path):
    repo = new_repo(tmp_path / "repo")
    (repo / "src" / "pkg").mkdir(parents=True)
    assert repository_root(repo / "src" / "pkg") == repo.resolve()
    assert repository_root(repo) == repo.resolve()
