"""Settings from the environment: defaults, validation, and secrets that never print."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, settings_from_env


def test_defaults():
    s = settings_from_env({})
    assert s.port == 8080 and s.github.api_url == "https://api.github.com"
    assert not s.llm.configured and s.github.webhook_secret is None


def test_secrets_never_print():
    s = settings_from_env(
        {"OPENAI_API_KEY": "sk-live-abc123", "GITHUB_WEBHOOK_SECRET": "hush", "GITHUB_PRIVATE_KEY": "-----BEGIN x"}
    )
    text = repr(s) + str(s)
    assert "sk-live-abc123" not in text and "hush" not in text and "BEGIN" not in text
    assert s.llm.api_key is not None and s.llm.api_key.reveal() == "sk-live-abc123"


def test_private_key_from_file_and_escaped_newlines(tmp_path):
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n")
    from_file = settings_from_env({"GITHUB_PRIVATE_KEY_PATH": str(key)})
    assert from_file.github.private_key is not None and "abc" in from_file.github.private_key.reveal()
    inline = settings_from_env({"GITHUB_PRIVATE_KEY": "-----BEGIN-----\\nabc\\n-----END-----"})
    assert inline.github.private_key is not None and inline.github.private_key.reveal().count("\n") == 2
    with pytest.raises(SettingsError, match="GITHUB_PRIVATE_KEY_PATH"):
        settings_from_env({"GITHUB_PRIVATE_KEY_PATH": str(tmp_path / "missing.pem")})


@pytest.mark.parametrize(("name", "value"), [("PORT", "eighty"), ("PORT", "70000"), ("PRODREADY_LLM_CONCURRENCY", "0")])
def test_bad_numbers_name_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        settings_from_env({name: value})


def test_ghes_url_and_keyless_local_llm():
    s = settings_from_env(
        {"GITHUB_API_URL": "https://ghe.example.com/api/v3/", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}
    )
    assert s.github.api_url == "https://ghe.example.com/api/v3"
    assert s.llm.configured and s.llm.api_key is None
