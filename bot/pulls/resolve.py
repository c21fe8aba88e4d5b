"""Close prodready's own addressed comments: resolve their threads, or minimise them as outdated where GitHub refuses.

GitHub lets an App resolve a review thread only with Contents: write on some setups (pull requests: write alone
gets FORBIDDEN), so a refusal is remembered in the summary's state and later pushes go straight to minimising,
which needs only pull requests: write on the App's own comments. Every call here is one GraphQL request for
all the comments at once; a failure leaves the comments for the next push and never fails the review.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from gidgethub.abc import GitHubAPI

from bot.github.errors import Forbidden, GitHubError
from bot.github.graphql import GraphQLAnswer, graphql
from bot.pulls.threads import OurComment
from bot.render.conversation import Outcome

log = logging.getLogger(__name__)

MAX_PAGES = 5  # of 100 threads each
MAX_PER_MUTATION = 50

THREADS = """
query($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $after) {
        nodes { id isResolved comments(first: 1) { nodes { fullDatabaseId } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""


@dataclass(slots=True)
class Closing:
    """What closing did: the outcome per fingerprint, and whether GitHub refused to resolve."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    refused: bool = False


async def close_addressed(
    gh: GitHubAPI, *, repo: str, number: int, comments: Sequence[OurComment], resolve: bool
) -> Closing:
    """Resolve the threads of `comments` (or, with `resolve` False or when refused, minimise the comments)."""
    done = Closing()
    if not comments:
        return done
    pending = list(comments)
    try:
        if resolve:
            pending = await _resolve(gh, repo, number, pending, done)
        if pending and (done.refused or not resolve):
            await _minimize(gh, pending, done)
    except GitHubError as exc:
        log.info("could not close %d addressed comment(s): %s", len(pending), exc)
    return done


async def _resolve(
    gh: GitHubAPI, repo: str, number: int, comments: list[OurComment], done: Closing
) -> list[OurComment]:
    """Resolve what can be resolved; return the comments left for minimising (all of them when refused)."""
    threads = await _threads(gh, repo, number)
    chosen: list[tuple[OurComment, str]] = []
    for comment in comments:
        found = threads.get(str(comment.id))
        if found is None:
            continue  # not listed (yet): tried again on the next push
        thread_id, resolved = found
        if resolved:
            done.outcomes[comment.fingerprint] = "resolved"  # a person resolved it already
        else:
            chosen.append((comment, thread_id))
    for start in range(0, len(chosen), MAX_PER_MUTATION):
        batch = chosen[start : start + MAX_PER_MUTATION]
        query, variables = _mutation("resolveReviewThread", "threadId", [t for _, t in batch], "thread { isResolved }")
        try:
            answer = await graphql(gh, query, variables)
        except Forbidden:
            answer = GraphQLAnswer(errors=[{"type": "FORBIDDEN", "path": [f"m{i}"]} for i in range(len(batch))])
        for i, (comment, _) in enumerate(batch):
            error = answer.error_at(f"m{i}")
            if error is None and answer.data.get(f"m{i}"):
                done.outcomes[comment.fingerprint] = "resolved"
            elif error is not None and error.get("type") == "FORBIDDEN":
                done.refused = True
    if done.refused:
        return [c for c in comments if c.fingerprint not in done.outcomes]
    return []


async def _threads(gh: GitHubAPI, repo: str, number: int) -> dict[str, tuple[str, bool]]:
    """Return first comment id -> (thread node id, resolved) for the pull request's review threads."""
    owner, _, name = repo.partition("/")
    out: dict[str, tuple[str, bool]] = {}
    after: str | None = None
    for _ in range(MAX_PAGES):
        answer = await graphql(gh, THREADS, {"owner": owner, "name": name, "number": number, "after": after})
        pull = (answer.data.get("repository") or {}).get("pullRequest") or {}
        connection = pull.get("reviewThreads") or {}
        for node in connection.get("nodes") or []:
            first = ((node or {}).get("comments") or {}).get("nodes") or []
            if first and first[0] and first[0].get("fullDatabaseId") is not None:
                out[str(first[0]["fullDatabaseId"])] = (str(node["id"]), bool(node.get("isResolved")))
        page = connection.get("pageInfo") or {}
        if not page.get("hasNextPage"):
            break
        after = page.get("endCursor")
    return out


async def _minimize(gh: GitHubAPI, comments: list[OurComment], done: Closing) -> None:
    chosen = [c for c in comments if c.node_id]
    for start in range(0, len(chosen), MAX_PER_MUTATION):
        batch = chosen[start : start + MAX_PER_MUTATION]
        query, variables = _mutation(
            "minimizeComment",
            "subjectId",
            [c.node_id for c in batch],
            "minimizedComment { isMinimized }",
            extra="classifier: OUTDATED",
        )
        try:
            answer = await graphql(gh, query, variables)
        except Forbidden as exc:
            log.info("GitHub refused to minimise addressed comments: %s", exc)
            answer = GraphQLAnswer(errors=[{"type": "FORBIDDEN"}])
        for i, comment in enumerate(batch):
            ok = answer.error_at(f"m{i}") is None and answer.data.get(f"m{i}")
            # Refused too: recorded as addressed and left open, so it is not asked again on every push.
            done.outcomes[comment.fingerprint] = "minimized" if ok else "addressed"


def _mutation(name: str, key: str, ids: list[str], selection: str, *, extra: str = "") -> tuple[str, dict[str, str]]:
    """Return one mutation document doing `name` once per id (aliases m0, m1, ...), and its variables."""
    more = f", {extra}" if extra else ""
    params = ", ".join(f"$v{i}: ID!" for i in range(len(ids)))
    fields = "\n".join(f"  m{i}: {name}(input: {{{key}: $v{i}{more}}}) {{ {selection} }}" for i in range(len(ids)))
    return f"mutation({params}) {{\n{fields}\n}}", {f"v{i}": value for i, value in enumerate(ids)}
