"""Credentials never reach the model nor a comment: every form is redacted in place, over real HTTP."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.llm.client import ChatClient
from bot.llm.credentials import find_credentials
from bot.llm.redact import redact_files
from bot.llm.reviewer import OpenAIReviewer
from bot.render.github import inline_comment
from bot.render.summary import render_summary
from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.review.pipeline import run_review
from bot.rules.engine import run_rules
from bot.settings import LLMSettings
from tests.fakes.fake_llm import Compute, FakeLLM

# RFC 3986: userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
SUB_DELIMS = "!$&'()*+,;="
PCT = st.tuples(st.sampled_from("0123456789ABCDEF"), st.sampled_from("0123456789ABCDEF")).map(
    lambda h: f"%{h[0]}{h[1]}"
)
PASSWORD = st.lists(st.one_of(st.sampled_from(UNRESERVED + SUB_DELIMS + ":"), PCT), min_size=8, max_size=40).map(
    "".join
)
SCHEMES = st.sampled_from(["postgres", "postgresql+psycopg", "mysql", "redis", "amqp", "mongodb+srv", "https", "s3"])


def diff_of(path: str, added: list[str]) -> str:
    body = "".join(f"+{line}\n" for line in added)
    return (
        f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
        f"@@ -1,1 +1,{len(added) + 1} @@\n import os\n{body}"
    )


def echo_everything(body: dict) -> dict:
    """Answer with a finding that quotes the whole request back: whatever was sent ends up in a comment."""
    text = json.dumps(body["messages"])
    return {
        "findings": [
            {
                "path": PATH_OF[0],
                # The line after the credential: the static secret finding on the credential's own line would
                # otherwise absorb this one.
                "line": 3,
                "end_line": None,
                "category": "security",
                "severity": "high",
                "title": text[:180],
                "body": text[:3900],
                "suggestion": text[:2000],
            }
        ]
    }


PATH_OF = ["app/settings.py"]


async def review_with(fake: FakeLLM, diff: str):
    client = ChatClient(LLMSettings(api_key=None, base_url=fake.base_url, model="m", max_retries=0))
    try:
        files = parse_diff(diff)
        result = await run_review(files, config=RepoConfig(), rules=run_rules, llm=OpenAIReviewer(client, model="m"))
        return files, result
    finally:
        await client.close()


def sent(fake: FakeLLM) -> str:
    return "\n".join(m["content"] for r in fake.requests for m in r.messages)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(password=PASSWORD, scheme=SCHEMES, user=st.sampled_from(["app", "svc_user", "u"]))
def test_no_rfc_3986_password_in_a_connection_url_reaches_the_model(password, scheme, user):
    url = f"{scheme}://{user}:{password}@db.internal.example:5432/orders"

    async def run() -> str:
        fake = FakeLLM()
        await fake.start()
        try:
            await review_with(fake, diff_of("app/db.py", [f'DATABASE_URL = "{url}"', f"# fallback: {url}"]))
            assert fake.requests
            return json.dumps([r.body for r in fake.requests], ensure_ascii=False) + sent(fake)
        finally:
            await fake.stop()

    text = asyncio.run(run())
    assert f":{password}@" not in text
    assert password not in text


PLANTED = {
    "url with sub-delims": ("app/settings.py", "DB = 'postgres://app:Zk!$&(x)*+,;=9q@db:5432/app'", "Zk!$&(x)*+,;=9q"),
    "url with colon": ("app/settings.py", 'CACHE = "redis://default:pa:ss:word42@cache:6379/0"', "pa:ss:word42"),
    ".env": (".env", "STRIPE_WEBHOOK_SECRET=whsec_9fK2mQ8vL1xR7tP3", "whsec_9fK2mQ8vL1xR7tP3"),
    ".env DSN": (".env.production", "SENTRY_DSN=https://4f9a1c@o1.ingest.sentry.io/7", "4f9a1c@o1"),
    "properties": ("src/main/resources/app.properties", "spring.datasource.password=Tr0ub4dor&3x", "Tr0ub4dor&3x"),
    "yaml": ("deploy/values.yaml", "  db_password: hunter2-correct-horse", "hunter2-correct-horse"),
    "json": ("config/prod.json", '  "client_secret": "cs-7Yh2Lq9Zr4Wx",', "cs-7Yh2Lq9Zr4Wx"),
    "toml": ("pyproject.toml", 'api_key = "k_4d8Hq2Zx9Lm3Vb"', "k_4d8Hq2Zx9Lm3Vb"),
    "auth header": (
        "app/client.py",
        'headers = {"Authorization": "Bearer tK9mZ2qL8xV4nB7wR1"}',
        "tK9mZ2qL8xV4nB7wR1",
    ),
    "basic header": ("deploy/curl.sh", "curl -H 'Authorization: Basic YWRtaW46czNjcjN0IQ==' x", "YWRtaW46czNjcjN0IQ=="),
    "aws": ("app/aws.py", 'KEY_ID = "AKIAZ7QH3KDPX5LM2NVB"', "AKIAZ7QH3KDPX5LM2NVB"),
    "aws sts": ("app/aws.py", 'sid = "ASIAZ7QH3KDPX5LM2NVC"', "ASIAZ7QH3KDPX5LM2NVC"),
    "github": (
        "app/gh.py",
        'gh = "ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u"',
        "ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u",
    ),
    "github pat": (
        "app/gh.py",
        "t = 'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789'",
        "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJ0123456789",
    ),
    "slack": ("app/slack.py", 'hook = "xoxb-1234567890-abcdefghijkl"', "xoxb-1234567890-abcdefghijkl"),
    "stripe live": ("app/pay.py", 'k = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"', "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    "stripe restricted": ("app/pay.py", 'k = "rk_live_4eC39HqLyjWDarjtT1zdp7dc"', "rk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    "google": (
        "app/maps.py",
        'g = "AIzaSyD4k9Lq2Zx8Vb3Nm7Wr1Ty5Up0Io6As2Df"',
        "AIzaSyD4k9Lq2Zx8Vb3Nm7Wr1Ty5Up0Io6As2Df",
    ),
    "openai": ("app/ai.py", 'o = "sk-proj-Zq81nL0vXc4TtY2mR7wP3kB9aa"', "sk-proj-Zq81nL0vXc4TtY2mR7wP3kB9aa"),
    "npm": (".npmrc", "//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "npm_a1B2c3D4e5F6"),
    "jwt": (
        "app/jwt.py",
        'tok = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"',
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
}
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"


@pytest.mark.parametrize("form", sorted(PLANTED))
async def test_a_planted_credential_reaches_neither_the_model_nor_a_comment(fake_llm, form):
    path, line, secret = PLANTED[form]
    PATH_OF[0] = path
    fake_llm.default = Compute(echo_everything)
    files, result = await review_with(fake_llm, diff_of(path, [line, "x = 1"]))
    assert fake_llm.requests
    assert secret not in json.dumps([r.body for r in fake_llm.requests], ensure_ascii=False)
    posted = [json.dumps(inline_comment(f, files).payload, ensure_ascii=False) for f in result.findings]
    posted.append(render_summary(result, head_sha="a" * 40))
    assert any(f.source == "llm" for f in result.findings)  # the echo really came back as a comment
    assert not any(secret in body for body in posted)


async def test_a_pem_private_key_block_is_redacted_line_by_line(fake_llm):
    PATH_OF[0] = "deploy/key.py"
    lines = ['KEY = """', "-----BEGIN RSA PRIVATE KEY-----", PEM_BODY, PEM_BODY[::-1], "-----END RSA PRIVATE KEY-----"]
    fake_llm.default = Compute(echo_everything)
    await review_with(fake_llm, diff_of("deploy/key.py", [*lines, '"""']))
    text = sent(fake_llm)
    assert PEM_BODY not in text and PEM_BODY[::-1] not in text


def test_redaction_keeps_every_line_where_it_was():
    added = [f'DB = "mysql://root:p@ss;w=rd!@db/app"  # line {n}' for n in range(2, 6)]
    (file,) = redact_files(parse_diff(diff_of("app/db.py", added))).files
    lines = [ln for h in file.hunks for ln in h.lines]
    assert [ln.new_lineno for ln in lines] == [1, 2, 3, 4, 5]
    assert [ln.text.rsplit("# line ", 1)[1] for ln in lines[1:]] == ["2", "3", "4", "5"]
    assert all("p@ss;w=rd!" not in ln.text for ln in lines)


@pytest.mark.parametrize(
    "path, text",
    [
        ("app/x.py", "password = request.form['password']"),
        ("app/x.py", "token = os.environ['API_TOKEN']"),
        (".env", "SECRET_KEY=${SECRET_KEY}"),
        ("config/app.yml", "password_min_length: 12"),
        ("app/x.py", 'url = "ssh://git@github.com/org/repo.git"'),
    ],
)
def test_code_and_references_that_hold_no_credential_stay_readable(path, text):
    assert find_credentials(path, {1: text}) == []
