"""parse_diff: real git output in every odd form, malformed input, and generated diffs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.review.diff import DiffError, FileDiff, parse_diff
from bot.review.diff_headers import unquote

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "diffs"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def by_path(files: list[FileDiff]) -> dict[str, FileDiff]:
    return {f.path: f for f in files}


def shape(files: list[FileDiff]) -> list[tuple[object, ...]]:
    return [
        (f.path, f.old_path, f.status, f.is_binary, [(h.new_start, h.new_length, h.lines) for h in f.hunks])
        for f in files
    ]


# --- real git output -------------------------------------------------------------------------------


def test_mixed_git_diff_reads_every_file_with_its_status() -> None:
    files = by_path(parse_diff(sample("git_mixed.diff")))
    assert len(files) == 13
    assert files["config/settings.py"].status == "added"
    assert files["config/settings.py"].added == {1: "import os", 2: 'DB = "postgres://localhost/dev"'}
    # A deleted file keeps its old path and has nothing commentable on the new side.
    assert files["legacy.py"].status == "deleted"
    assert files["legacy.py"].commentable == frozenset()
    assert files["logo.png"].is_binary and files["logo.png"].hunks == ()


def test_renames_keep_the_old_path_and_a_pure_rename_has_no_hunks() -> None:
    files = by_path(parse_diff(sample("git_mixed.diff")))
    pure = files["new helper.py"]
    assert (pure.status, pure.old_path, pure.hunks) == ("renamed", "old helper.py", ())
    edited = files["pkg_moved.py"]
    assert (edited.status, edited.old_path) == ("renamed", "moved.py")
    assert edited.added == {15: "v fifteen"}
    assert edited.commentable == frozenset(range(12, 19))


def test_mode_only_change_has_no_hunks() -> None:
    run = by_path(parse_diff(sample("git_mixed.diff")))["run.sh"]
    assert (run.status, run.is_binary, run.hunks) == ("modified", False, ())


def test_multiple_hunks_number_lines_from_their_headers() -> None:
    service = by_path(parse_diff(sample("git_mixed.diff")))["service.py"]
    assert [(h.old_start, h.old_length, h.new_start, h.new_length) for h in service.hunks] == [
        (1, 6, 1, 6),
        (27, 7, 27, 8),
    ]
    assert service.hunks[1].section == "line 26"
    assert service.added == {3: "line 3 changed", 30: "line 30 changed", 31: "extra line"}
    removed = [ln for h in service.hunks for ln in h.lines if ln.kind == "removed"]
    assert [(ln.text, ln.old_lineno, ln.new_lineno) for ln in removed] == [
        ("line 3", 3, None),
        ("line 30", 30, None),
    ]
    assert service.changed_lines == 5


def test_quoted_unicode_and_special_paths_are_unquoted() -> None:
    paths = set(by_path(parse_diff(sample("git_mixed.diff"))))
    assert {"src/ünïcode dir/fïle.py", 'quo"te.py', "we\tird.py"} <= paths
    assert not any(p.startswith(('"', "a/", "b/")) for p in paths)


def test_crlf_content_lines_lose_their_carriage_return() -> None:
    win = by_path(parse_diff(sample("git_mixed.diff")))["win.txt"]
    assert win.added == {2: "B", 4: "d"}
    assert all("\r" not in ln.text for h in win.hunks for ln in h.lines)


def test_a_diff_saved_with_crlf_reads_like_the_original() -> None:
    assert shape(parse_diff(sample("crlf_whole_file.diff"))) == shape(parse_diff(sample("git_mixed.diff")))


def test_no_newline_marker_is_not_a_line() -> None:
    nonl = by_path(parse_diff(sample("git_mixed.diff")))["nonl.txt"]
    assert [(ln.kind, ln.text) for ln in nonl.hunks[0].lines] == [("removed", "end"), ("added", "end2")]


def test_non_utf8_bytes_are_kept_as_latin1_without_crashing() -> None:
    latin = by_path(parse_diff(sample("git_mixed.diff")))["latin1.py"]
    assert latin.added == {1: "café = 1"}


def test_git_binary_patch_is_binary_and_does_not_disturb_the_next_file() -> None:
    files = by_path(parse_diff(sample("git_binary_patch.diff")))
    assert files["logo.png"].is_binary and files["logo.png"].hunks == ()
    assert shape(list(files.values())) == shape(parse_diff(sample("git_mixed.diff")))


def test_format_patch_series_and_git_log_output_are_read() -> None:
    series = parse_diff(sample("format_patch.mbox.diff"))
    assert [(f.path, f.status, f.added) for f in series] == [
        ("c1.txt", "added", {1: "A", 2: "B"}),
        ("c1.txt", "modified", {3: "C"}),
    ]
    log = parse_diff(sample("git_log_p.diff"))
    assert [(f.path, f.added) for f in log] == [("c1.txt", {3: "C"}), ("c1.txt", {1: "A", 2: "B"})]


def test_no_prefix_and_plain_unified_diffs() -> None:
    [no_prefix] = parse_diff(sample("no_prefix.diff"))
    assert (no_prefix.path, no_prefix.status) == ("c1.txt", "added")
    [plain] = parse_diff(sample("plain_unified.diff"))
    assert plain.path == "new/x.txt" and plain.added == {2: "c"}


def test_bytes_and_text_give_the_same_result() -> None:
    raw = sample("git_mixed.diff")
    text = raw.decode("utf-8", "replace")
    assert [f.path for f in parse_diff(raw)] == [f.path for f in parse_diff(text)]


def test_names_containing_space_b_slash_are_not_split_wrongly() -> None:
    name = "docs/plan b/notes.md"
    text = (
        f"diff --git a/{name} b/{name}\nold mode 100644\nnew mode 100755\n"
        f"diff --git a/{name} b/{name}\nindex 1..2 100644\n--- a/{name}\n+++ b/{name}\n@@ -1 +1 @@\n-a\n+b\n"
        f"diff --git a/{name} b/{name}\nindex 1..2 100644\nBinary files a/{name} and b/{name} differ\n"
    )
    files = parse_diff(text)
    assert [(f.path, f.status, f.is_binary, len(f.hunks)) for f in files] == [
        (name, "modified", False, 0),
        (name, "modified", False, 1),
        (name, "modified", True, 0),
    ]


def test_copied_file_is_added_with_its_source() -> None:
    text = (
        "diff --git a/x.py b/y.py\nsimilarity index 90%\ncopy from x.py\ncopy to y.py\n"
        "index 1..2 100644\n--- a/x.py\n+++ b/y.py\n@@ -1 +1 @@\n-a\n+b\n"
    )
    [f] = parse_diff(text)
    assert (f.path, f.old_path, f.status, f.added) == ("y.py", "x.py", "added", {1: "b"})


@pytest.mark.parametrize("empty", ["", b"", "\n\n", "  \r\n", "\ufeff"])
def test_empty_input_gives_no_files(empty: str | bytes) -> None:
    assert parse_diff(empty) == []


def test_form_feed_and_unicode_line_separators_stay_inside_their_line() -> None:
    text = "--- a/x.py\n+++ b/x.py\n@@ -1 +1,2 @@\n-a\n+b\x0cc\n+d\u2028e\x85f\n"
    [f] = parse_diff(text)
    assert f.added == {1: "b\x0cc", 2: "d\u2028e\x85f"}


def test_empty_context_line_without_its_space_counts_as_context() -> None:
    text = "--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n"
    [f] = parse_diff(text)
    assert [(ln.kind, ln.text, ln.new_lineno) for ln in f.hunks[0].lines] == [
        ("context", "a", 1),
        ("context", "", 2),
        ("removed", "b", None),
        ("added", "c", 3),
    ]


@pytest.mark.parametrize(
    ("quoted", "plain"),
    [
        ('"a/\\303\\244.py"', "a/ä.py"),
        ('"a/tab\\there"', "a/tab\there"),
        ('"a/q\\"uote\\\\"', 'a/q"uote\\'),
        ('"a/\\351t\\351.py"', "a/été.py"),  # not UTF-8: fall back to Latin-1, never crash
        ("a/plain name.py", "a/plain name.py"),
    ],
)
def test_unquote_git_paths(quoted: str, plain: str) -> None:
    assert unquote(quoted) == plain


# --- malformed input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("not_a_diff.txt", "no file headers"),
        ("not_a_diff.json", "no file headers"),
        ("malformed_truncated_hunk_header.diff", "line 5: malformed hunk header"),
        ("malformed_hunk_too_short.diff", "line 9: a hunk ends before"),
        ("malformed_hunk_too_long.diff", "line 9: a changed line outside any hunk"),
        ("malformed_truncated_at_end.diff", "a hunk ends before"),
    ],
)
def test_malformed_input_raises_a_one_line_diff_error(name: str, expected: str) -> None:
    with pytest.raises(DiffError) as caught:
        parse_diff(sample(name))
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_error_messages_never_quote_the_input() -> None:
    secret = "AKIAIOSFODNN7EXAMPLE"
    broken = [
        f"--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n+{secret}\n",
        f"--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+{secret}\n",
        f"--- a/x\n+++ b/x\n@@ -1 +1 @@ {secret}\n?{secret}\n",
        f"--- a/x\n+++ b/x\n@@ -1 +{secret} @@\n",
        f"+++ b/{secret}\n",
    ]
    for text in broken:
        with pytest.raises(DiffError) as caught:
            parse_diff(text)
        assert secret not in str(caught.value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_arbitrary_input_gives_files_or_diff_error(data: str | bytes) -> None:
    try:
        parse_diff(data)
    except DiffError as exc:
        assert "\n" not in str(exc)


# --- generated diffs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HunkSpec:
    old_start: int
    new_start: int
    ops: tuple[tuple[str, str], ...]  # (" " | "+" | "-", text)

    @property
    def old_length(self) -> int:
        return sum(1 for op, _ in self.ops if op != "+")

    @property
    def new_length(self) -> int:
        return sum(1 for op, _ in self.ops if op != "-")


@dataclass(frozen=True)
class FileSpec:
    path: str
    hunks: tuple[HunkSpec, ...]


_LINE_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=30)
_PATH_PART = st.text(st.sampled_from('abcxyz_-. äé"\\\t'), min_size=1, max_size=8).filter(
    lambda s: s.strip(" .") == s and s not in (".", "..")
)


@st.composite
def file_specs(draw: st.DrawFn, path: str) -> FileSpec:
    hunks = []
    old = new = 1
    for _ in range(draw(st.integers(1, 4))):
        gap = draw(st.integers(0, 25))
        ops = tuple(draw(st.lists(st.tuples(st.sampled_from(" +-"), _LINE_TEXT), min_size=1, max_size=12)))
        hunk = HunkSpec(old_start=old + gap, new_start=new + gap, ops=ops)
        hunks.append(hunk)
        old, new = hunk.old_start + hunk.old_length + 1, hunk.new_start + hunk.new_length + 1
    return FileSpec(path=path, hunks=tuple(hunks))


@st.composite
def diff_specs(draw: st.DrawFn) -> list[FileSpec]:
    parts = draw(st.lists(st.lists(_PATH_PART, min_size=1, max_size=3), min_size=1, max_size=4))
    paths = list(dict.fromkeys("/".join(p) for p in parts))
    return [draw(file_specs(path)) for path in paths]


def quote_path(path: str) -> str:
    """Quote a path the way git does when it holds a quote, backslash, control or non-ASCII character."""
    if all(32 <= ord(c) < 127 and c not in '"\\' for c in path):
        return path
    named = {9: "\\t", 10: "\\n", 34: '\\"', 92: "\\\\"}
    return '"' + "".join(named.get(b) or (chr(b) if 32 <= b < 127 else f"\\{b:03o}") for b in path.encode()) + '"'


def render(files: list[FileSpec]) -> str:
    """Write specs as `git diff` would."""
    out = []
    for f in files:
        a, b = quote_path("a/" + f.path), quote_path("b/" + f.path)
        out.append(f"diff --git {a} {b}\nindex 1111111..2222222 100644\n--- {a}\n+++ {b}\n")
        for h in f.hunks:
            out.append(f"@@ -{h.old_start},{h.old_length} +{h.new_start},{h.new_length} @@ def f():\n")
            out.extend(f"{op}{text}\n" for op, text in h.ops)
    return "".join(out)


@settings(max_examples=100, deadline=None)
@given(diff_specs())
def test_generated_diffs_round_trip(specs: list[FileSpec]) -> None:
    files = parse_diff(render(specs))
    assert [f.path for f in files] == [s.path for s in specs]
    for file, spec in zip(files, specs, strict=True):
        assert file.status == "modified"
        assert len(file.hunks) == len(spec.hunks)
        for hunk, hspec in zip(file.hunks, spec.hunks, strict=True):
            assert [(ln.kind[0], ln.text) for ln in hunk.lines] == [
                ({"+": "a", "-": "r", " ": "c"}[op], text) for op, text in hspec.ops
            ]
            new_side = [ln.new_lineno for ln in hunk.lines if ln.kind != "removed"]
            assert new_side == list(range(hspec.new_start, hspec.new_start + hspec.new_length))
            assert hunk.commentable == frozenset(new_side)


def hunk_body_lines(lines: list[str]) -> list[int]:
    """Return the indexes of the lines inside hunks (a removed "--" line renders as "---", like a header)."""
    body, in_hunk = [], False
    for i, line in enumerate(lines):
        if line.startswith("diff --git "):
            in_hunk = False
        elif line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in "+- ":
            body.append(i)
    return body


@settings(max_examples=100, deadline=None)
@given(diff_specs(), st.data())
def test_a_corrupted_count_never_passes_silently(specs: list[FileSpec], data: st.DataObject) -> None:
    text = render(specs)
    lines = [line + "\n" for line in text.split("\n")[:-1]]  # str.splitlines would split at \x1e too
    drop = data.draw(st.sampled_from(hunk_body_lines(lines)))
    with pytest.raises(DiffError):
        parse_diff("".join(lines[:drop] + lines[drop + 1 :]))


def test_a_removed_line_that_reads_like_a_file_header_is_still_a_hunk_line():
    # Removing the line "--" renders as "---", the same text as a file header.
    diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,1 @@\n---\n keep\n"
    [file] = parse_diff(diff)
    assert [ln.kind for ln in file.hunks[0].lines] == ["removed", "context"]
    with pytest.raises(DiffError):
        parse_diff(diff.replace("---\n keep", " keep"))
