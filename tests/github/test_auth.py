"""GitHub App auth against the fake GitHub: JWT minting, token cache, renewal, refusals."""

from __future__ import annotations

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.github.auth import AppAuth
from bot.github.client import GitHubClient, RetryPolicy
from bot.github.errors import AuthError, NotFound
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, FakeGitHub

FAST = RetryPolicy(attempts=3, backoff_base=0.01, timeout=2.0)


def _other_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


async def test_token_minted_with_valid_jwt_and_cached(fake_github: FakeGitHub, github_app_key):
    fake_github.add_repo("octo/app")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        first = await auth.installation_token(app, 7)
        second = await auth.installation_token(app, 7)
    assert first.reveal() == second.reveal()
    assert first.reveal() in fake_github.tokens
    assert len(fake_github.calls("app.token")) == 1
    claims = jwt.decode(
        fake_github.calls("app.token")[0].headers["Authorization"].split()[1],
        options={"verify_signature": False},
    )
    assert claims["iss"] == str(APP_ID)
    assert claims["exp"] - claims["iat"] <= 600


async def test_token_renewed_before_expiry(fake_github: FakeGitHub, github_app_key):
    fake_github.add_repo("octo/app")
    fake_github.add_installation(7, ["octo/app"])
    fake_github.token_ttl = 4 * 60  # GitHub's answer says it expires within the renewal margin
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        first = await auth.installation_token(app, 7)
        second = await auth.installation_token(app, 7)
    assert first.reveal() != second.reveal()
    assert len(fake_github.calls("app.token")) == 2


async def test_cache_renews_when_clock_passes_margin(fake_github: FakeGitHub, github_app_key):
    fake_github.add_repo("octo/app")
    fake_github.add_installation(7, ["octo/app"])
    import time

    now = [time.time()]
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]), clock=lambda: now[0])
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        await auth.installation_token(app, 7)
        now[0] += 54 * 60  # still more than 5 minutes left of the hour
        await auth.installation_token(app, 7)
        assert len(fake_github.calls("app.token")) == 1
        now[0] += 2 * 60  # now within 5 minutes of expiry
        await auth.installation_token(app, 7)
    assert len(fake_github.calls("app.token")) == 2


async def test_wrong_key_is_refused_with_clear_error(fake_github: FakeGitHub):
    fake_github.add_installation(7, [])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(_other_key()))
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        with pytest.raises(AuthError) as err:
            await auth.installation_token(app, 7)
    assert "GITHUB_PRIVATE_KEY" in str(err.value)
    assert err.value.status == 401
    assert not fake_github.tokens


async def test_wrong_app_id_is_refused(fake_github: FakeGitHub, github_app_key):
    fake_github.add_installation(7, [])
    auth = AppAuth(app_id="999", private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        with pytest.raises(AuthError):
            await auth.installation_token(app, 7)


async def test_unknown_installation_is_not_found(fake_github: FakeGitHub, github_app_key):
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        app = GitHubClient(session, base_url=fake_github.url, policy=FAST)
        with pytest.raises(NotFound, match="installation 8"):
            await auth.installation_token(app, 8)


@pytest.mark.parametrize(
    "pem", ["", "not a key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"]
)
def test_unreadable_key_fails_at_start_without_echoing_it(pem):
    with pytest.raises(AuthError) as err:
        AppAuth(app_id="1", private_key=Secret(pem))
    assert "AAAA" not in str(err.value) and "not a key" not in str(err.value)


async def test_installation_client_renews_token_after_401(fake_github: FakeGitHub, github_app_key):
    repo = fake_github.add_repo("octo/app")
    repo.add_pull(1, diff="")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        gh = auth.client(session, 7, base_url=fake_github.url, policy=FAST)
        await gh.getitem("/repos/octo/app/pulls/1")
        fake_github.expire_tokens()  # revoked early: the cache still holds it
        await gh.getitem("/repos/octo/app/pulls/1")
    assert len(fake_github.calls("app.token")) == 2
    auths = [r.headers["Authorization"] for r in fake_github.calls("pulls.get")]
    assert len(auths) == 3 and auths[0] == auths[1] != auths[2]


async def test_token_never_in_error_messages(fake_github: FakeGitHub, github_app_key):
    fake_github.add_repo("octo/app")
    fake_github.add_installation(7, ["octo/app"])
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        gh = auth.client(session, 7, base_url=fake_github.url, policy=FAST)
        with pytest.raises(NotFound) as err:
            await gh.getitem("/repos/octo/app/pulls/99")
    token = next(iter(fake_github.tokens))
    assert token not in str(err.value) and token not in repr(err.value)
    assert "BEGIN" not in str(err.value)
