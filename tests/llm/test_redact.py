"""Credentials are replaced in every line kind before a prompt is built."""

from __future__ import annotations

from pathlib import Path

from bot.llm.redact import marker, redact_files
from bot.review.diff import parse_diff

SAMPLE = (Path(__file__).resolve().parents[1] / "samples" / "llm" / "risky" / "patch.diff").read_text()
SECRETS = ("ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u", "AKIAZ7QH3KDPX5LM2NVB", "k9Xq2LmZ7vRt4Pw8")


def all_text(files) -> str:
    return "\n".join(ln.text for f in files for h in f.hunks for ln in h.lines)


def test_secrets_in_added_context_and_removed_lines_are_replaced():
    files = parse_diff(SAMPLE)
    assert all(s in all_text(files) for s in SECRETS)  # the sample really carries them
    redacted = redact_files(files)
    text = all_text(redacted.files)
    assert not any(s in text for s in SECRETS)
    assert f'API_TOKEN = "{marker("GitHub Token")}"' in text  # context line
    assert f'AWS_ACCESS_KEY_ID = "{marker("AWS Access Key")}"' in text  # added line
    assert set(SECRETS) <= redacted.values


def test_line_numbers_and_kinds_survive_redaction():
    files = parse_diff(SAMPLE)
    redacted = redact_files(files)
    shape = [[(ln.kind, ln.new_lineno, ln.old_lineno) for h in f.hunks for ln in h.lines] for f in files]
    assert shape == [
        [(ln.kind, ln.new_lineno, ln.old_lineno) for h in f.hunks for ln in h.lines] for f in redacted.files
    ]
    assert redacted.files[1] is files[1]  # a file without credentials is passed through untouched


def test_scrub_removes_found_values_from_any_other_text():
    redacted = redact_files(parse_diff(SAMPLE))
    scrubbed = redacted.scrub("static finding: token ghp_R8xT2mQ9vL4kP7nW3zY6bJ1cF5hD0sA8eG2u committed")
    assert "ghp_" not in scrubbed and "redacted secret" in scrubbed


def test_a_private_key_block_is_removed_line_by_line():
    body = [
        "-----BEGIN RSA PRIVATE KEY-----",
        *["MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"] * 3,
        "-----END RSA PRIVATE KEY-----",
    ]
    text = (
        "diff --git a/k.pem b/k.pem\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/k.pem\n"
        f"@@ -0,0 +1,{len(body)} @@\n" + "".join(f"+{b}\n" for b in body)
    )
    redacted = redact_files(parse_diff(text))
    assert "MIIEow" not in all_text(redacted.files)


def test_test_mode_payment_keys_are_not_sent_either():
    diff = (
        "diff --git a/pay.py b/pay.py\n--- a/pay.py\n+++ b/pay.py\n@@ -1 +1,2 @@\n import stripe\n"
        '+stripe.api_key = "sk_test_51HxQmKLy8d2xq0abcdefghijklmnop"\n'
    )
    redacted = redact_files(parse_diff(diff))
    assert "sk_test_51HxQm" not in all_text(redacted.files)
    assert marker("test-mode API key") in all_text(redacted.files)
