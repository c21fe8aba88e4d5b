"""Check runs in the fake GitHub: created on a commit of a pull request and updated, refused as GitHub refuses."""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import web

from tests.fakes.fake_github import FAKE_KEY, REPO_KEY, FakeRepo, _error, _now

DOCS = "https://docs.github.com/rest/checks/runs"
MAX_OUTPUT_TEXT = 65535
MAX_ANNOTATIONS = 50
_check_ids = itertools.count(9000)


def _known_sha(repo: FakeRepo, sha: str) -> bool:
    return any(sha == p.head_sha or sha in p.past_heads or sha == p.base_sha for p in repo.pulls.values())


def _problem(data: dict[str, Any]) -> str | None:
    """Say why GitHub would refuse these check-run fields (422), or None."""
    status, conclusion = data.get("status"), data.get("conclusion")
    if status == "completed" and conclusion is None:
        return "conclusion is required when status is completed"
    if data.get("completed_at") and conclusion is None:
        return "conclusion is required when completed_at is given"
    output = data.get("output")
    if output is not None:
        if not isinstance(output, dict) or not output.get("title") or not output.get("summary"):
            return "output needs a title and a summary"
        for key in ("summary", "text"):
            if len(str(output.get(key) or "")) > MAX_OUTPUT_TEXT:
                return f"output.{key} is too long (maximum is {MAX_OUTPUT_TEXT} characters)"
        if len(output.get("annotations") or []) > MAX_ANNOTATIONS:
            return f"at most {MAX_ANNOTATIONS} annotations per request"
    return None


def _apply(run: dict[str, Any], data: dict[str, Any]) -> None:
    for key in ("name", "details_url", "external_id", "started_at", "status", "conclusion", "completed_at"):
        if key in data:
            run[key] = data[key]
    if data.get("conclusion") is not None:
        run["status"] = "completed"  # GitHub: a conclusion completes the run
        run.setdefault("completed_at", _now())
    if "output" in data:
        run["output"] = {**run.get("output", {}), **data["output"]}


async def _body(request: web.Request) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.read())
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _denied(request: web.Request) -> web.Response | None:
    if request.app[FAKE_KEY].checks_permission:
        return None
    return _error(403, "Resource not accessible by integration", doc=DOCS)


async def create_check_run(request: web.Request) -> web.Response:
    """POST check-runs: `name` and `head_sha` required; the sha must be a commit of the repository."""
    repo: FakeRepo = request[REPO_KEY]
    denied = _denied(request)
    if denied is not None:
        return denied
    data = await _body(request)
    if data is None:
        return _error(400, "Problems parsing JSON")
    if not data.get("name") or not data.get("head_sha"):
        return _error(422, "Invalid request.", doc=DOCS, errors=["name and head_sha are required"])
    if not _known_sha(repo, str(data["head_sha"])):
        return _error(422, "No commit found for SHA: " + str(data["head_sha"]), doc=DOCS)
    problem = _problem(data)
    if problem:
        return _error(422, "Invalid request.", doc=DOCS, errors=[problem])
    cid = next(_check_ids)
    run: dict[str, Any] = {
        "id": cid,
        "head_sha": data["head_sha"],
        "status": "queued",
        "conclusion": None,
        "started_at": _now(),
        "html_url": f"https://github.com/{repo.full_name}/runs/{cid}",
        "updates": 0,
    }
    _apply(run, data)
    repo.check_runs.append(run)
    return web.json_response(run, status=201)


async def update_check_run(request: web.Request) -> web.Response:
    """PATCH check-runs/{id}: change status, conclusion and output of a run the App created."""
    repo: FakeRepo = request[REPO_KEY]
    denied = _denied(request)
    if denied is not None:
        return denied
    data = await _body(request)
    if data is None:
        return _error(400, "Problems parsing JSON")
    run = next((r for r in repo.check_runs if str(r["id"]) == request.match_info["check_run_id"]), None)
    if run is None:
        return _error(404, "Not Found", doc=DOCS)
    problem = _problem(data)
    if problem:
        return _error(422, "Invalid request.", doc=DOCS, errors=[problem])
    _apply(run, data)
    run["updates"] += 1
    return web.json_response(run)
