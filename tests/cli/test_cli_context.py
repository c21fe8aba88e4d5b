"""`--git` and `--diff` give the same findings for the same patch, with whatever version of the files is at hand."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.test_cli import run_cli
from tests.cli.test_local_git import git, new_repo

# A module whose functions are long enough that git's hunks start inside them.
BASE_PY = """\
import logging

import requests

log = logging.getLogger(__name__)


def sync(order):
    total = 0
    for line in order.lines:
        total += line.price
    try:
        push(order, total)
    except Exception:
        log.exception("push failed")
    return total


def legacy(url):
    return requests.get(url)


def report(order):
    rows = []
    for line in order.lines:
        rows.append(line)
    return rows
"""

# `sync` now swallows the error (new), `legacy` moved below `report` and `fetch` was only re-wrapped.
HEAD_PY = """\
import logging

import requests

log = logging.getLogger(__name__)


def sync(order):
    total = 0
    for line in order.lines:
        total += line.price
    try:
        push(order, total)
    except Exception:
        pass
    return total


def report(order):
    rows = []
    for line in order.lines:
        rows.append(line)
    return rows


def legacy(url):
    return requests.get(url)
"""

BASE_JS = """\
async function load(id) {
  try {
    return await db.find(id);
  } catch (err) {
  }
}

async function save(row) {
  await db.put(row);
}
"""

# A pure rename of the caught error, and a new swallowing catch.
HEAD_JS = """\
async function load(id) {
  try {
    return await db.find(id);
  } catch (_err) {
  }
}

async function save(row) {
  try {
    await db.put(row);
  } catch (e) {
  }
}
"""


def findings(done: subprocess.CompletedProcess[bytes]) -> list[tuple[str, int, str]]:
    assert done.returncode in (0, 1), done.stderr
    return sorted((f["path"], f["line"], f["rule"]) for f in json.loads(done.stdout)["findings"])


def make_repo(tmp_path: Path) -> Path:
    repo = new_repo(tmp_path / "repo")
    (repo / "app.py").write_text(BASE_PY)
    (repo / "store.js").write_text(BASE_JS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "app.py").write_text(HEAD_PY)
    (repo / "store.js").write_text(HEAD_JS)
    git(repo, "commit", "-qam", "head")
    return repo


def test_git_and_diff_agree_whether_the_working_tree_holds_the_new_or_the_old_side(tmp_path):
    repo = make_repo(tmp_path)
    patch = tmp_path / "change.diff"
    patch.write_bytes(subprocess.run(["git", "diff", "HEAD~1", "HEAD"], cwd=repo, capture_output=True).stdout)
    via_git = run_cli("review", "--git", "HEAD~1..HEAD", "--offline", "--format", "json", cwd=repo)
    via_diff = run_cli("review", "--diff", str(patch), "--offline", "--format", "json", cwd=repo)
    git(repo, "checkout", "-q", "HEAD~1")  # the patch not applied yet: the working tree is the old side
    via_unapplied = run_cli("review", "--diff", str(patch), "--offline", "--format", "json", cwd=repo)
    expected = [
        ("app.py", 15, "py-swallowed-exception"),
        ("store.js", 11, "js-catch-swallows-error"),
    ]
    assert findings(via_git) == findings(via_diff) == findings(via_unapplied) == expected
    # The JSON's stats keep to the contract; what the rules lacked is told in the report's notes.
    for args in (("--git", "HEAD~1..HEAD"), ("--diff", str(patch))):
        text = run_cli("review", *args, "--offline", cwd=repo).stdout.decode()
        assert "reviewed from the diff alone" not in text


def test_the_diff_alone_finds_the_same_and_says_what_it_lacked(tmp_path):
    repo = make_repo(tmp_path)
    patch = tmp_path / "change.diff"
    patch.write_bytes(subprocess.run(["git", "diff", "HEAD~1", "HEAD"], cwd=repo, capture_output=True).stdout)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    alone = run_cli("review", "--diff", str(patch), "--offline", "--format", "json", cwd=elsewhere)
    assert findings(alone) == [("app.py", 15, "py-swallowed-exception"), ("store.js", 11, "js-catch-swallows-error")]
    text = run_cli("review", "--diff", str(patch), "--offline", cwd=elsewhere)
    assert "2 file(s) reviewed from the diff alone" in text.stdout.decode()


def test_a_stale_working_tree_file_is_not_used(tmp_path):
    repo = make_repo(tmp_path)
    patch = tmp_path / "change.diff"
    patch.write_bytes(subprocess.run(["git", "diff", "HEAD~1", "HEAD"], cwd=repo, capture_output=True).stdout)
    (repo / "app.py").write_text("# rewritten since\n" + HEAD_PY)
    done = run_cli("review", "--diff", str(patch), "--offline", "--format", "json", cwd=repo)
    assert ("app.py", 15, "py-swallowed-exception") in findings(done)
    text = run_cli("review", "--diff", str(patch), "--offline", cwd=repo).stdout.decode()
    assert "1 file(s) reviewed from the diff alone" in text
