"""The Action and the App on the same pull request: the same inline comments and summary, and no head code run."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from bot.render.summary import SUMMARY_MARKER
from tests.e2e.test_action import world_for
from tests.fakes.app_harness import running_app
from tests.fakes.fake_github import FakeGitHub
from tests.fakes.hooked_github import hooked_github

ROOT = Path(__file__).resolve().parents[2]


def _posted(github: FakeGitHub, repo: str) -> tuple[list, list]:
    r = github.repos[repo]
    comments = sorted((c["path"], c["line"], c.get("start_line"), c["body"]) for c in r.review_comments)
    # Comment ids differ between the two fakes; the links in the summary are the same otherwise.
    summaries = [
        re.sub(r"#discussion_r\d+", "#discussion_rN", c["body"])
        for c in r.issue_comments
        if str(c["body"]).startswith(SUMMARY_MARKER)
    ]
    return comments, summaries


async def test_the_app_and_the_action_post_the_same_review(shared_dir: Path, github_app_key, tmp_path: Path):
    payloads = shared_dir / "github" / "webhooks"
    async with hooked_github(github_app_key[1]) as app_github:
        (tmp_path / "app").mkdir()
        world = world_for(app_github, payloads, tmp_path / "app")
        app_github.add_installation(7, [world.repo.full_name])
        async with running_app(app_github, None, private_key=github_app_key[0], data_dir=tmp_path / "data") as app:
            event = world.opened()
            event["installation"] = {"id": 7}
            assert (await app.send("pull_request", event))[0] == 202
            await app.settle()
        by_app = _posted(app_github, world.repo.full_name)
        assert app_github.calls("app.get"), "the App learnt its own login from GET /app"
    async with hooked_github(github_app_key[1]) as action_github:
        (tmp_path / "action").mkdir()
        world = world_for(action_github, payloads, tmp_path / "action")
        await world.run("pull_request", world.opened())
        by_action = _posted(action_github, world.repo.full_name)
    assert by_app[0] and by_app == by_action


HARMFUL = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"


async def test_pull_request_target_never_runs_or_reads_the_heads_code(
    fake_github: FakeGitHub, shared_dir: Path, tmp_path: Path
):
    # The workspace holds the pull request's head, as after actions/checkout of it: a config that would turn
    # the review off and Python that would leave a mark if anything imported it.
    marker = tmp_path / "ran"
    workspace = tmp_path / "workspace"
    for path in ("bot/__init__.py", "sitecustomize.py", "conftest.py", "setup.py"):
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_text(HARMFUL.format(marker=str(marker)))
    (workspace / ".github").mkdir()
    (workspace / ".github" / "prodready.yml").write_text("min_severity: critical\nfail_on: critical\n")
    world = world_for(fake_github, shared_dir / "github" / "webhooks", tmp_path)
    world.repo.add_file(world.pull.head_sha, "app/client.py", HARMFUL.format(marker=str(marker)))
    data = world.opened()
    data["pull_request"]["head"]["repo"]["full_name"] = "mallory/Hello-World"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "OPENAI_", "PYTHON"))},
        **world.env("pull_request_target", data, GITHUB_WORKSPACE=str(workspace)),
        "PYTHONPATH": str(workspace),  # even a path that points into the workspace imports nothing from it
    }
    # As action.yml runs it: the console script under `python -I` (no PYTHON* variables, no user site, no cwd).
    prodready = Path(sys.executable).with_name("prodready")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-I", str(prodready), "action", cwd=workspace, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert not marker.exists(), "code from the pull request's head was executed"
    # The config came from the base branch (none there: defaults), so the high finding is posted and fails.
    assert proc.returncode == 1, err.decode()
    assert {c["line"] for c in world.repo.review_comments} == {3, 7}
    contents = [r for r in fake_github.calls("contents.get") if r.path.endswith("/contents/.github/prodready.yml")]
    assert contents and all(r.query.get("ref") == world.pull.base_ref for r in contents)
    head_reads = [r for r in fake_github.calls("contents.get") if r.path.endswith("/contents/app/client.py")]
    assert head_reads and all(r.query.get("ref") == world.pull.head_sha for r in head_reads)
