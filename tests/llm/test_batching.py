"""Batching: every changed line exactly once, requests within size, riskiest first under the review budget."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.llm.batching import OVER_BUDGET, cut_pieces, plan_batches
from bot.llm.tokens import estimate_tokens
from bot.review.diff import parse_diff
from bot.review.models import Finding


def file_diff(path: str, hunks: list[list[str]], *, gap: int = 50) -> str:
    """Return a git diff of `path` whose hunks each add `lines` after three context lines."""
    out = [f"diff --git a/{path} b/{path}", "index 1111111..2222222 100644", f"--- a/{path}", f"+++ b/{path}"]
    old = new = 1
    for added in hunks:
        out.append(f"@@ -{old},4 +{new},{4 + len(added)} @@ def f():")
        out += [" ctx one", " ctx two", " ctx three"] + [f"+{t}" for t in added] + [" ctx after"]
        old += 4 + gap
        new += 4 + len(added) + gap
    return "\n".join(out) + "\n"


def changed_lines(batches) -> Counter:
    return Counter(
        (p.path, ln.kind, ln.new_lineno, ln.old_lineno, ln.text)
        for b in batches
        for p in b.pieces
        for ln in p.lines
        if ln.kind != "context"
    )


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.lists(st.integers(1, 120), min_size=1, max_size=4), min_size=1, max_size=6),
    request_tokens=st.integers(2_500, 12_000),
)
def test_every_changed_line_is_sent_exactly_once(sizes, request_tokens):
    text = "".join(
        file_diff(
            f"pkg/m{i}.py", [[f"value_{i}_{h}_{n} = compute({n})" for n in range(size)] for h, size in enumerate(hunks)]
        )
        for i, hunks in enumerate(sizes)
    )
    files = parse_diff(text)
    overhead = 2_000
    pieces = cut_pieces(files, max_piece_tokens=request_tokens - overhead)
    plan = plan_batches(pieces, request_tokens=request_tokens, review_tokens=10**9, overhead_tokens=overhead)
    sent = changed_lines(plan.batches)
    expected = Counter(
        (f.path, ln.kind, ln.new_lineno, ln.old_lineno, ln.text)
        for f in files
        for h in f.hunks
        for ln in h.lines
        if ln.kind != "context"
    )
    assert sent == expected
    assert not plan.left_out
    for batch in plan.batches:
        assert estimate_tokens(batch.render()) + overhead <= request_tokens
        assert [p.order for p in batch.pieces] == sorted(p.order for p in batch.pieces)


def test_a_hunk_larger_than_a_request_is_cut_without_overlap():
    files = parse_diff(file_diff("big.py", [[f"row_{n} = load({n})" for n in range(3_000)]]))
    pieces = cut_pieces(files, max_piece_tokens=4_000)
    assert len(pieces) > 5
    assert all(p.tokens <= 4_000 for p in pieces)
    numbers = [ln.new_lineno for p in pieces for ln in p.lines]
    assert numbers == sorted(set(numbers)) and len(numbers) == 3_004


def test_small_diffs_go_in_one_request():
    files = parse_diff(file_diff("a.py", [["x = 1"]]) + file_diff("b.py", [["y = 2"], ["z = 3"]]))
    plan = plan_batches(
        cut_pieces(files, max_piece_tokens=20_000), request_tokens=24_000, review_tokens=120_000, overhead_tokens=2_000
    )
    assert len(plan.batches) == 1 and plan.batches[0].paths == ("a.py", "b.py")


def test_large_diffs_spread_evenly_over_few_requests():
    text = "".join(file_diff(f"m{i}.py", [[f"v{n} = f({n}) + g({n})" for n in range(100)]]) for i in range(40))
    plan = plan_batches(
        cut_pieces(parse_diff(text), max_piece_tokens=10_000),
        request_tokens=12_000,
        review_tokens=10**9,
        overhead_tokens=2_000,
    )
    sizes = [estimate_tokens(b.render()) for b in plan.batches]
    total = sum(sizes)
    assert len(sizes) == -(-total // 10_000) or len(sizes) == -(-total // 10_000) + 1
    assert max(sizes) - min(sizes) < 0.25 * max(sizes)


def test_over_budget_the_riskiest_code_goes_first():
    boring = file_diff("lib/maths.py", [[f"total_{n} = a_{n} + b_{n}" for n in range(60)]])
    sql = file_diff("lib/report.py", [[f'cur.execute("SELECT * FROM t{n} WHERE id = " + ident)' for n in range(60)]])
    flagged = file_diff("lib/plain.py", [[f"item_{n} = items[{n}]" for n in range(60)]])
    docs = file_diff("docs/guide.md", [[f"Step {n}: call the lock service." for n in range(60)]])
    files = parse_diff(boring + sql + flagged + docs)
    static = [Finding("lib/plain.py", 5, "data_volume", "high", "t", "b", "static")]
    pieces = cut_pieces(files, max_piece_tokens=20_000, static_findings=static)
    wanted = sum(p.tokens + 20 for p in pieces if p.path in {"lib/plain.py", "lib/report.py"})
    plan = plan_batches(pieces, request_tokens=24_000, review_tokens=wanted + 1_000, overhead_tokens=1_000)
    sent = {p for b in plan.batches for p in b.paths}
    assert sent == {"lib/plain.py", "lib/report.py"}
    assert {s.path: s.reason for s in plan.left_out} == {"lib/maths.py": OVER_BUDGET, "docs/guide.md": OVER_BUDGET}


def test_a_file_partly_over_budget_says_how_many_hunks():
    files = parse_diff(file_diff("svc.py", [["requests.get(url)"], [f"n{i} = {i}" for i in range(400)]]))
    pieces = cut_pieces(files, max_piece_tokens=20_000)
    plan = plan_batches(pieces, request_tokens=24_000, review_tokens=pieces[0].tokens + 1_100, overhead_tokens=1_000)
    assert [p.order for b in plan.batches for p in b.pieces] == [(0, 0, 0)]
    assert [(s.path, s.reason) for s in plan.left_out] == [("svc.py", f"1 of 2 hunks {OVER_BUDGET}")]


def test_deleted_and_binary_files_are_not_sent():
    text = (
        "diff --git a/old.py b/old.py\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/old.py\n+++ /dev/null\n"
        "@@ -1,2 +0,0 @@\n-a = 1\n-b = 2\n"
        "diff --git a/logo.png b/logo.png\nindex 1111111..2222222 100644\n"
        "Binary files a/logo.png and b/logo.png differ\n"
    ) + file_diff("kept.py", [["c = 3"]])
    pieces = cut_pieces(parse_diff(text), max_piece_tokens=20_000)
    assert {p.path for p in pieces} == {"kept.py"}


def test_a_piece_carries_the_cost_of_the_static_findings_listed_with_it():
    # The prompt lists each static finding beside the code it is on: the budget must count those lines too.
    files = parse_diff(file_diff("app/a.py", [[f"x{i} = {i}" for i in range(10)], ["y = 1"]]))
    bare = cut_pieces(files, max_piece_tokens=10_000)
    finding = Finding(
        path="app/a.py",
        line=4,
        category="security",
        severity="high",
        title="SQL built from request data",
        body="b",
        source="static",
        rule="py-sql-built-from-strings",
    )
    priced = cut_pieces(files, max_piece_tokens=10_000, static_findings=[finding, finding])
    assert [p.tokens for p in priced][1:] == [p.tokens for p in bare][1:]
    assert priced[0].tokens >= bare[0].tokens + 2 * estimate_tokens("- W1: app/a.py:4 security/high: SQL")
