"""Credential shapes the secret scanner misses: URL userinfo, secret-named config keys, auth headers, PEM keys,
and the token formats of common clouds and SaaS. Each hit names the exact text to replace within its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

# RFC 3986 userinfo is unreserved / pct-encoded / sub-delims / ":". A raw "@" is not allowed, but people write
# one anyway: the match runs to the last "@" before the host, so such a password is not half sent.
_URL_USERINFO = re.compile(r"\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://(?P<userinfo>[^\s/?#\"`<>\[\]{}|\\^]{1,512})@(?=[\w\[])")

_SECRET_WORD = (
    r"pass(?:word|wd|phrase)?|pwd|secret|token|api[_\-.]?key|apikey|private[_\-.]?key|credentials?|dsn"
    r"|access[_\-.]?key|auth[_\-.]?key|client[_\-.]?secret|signing[_\-.]?key|encryption[_\-.]?key|webhook[_\-.]?secret"
)
# KEY = "value", key: 'value', "key": "value" (code, JSON, YAML, TOML, .env, properties).
_QUOTED = re.compile(
    r"""(?ix)(?P<key>[A-Za-z0-9_.\-]*(?:""" + _SECRET_WORD + r""")[A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|=|:)\s*"""
    r"""(?:[a-z]{1,3})?(?P<q>["'])(?P<value>(?:(?!(?P=q))[^\\\n]|\\.){1,2000})(?P=q)"""
)
# KEY=value unquoted: only in configuration files; in code an unquoted value is an expression, not a secret.
_UNQUOTED = re.compile(
    r"""(?ix)^\s*(?:export\s+)?["']?(?P<key>[A-Za-z0-9_.\-]*(?:""" + _SECRET_WORD + r""")[A-Za-z0-9_.\-]*)["']?"""
    r"""\s*(?:=|:)\s*(?P<value>[^\s"'#;,][^\s#;,]*)"""
)
_CONFIG_SUFFIXES = frozenset(
    {".env", ".properties", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".json", ".tfvars", ".config"}
)
_AUTH_HEADER = re.compile(
    r"(?i)\b(?:authorization|proxy-authorization)\b[\"']?\s*[:=,]\s*[\"']?\s*"
    r"(?:bearer|basic|token|digest|apikey)\s+(?P<value>[A-Za-z0-9\-._~+/=:%]{8,})"
)
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}")),
    ("Stripe key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}")),
    ("OpenAI key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}")),
    ("npm token", re.compile(r"\bnpm_[A-Za-z0-9]{30,}")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*")),
)
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
# Placeholders and references that are not credentials: replacing them would only hide the code's meaning.
_NOT_A_SECRET = re.compile(
    r"(?i)^(?:\$\{.*\}|\$\(.*\)|\$[A-Z_][A-Z0-9_]*|%\(.*\)s?|\{\{.*\}\}|<[^>]*>|\*+|x+|true|false|null|none|\d{1,6})$"
)


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential on line `line`: `value` is the exact text to replace."""

    line: int
    kind: str
    value: str


def find_credentials(path: str, lines: Mapping[int, str]) -> list[Credential]:
    """Return the credentials in `lines` (numbered as the file reads), PEM key blocks across lines included."""
    config = _is_config(path)
    out: list[Credential] = []
    in_key = False
    for number in sorted(lines):
        text = lines[number]
        if in_key or _PEM_BEGIN.search(text):
            # Every line of a private key block goes, the armour lines included: no part of the key is sent.
            ends = _PEM_END.search(text) is not None
            value = text.strip()
            if value:
                out.append(Credential(number, "private key", value))
            in_key = not ends
            continue
        out.extend(Credential(number, kind, value) for kind, value in _line_credentials(text, config=config))
    return out


def _line_credentials(text: str, *, config: bool) -> Iterator[tuple[str, str]]:
    for match in _URL_USERINFO.finditer(text):
        userinfo = match.group("userinfo")
        colon = userinfo.find(":")
        start = match.start("userinfo")
        if 0 <= colon < len(userinfo) - 1:
            yield "password in URL", _exact(text, start + colon + 1, match.end("userinfo"))
        elif colon < 0 and len(userinfo) >= 16:
            # A token used as the user name (https://TOKEN@host); "git@" and the like stay.
            yield "token in URL", userinfo
    for match in _AUTH_HEADER.finditer(text):
        yield "authorization header", match.group("value")
    for kind, pattern in _TOKENS:
        for match in pattern.finditer(text):
            yield kind, match.group()
    for match in _QUOTED.finditer(text):
        if _secret_value(match.group("value")):
            yield _key_kind(match.group("key")), _exact(text, match.start("value"), match.end("value"))
    if config:
        found = _UNQUOTED.match(text)
        if found and _secret_value(found.group("value")):
            yield _key_kind(found.group("key")), _exact(text, found.start("value"), found.end("value"))


def _exact(text: str, start: int, end: int) -> str:
    # Values are replaced wherever they occur in the line: a short one is taken with its neighbours, so
    # that replacing it cannot eat the same letters elsewhere in the line.
    if end - start >= 8:
        return text[start:end]
    return text[max(0, start - 1) : end + 1]


def _secret_value(value: str) -> bool:
    stripped = value.strip()
    return bool(stripped) and "«" not in stripped and not _NOT_A_SECRET.match(stripped)


def _key_kind(key: str) -> str:
    return f"value of {key[:40]}" if key else "credential"


def _is_config(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name.startswith(".env") or name.endswith(".env") or PurePosixPath(name).suffix in _CONFIG_SUFFIXES
