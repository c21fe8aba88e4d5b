"""Find credentials in lines of text: detect-secrets' detectors plus token formats it does not know."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from detect_secrets.filters import heuristic
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import (
    DENYLIST,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

DEV_URL_CREDENTIAL = "development password in a connection URL"
PRIVATE_KEY = "Private Key"
KEYWORD = "Secret Keyword"

# Formats detect-secrets 1.5 lacks. Its own private-key detector only sees the BEGIN line, so blocks
# (and the PKCS#8 "ENCRYPTED" variant) are handled below to give redaction every line of the key.
_EXTRA: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("GitHub Fine-grained Token", re.compile(r"github_pat_[A-Za-z0-9_]{82}")),
    ("Slack App Token", re.compile(r"xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{32,}")),
    ("Google API Key", re.compile(r"AIza[0-9A-Za-z_\-]{35}")),
    ("Anthropic API Key", re.compile(r"sk-ant-[a-z]+\d{2}-[A-Za-z0-9_\-]{80,}")),
    ("Hugging Face Token", re.compile(r"hf_[A-Za-z]{34}")),
)
_KEY_BEGIN = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----")
_KEY_END = re.compile(r"-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----")
_INLINE_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)"
)
# A key body line once quotes, escapes and concatenation are stripped; a marker alone (in a parser) is no key.
_KEY_BODY = re.compile(r"[A-Za-z0-9+/=]{16,}$")
_KEY_HEADER = re.compile(r"(Proc-Type|DEK-Info|Comment): ")
_BODY_CHARS = re.compile(r"[A-Za-z0-9+/]{20,}")
_QUOTING = re.compile(r"""\\n|["'`+,;()\s]""")

# Values a developer writes as a stand-in, not a credential.
_PLACEHOLDER = re.compile(
    r"x{3,}|\*{3,}|\.{3}|change.?me|example|placeholder|your|dummy|fake|sample|redacted|todo|"
    r"secret|passw|test|insert|replace|<|>|\{|\}|%|\$|\\|\s",
    re.IGNORECASE,
)
_ENTROPY = Base64HighEntropyString()
# The keyword patterns are slow; one search for any keyword first keeps big diffs fast.
_ANY_KEYWORD = re.compile("|".join(DENYLIST), re.IGNORECASE)
_TEMPLATED = re.compile(r"[${}<>%*]|^x+$", re.IGNORECASE)
_DOC_PASSWORDS = frozenset({"pass", "pwd", "user", "secret", "password", "passwd", "changeme"})
# Stock passwords of local databases and brokers (docker images, tutorials): no secret, a dev default.
_STOCK_PASSWORDS = frozenset({"guest", "postgres", "root", "admin", "mysql", "redis", "rabbitmq", "test", "example"})
_LOCAL_HOST = re.compile(r"(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)([:/?#'\"]|$)", re.I)
_KEYWORD_STEMS = ("key", "pass", "pwd", "secret", "contrase")
_MIN_KEYWORD_VALUE = 8
_MIN_KEYWORD_ENTROPY = 3.0


@dataclass(frozen=True, slots=True)
class SecretHit:
    """A credential on new-side line `line`; `value` is the exact text to redact."""

    line: int
    kind: str
    value: str


@cache
def _detectors() -> tuple[RegexBasedDetector, ...]:
    # analyze_string only: analyze_line may call a provider's API to verify a hit, and we never go online.
    return (
        AWSKeyDetector(),
        AzureStorageKeyDetector(),
        BasicAuthDetector(),
        DiscordBotTokenDetector(),
        GitHubTokenDetector(),
        GitLabTokenDetector(),
        JwtTokenDetector(),
        MailchimpDetector(),
        NpmDetector(),
        OpenAIDetector(),
        PypiTokenDetector(),
        SendGridDetector(),
        SlackDetector(),
        SquareOAuthDetector(),
        StripeDetector(),
        TelegramBotTokenDetector(),
        TwilioKeyDetector(),
    )


@cache
def _any_format() -> re.Pattern[str]:
    # One pass over the line with every format at once; most lines match none, so the per-detector
    # passes only run on the rare line that might hold a token.
    patterns = [p for d in _detectors() for p in d.denylist] + [p for _, p in _EXTRA]
    return re.compile("|".join(f"(?{_flags(p)}:{p.pattern})" for p in patterns))


def _flags(pattern: re.Pattern[str]) -> str:
    return ("i" if pattern.flags & re.IGNORECASE else "") + ("x" if pattern.flags & re.VERBOSE else "")


@cache
def _keyword_detector() -> KeywordDetector:
    return KeywordDetector()


def scan_secrets(path: str, lines: Mapping[int, str]) -> list[SecretHit]:
    """Return the credentials found in `lines` (line number -> text) of the file at `path`."""
    if heuristic.is_lock_file(path):
        return []
    hits: list[SecretHit] = []
    pending: SecretHit | None = None  # a BEGIN line, reported once a key body follows it
    in_key = False
    previous = None
    for number in sorted(lines):
        text = lines[number]
        if previous is not None and number != previous + 1:
            in_key, pending = False, None  # a gap: we no longer know we are inside a key block
        previous = number
        if in_key:
            if _KEY_END.search(text) or _KEY_HEADER.match(text.strip()) or _KEY_BODY.match(_unquote(text)):
                if pending is not None:
                    hits.append(pending)
                    pending = None
                hits.append(SecretHit(number, PRIVATE_KEY, text.strip()))
                in_key = not _KEY_END.search(text)
                continue
            in_key, pending = False, None
        begin = _KEY_BEGIN.search(text)
        if begin:
            tail = text[begin.end() :]
            inline = _INLINE_KEY.search(text)
            value = inline.group(0) if inline else text.strip()
            if _BODY_CHARS.search(tail):
                hits.append(SecretHit(number, PRIVATE_KEY, value))
                in_key = not _KEY_END.search(tail)
            else:
                pending, in_key = SecretHit(number, PRIVATE_KEY, value), True
            continue
        context = f"{lines.get(number - 1, '')}\n{text}"
        hits.extend(
            SecretHit(number, kind, value)
            for kind, value in _line_secrets(text)
            if kind != KEYWORD or not _PUBLIC_BY_DESIGN.search(context)
        )
    return hits


# A value guessed from its name only (no provider's format) that the code says is not a secret, or a key that
# error-reporting and analytics clients embed by design (Bugsnag's notifier key, a Segment write key).
_PUBLIC_BY_DESIGN = re.compile(
    r"(?i)\bnot\s+(actually\s+|really\s+)?a\s+secret\b|\bpublishable\b|\b(bugsnag|segment|mixpanel|posthog|amplitude)\b"
)


_DOC_EXAMPLE = re.compile(r"(?i)(\bexamples?\s*[:=]\s*\[?\s*|@example\s+)[\"'`]?$")


def _documented_example(value: str, text: str) -> bool:
    at = text.find(value)
    return at > 0 and _DOC_EXAMPLE.search(text[:at]) is not None


def _unquote(text: str) -> str:
    return _QUOTING.sub("", text)


def _line_secrets(text: str) -> Iterator[tuple[str, str]]:
    found: set[str] = set()
    for kind, value in _format_hits(text):
        # Providers' documented sample keys, and a value given as an API document's example (a Go struct
        # tag `example:"eyJ..."`, OpenAPI's `example:`, JSDoc's `@example`).
        if value not in found and "EXAMPLE" not in value and not _documented_example(value, text):
            found.add(value)
            yield kind, value
    if not found:
        for value in _keyword_values(text):
            if value not in found:
                found.add(value)
                yield KEYWORD, value


def _format_hits(text: str) -> Iterator[tuple[str, str]]:
    # The patterns are matched here rather than through analyze_string, whose findall returns a
    # capture group (e.g. only "ghp" of a GitHub token) where we need the whole token to redact it.
    if not _any_format().search(text):
        return
    for detector in _detectors():
        for pattern in detector.denylist:
            for match in pattern.finditer(text):
                value = _matched_value(match)
                if isinstance(detector, BasicAuthDetector):
                    kind = _url_credential_kind(match, text)
                    if kind is not None:
                        yield kind, _matched_value(match)
                    continue
                if isinstance(detector, JwtTokenDetector) and not detector.is_formally_valid(value):
                    continue
                yield detector.secret_type, value
    for kind, pattern in _EXTRA:
        for match in pattern.finditer(text):
            yield kind, match.group(0)


def _real_password(password: str) -> bool:
    # `https://user:pass@host` in docs and examples; a template `:${DB_PASSWORD}@` is not a secret.
    return len(password) >= 4 and password.lower() not in _DOC_PASSWORDS and not _TEMPLATED.search(password)


def _url_credential_kind(match: re.Match[str], text: str) -> str | None:
    """Classify the password of `scheme://user:password@host`: None for a placeholder.

    `postgres://shop:shop@localhost/shop` is a development default, not a leaked production secret:
    it is still a credential in code, but calling it critical would cry wolf.
    """
    password = match.group(1)
    if not _real_password(password):
        return None
    user = match.group(0)[3:].split(":", 1)[0]
    if password.lower() in _STOCK_PASSWORDS or password == user or _LOCAL_HOST.match(text[match.end() :]):
        # A development default in a comment (a commented-out alternative) configures nothing.
        return None if text.lstrip().startswith(("#", "//", "*", "/*", "--")) else DEV_URL_CREDENTIAL
    return "Basic Auth Credentials"


def _matched_value(match: re.Match[str]) -> str:
    # Where a pattern captures the credential itself (AWS secret keys, basic-auth passwords) take
    # that; where its group is only a prefix, take the whole match.
    groups = [g for g in match.groups() if g]
    longest = max(groups, key=len, default="")
    return longest if len(longest) >= _MIN_KEYWORD_VALUE else match.group(0).strip(" \t\"':=")


def _keyword_values(text: str) -> Iterator[str]:
    # The keyword detector alone flags every `password = "..."`; only values that look like real
    # credentials survive the filters, or reviews of ordinary code drown in false alarms.
    lowered = text.lower()
    if not any(word in lowered for word in _KEYWORD_STEMS) or not _ANY_KEYWORD.search(text):
        return
    if heuristic.is_indirect_reference(text):
        return
    detector = _keyword_detector()
    for value in detector.analyze_string(text, denylist_regex_to_group=QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP):
        if _looks_real(value, text):
            yield value


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _names_itself(value: str, line: str) -> bool:
    """Tell whether `value` is the name it is assigned to, re-cased (`MembersCanCreateApiKey = "membersCan…"`):
    an enum member or a setting key, not a credential."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z_.-]*", value):
        return False
    before = line.split(value, 1)[0]
    names = re.findall(r"[A-Za-z_][\w.-]*", before)
    return bool(names) and _folded(names[-1].rsplit(".", 1)[-1]) == _folded(value)


def _looks_real(value: str, line: str) -> bool:
    if len(value) < _MIN_KEYWORD_VALUE or _PLACEHOLDER.search(value):
        return False
    if not (any(c.isdigit() for c in value) or (value.lower() != value and value.upper() != value)):
        return False
    if _names_itself(value, line):
        return False
    if (
        heuristic.is_templated_secret(value)
        or heuristic.is_sequential_string(value)
        or heuristic.is_potential_uuid(value)
        or heuristic.is_not_alphanumeric_string(value)
        or heuristic.is_likely_id_string(value, line)
    ):
        return False
    return _ENTROPY.calculate_shannon_entropy(value) >= _MIN_KEYWORD_ENTROPY
