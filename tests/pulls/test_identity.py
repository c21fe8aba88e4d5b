"""Our comments are ours by author and marker: markers in anyone else's comments count for nothing."""

from __future__ import annotations

import aiohttp

from bot.github.auth import AppAuth, TokenAuth
from bot.github.identity import ACTIONS_BOT
from bot.pulls.publish import fingerprint_links, written_by
from bot.settings import Secret
from tests.fakes.fake_github import APP_ID, BOT_LOGIN, FakeGitHub

MARKED = "finding\n<!-- prodready:fp=0123456789abcdef -->"


def _comment(login: str, kind: str = "Bot") -> dict:
    return {"user": {"login": login, "type": kind}, "body": MARKED, "html_url": f"https://x/{login}"}


def test_only_our_login_counts_whatever_the_account_type():
    comments = [_comment("other-app[bot]"), _comment("mallory", "User"), _comment("Prodready[bot]")]
    assert fingerprint_links(comments, ours=BOT_LOGIN) == {"0123456789abcdef": "https://x/Prodready[bot]"}
    assert not written_by({"user": None, "body": MARKED}, BOT_LOGIN)
    assert not written_by(_comment(""), "")


async def test_the_app_reads_its_login_once_from_get_app(fake_github: FakeGitHub, github_app_key):
    auth = AppAuth(app_id=str(APP_ID), private_key=Secret(github_app_key[0]))
    async with aiohttp.ClientSession() as session:
        logins = [await auth.login(session, base_url=fake_github.url) for _ in range(3)]
    assert logins == [BOT_LOGIN] * 3
    assert len(fake_github.calls("app.get")) == 1


async def test_a_token_is_github_actions_or_its_users(fake_github: FakeGitHub):
    fake_github.add_repo("octo/app")
    workflow = TokenAuth(Secret(fake_github.issue_token(["octo/app"])))
    personal = TokenAuth(Secret(fake_github.issue_token(["octo/app"], login="wanda", kind="User", prefix="ghp_")))
    async with aiohttp.ClientSession() as session:
        assert await workflow.login(session, base_url=fake_github.url) == ACTIONS_BOT
        assert await personal.login(session, base_url=fake_github.url) == "wanda"
    assert len(fake_github.calls("users.me")) == 1, "only the personal token needs GET /user"
