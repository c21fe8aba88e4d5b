"""GitHub API calls are counted by route template and status, failures by kind, and no metric holds a token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot import metrics
from bot.github.auth import AppAuth
from bot.github.client import GitHubClient, RetryPolicy
from bot.github.errors import NotFound, Unavailable
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub
from tests.fakes.fake_github_diff import FakeFile

FAST = RetryPolicy(attempts=2, backoff_base=0.01, timeout=0.5)
FILES_ROUTE = "GET /repos/{owner}/{repo}/pulls/{number}/files"
PULL_ROUTE = "GET /repos/{owner}/{repo}/pulls/{number}"


def _value(name: str, **labels: str) -> float:
    value = metrics.REGISTRY.get_sample_value(name, labels)
    return value or 0.0


@pytest.fixture
async def gh(fake_github: FakeGitHub, github_app_key) -> AsyncIterator[GitHubClient]:
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, files=[FakeFile(f"f{i}.py", patch="@@ -1 +1 @@\n-a\n+b") for i in range(250)])
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        yield auth.client(session, 7, base_url=fake_github.url, policy=FAST)


async def test_pages_count_under_the_route_template(gh: GitHubClient, fake_github: FakeGitHub):
    before = _value("prodready_github_api_route_calls_total", route=FILES_ROUTE, status="200")
    url = "/repos/{owner}/{repo}/pulls/{number}/files{?per_page}"
    entries = [e async for e in gh.getiter(url, {"owner": "octo", "repo": "app", "number": 1, "per_page": 100})]
    assert len(entries) == 250
    assert len(fake_github.calls("pulls.files")) == 3
    # The second and third pages come as full URLs from the Link header; they still count as the template.
    assert _value("prodready_github_api_route_calls_total", route=FILES_ROUTE, status="200") - before == 3
    token_route = "POST /app/installations/{installation_id}/access_tokens"
    assert _value("prodready_github_api_route_calls_total", route=token_route, status="201") >= 1


async def test_statuses_and_final_failures_are_counted(gh: GitHubClient, fake_github: FakeGitHub):
    found = dict(route=PULL_ROUTE, kind="NotFound")
    before_404 = _value("prodready_github_api_route_calls_total", route=PULL_ROUTE, status="404")
    before_err = _value("prodready_github_api_errors_total", **found)
    with pytest.raises(NotFound):
        await gh.getitem("/repos/{owner}/{repo}/pulls/{number}", {"owner": "octo", "repo": "app", "number": 9})
    assert _value("prodready_github_api_route_calls_total", route=PULL_ROUTE, status="404") - before_404 == 1
    assert _value("prodready_github_api_errors_total", **found) - before_err == 1

    fake_github.timeout_delay = 2.0
    fake_github.inject("pulls.get", "timeout", times=2)
    gone = dict(route=PULL_ROUTE, status="error")
    before_gone = _value("prodready_github_api_route_calls_total", **gone)
    before_down = _value("prodready_github_api_errors_total", route=PULL_ROUTE, kind="Unavailable")
    with pytest.raises(Unavailable):
        await gh.getitem("/repos/{owner}/{repo}/pulls/{number}", {"owner": "octo", "repo": "app", "number": 1})
    assert _value("prodready_github_api_route_calls_total", **gone) - before_gone == FAST.attempts
    assert _value("prodready_github_api_errors_total", route=PULL_ROUTE, kind="Unavailable") - before_down == 1


async def test_no_metric_carries_a_token_or_an_id(gh: GitHubClient, fake_github: FakeGitHub):
    await gh.getitem("/repos/{owner}/{repo}/pulls/{number}", {"owner": "octo", "repo": "app", "number": 1})
    with pytest.raises(NotFound, match=r"contents/\{\+path\}:"):
        await gh.getitem(
            "/repos/{owner}/{repo}/contents/{+path}{?ref}", {"owner": "octo", "repo": "app", "path": "a/b"}
        )
    text = metrics.render().decode()
    assert fake_github.tokens
    for token in fake_github.tokens:
        assert token not in text
    assert "ghs_" not in text and "eyJ" not in text  # installation tokens and JWTs
    routes = set(re.findall(r'prodready_github_api_route_calls_total\{route="([^"]*)"', text))
    assert "GET /repos/{owner}/{repo}/contents/{+path}" in routes
    assert not any("octo" in r or "a/b" in r or "?" in r for r in routes)
