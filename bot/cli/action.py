"""`prodready action`: one GitHub Actions run reviewed as the App reviews a webhook, with the workflow's token.

The event GitHub wrote to GITHUB_EVENT_PATH goes through the App's own routers (bot.events), and each job they
ask for runs through the App's review job, built by bot.wiring with the token instead of an App key. Nothing
is read from the workspace: the diff, the changed files and the config (base branch) come through the API, so
a `pull_request_target` run never executes, installs or even opens code from the pull request's head.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gidgethub import sansio

from bot.cli.action_report import ActionReport, fork_reason, write_report
from bot.events import router
from bot.github.errors import GitHubError
from bot.jobs.model import JobRequest
from bot.settings import Secret, Settings, SettingsError, settings_from_env
from bot.wiring import Tuning, build_one_shot_worker

log = logging.getLogger(__name__)

PULL_EVENTS = frozenset({"pull_request", "pull_request_target"})
HANDLED_EVENTS = PULL_EVENTS | {"issue_comment"}
# The App's routers want the installation a delivery is for; a workflow token has exactly one, so any id serves.
WORKFLOW_INSTALLATION = 0


class ActionError(Exception):
    """The run's environment cannot be used; the message is one line for stderr (exit status 2)."""


@dataclass(frozen=True, slots=True)
class ActionRun:
    """What GitHub Actions tells the step about its run."""

    event: str
    payload: dict[str, Any]
    token: Secret
    run_id: str
    step_summary: Path | None
    sarif: Path | None


def read_run(env: Mapping[str, str]) -> ActionRun:
    """Return the run described by GitHub's variables in `env`; raise ActionError naming what is missing."""
    event = env.get("GITHUB_EVENT_NAME", "").strip()
    if not event:
        raise ActionError("GITHUB_EVENT_NAME is not set: `prodready action` runs as a step of a GitHub workflow")
    token = env.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise ActionError("GITHUB_TOKEN is empty: pass `github-token` (default `${{ github.token }}`)")
    path = env.get("GITHUB_EVENT_PATH", "").strip()
    if not path:
        raise ActionError("GITHUB_EVENT_PATH is not set")
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ActionError(f"cannot read the event payload {path}: {exc}") from None
    if not isinstance(payload, dict):
        raise ActionError(f"the event payload {path} is not a JSON object")
    summary, sarif = env.get("GITHUB_STEP_SUMMARY", "").strip(), env.get("PRODREADY_SARIF", "").strip()
    return ActionRun(
        event=event,
        payload=payload,
        token=Secret(token),
        run_id=f"{env.get('GITHUB_RUN_ID', 'local')}.{env.get('GITHUB_RUN_ATTEMPT', '1')}",
        step_summary=Path(summary) if summary else None,
        # Only a path is taken from the workspace, to write to: nothing in it is ever read.
        sarif=Path(env.get("GITHUB_WORKSPACE", "") or ".") / sarif if sarif else None,
    )


class _Collected:
    """The JobQueue the routers hand their jobs to: a one-shot run keeps them in memory, no store."""

    def __init__(self) -> None:
        self.requests: list[JobRequest] = []

    async def submit(self, request: JobRequest) -> bool:
        self.requests.append(request)
        return True


async def jobs_for(run: ActionRun) -> list[JobRequest]:
    """Return the jobs the App's routers ask for on this run's event, exactly as for a webhook delivery."""
    data = dict(run.payload)
    data.setdefault("installation", {"id": WORKFLOW_INSTALLATION})
    # pull_request_target carries the pull_request payload; only where the workflow runs differs.
    name = "pull_request" if run.event in PULL_EVENTS else run.event
    queue = _Collected()
    await router.dispatch(sansio.Event(data, event=name, delivery_id=run.run_id), queue=queue)
    return queue.requests


async def run_action(env: Mapping[str, str], *, tuning: Tuning | None = None) -> int:
    """Review the pull request of this workflow run; return the exit status (0, 1 by `fail_on`, 2 on errors)."""
    try:
        run = read_run(env)
        settings = settings_from_env(env)
    except (ActionError, SettingsError) as exc:
        return _fail(str(exc))
    if run.event not in HANDLED_EVENTS:
        _say(f"nothing to do on a {run.event} event (prodready reviews pull_request and issue_comment events)")
        return 0
    requests = await jobs_for(run)
    if not requests:
        _say(f"nothing to do for this {run.event} event")
        return 0
    return await _review_all(run, settings, requests, tuning)


async def _review_all(run: ActionRun, settings: Settings, requests: list[JobRequest], tuning: Tuning | None) -> int:
    worker = build_one_shot_worker(settings, run.token, tuning)
    status = 0
    try:
        for request in requests:
            read_only = fork_reason(run.event, run.payload)
            try:
                outcome = await worker.review(request, read_only=read_only)
            except GitHubError as exc:
                return _fail(f"the review of {request.repo}#{request.number} failed: {exc}")
            if outcome is None:
                _say(
                    f"nothing to review on {request.repo}#{request.number} (closed, a draft, or not asked by a writer)"
                )
                continue
            report = ActionReport(outcome, repo=request.repo, number=request.number)
            write_report(report, step_summary=run.step_summary, sarif=run.sarif, annotations=sys.stdout)
            _say(report.closing_line())
            status = max(status, report.exit_status())
    finally:
        await worker.close()
    return status


def run_action_command(env: Mapping[str, str]) -> int:
    """Run `prodready action` and return its exit status."""
    try:
        settings = settings_from_env(env)
    except SettingsError as exc:
        return _fail(str(exc))
    from bot.observability import setup_logging

    # Warnings only, redacted: the step's log is for annotations and the one-line outcome.
    setup_logging(settings, level=logging.WARNING)
    return asyncio.run(run_action(env))


def _say(message: str) -> None:
    print(f"prodready: {message}", file=sys.stderr)


def _fail(message: str) -> int:
    _say(message.splitlines()[0] if message else "error")
    return 2
