"""The GitHub client against the fake GitHub: retries, rate limits, timeouts and the error tree."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.github.auth import AppAuth
from bot.github.client import GitHubClient, RetryPolicy
from bot.github.errors import NotFound, RateLimited, TooLarge, Unavailable
from bot.github.failures import rate_limit_wait
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub

FAST = RetryPolicy(attempts=3, backoff_base=0.01, timeout=0.5, max_rate_limit_wait=3.0)
PULL = "/repos/octo/app/pulls/1"


@pytest.fixture
async def gh(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[GitHubClient]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff="")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        client = auth.client(session, 7, base_url=fake_github.url, policy=FAST)
        await client.getitem(PULL)  # mint the token now, so fault counts below are the route's own
        fake_github.requests.clear()
        yield client


@pytest.mark.parametrize("status", ["500", "502"])
async def test_5xx_retried_then_success(gh: GitHubClient, fake_github: FakeGitHub, status):
    fake_github.inject("pulls.get", status, times=2)
    data = await gh.getitem(PULL)
    assert data["number"] == 1
    assert len(fake_github.calls("pulls.get")) == 3


async def test_5xx_exhausted_is_unavailable(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.inject("pulls.get", "502", times=5)
    with pytest.raises(Unavailable, match="502"):
        await gh.getitem(PULL)
    assert len(fake_github.calls("pulls.get")) == FAST.attempts


async def test_timeout_retried_then_success(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.inject("pulls.get", "timeout", times=1)
    assert (await gh.getitem(PULL))["number"] == 1
    assert len(fake_github.calls("pulls.get")) == 2


async def test_timeouts_exhausted_are_unavailable(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.inject("pulls.get", "timeout", times=3)
    with pytest.raises(Unavailable, match="timed out"):
        await gh.getitem(PULL)


async def test_post_not_repeated_after_timeout(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.inject("issues.comments.create", "timeout", times=1)
    with pytest.raises(Unavailable):
        await gh.post("/repos/octo/app/issues/1/comments", data={"body": "x"})
    assert len(fake_github.calls("issues.comments.create")) == 1


async def test_secondary_rate_limit_waits_retry_after(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.rate_limit_wait = 1
    fake_github.inject("pulls.get", "secondary_rate_limit", times=1)
    started = time.monotonic()
    assert (await gh.getitem(PULL))["number"] == 1
    assert time.monotonic() - started >= 0.9
    assert len(fake_github.calls("pulls.get")) == 2


async def test_primary_rate_limit_waits_until_reset(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.rate_limit_wait = 1
    fake_github.inject("pulls.get", "primary_rate_limit", times=1)
    assert (await gh.getitem(PULL))["number"] == 1
    calls = fake_github.calls("pulls.get")
    assert len(calls) == 2


async def test_long_rate_limit_gives_up_without_hammering(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.rate_limit_wait = 3600
    fake_github.inject("pulls.get", "secondary_rate_limit", times=1)
    with pytest.raises(RateLimited) as err:
        await gh.getitem(PULL)
    assert err.value.retry_after == 3600
    assert len(fake_github.calls("pulls.get")) == 1


async def test_rate_limit_retries_are_bounded(gh: GitHubClient, fake_github: FakeGitHub):
    fake_github.rate_limit_wait = 0
    fake_github.inject("pulls.get", "secondary_rate_limit", times=10)
    with pytest.raises(RateLimited):
        await gh.getitem(PULL)
    assert len(fake_github.calls("pulls.get")) == FAST.rate_limit_retries + 1


async def test_not_found_and_too_large_by_meaning(gh: GitHubClient, fake_github: FakeGitHub):
    with pytest.raises(NotFound):
        await gh.getitem("/repos/octo/app/pulls/2")
    fake_github.diff_max_lines = -1
    with pytest.raises(TooLarge, match=r"maximum number"):
        await gh.getitem(PULL, accept="application/vnd.github.diff")


async def test_connection_refused_is_unavailable(unused_tcp_port):
    policy = RetryPolicy(attempts=2, backoff_base=0.01, timeout=0.5)
    async with aiohttp.ClientSession() as session:
        gh = GitHubClient(session, base_url=f"http://127.0.0.1:{unused_tcp_port}", policy=policy)
        with pytest.raises(Unavailable, match="failed"):
            await gh.getitem("/repos/octo/app/pulls/1", oauth_token="x")


async def test_ghes_base_url_with_path_prefix(github_app_key):
    fake = FakeGitHub(public_key_pem=github_app_key[1], prefix="/api/v3")
    await fake.start()
    try:
        fake.add_repo("octo/app").add_pull(1, diff="")
        fake.add_installation(7, ["octo/app"])
        auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
        async with aiohttp.ClientSession() as session:
            gh = auth.client(session, 7, base_url=fake.url, policy=FAST)
            assert (await gh.getitem("/repos/octo/app/pulls/1"))["number"] == 1
        assert all(r.path.startswith("/api/v3/") for r in fake.requests)
    finally:
        await fake.stop()


@pytest.mark.parametrize(
    ("status", "headers", "message", "expected"),
    [
        (403, {"retry-after": "7"}, "", 7.0),
        (429, {"retry-after": "junk"}, "", 60.0),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010"}, "", 10.5),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "900"}, "", 0.5),
        (403, {}, "You have exceeded a secondary rate limit", 60.0),
        (429, {}, "Too Many Requests", 60.0),
        (403, {"x-ratelimit-remaining": "12"}, "Resource not accessible by integration", None),
        (500, {"retry-after": "5"}, "", None),
    ],
)
def test_rate_limit_wait(status, headers, message, expected):
    assert rate_limit_wait(status, headers, message, now=1000.0) == expected
