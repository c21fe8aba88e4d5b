"""A burst of webhooks: pull requests opened, pushed to and rechecked, and the promises the App must keep."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.app_harness import AppWorld, sha
from tests.fakes.fake_github import FakePull, FakeRepo
from tests.fakes.hooked_github import HookedGitHub

_FINGERPRINT = re.compile(r"prodready:fp=([0-9a-f]+)")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook of a burst: event, payload and its delivery id."""

    event: str
    payload: dict[str, Any]
    delivery_id: str


@dataclass
class Burst:
    """Pull requests pushed to several times, and the deliveries GitHub sends for them."""

    pulls: list[tuple[FakeRepo, FakePull]]
    deliveries: list[Delivery]


def plan_burst(world: AppWorld, diff: str, *, pulls: int, repos: int, pushes: int, rechecks: int) -> Burst:
    """Add `pulls` pull requests over `repos` repositories; each is opened, pushed to and rechecked.

    The pushes happen before any delivery arrives (a backlog redelivered at once), so the last head is
    the current one and every review must be of it.
    """
    names = [f"burst/repo-{i}" for i in range(repos)]
    made = {name: world.github.add_repo(name) for name in names}
    world.github.add_installation(world.installation, names)
    out = Burst(pulls=[], deliveries=[])
    for n in range(pulls):
        repo = made[names[n % repos]]
        number = n // repos + 1
        heads = [sha(f"{repo.full_name}#{number}@{k}") for k in range(pushes + 1)]
        pull = repo.add_pull(number, diff=diff, head_sha=heads[0], user=f"dev{n}")
        key = f"{repo.full_name}#{number}"
        out.deliveries.append(Delivery("pull_request", world.pr_event(repo, pull, "opened"), f"{key}/opened"))
        for k in range(1, pushes + 1):
            repo.push(number, heads[k])
            payload = world.pr_event(repo, pull, "synchronize", head=heads[k], before=heads[k - 1], after=heads[k])
            out.deliveries.append(Delivery("pull_request", payload, f"{key}/push{k}"))
        for k in range(rechecks):
            out.deliveries.append(Delivery("issue_comment", world.recheck_event(repo, pull), f"{key}/recheck{k}"))
        out.pulls.append((repo, pull))
    return out


def burst_problems(github: HookedGitHub, burst: Burst) -> list[str]:
    """Return every way the published state breaks the burst's promises (empty when all hold)."""
    problems: list[str] = []
    for post in github.review_posts:
        if post.commit_id != post.current_head:
            problems.append(f"#{post.number}: review of {post.commit_id} posted while the head was {post.current_head}")
        if post.event == "APPROVE":
            problems.append(f"#{post.number}: review approved")
    for repo, pull in burst.pulls:
        key = f"{repo.full_name}#{pull.number}"
        summaries = [c for c in repo.issue_comments if c["issue_number"] == pull.number and c["user"]["type"] == "Bot"]
        if len(summaries) != 1:
            problems.append(f"{key}: {len(summaries)} summary comments")
        elif pull.head_sha[:7] not in summaries[0]["body"] or "review failed" in summaries[0]["body"]:
            problems.append(f"{key}: summary is not a review of the current head: {summaries[0]['body'][:200]!r}")
        comments = [c for c in repo.review_comments if c["pull_number"] == pull.number]
        prints = [m.group(1) if (m := _FINGERPRINT.search(c["body"])) else c["body"] for c in comments]
        if len(set(prints)) != len(prints):
            problems.append(f"{key}: an inline comment was posted twice (same fingerprint)")
        places = [(c["path"], c["line"], c["body"]) for c in comments]
        if len(set(places)) != len(places):
            problems.append(f"{key}: an inline comment was posted twice (same path, line and body)")
        if not comments:
            problems.append(f"{key}: no inline comment at all")
    return problems
