"""Faults through the whole App: GitHub errors and rate limits, vanished pull requests, pushes, LLM outages."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.github.client import RetryPolicy as GitHubRetry
from tests.fakes.app_harness import AppWorld, fast_tuning, running_app, sha
from tests.fakes.fake_github import FakePull, FakeRepo
from tests.fakes.fake_llm import Fail, FakeLLM, Hang, Reply
from tests.fakes.hooked_github import HookedGitHub, hooked_github

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
WRITES = {"pulls.reviews.create", "issues.comments.create", "issues.comments.update", "reactions.create"}
STATIC_LINES = {3, 7}  # the localhost URL and the call without a timeout in the sample
pytestmark = pytest.mark.timeout(60)

WorldFactory = Callable[..., Awaitable[AppWorld]]


@pytest.fixture
async def start(github_app_key: tuple[str, str], fake_llm: FakeLLM, tmp_path: Path) -> AsyncIterator[WorldFactory]:
    """Yield a function that starts the App (with `fast_tuning` overrides) and one pull request, octo/app#1."""
    async with AsyncExitStack() as stack:
        github = await stack.enter_async_context(hooked_github(github_app_key[1]))

        async def make(env: dict[str, str] | None = None, **timing: Any) -> AppWorld:
            world = await stack.enter_async_context(
                running_app(
                    github,
                    fake_llm,
                    private_key=github_app_key[0],
                    data_dir=tmp_path / "data",
                    tuning=fast_tuning(**timing),
                    env=env,
                )
            )
            repo = github.add_repo("octo/app")
            repo.add_pull(1, diff=SAMPLE.read_text(), user="alice")
            github.add_installation(world.installation, ["octo/app"])
            return world

        yield make


def repo_of(world: AppWorld) -> FakeRepo:
    return world.github.repos["octo/app"]


def pull_of(world: AppWorld) -> FakePull:
    return repo_of(world).pulls[1]


def summaries(world: AppWorld) -> list[str]:
    return [c["body"] for c in repo_of(world).issue_comments if c["user"]["type"] == "Bot"]


def fingerprint(body: str) -> str:
    """Return the hidden fingerprint of a posted comment ("" when it has none)."""
    found = re.search(r"prodready:fp=([0-9a-f]+)", body)
    return found.group(1) if found else ""


def writes(github: HookedGitHub) -> list[str]:
    return [r.route for r in github.requests if r.route in WRITES]


async def open_pull(world: AppWorld, delivery_id: str | None = None) -> None:
    status, _ = await world.send(
        "pull_request", world.pr_event(repo_of(world), pull_of(world), "opened"), delivery_id=delivery_id
    )
    assert status == 202


def github_error(status: int, message: str, **headers: str) -> web.Response:
    """Answer as GitHub does when it refuses a request."""
    body = {"message": message, "documentation_url": "https://docs.github.com/rest", "status": str(status)}
    return web.json_response(body, status=status, headers=headers)


# --- GitHub faults -----------------------------------------------------------------------------------


async def test_github_5xx_then_success_posts_the_review_once(start: WorldFactory) -> None:
    world = await start()
    world.github.inject("pulls.get", "502", times=2)
    world.github.inject("pulls.reviews.create", "500")
    await open_pull(world)
    await world.settle()

    assert len(world.github.calls("pulls.reviews.create")) == 2, "the refused review was sent again"
    [review] = repo_of(world).reviews
    assert review["commit_id"] == pull_of(world).head_sha
    assert {c["line"] for c in repo_of(world).review_comments} == STATIC_LINES
    assert len(summaries(world)) == 1 and "review failed" not in summaries(world)[0]


async def test_secondary_rate_limit_waits_as_long_as_retry_after_says(start: WorldFactory) -> None:
    world = await start()
    world.github.rate_limit_wait = 1
    world.github.inject("pulls.get", "secondary_rate_limit")
    await open_pull(world)
    await world.settle()

    [limited, *_] = world.github.arrived("pulls.get")
    later = [t for _, _, t in world.github.arrivals if t > limited]
    assert later, "the job went on after the wait"
    assert min(later) - limited >= 1.0, f"GitHub was called {min(later) - limited:.2f} s after a 1 s Retry-After"
    assert len(repo_of(world).reviews) == 1 and len(summaries(world)) == 1


async def test_rate_limit_longer_than_the_client_waits_is_honoured_by_the_job_retry(start: WorldFactory) -> None:
    # The client does not sleep through long waits (max_rate_limit_wait): it raises RateLimited with the
    # wait GitHub asked for. The job's next attempt must still not come before it.
    world = await start(github=GitHubRetry(attempts=3, backoff_base=0.01, max_rate_limit_wait=0.2))
    world.github.rate_limit_wait = 2
    world.github.inject("pulls.get", "secondary_rate_limit")
    await open_pull(world)
    await world.settle()

    [limited, *_] = world.github.arrived("pulls.get")
    later = [t for _, _, t in world.github.arrivals if t > limited]
    assert later and min(later) - limited >= 2.0, f"GitHub was called {min(later) - limited:.2f} s after 2 s asked"
    assert len(repo_of(world).reviews) == 1


async def test_review_refused_with_422_is_retried_without_the_refused_comment(
    start: WorldFactory, fake_llm: FakeLLM
) -> None:
    world = await start()
    # The model finds something over lines 6-8; GitHub refuses that multi-line comment (its view of the diff
    # differs), while the single-line static findings are accepted.
    llm_finding = {
        "path": "app/client.py",
        "line": 6,
        "end_line": 8,
        "category": "observability",
        "severity": "medium",
        "title": "No metric around the user fetch",
        "body": "Count failures of this call so an outage of the user service shows on a dashboard.",
        "suggestion": None,
    }
    fake_llm.enqueue(Reply({"findings": [llm_finding]}))

    async def refuse_ranges(request: web.Request) -> web.Response | None:
        comments = (await request.json()).get("comments", [])
        if any("start_line" in c for c in comments):
            return web.json_response(
                {
                    "message": "Unprocessable Entity",
                    "errors": ["Pull request review thread line must be part of the diff"],
                    "documentation_url": "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
                    "status": "422",
                },
                status=422,
            )
        return None

    world.github.hooks["pulls.reviews.create"] = refuse_ranges
    await open_pull(world)
    await world.settle()

    attempts = [r.json()["comments"] for r in world.github.calls("pulls.reviews.create")]
    assert len(attempts) == 2
    assert any("start_line" in c for c in attempts[0])
    assert {c["line"] for c in repo_of(world).review_comments} == STATIC_LINES
    [summary] = summaries(world)
    assert "No metric around the user fetch" in summary, "the refused finding is in the summary instead"


async def test_pull_request_closed_before_the_job_runs_posts_nothing(start: WorldFactory) -> None:
    world = await start()
    pull_of(world).state = "closed"  # closed after GitHub sent the "opened" delivery
    await open_pull(world, "closed-1")
    await world.settle()

    assert writes(world.github) == []
    job = await world.job("closed-1")
    assert job is not None and job.state == "done" and job.attempts == 1


@pytest.mark.parametrize("vanish_at", ["pulls.get", "contents.get", "pulls.reviews.create"])
async def test_pull_request_deleted_during_the_job_ends_it_quietly(start: WorldFactory, vanish_at: str) -> None:
    world = await start()

    async def delete(request: web.Request) -> web.StreamResponse | None:
        repo_of(world).pulls.pop(1, None)
        return None

    world.github.hooks[vanish_at] = delete
    await open_pull(world, "gone-1")
    await world.settle()

    assert writes(world.github) in ([], ["pulls.reviews.create"]), "nothing but the refused review was sent"
    assert repo_of(world).reviews == [] and summaries(world) == []
    job = await world.job("gone-1")
    assert job is not None and job.state == "done" and job.attempts == 1, "no retry, no failure report"


async def test_repository_removed_from_the_installation_ends_the_job_quietly(start: WorldFactory) -> None:
    world = await start()
    world.github.add_installation(world.installation, [])
    await open_pull(world, "uninstalled-1")
    await world.settle()

    assert writes(world.github) == []
    job = await world.job("uninstalled-1")
    assert job is not None and job.state == "done"


# --- pushes ------------------------------------------------------------------------------------------


class Gate:
    """Hold requests to one route until opened, to keep a job running while the test acts."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.opened = asyncio.Event()

    async def __call__(self, request: web.Request) -> None:
        if not self.opened.is_set():
            self.entered.set()
            await self.opened.wait()


async def push(world: AppWorld, head: str, delivery_id: str) -> None:
    before = pull_of(world).head_sha
    repo_of(world).push(1, head)
    payload = world.pr_event(repo_of(world), pull_of(world), "synchronize", before=before, after=head)
    assert (await world.send("pull_request", payload, delivery_id=delivery_id))[0] == 202


async def test_newer_push_supersedes_pending_work_for_the_older_head(start: WorldFactory) -> None:
    world = await start()
    gate = Gate()
    world.github.hooks["pulls.get"] = gate
    await open_pull(world, "h0")
    await asyncio.wait_for(gate.entered.wait(), 5)
    await push(world, sha("h1"), "h1")
    await push(world, sha("h2"), "h2")
    job = await world.job("h1")
    assert job is not None and job.state == "superseded"
    gate.opened.set()
    await world.settle()

    assert [p.commit_id for p in world.github.review_posts] == [sha("h2")]
    assert all(p.commit_id == p.current_head for p in world.github.review_posts)
    assert len(summaries(world)) == 1 and sha("h2")[:7] in summaries(world)[0]


async def test_late_delivery_of_an_older_push_does_not_cancel_the_newest_review(start: WorldFactory) -> None:
    world = await start()
    gate = Gate()
    world.github.hooks["pulls.get"] = gate
    await open_pull(world, "h0")
    await asyncio.wait_for(gate.entered.wait(), 5)
    h0 = pull_of(world).head_sha
    repo_of(world).push(1, sha("h1"))
    repo_of(world).push(1, sha("h2"))
    # GitHub does not order deliveries: the second push's webhook arrives before the first's.
    for head, before, delivery in ((sha("h2"), sha("h1"), "h2"), (sha("h1"), h0, "h1")):
        payload = world.pr_event(repo_of(world), pull_of(world), "synchronize", head=head, before=before, after=head)
        assert (await world.send("pull_request", payload, delivery_id=delivery))[0] == 202
    gate.opened.set()
    await world.settle()

    assert [p.commit_id for p in world.github.review_posts] == [sha("h2")], "the current head was never reviewed"


async def test_push_while_a_review_runs_publishes_nothing_for_the_old_head(start: WorldFactory) -> None:
    world = await start()
    pushed = False

    async def push_now(request: web.Request) -> None:
        # The job has read the pull request and is about to publish when the author pushes again.
        nonlocal pushed
        if not pushed:
            pushed = True
            repo_of(world).push(1, sha("h1"))

    world.github.hooks["pulls.comments"] = push_now
    await open_pull(world)
    await world.settle()
    payload = world.pr_event(repo_of(world), pull_of(world), "synchronize", before="x", after=sha("h1"))
    await world.send("pull_request", payload)
    await world.settle()

    assert pushed
    stale = [p for p in world.github.review_posts if p.commit_id != p.current_head]
    assert stale == [], "a review of a replaced head was posted"


# --- LLM faults --------------------------------------------------------------------------------------


async def test_llm_down_opens_the_breaker_and_static_reviews_are_posted_with_a_note(
    start: WorldFactory, fake_llm: FakeLLM
) -> None:
    world = await start(breaker_threshold=2, llm_retries=1)
    fake_llm.default = Fail(500)
    repo = repo_of(world)
    repo.add_pull(2, diff=SAMPLE.read_text(), user="bob")
    repo.add_pull(3, diff=SAMPLE.read_text(), user="carol")
    for number in (1, 2, 3):
        assert (await world.send("pull_request", world.pr_event(repo, repo.pulls[number], "opened")))[0] == 202
        await world.settle()

    # Two reviews each tried the LLM twice (one retry) and failed; then the breaker was open.
    assert len(fake_llm.requests) == 4
    for number in (1, 2, 3):
        lines = {c["line"] for c in repo.review_comments if c["pull_number"] == number}
        assert lines == STATIC_LINES, f"#{number} got its static review"
    bodies = {c["issue_number"]: c["body"] for c in repo.issue_comments if c["user"]["type"] == "Bot"}
    assert "failed (HTTP 500 after 2 attempts)" in bodies[1]
    assert "skipped" in bodies[3] and "paused" in bodies[3], bodies[3]
    assert all("review failed" not in body for body in bodies.values())


async def test_llm_that_never_answers_times_out_and_the_static_review_is_posted(
    start: WorldFactory, fake_llm: FakeLLM
) -> None:
    world = await start(env={"PRODREADY_LLM_TIMEOUT": "0.3"}, llm_retries=1)
    fake_llm.default = Hang(30)
    await open_pull(world)
    await world.settle()

    assert len(fake_llm.requests) == 2, "one retry, then the batch was given up"
    assert {c["line"] for c in repo_of(world).review_comments} == STATIC_LINES
    [summary] = summaries(world)
    assert "timed out" in summary and "review failed" not in summary


async def test_expired_installation_token_is_renewed_between_reviews(start: WorldFactory) -> None:
    world = await start()
    await open_pull(world)
    await world.settle()
    world.github.expire_tokens()  # GitHub revoked or expired the cached token early
    await world.send("issue_comment", world.recheck_event(repo_of(world), pull_of(world)))
    await world.settle()

    assert len(world.github.calls("app.token")) == 2
    assert [r["content"] for r in repo_of(world).reactions] == ["eyes"], "the recheck ran with the new token"
    assert len(summaries(world)) == 1


async def test_llm_output_invalid_after_repair_drops_the_batch_and_says_so(
    start: WorldFactory, fake_llm: FakeLLM
) -> None:
    world = await start()
    fake_llm.enqueue(Reply("Looks good to me!"), Reply('{"findings": [{"path": "app/client.py"'))
    await open_pull(world)
    await world.settle()

    assert len(fake_llm.requests) == 2
    assert len(fake_llm.requests[1].messages) > len(fake_llm.requests[0].messages), "the second call asked for a repair"
    assert {c["line"] for c in repo_of(world).review_comments} == STATIC_LINES
    [summary] = summaries(world)
    assert "returned invalid output and was dropped" in summary


# --- giving up ---------------------------------------------------------------------------------------

PLANTED = "ghp_" + "Zx81Qw7Rt5Yp3Lk9Mn2Bv6Cx4Jh8Gf1Ds0Aq"


async def test_job_failing_every_attempt_reports_why_without_the_secret(start: WorldFactory) -> None:
    world = await start(job_attempts=3)

    async def refuse(request: web.Request) -> web.Response:
        return github_error(400, f"Problems parsing JSON near token {PLANTED}")

    world.github.hooks["pulls.get"] = refuse
    await open_pull(world, "doomed-1")
    await world.settle()

    assert len(world.github.calls("pulls.get")) == 3, "one call per attempt, then the job gave up"
    job = await world.job("doomed-1")
    assert job is not None and job.state == "failed"
    [summary] = summaries(world)
    assert "review failed" in summary
    assert "400" in summary, "the reason is given"
    assert PLANTED not in summary
    assert PLANTED[4:] not in summary


# --- answers lost after GitHub applied the request ---------------------------------------------------


def applied_then(
    answer: Callable[[], Awaitable[web.StreamResponse]],
) -> Callable[..., Awaitable[web.StreamResponse | None]]:
    """Return a hook that lets GitHub create the first review, then loses the answer as `answer` says."""
    from tests.fakes.fake_github_routes import create_review

    done = False

    async def hook(request: web.Request) -> web.StreamResponse | None:
        nonlocal done
        if done:
            return None
        done = True
        await create_review(request)
        return await answer()

    return hook


async def test_review_applied_but_answer_timed_out_is_not_posted_twice(start: WorldFactory) -> None:
    world = await start(github=GitHubRetry(attempts=3, backoff_base=0.01, timeout=0.5))

    async def too_late() -> web.StreamResponse:
        await asyncio.sleep(2)
        return github_error(504, "We couldn't respond to your request in time.")

    world.github.hooks["pulls.reviews.create"] = applied_then(too_late)
    await open_pull(world)
    await world.settle()

    assert len(repo_of(world).reviews) == 1
    prints = [fingerprint(c["body"]) for c in repo_of(world).review_comments]
    assert len(prints) == len(set(prints)) == len(STATIC_LINES)
    assert len(summaries(world)) == 1 and "review failed" not in summaries(world)[0]


async def test_review_applied_but_answered_502_is_not_posted_twice(start: WorldFactory) -> None:
    world = await start()

    async def bad_gateway() -> web.StreamResponse:
        return web.Response(status=502, text="<html>502 Bad Gateway</html>", content_type="text/html")

    world.github.hooks["pulls.reviews.create"] = applied_then(bad_gateway)
    await open_pull(world)
    await world.settle()

    prints = [fingerprint(c["body"]) for c in repo_of(world).review_comments]
    assert len(prints) == len(set(prints)), "the same inline comments were posted twice"
    assert len(repo_of(world).reviews) == 1
