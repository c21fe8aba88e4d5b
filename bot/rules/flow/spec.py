"""What one language's flow analysis knows: where request data enters, what cleans it, and the sinks."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ast_grep_py import SgNode

from bot.rules.flow.grammar import Grammar
from bot.rules.flow.model import Sink, SinkKind, Strength

# Query text, as the SQL sinks of every language need to see it in the argument or on its path: a generic
# `query(...)` method is only a SQL sink when SQL is what it is given.
SQL_TEXT = re.compile(
    r"(?is)\b(select\s.+?\bfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b|"
    r"\bwhere\s+\S+\s*(=|<|>|like\b|in\b)|\border\s+by\b)"
)
# A filter in LDAP's syntax: `(uid=...)`, `(&(objectClass=person)(cn=...))`.
LDAP_FILTER = re.compile(r"\(\s*[&|!]?\s*\(?\s*[\w.-]+\s*[~<>]?=")
HTML_TEXT = re.compile(r"<\s*[a-zA-Z][\w-]*[\s>/]")
# A literal start that fixes where a URL goes: a scheme and host, or a path on this site.
FIXED_TARGET = re.compile(r"^(\w+:)?//[^/\s'\"`$]+/|^/(?![/\\])")

# Functions whose result carries nothing of their text argument that could steer a sink: numbers, booleans,
# lengths, hashes, escapes, quoting.
COMMON_SANITIZERS = re.compile(
    r"(?i)(^|[.\s])((?<!un)escape\w*|(?<!un)quote\w*|\w*_escape\w*|\w*saniti[sz]e\w*|secure_filename|basename|getFileName|"
    r"encodeURIComponent|encodeURI|htmlspecialchars|strip_tags|bleach\.clean|\w*purify\w*|\w*hash\w*|"
    r"\w*digest\w*|isdigit|isnumeric|isalnum|len|length|size|count|uuid4?|UUID|\w*verif\w*|"
    r"\w*decode\w*token\w*|\w*token\w*(?:decode|parse|verify)\w*)$"
)


# A call in a condition that validates the name by what it is called: `_allow_redirect(url)`, `isValidHost(h)`.
_VALIDATION_CALL = (
    r"(?i)\b\w*(?:allow|valid|safe|trusted|permitted|whitelist|allowlist|is_local|islocal)\w*\(\s*{name}\b"
)


@functools.lru_cache(maxsize=4096)
def _checks_for(checks: tuple[str, ...], name: str) -> re.Pattern[str]:
    # Conditions are many and names few: each name's checks are compiled once, as one alternation.
    escaped = re.escape(name)
    parts = []
    for check in (*checks, _VALIDATION_CALL):
        # A leading `(?i)` may not stand inside an alternation: it becomes a scoped `(?i:...)`.
        flags, body = ("i", check[4:]) if check.startswith("(?i)") else ("", check)
        parts.append(f"(?{flags}:{body.format(name=escaped)})")
    return re.compile("|".join(parts))


# Runs of whitespace, removed to compare expressions as written (`req . params` is `req.params`).
SPACE = re.compile(r"\s+")
# A checked expression that is a member access (`req.params.theme`, `r.URL.Path`): what a source looks like.
# A member expression, ending in at most one read by a literal key (`request.args.get("next")`, `req.query["to"]`).
_MEMBER = (
    r"([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)+"
    r"""(?:\s*(?:\(\s*(?:"[^"]*"|'[^']*')\s*\)|\[\s*(?:"[^"]*"|'[^']*')\s*\]))?)"""
)


@functools.cache
def _member_checks(checks: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for check in checks:
        flags, body = ("i", check[4:]) if check.startswith("(?i)") else ("", check)
        parts.append(f"(?{flags}:{body.format(name=_MEMBER)})")
    return re.compile("|".join(parts))


ParamsOf = Callable[[SgNode], Mapping[str, Strength]]
SourcesOf = Callable[[SgNode], re.Pattern[str] | None]
HtmlReturns = Callable[[SgNode], bool]


@dataclass(frozen=True)
class ReturnSink:
    """A function's return value as a sink: `applies(function)` and the text the path must show."""

    kind: SinkKind
    applies: Callable[[SgNode], bool]
    needs: re.Pattern[str] | None = None


@dataclass(frozen=True)
class FlowLanguage:
    """One language: its grammar, sources, sanitisers and sinks."""

    name: str
    grammar: Grammar
    # Expressions that are request data, matched at the start of a member, call or subscript's text.
    sources: re.Pattern[str]
    # Extra sources that depend on the function (Go: the name its *http.Request parameter has).
    function_sources: SourcesOf
    # Which parameters of a function carry data, and how strongly.
    parameters: ParamsOf
    sanitizers: re.Pattern[str]
    sinks: tuple[Sink, ...]
    # Method names that put their arguments into the receiver: `parts.append(x)`, `sb.append(x)`.
    mutators: frozenset[str] = frozenset({"append", "extend", "add", "addAll", "put", "putAll", "push", "insert"})
    # Condition text that checks NAME against an allow-list or a strict format, `{name}` filled in.
    allow_checks: tuple[str, ...] = ()
    # Calls that throw unless their arguments pass a check (Java's `checkDirectoryTraversal(base, p)`): the names
    # passed are clean after the call.
    guard_calls: re.Pattern[str] | None = None
    returns: tuple[ReturnSink, ...] = field(default_factory=tuple)
    # Assignments that send their value (Koa's `ctx.body = html`): `callee` matches the assigned target's text.
    assigned_sinks: tuple[Sink, ...] = ()
    # Only when the file's text matches: generic call names (`exec`) are a sink only where the module is used.
    file_gates: Mapping[SinkKind, re.Pattern[str]] = field(default_factory=dict)
    # Conditions fixed by literals are evaluated and their dead branches skipped (Python syntax).
    folds_constants: bool = False
    # `name = wrapper(sink)` at any level of the file: group 1 the name, group 2 the sink it stands for.
    alias_pattern: re.Pattern[str] | None = None
    # Members whose value keeps nothing that could steer a sink (`Path(x).name` is a bare file name).
    clean_members: re.Pattern[str] | None = None
    # Values that bind what they hold instead of writing it into text, by node kind, matched at the start of the
    # value's text (squirrel's `sq.Eq{"col": v}`: the builder sends `v` as a bound parameter). Keyed by kind
    # because reading a node's text is costly on a hot path.
    bound_values: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    # Argument kinds that are options or filters (`loadUser({ id })`): what the call returns is not their text,
    # unless the callee's name says it builds text from them (`option_builders`: `format`, `stringify`).
    option_arguments: frozenset[str] = frozenset()
    option_builders: re.Pattern[str] | None = None
    # The parameters a route fills from one segment of the URL's path (`/{name}`, not `/{name:path}`).
    path_segments: Callable[[SgNode], frozenset[str]] = lambda _function: frozenset()

    def allow_checked(self, condition: str, name: str) -> bool:
        """Tell whether `condition` checks `name` against an allow-list or a strict format."""
        return _checks_for(self.allow_checks, name).search(condition) is not None

    def allow_checked_members(self, condition: str) -> list[str]:
        """Return the member expressions `condition` checks (`themePattern.test(req.params.theme)`), unspaced."""
        found = _member_checks(self.allow_checks).finditer(condition)
        return [SPACE.sub("", text) for m in found for text in m.groups() if text]


def callee_pattern(*alternatives: str) -> re.Pattern[str]:
    """Return a pattern matching a whole callee text against any of `alternatives` (regexes)."""
    return re.compile("^(?:" + "|".join(alternatives) + ")$")
