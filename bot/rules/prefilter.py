"""Derive from an ast-grep rule a cheap text test that every match needs, to skip hopeless tree searches.

ast-grep compiles a rule's patterns on every search, which costs more than the search itself on small files.
A pattern's identifiers appear verbatim in any code it matches, so a file without them cannot match.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

# A named metavariable: group 1 for `$$$NAMES`, group 2 for `$NAME` (ast-grep's syntax, also used in fixes).
METAVAR = re.compile(r"\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)")
_WORD = re.compile(r"(?<![$\w])[A-Za-z_][A-Za-z0-9_]{2,}")
# Relations whose target must also exist in the file for the rule to match.
_NECESSARY_RELATIONS = ("has", "inside", "follows", "precedes")

Alternatives = frozenset[str]


def derive_requirement(rule: dict[str, Any]) -> re.Pattern[str] | None:
    """Return a pattern that every file matching `rule` contains, or None when nothing certain is known."""
    words = _rule_words(rule)
    if not words:
        return None
    return re.compile("|".join(w if w.startswith("(?i:") else re.escape(w) for w in sorted(words)))


def _rule_words(rule: object) -> Alternatives | None:
    """Return words of which at least one appears in any match (None: no such guarantee)."""
    if not isinstance(rule, dict):
        return None
    # Every key of a rule object must hold at once: any one of them that guarantees a word is enough.
    for key, value in rule.items():
        words: Alternatives | None = None
        if key == "pattern":
            words = _pattern_words(value)
        elif key == "regex" and isinstance(value, str):
            words = regex_literals(value)
        elif key == "all" and isinstance(value, list):
            words = next((w for w in map(_rule_words, value) if w), None)
        elif key == "any" and isinstance(value, list):
            found = [_rule_words(item) for item in value]
            known = [w for w in found if w]
            words = frozenset().union(*known) if found and len(known) == len(found) else None
        elif key in _NECESSARY_RELATIONS:
            words = _rule_words(value)
        if words:
            return words
    return None


def _pattern_words(pattern: object) -> Alternatives | None:
    if isinstance(pattern, dict):  # the {context, selector} form
        pattern = pattern.get("context")
    if not isinstance(pattern, str):
        return None
    words = _WORD.findall(pattern)
    # One word is enough; the longest is the rarest in ordinary code.
    return frozenset({max(words, key=len)}) if words else None


def regex_literals(pattern: str) -> Alternatives | None:
    """Return literal texts of which one must appear in anything `pattern` matches (None: none known).

    Reads the regex's parse tree (the stdlib's own parser): a run of literal characters outside any optional
    part must be in every match; an alternation needs one literal from each branch.
    """
    try:
        parsed = sre_parser.parse(pattern)
    except (re.error, RecursionError):
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    found = _sequence_literals(list(parsed))
    if not found:
        return None
    return _case_blind(found) if ignore_case else found


def _case_blind(words: Alternatives) -> Alternatives:
    return frozenset(w if w.startswith("(?i:") else f"(?i:{re.escape(w)})" for w in words)


def _sequence_literals(items: list[tuple[Any, Any]]) -> Alternatives | None:
    best: Alternatives | None = None
    run = ""
    candidates: list[Alternatives] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run += chr(arg)
            continue
        if len(run) >= 3:
            candidates.append(frozenset({run}))
        run = ""
        if op is sre_constants.SUBPATTERN:
            inner = _sequence_literals(list(arg[-1]))
            if inner:
                # arg is (group, added flags, removed flags, items): `(?i:...)` matches its literals in any case.
                candidates.append(_case_blind(inner) if arg[1] & re.IGNORECASE else inner)
        elif op is sre_constants.BRANCH:
            branches = [_sequence_literals(list(b)) for b in arg[1]]
            if branches and all(branches):
                candidates.append(frozenset().union(*(b for b in branches if b)))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[0] >= 1:
            inner = _sequence_literals(list(arg[2]))
            if inner:
                candidates.append(inner)
    if len(run) >= 3:
        candidates.append(frozenset({run}))
    for candidate in candidates:
        # Prefer one literal over a set of alternatives, then the longest: the rarest text in ordinary code.
        if best is None or (len(candidate), -min(map(len, candidate))) < (len(best), -min(map(len, best))):
            best = candidate
    return best


def pattern_metavars(rule: object) -> frozenset[str]:
    """Return the named metavariables ($X, $$$XS) that any pattern in `rule` can capture."""
    if isinstance(rule, dict):
        found: set[str] = set()
        for key, value in rule.items():
            if key == "pattern":
                text = value.get("context", "") if isinstance(value, dict) else value
                if isinstance(text, str):
                    found.update(metavar_names(text))
            elif key != "not":
                found |= pattern_metavars(value)
        return frozenset(found - {"_"})
    if isinstance(rule, list):
        return frozenset().union(*(pattern_metavars(item) for item in rule)) if rule else frozenset()
    return frozenset()


def metavar_names(text: str) -> set[str]:
    """Return the names of the metavariables written in a pattern or fix template."""
    return {m.group(1) or m.group(2) for m in METAVAR.finditer(text)}
