"""The hard-coded credential rule: secrets.py's hits as findings, one per credential or key block."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.review.models import Finding, Severity
from bot.rules.languages import is_data_path
from bot.rules.model import RuleInfo
from bot.rules.secrets import DEV_URL_CREDENTIAL, KEYWORD, PRIVATE_KEY, SecretHit, scan_secrets

SECRET_RULE_ID = "hardcoded-secret"
_URL_PASSWORD = "Basic Auth Credentials"
SECRET_RULE = RuleInfo(SECRET_RULE_ID, "security", "critical", ("any",), "Hard-coded credential")

_BODY = (
    "A credential ({kind}) is written into the code. Everyone who can read the repository, its forks, "
    "CI logs or a built image can use it, and it stays in the git history after it is deleted.\n\n"
    "Revoke it now and issue a new one; then read it at run time from the environment or a secret "
    'manager (`os.environ["..."]`, `process.env...`, Vault, AWS Secrets Manager).'
)

_DEV_BODY = (
    "A connection URL carries a development password (a local host or a stock password such as "
    "`guest` or `postgres`). Shipped as is, production either fails to connect or, worse, runs against a "
    "database anyone can log in to with the documented default.\n\n"
    'Read the whole URL from the environment (`os.environ["DATABASE_URL"]`, `process.env.DATABASE_URL`) '
    "and keep local values in an untracked `.env` file."
)


def secret_findings(path: str, added: Mapping[int, str], *, in_tests: bool) -> Iterator[Finding]:
    """Yield a critical finding per credential on the added lines (the value itself never appears)."""
    hits = scan_secrets(path, added)
    data = is_data_path(path)
    for first, last, kind in _grouped(hits):
        if in_tests and kind in (KEYWORD, DEV_URL_CREDENTIAL):
            continue  # "password = ..." in a test is a fixture far more often than a leak
        if data and kind == KEYWORD:
            continue  # a translation of the word "password" is not a password
        yield Finding(
            path=path,
            line=first,
            end_line=last if last > first else None,
            category="security",
            # A token in a recognised format is live-looking even in a test; still worth a hard look. A key
            # block or a URL password in a test is a throw-away fixture (TLS test certificates, a test server's
            # URL) far more often than a leak: worth a look, not evidence of one.
            # A local database's stock password is a development default: worth fixing, not an incident.
            severity=_severity(kind, in_tests=in_tests),
            title=f"Hard-coded credential: {kind}",
            body=_DEV_BODY if kind == DEV_URL_CREDENTIAL else _BODY.format(kind=kind),
            source="static",
            rule=SECRET_RULE_ID,
        )


def _severity(kind: str, *, in_tests: bool) -> Severity:
    if kind == DEV_URL_CREDENTIAL:
        return "low"
    if not in_tests:
        return "critical"
    return "medium" if kind in (PRIVATE_KEY, _URL_PASSWORD) else "high"


def _grouped(hits: list[SecretHit]) -> Iterator[tuple[int, int, str]]:
    # The lines of one private key block are one finding; other credentials are one per line.
    current: tuple[int, int, str] | None = None
    for hit in sorted(hits, key=lambda h: h.line):
        if current and hit.kind == PRIVATE_KEY == current[2] and hit.line == current[1] + 1:
            current = (current[0], hit.line, PRIVATE_KEY)
            continue
        if current and current[0] == hit.line:
            continue
        if current:
            yield current
        current = (hit.line, hit.line, hit.kind)
    if current:
        yield current
