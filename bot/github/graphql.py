"""GitHub's GraphQL API: one POST per query, the answer's `data` and `errors` kept apart for the caller.

GitHub answers a refused mutation with HTTP 200 and an error of type FORBIDDEN beside `data`, so errors are
returned, not raised; a 403 (or any other HTTP failure) is raised by the client as for REST calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from gidgethub.abc import GitHubAPI


@dataclass(frozen=True, slots=True)
class GraphQLAnswer:
    """What GitHub answered: `data` (may be partial) and `errors` as GitHub words them."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error_at(self, key: str) -> dict[str, Any] | None:
        """Return the error whose path starts at the top-level field (or alias) `key`, if any."""
        for error in self.errors:
            path = error.get("path")
            if isinstance(path, list) and path and path[0] == key:
                return error
        return None


def graphql_url(base_url: str) -> str:
    """Return the GraphQL endpoint for a REST base URL: GitHub Enterprise Server keeps it at /api/graphql."""
    base = base_url.rstrip("/")
    if urlsplit(base).path.endswith("/api/v3"):
        return base.removesuffix("/v3") + "/graphql"
    return "/graphql"


async def graphql(gh: GitHubAPI, query: str, variables: dict[str, Any] | None = None) -> GraphQLAnswer:
    """Send one query or mutation; return GitHub's answer."""
    answer = await gh.post(graphql_url(gh.base_url), data={"query": query, "variables": variables or {}})
    if not isinstance(answer, dict):
        return GraphQLAnswer(errors=[{"message": "GitHub's answer was not a JSON object"}])
    data = answer.get("data")
    errors = answer.get("errors")
    return GraphQLAnswer(
        data=data if isinstance(data, dict) else {},
        errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else [],
    )
