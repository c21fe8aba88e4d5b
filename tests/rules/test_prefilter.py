"""The text pre-check derived from a rule: it may only skip files the rule cannot match."""

from __future__ import annotations

import re

import pytest

from bot.rules.prefilter import derive_requirement, regex_literals


@pytest.mark.parametrize(
    ("regex", "text", "needed"),
    [
        (r"^requests\.(get|post)$", "requests.get", True),
        (r"(?i)localhost|127\.0\.0\.1", "HTTP://LOCALHOST:80", True),
        (r"(?i)localhost|127\.0\.0\.1", "127.0.0.1", True),
        (r"^(sk|rk)_test_[0-9A-Za-z]{6,}", "sk_test_abcdef", True),
        (r"(?is)^.\s*select\s.+\sfrom\s+\S+", "'SeLeCt a from b'", True),
        (r"abc?def", "abdef", True),
        # A flag scoped to a group (a custom rule's `(?i:...)`) makes that group's literals case-blind too.
        (r"(?i:localhost)", "http://LOCALHOST:80", True),
        (r"^(?i:debug)\s*=\s*true", "DEBUG = true", True),
        (r"(?i)x(?i:abcd)", "XABCD", True),
    ],
)
def test_literals_from_a_regex_are_in_everything_it_matches(regex, text, needed):
    assert re.search(regex, text)
    words = regex_literals(regex)
    assert words is not None
    assert bool(re.search("|".join(w if w.startswith("(?i:") else re.escape(w) for w in words), text)) is needed


@pytest.mark.parametrize("regex", [r"\d+", r"^.{3,}$", r"(a|b)c", r"x*y*z*", "(unclosed", r"(?:ab)?cd"])
def test_no_literal_means_no_requirement(regex):
    assert regex_literals(regex) is None


def test_requirements_combine_as_the_rule_does():
    both = {"all": [{"kind": "call"}, {"pattern": "requests.get($URL)"}]}
    assert derive_requirement(both).pattern == "requests"
    either = {"any": [{"pattern": "fetch($U)"}, {"pattern": "axios.get($U)"}]}
    assert set(derive_requirement(either).pattern.split("|")) == {"fetch", "axios"}
    partly_unknown = {"any": [{"pattern": "fetch($U)"}, {"kind": "call_expression"}]}
    assert derive_requirement(partly_unknown) is None
    negated = {"kind": "call", "not": {"pattern": "safe_call($X)"}}
    assert derive_requirement(negated) is None
    related = {"kind": "call", "inside": {"pattern": "async def $F($$$): $$$"}}
    assert derive_requirement(related) is not None
