"""Workflow commands for findings: GitHub's escaping rules, and the command by severity."""

from __future__ import annotations

from bot.render.annotations import annotation, escape_data, escape_property, render_annotations
from bot.review.models import Finding


def _finding(**kw: object) -> Finding:
    base: dict = dict(
        path="app/a.py", line=3, category="security", severity="high", title="t", body="b", source="static"
    )
    return Finding(**{**base, **kw})


def test_message_escapes_percent_and_line_breaks_only():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"


def test_properties_also_escape_colon_and_comma():
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_command_by_severity():
    kinds = [annotation(_finding(severity=s)).split(" ", 1)[0] for s in ("critical", "high", "medium", "low")]
    assert kinds == ["::error", "::error", "::warning", "::notice"]


def test_a_hostile_finding_cannot_start_a_command_of_its_own():
    evil = _finding(
        path="we,ird:path.py",
        title="x::add-mask::y",
        body="line one\n::error file=other.py,line=1::forged\r\n%0A",
        end_line=5,
    )
    out = render_annotations([evil])
    assert out.count("\n") == 1 and out.startswith("::error file=we%2Cird%3Apath.py,line=3,endLine=5,title=")
    assert "%0A::error file=other.py" in out and "%250A" in out
