"""POST /graphql of the fake GitHub: queries run by graphql-core against GitHub's own schema (the published subset).

A query that GitHub's schema would reject is rejected here the same way (HTTP 200, `errors`, no `data`), so
prodready's GraphQL is checked against the real schema on every test. Review threads are the fake's review
comments grouped as GitHub groups them (a thread per comment that is not a reply). As on GitHub, an App whose
token has Contents: read only gets FORBIDDEN from resolveReviewThread (`FakeGitHub.contents_permission`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from aiohttp import web
from graphql import GraphQLError, GraphQLSchema, build_schema, graphql_sync

from tests.fakes.fake_github import FAKE_KEY, INSTALLATION_KEY, FakeRepo, _error

# GitHub's published schema subset is read where it is shared beside the project, never copied into it.
SCHEMA_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "github" / "graphql-subset.graphql"
FORBIDDEN = "Resource not accessible by integration"


@functools.lru_cache(maxsize=1)
def schema() -> GraphQLSchema | None:
    """Return GitHub's schema subset from ../shared/github, or None where it is absent."""
    return build_schema(SCHEMA_PATH.read_text()) if SCHEMA_PATH.is_file() else None


class _Refused(GraphQLError):
    """An error GitHub words with a top-level `type` (FORBIDDEN, NOT_FOUND)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message, extensions={"type": kind})


def _threads(repo: FakeRepo, number: int) -> list[dict[str, Any]]:
    comments = [c for c in repo.review_comments if c["pull_number"] == number]
    out = []
    for top in (c for c in comments if c.get("in_reply_to_id") is None):
        members = [top, *(c for c in comments if c.get("in_reply_to_id") == top["id"])]
        out.append({"top": top, "members": members})
    return out


def _comment_node(repo: FakeRepo, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "__typename": "PullRequestReviewComment",
        "body": c.get("body", ""),
        "databaseId": c["id"],
        "fullDatabaseId": str(c["id"]),
        "id": c["node_id"],
        "isMinimized": bool(c.get("minimized")),
        "minimizedReason": c.get("minimized"),
        "url": c["html_url"],
        "viewerCanMinimize": True,
    }


def _connection(nodes: list[Any], *, first: int | None, after: str | None) -> dict[str, Any]:
    start = int(after) if after else 0
    page = nodes[start : start + first] if first is not None else nodes[start:]
    end = start + len(page)
    return {
        "nodes": page,
        "totalCount": len(nodes),
        "pageInfo": {
            "hasNextPage": end < len(nodes),
            "hasPreviousPage": start > 0,
            "startCursor": str(start) if page else None,
            "endCursor": str(end) if page else None,
        },
    }


def _thread_node(repo: FakeRepo, thread: dict[str, Any]) -> dict[str, Any]:
    top = thread["top"]
    members = [_comment_node(repo, c) for c in thread["members"]]
    return {
        "id": f"PRRT_{top['id']}",
        "isResolved": top["id"] in repo.resolved_threads,
        "isOutdated": top.get("line") is None,
        "line": top.get("line"),
        "path": top.get("path", ""),
        "viewerCanResolve": True,
        "viewerCanUnresolve": True,
        "comments": lambda info, first=None, after=None, **_: _connection(members, first=first, after=after),
    }


def _root(fake: Any, allowed: set[str]) -> dict[str, Any]:
    def repository(info: Any, owner: str, name: str, followRenames: bool = True) -> dict[str, Any] | None:
        repo = fake.repos.get(f"{owner}/{name}")
        if repo is None or repo.full_name not in allowed:
            raise _Refused("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")

        def pull_request(info: Any, number: int) -> dict[str, Any] | None:
            if number not in repo.pulls:
                return None
            threads = [_thread_node(repo, t) for t in _threads(repo, number)]
            return {
                "id": f"PR_{number}",
                "reviewThreads": lambda info, first=None, after=None, **_: _connection(
                    threads, first=first, after=after
                ),
            }

        return {"id": f"R_{repo.full_name}", "pullRequest": pull_request}

    def find(node_id: str) -> tuple[FakeRepo, dict[str, Any]] | None:
        for repo in fake.repos.values():
            if repo.full_name not in allowed:
                continue
            for c in repo.review_comments:
                if node_id in (c["node_id"], f"PRRT_{c['id']}"):
                    return repo, c
        return None

    def resolve_review_thread(info: Any, input: dict[str, Any]) -> dict[str, Any]:
        found = find(input["threadId"])
        if found is None or found[1].get("in_reply_to_id") is not None:
            raise _Refused("NOT_FOUND", f"Could not resolve to a node with the global id of '{input['threadId']}'")
        if fake.contents_permission != "write":
            raise _Refused("FORBIDDEN", FORBIDDEN)
        repo, top = found
        repo.resolved_threads.add(top["id"])
        thread = next(t for t in _threads(repo, top["pull_number"]) if t["top"] is top)
        return {"clientMutationId": input.get("clientMutationId"), "thread": _thread_node(repo, thread)}

    def minimize_comment(info: Any, input: dict[str, Any]) -> dict[str, Any]:
        found = find(input["subjectId"])
        if found is None:
            raise _Refused("NOT_FOUND", f"Could not resolve to a node with the global id of '{input['subjectId']}'")
        if fake.minimize_forbidden:
            raise _Refused("FORBIDDEN", FORBIDDEN)
        repo, comment = found
        comment["minimized"] = str(input["classifier"]).lower()
        return {"clientMutationId": input.get("clientMutationId"), "minimizedComment": _comment_node(repo, comment)}

    return {
        "repository": repository,
        "resolveReviewThread": resolve_review_thread,
        "minimizeComment": minimize_comment,
    }


async def graphql_endpoint(request: web.Request) -> web.Response:
    """POST /graphql: run the query; errors as GitHub words them (`type` beside `message`, `path`)."""
    fake = request.app[FAKE_KEY]
    installation = request[INSTALLATION_KEY]
    try:
        payload = json.loads(await request.read())
    except ValueError:
        return _error(400, "Problems parsing JSON")
    query, variables = payload.get("query"), payload.get("variables") or {}
    if not isinstance(query, str):
        return web.json_response({"errors": [{"message": "A query attribute must be specified and must be a string."}]})
    fake.graphql_requests.append((query, variables))
    github_schema = schema()
    if github_schema is None:
        return _error(503, f"the fake GitHub has no GraphQL schema: {SCHEMA_PATH.name} is not in ../shared/github")
    result = graphql_sync(
        github_schema,
        query,
        root_value=_root(fake, fake.installations.get(installation, set())),
        variable_values=variables,
    )
    body: dict[str, Any] = {}
    if result.data is not None:
        body["data"] = result.data
    if result.errors:
        errors = []
        for error in result.errors:
            shown = dict(error.formatted)
            kind = (error.extensions or {}).get("type")
            shown.pop("extensions", None)
            if kind:
                shown["type"] = kind
            errors.append(shown)
        body["errors"] = errors
    return web.json_response(body)
