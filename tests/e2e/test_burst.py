"""A burst of 200 signed deliveries over 50 pull requests against the App as `prodready serve` builds it."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.wiring import Tuning
from tests.fakes.app_harness import AppWorld, running_app
from tests.fakes.burst_plan import Burst, burst_problems, plan_burst
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.hooked_github import hooked_github

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "github" / "small_pr" / "pr.diff"
WRITES = {"pulls.reviews.create", "issues.comments.create", "issues.comments.update", "reactions.create"}
pytestmark = pytest.mark.timeout(90)


@pytest.fixture
async def world(github_app_key: tuple[str, str], fake_llm: FakeLLM, tmp_path: Path) -> AsyncIterator[AppWorld]:
    # The production wiring unchanged; only the per-installation review cap is raised, since 50 pull
    # requests of one installation reviewed within the hour is what this test is about.
    async with (
        hooked_github(github_app_key[1]) as github,
        running_app(
            github,
            fake_llm,
            private_key=github_app_key[0],
            data_dir=tmp_path / "data",
            tuning=Tuning(),
            env={"PRODREADY_MAX_REVIEWS_PER_HOUR": "100000"},
        ) as world,
    ):
        yield world


async def send_all(world: AppWorld, burst: Burst, *, seed: int) -> list[tuple[int, object]]:
    """Send every delivery of the burst at once, in a shuffled order (GitHub does not order them)."""
    order = list(burst.deliveries)
    random.Random(seed).shuffle(order)
    return await asyncio.gather(*(world.send(d.event, d.payload, delivery_id=d.delivery_id) for d in order))


def writes(world: AppWorld) -> int:
    return sum(1 for r in world.github.requests if r.route in WRITES)


async def test_burst_of_200_deliveries_over_50_pull_requests(world: AppWorld) -> None:
    burst = plan_burst(world, SAMPLE.read_text(), pulls=50, repos=5, pushes=2, rechecks=1)
    assert len(burst.deliveries) == 200

    answers = await send_all(world, burst, seed=1)
    assert [status for status, _ in answers] == [202] * 200, answers
    await world.settle(seconds=60)

    assert burst_problems(world.github, burst) == []
    assert world.github.violations == []
    # Every pull request's current head was reviewed, and no review was of an older head.
    reviewed = {(p.number, p.commit_id) for p in world.github.review_posts}
    assert {(pull.number, pull.head_sha) for _, pull in burst.pulls} <= reviewed
    # Pending reviews of replaced heads were dropped, not run: at most the last push and the recheck review.
    assert len(world.github.calls("pulls.get")) < 4 * len(burst.deliveries)


async def test_redelivering_the_burst_changes_nothing(world: AppWorld) -> None:
    burst = plan_burst(world, SAMPLE.read_text(), pulls=20, repos=2, pushes=2, rechecks=1)
    await send_all(world, burst, seed=2)
    await world.settle(seconds=60)
    before = (writes(world), [(r.full_name, len(r.issue_comments), len(r.review_comments)) for r, _ in burst.pulls])
    bodies = {c["id"]: c["body"] for r, _ in burst.pulls for c in r.issue_comments}

    answers = await send_all(world, burst, seed=3)
    await world.settle(seconds=60)

    assert {(status, str(body)) for status, body in answers} == {(200, str({"status": "duplicate"}))}
    after = (writes(world), [(r.full_name, len(r.issue_comments), len(r.review_comments)) for r, _ in burst.pulls])
    assert after == before
    assert {c["id"]: c["body"] for r, _ in burst.pulls for c in r.issue_comments} == bodies


async def test_a_redelivery_racing_its_original_is_queued_once(world: AppWorld) -> None:
    # One head per pull request: this is about duplicates, not about the order of pushes.
    burst = plan_burst(world, SAMPLE.read_text(), pulls=20, repos=2, pushes=0, rechecks=1)
    doubled = Burst(pulls=burst.pulls, deliveries=burst.deliveries * 2)
    answers = await send_all(world, doubled, seed=4)
    await world.settle(seconds=60)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * len(burst.deliveries) + [202] * len(burst.deliveries)
    assert burst_problems(world.github, burst) == []
