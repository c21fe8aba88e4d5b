"""anchor_findings: no finding ever leaves the diff; near misses move onto the nearest commentable line."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.review.anchoring import REANCHOR_DISTANCE, anchor_findings
from bot.review.diff import FileDiff, parse_diff
from bot.review.models import Finding
from tests.review.test_diff import diff_specs, render

DISTANCE = REANCHOR_DISTANCE

# service.py: hunk 1 covers new lines 10-15 (12, 13 added), hunk 2 covers 40-43 (41 added).
DIFF = """diff --git a/service.py b/service.py
index 1111111..2222222 100644
--- a/service.py
+++ b/service.py
@@ -10,5 +10,6 @@ def a():
 c10
 c11
-old12
+new12
+new13
 c14
 c15
@@ -39,3 +40,4 @@ def b():
 c40
+new41
 c42
 c43
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1 +0,0 @@
-x
"""
FILES = parse_diff(DIFF)


def finding(line: int, *, path: str = "service.py", end_line: int | None = None, suggestion: str | None = None):
    return Finding(
        path=path,
        line=line,
        end_line=end_line,
        category="failure_handling",
        severity="high",
        title="t",
        body="b",
        source="llm",
        suggestion=suggestion,
    )


def placed(found: list[Finding]) -> list[tuple[str, int, int | None]]:
    return [(f.path, f.line, f.end_line) for f in found]


def test_findings_on_commentable_lines_are_unchanged() -> None:
    kept = [finding(10), finding(12, suggestion="fix"), finding(15), finding(41, end_line=43)]
    assert anchor_findings(kept, FILES) == kept


def test_path_prefixes_are_normalised_and_unknown_paths_dropped() -> None:
    found = anchor_findings(
        [finding(12, path=p) for p in ("./service.py", "a/service.py", "b/service.py", "other.py", "gone.py")],
        FILES,
    )
    assert placed(found) == [("service.py", 12, None)] * 3


def test_near_misses_move_to_the_nearest_line_of_the_same_hunk() -> None:
    found = anchor_findings([finding(9), finding(16), finding(18), finding(38), finding(45)], FILES)
    assert [f.line for f in found] == [10, 15, 15, 40, 43]
    assert {f.path for f in found} == {"service.py"}


def test_far_away_and_impossible_lines_are_dropped() -> None:
    far = [finding(15 + REANCHOR_DISTANCE + 1), finding(27), finding(1), finding(0), finding(-3), finding(500)]
    assert anchor_findings(far, FILES) == []


def test_end_line_is_clamped_to_the_hunk_or_cleared() -> None:
    found = anchor_findings(
        [finding(12, end_line=30), finding(12, end_line=12), finding(13, end_line=11), finding(15, end_line=40)],
        FILES,
    )
    assert [(f.line, f.end_line) for f in found] == [(12, 15), (12, None), (13, None), (15, None)]


def test_a_suggestion_is_dropped_when_its_range_changes() -> None:
    moved, clamped, single, same = anchor_findings(
        [
            finding(16, suggestion="x"),
            finding(12, end_line=30, suggestion="x"),
            finding(12, end_line=12, suggestion="x"),
            finding(12, end_line=14, suggestion="x"),
        ],
        FILES,
    )
    assert (moved.suggestion, clamped.suggestion) == (None, None)
    assert (single.suggestion, same.suggestion) == ("x", "x")


def test_a_file_without_commentable_lines_takes_no_finding() -> None:
    assert anchor_findings([finding(1, path="gone.py")], FILES) == []


# --- properties over generated diffs ---------------------------------------------------------------


def hunk_ranges(file: FileDiff) -> list[range]:
    return [range(min(h.commentable), max(h.commentable) + 1) for h in file.hunks if h.commentable]


@st.composite
def diff_and_findings(draw: st.DrawFn) -> tuple[list[FileDiff], list[Finding]]:
    files = parse_diff(render(draw(diff_specs())))
    paths = [f.path for f in files]
    path = st.one_of(
        st.sampled_from(paths),
        st.sampled_from(paths).map(lambda p: "./" + p),
        st.sampled_from(paths).map(lambda p: "b/" + p),
        st.text(max_size=8),
    )
    top = max((max(f.commentable) for f in files if f.commentable), default=10) + 10
    lines = st.integers(-2, top)
    found = draw(
        st.lists(
            st.builds(
                lambda p, line, end, s: replace(finding(line, path=p, end_line=end), suggestion=s),
                path,
                lines,
                st.one_of(st.none(), lines),
                st.one_of(st.none(), st.just("fix")),
            ),
            max_size=25,
        )
    )
    return files, found


@settings(max_examples=100, deadline=None)
@given(diff_and_findings())
def test_every_emitted_finding_lies_on_a_commentable_line_of_its_file(
    case: tuple[list[FileDiff], list[Finding]],
) -> None:
    files, found = case
    by_path = {f.path: f for f in files}
    for out in anchor_findings(found, files):
        assert out.path in by_path
        file = by_path[out.path]
        assert out.line in file.commentable
        if out.end_line is not None:
            assert out.end_line > out.line
            assert any(out.line in r and out.end_line in r for r in hunk_ranges(file))
            assert all(n in file.commentable for n in range(out.line, out.end_line + 1))


@settings(max_examples=100, deadline=None)
@given(diff_and_findings())
def test_findings_on_or_near_the_diff_are_never_lost(case: tuple[list[FileDiff], list[Finding]]) -> None:
    files, found = case
    by_path = {f.path: f for f in files}

    def resolve(path: str) -> FileDiff | None:
        for candidate in (path, path.removeprefix("./"), path.removeprefix("b/")):
            if candidate in by_path:
                return by_path[candidate]
        return None

    exact = [f for f in found if f.path in by_path and f.line in by_path[f.path].commentable]
    near = [
        f
        for f in found
        if (file := resolve(f.path))
        and f.line >= 1
        and any(abs(f.line - n) <= REANCHOR_DISTANCE for n in file.commentable)
    ]
    out = anchor_findings(found, files)
    assert len(out) == len(near)
    # Findings already on the diff keep their line.
    assert [f.line for f in anchor_findings(exact, files)] == [f.line for f in exact]
