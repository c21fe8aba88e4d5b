"""Logs are JSON with delivery context and never carry a secret; Sentry events are scrubbed before sending."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.observability import (
    REDACTED,
    Redactor,
    known_secrets,
    log_context,
    sentry_before_send,
    setup_logging,
)
from bot.settings import settings_from_env

ROOT = Path(__file__).resolve().parents[1]
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx1y2z3" + "A" * 64 + "\n-----END RSA PRIVATE KEY-----"
WEBHOOK_SECRET = "hook-secret-7f3a91"
TOKEN = "ghs_" + "a1B2c3D4" * 5
ENV = {
    "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "GITHUB_PRIVATE_KEY": PEM,
    "OPENAI_API_KEY": "llm-key-0c9d8e7f6a5b",
}


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    setup_logging(settings_from_env(ENV), stream=stream)
    yield stream
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_prodready_handler", False)]:
        root.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    "secret",
    [
        TOKEN,
        "ghp_" + "Z" * 36,
        "github_pat_11ABCDEFG0" + "x" * 40,
        "sk-proj-" + "q" * 40,
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl",
        "sha256=" + "ab" * 32,
        PEM,
    ],
)
def test_credential_shapes_are_redacted(secret):
    text = Redactor().redact(f"calling with {secret} failed")
    assert secret not in text
    assert text == f"calling with {REDACTED} failed"


def test_bearer_values_and_known_secrets_are_redacted_but_prose_is_not():
    redactor = Redactor([WEBHOOK_SECRET, "abc"])
    assert redactor.redact("Authorization: Bearer abcdefghijklmnop0123") == f"Authorization: Bearer {REDACTED}"
    assert redactor.redact(f"secret={WEBHOOK_SECRET}!") == f"secret={REDACTED}!"
    # Too short to search for without garbling ordinary words.
    prose = "the token expired; abc retried, 3 tokens used at sha 1a2b3c"
    assert redactor.redact(prose) == prose


def test_known_secrets_include_every_configured_value_and_the_key_lines():
    values = known_secrets(settings_from_env(ENV))
    assert WEBHOOK_SECRET in values and PEM in values and "llm-key-0c9d8e7f6a5b" in values
    assert "MIIEowIBAAKCAQEAx1y2z3" + "A" * 64 in values


def test_scrub_masks_secret_keys_and_redacts_nested_strings_keeping_counts():
    event = {
        "request": {"headers": {"Authorization": "token x", "X-Hub-Signature-256": "sha256=1", "Accept": "json"}},
        "extra": {"prompt_tokens": 5400, "note": [f"used {TOKEN}"]},
    }
    scrubbed = Redactor().scrub(event)
    assert scrubbed["request"]["headers"] == {
        "Authorization": REDACTED,
        "X-Hub-Signature-256": REDACTED,
        "Accept": "json",
    }
    assert scrubbed["extra"] == {"prompt_tokens": 5400, "note": [f"used {REDACTED}"]}
    assert event["extra"]["note"] == [f"used {TOKEN}"], "the original is left alone"


def test_log_lines_are_json_with_context_fields_and_extras(log_stream):
    log = logging.getLogger("bot.test")
    with log_context(delivery_id="d-1", repo="octo/repo"), log_context(pr=7, head_sha="abc"):
        log.info("review %s", "enqueued", extra={"reason": "opened"})
    log.info("outside")
    inside, outside = lines(log_stream)
    assert inside["message"] == "review enqueued"
    assert inside["level"] == "info" and inside["logger"] == "bot.test"
    assert (inside["delivery_id"], inside["repo"], inside["pr"], inside["head_sha"]) == ("d-1", "octo/repo", 7, "abc")
    assert inside["reason"] == "opened"
    assert "delivery_id" not in outside


def test_secrets_in_messages_arguments_extras_and_tracebacks_never_reach_the_log(log_stream):
    log = logging.getLogger("bot.test")
    log.warning("secret is %s", WEBHOOK_SECRET, extra={"auth": f"token {TOKEN}", "api_key": "anything"})
    try:
        raise RuntimeError(f"GitHub refused {TOKEN} with key {PEM}")
    except RuntimeError:
        log.exception("call failed")
    output = log_stream.getvalue()
    for secret in (WEBHOOK_SECRET, TOKEN, PEM, "MIIEowIBAAKCAQEA", "anything"):
        assert secret not in output
    first, second = lines(log_stream)
    assert first["message"] == f"secret is {REDACTED}"
    assert "RuntimeError: GitHub refused" in second["exception"]


def test_setup_logging_twice_keeps_one_handler(log_stream):
    setup_logging(settings_from_env(ENV), stream=log_stream)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_prodready_handler", False)]
    assert len(ours) == 1


def test_before_send_scrubs_a_realistic_sentry_event():
    hook = sentry_before_send(Redactor(known_secrets(settings_from_env(ENV))))
    event = {
        "exception": {"values": [{"type": "ClientResponseError", "value": f"401 for token {TOKEN}"}]},
        "request": {"headers": {"X-Hub-Signature-256": "sha256=" + "0" * 64}, "data": WEBHOOK_SECRET},
        "breadcrumbs": {"values": [{"message": f"private key {PEM}"}]},
    }
    text = json.dumps(hook(event, {}))
    for secret in (TOKEN, WEBHOOK_SECRET, PEM, "0" * 64):
        assert secret not in text


SENTRY_SCRIPT = textwrap.dedent(
    """
    import http.server, json, logging, sys, threading, zlib
    received = []

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
            received.append(body.decode("utf-8", "replace"))
            self.send_response(200)
            self.end_headers()
        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from bot.observability import init_sentry
    from bot.settings import settings_from_env
    import sentry_sdk
    env = json.loads(sys.argv[1])
    env["SENTRY_DSN"] = f"http://publickey@127.0.0.1:{server.server_port}/1"
    settings = settings_from_env(env)
    assert init_sentry(settings) and init_sentry(settings)
    token = sys.argv[2]
    logging.getLogger("bot").error("GitHub answered 401 to %s", token)
    try:
        raise RuntimeError("webhook secret " + env["GITHUB_WEBHOOK_SECRET"] + " and " + env["GITHUB_PRIVATE_KEY"])
    except RuntimeError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush(5)
    print(json.dumps(received))
    """
)


def test_sentry_sends_scrubbed_events_to_the_dsn():
    # A subprocess, because sentry_sdk.init patches aiohttp for the whole interpreter.
    done = subprocess.run(
        [sys.executable, "-c", SENTRY_SCRIPT, json.dumps(ENV), TOKEN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    received = json.loads(done.stdout.splitlines()[-1])
    text = "\n".join(received)
    assert "GitHub answered 401 to" in text and "webhook secret" in text, "both events arrived"
    for secret in (TOKEN, WEBHOOK_SECRET, "MIIEowIBAAKCAQEA", "llm-key-0c9d8e7f6a5b"):
        assert secret not in text


def test_importing_observability_starts_nothing():
    code = (
        "import logging, bot.observability, sentry_sdk\n"
        "print(len(logging.getLogger().handlers), sentry_sdk.is_initialized())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.split() == ["0", "False"], done.stderr
