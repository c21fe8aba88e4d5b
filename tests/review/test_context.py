"""Both whole sides of a file from either one of them and the diff, and never from a text the diff disowns."""

from __future__ import annotations

import difflib
import random

import pytest

from bot.review.context import split_lines, whole_sides
from bot.review.diff import parse_diff


def diff_of(before: list[str], after: list[str], *, context: int = 3):
    text = "diff --git a/f.py b/f.py\n" + "".join(
        difflib.unified_diff(
            [f"{line}\n" for line in before], [f"{line}\n" for line in after], "a/f.py", "b/f.py", n=context
        )
    )
    (diff,) = parse_diff(text)
    return diff


def edited(rng: random.Random, lines: list[str]) -> list[str]:
    out = list(lines)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out) + 1)
        action = rng.choice(("insert", "delete", "replace"))
        if action == "insert" or not out:
            out[at:at] = [f"new {rng.random():.6f}" for _ in range(rng.randint(1, 3))]
        elif action == "delete":
            del out[at : at + rng.randint(1, 3)]
        else:
            out[min(at, len(out) - 1)] = f"changed {rng.random():.6f}"
    return out


@pytest.mark.parametrize("seed", range(60))
def test_either_side_rebuilds_the_other_exactly(seed):
    rng = random.Random(seed)
    before = [f"line {n}" for n in range(rng.randint(1, 40))]
    after = edited(rng, before)
    if after == before:
        return
    diff = diff_of(before, after, context=rng.choice((0, 1, 3)))
    for version in (after, before):
        sides = whole_sides(diff, "\n".join(version) + "\n")
        shown = any(ln.kind != ("removed" if version is after else "added") for h in diff.hunks for ln in h.lines)
        # Without context lines a side may show no line at all: then nothing vouches for the text.
        assert sides is not None or not shown
        if sides is not None:
            assert (list(sides.base), list(sides.head)) == (before, after)


def test_a_text_that_matches_neither_side_is_refused():
    before = ["a", "b", "c", "d"]
    diff = diff_of(before, ["a", "B", "c", "d"])
    assert whole_sides(diff, "a\nX\nc\nd\n") is None
    assert whole_sides(diff, "b\nc\nd\n") is None  # a line above the hunk went missing
    assert whole_sides(diff, None) is None


def test_a_context_line_that_differs_is_enough_to_refuse():
    before = ["def f():", "    x = 1", "    return x"]
    diff = diff_of(before, ["def f():", "    x = 2", "    return x"])
    assert whole_sides(diff, "def g():\n    x = 2\n    return x\n") is None


def test_lines_are_split_as_git_counts_them():
    assert split_lines("a\r\nb\x0cc\u2028d\n") == ("a", "b\x0cc\u2028d")
    assert split_lines("a\nb") == ("a", "b")
    assert split_lines("") == ()
