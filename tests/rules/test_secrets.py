"""Credential detection: planted secrets are found whole, ordinary code stays quiet."""

from __future__ import annotations

import pytest

from bot.rules.secrets import PRIVATE_KEY, scan_secrets
from tests.rules.conftest import review, rule_lines

# Built from pieces so this file does not itself look like it holds credentials.
AWS_ID = "AKIA" + "Z3MXQ4JT7PL2WQ5N"
AWS_SECRET = "wJalrXUtnF" + "EMI/K7MDENG/bPxRfiCYzQ8kT3nWab"
GITHUB = "ghp_" + "R2d2C3p0" * 4 + "abcd"
GITHUB_FINE = "github_pat_" + "11ABCDEFG0" * 2 + "ab_" + "Zx9" * 19 + "Qr"
SLACK = "xoxb-" + "123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/" + "aBcDeFgHiJkLmNoPqRsTuVwX"
KEY_BODY = "MIIEowIBAAKCAQEAx2Yh3gkqf9wJ0m3A6Jq3hG8xq6Gz9k0b5sQ8h9K3p0Zr7Yc1"


@pytest.mark.parametrize(
    ("line", "kind", "value"),
    [
        (f'AWS_ACCESS_KEY_ID = "{AWS_ID}"', "AWS Access Key", AWS_ID),
        (f'aws_secret_access_key = "{AWS_SECRET}"', "AWS Access Key", AWS_SECRET),
        (f'token = "{GITHUB}"', "GitHub Token", GITHUB),
        (f"GH = '{GITHUB_FINE}'", "GitHub Fine-grained Token", GITHUB_FINE),
        (f"SLACK_TOKEN = '{SLACK}'", "Slack Token", SLACK),
        (f"WEBHOOK = '{SLACK_HOOK}'", "Slack Token", SLACK_HOOK),
        ('DATABASE_URL = "postgres://app:Pr0dPassw0rd9@db:5432/app"', "Basic Auth Credentials", "Pr0dPassw0rd9"),
        ('db_password = "Zq8vL2mW9rT4"', "Secret Keyword", "Zq8vL2mW9rT4"),
    ],
)
def test_planted_secret_is_found_with_its_exact_value(line: str, kind: str, value: str) -> None:
    hits = scan_secrets("app/settings.py", {7: line})
    assert [(h.line, h.kind, h.value) for h in hits] == [(7, kind, value)]
    assert value in line


def test_private_key_block_is_reported_on_every_line_for_redaction() -> None:
    lines = {
        3: "-----BEGIN RSA PRIVATE KEY-----",
        4: "Proc-Type: 4,ENCRYPTED",
        5: KEY_BODY,
        6: KEY_BODY[::-1],
        7: "-----END RSA PRIVATE KEY-----",
        8: "x = 1",
    }
    hits = scan_secrets("deploy/key.pem", lines)
    assert [h.line for h in hits] == [3, 4, 5, 6, 7]
    assert {h.kind for h in hits} == {PRIVATE_KEY}


def test_private_key_in_one_string_is_one_value() -> None:
    line = f'KEY = "-----BEGIN PRIVATE KEY-----\\n{KEY_BODY}\\n-----END PRIVATE KEY-----"'
    (hit,) = scan_secrets("app.py", {1: line})
    assert hit.value.startswith("-----BEGIN PRIVATE KEY-----") and hit.value.endswith("-----END PRIVATE KEY-----")


@pytest.mark.parametrize(
    "line",
    [
        'PEM_HEADER = "-----BEGIN RSA PRIVATE KEY-----"',
        'password = os.environ["DB_PASSWORD"]',
        'password = "changeme"',
        'password = "your-password-here"',
        'secret_key = "${SECRET_KEY}"',
        'password_field = "password_confirmation"',
        "api_key = settings.API_KEY",
        'label = "Enter your password"',
        'token_url = "https://example.com/oauth/token"',
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"',
        "sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'",
        "user_id = '9b2f6c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b'",
        "PASSWORD_MIN_LENGTH = 12",
        'secret_name = "orders-service"',
        # An enum member or setting key whose value is its own name, re-cased.
        '  MembersCanCreateApiKey = "membersCanCreateApiKey",',
    ],
)
def test_ordinary_code_is_not_a_secret(line: str) -> None:
    assert scan_secrets("app/settings.py", {1: line}) == []


def test_marker_without_a_body_is_not_a_key_and_does_not_swallow_following_lines() -> None:
    lines = {1: 'HEADER = "-----BEGIN PRIVATE KEY-----"', 2: f'token = "{GITHUB}"'}
    assert [(h.line, h.kind) for h in scan_secrets("app.py", lines)] == [(2, "GitHub Token")]


def test_gap_between_lines_ends_a_key_block() -> None:
    lines = {1: "-----BEGIN EC PRIVATE KEY-----", 9: KEY_BODY}
    assert scan_secrets("key.pem", lines) == []


def test_lock_files_are_not_scanned() -> None:
    assert scan_secrets("package-lock.json", {1: f'"token": "{GITHUB}"'}) == []


def test_secret_finding_is_critical_and_never_contains_the_value() -> None:
    findings = review("app/config.py", f"TOKEN = '{GITHUB}'\n")
    (finding,) = [f for f in findings if f.rule == "hardcoded-secret"]
    assert finding.severity == "critical" and finding.category == "security"
    text = " ".join(str(v) for v in finding.to_json().values())
    assert GITHUB not in text and GITHUB[4:20] not in text


def test_key_block_is_one_finding_spanning_the_block() -> None:
    source = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n"
    (finding,) = review("deploy/id_ed25519", source)
    assert (finding.line, finding.end_line) == (1, 3)


def test_secrets_in_any_file_type_are_found() -> None:
    assert rule_lines(review(".env", f"SLACK_TOKEN={SLACK}\n"), "hardcoded-secret") == [1]


def test_test_files_keep_format_tokens_at_high_and_drop_keyword_guesses() -> None:
    source = f"TOKEN = '{GITHUB}'\npassword = 'Zq8vL2mW9rT4'\n"
    findings = review("tests/test_client.py", source)
    assert [(f.line, f.severity) for f in findings if f.rule == "hardcoded-secret"] == [(1, "high")]


def test_secret_on_a_context_line_is_not_reported() -> None:
    source = f"TOKEN = '{GITHUB}'\nx = 1\n"
    assert not rule_lines(review("app.py", source, added=[2]), "hardcoded-secret")


@pytest.mark.parametrize(
    "line",
    [
        "When proxies have user info (`https://user:pass@proxy:8080`), Requests sends a header",
        'DATABASE_URL = "postgres://app:${DB_PASSWORD}@db:5432/app"',
        'BROKER = "amqp://guest:<password>@rabbit//"',
    ],
)
def test_documentation_and_templated_urls_are_not_credentials(line: str) -> None:
    assert scan_secrets("README.md", {1: line}) == []


def test_an_api_documents_example_value_is_not_a_credential() -> None:
    # jwt.io's public sample token, built from pieces.
    sample = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
        + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    )
    sample += ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    tagged = f'\tToken string `json:"token" example:"{sample}"`'
    assert scan_secrets("pkg/auth/auth.go", {1: tagged}) == []
    assert [h.kind for h in scan_secrets("pkg/auth/auth.go", {1: f'\tconst token = "{sample}"'})] == ["JSON Web Token"]


def test_a_name_guessed_value_the_code_calls_public_is_not_a_credential() -> None:
    value = "58ff90c0dc37" + "2ded858cbf8fb2306066"
    said = {
        1: "// This is not actually a secret key, just a string to scramble ids with",
        2: f'const XOR_SECRET_KEY = "{value}";',
    }
    notifier = {1: "bugsnag.Configure(bugsnag.Configuration{", 2: f'\tAPIKey: "{value}",'}
    assert scan_secrets("lib/ids.ts", said) == []
    assert scan_secrets("cmd/main.go", notifier) == []
    assert [h.kind for h in scan_secrets("lib/ids.ts", {2: said[2]})] == ["Secret Keyword"]


def test_translation_of_the_word_password_is_not_a_secret() -> None:
    source = '{\n  "form.user.label.password": "Contrasinal",\n  "form.user.label.secret": "Segredo-moi-longo"\n}\n'
    for path in ("src/locales/gl.json", "app/i18n/gl/messages.json", "web/messages.gl.json"):
        assert not rule_lines(review(path, source), "hardcoded-secret"), path


def test_keys_in_test_folders_are_medium_and_test_suites_are_test_folders() -> None:
    key = (
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
        "-----END RSA PRIVATE KEY-----\n"
    )
    for path in ("testsuite/tls/keys.go", "src/test-utils/certs.ts", "tests/tls.py"):
        severities = {f.severity for f in review(path, f'KEY = """{key}"""\n') if f.rule == "hardcoded-secret"}
        assert severities <= {"medium"}, path


def test_file_classification() -> None:
    from bot.rules.languages import is_data_path, is_test_path

    tests = ("testsuite/a.go", "pkg/test-utils/x.ts", "web/__tests__/a.js", "e2e/login.ts", "db/migrations/0001.py")
    # A project's own semgrep rules keep their annotated test cases beside them.
    tests += (".semgrep/security/requests/no-use-requests-lib.py", "internal/testutil/minio/server.go")
    tests += (
        "apps/web/playwright/mailhog.ts",
        "cypress/support/commands.js",
        "app/__stubs__/jwt.ts",
        "src/upgrades/1.5.0/flags_refactor.js",
    )
    tests += ("pkg/e2etests/integrations.go", "pkg/migration/20260720120000.go")
    for path in tests:
        assert is_test_path(path), path
    for path in (
        "src/latest/a.go",
        "app/contest/x.py",
        "app/contests/x.py",
        "server/testimony.ts",
        "app/semgrep_report.py",
    ):
        assert not is_test_path(path), path
    for path in ("locale/gl/LC_MESSAGES/django.po", "src/i18n/en.json", "messages_es.properties"):
        assert is_data_path(path), path
    assert not is_data_path("src/language.ts")
