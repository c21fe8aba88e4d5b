"""Time the offline static review of a 100,000-changed-line diff on one core and print the figures.

Usage: .venv/bin/python -m bench.bench_rules_speed [changed_lines]

The diff adds real Python modules from the installed packages (so the rules see real code) plus
generated TypeScript and Go files, as new files and as edits of existing ones.
"""

from __future__ import annotations

import asyncio
import os
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

from bot.review.config import RepoConfig
from bot.review.diff import parse_diff
from bot.rules.engine import run_rules

TS_SNIPPET = """export async function load{n}(id: string) {{
  const res = await fetch(`${{API}}/items/${{id}}`);
  if (!res.ok) {{ throw new Error("failed " + res.status); }}
  const rows = await db.query("SELECT * FROM items WHERE id = " + id);
  return rows.map((r) => ({{ ...r, at: Date.now() }}));
}}
"""
GO_SNIPPET = """func Load{n}(ctx context.Context, id string) (*Item, error) {{
\tresp, err := http.Get(base + "/items/" + id)
\tif err != nil {{
\t\treturn nil, err
\t}}
\tdefer resp.Body.Close()
\treturn decode(resp.Body)
}}
"""


def python_sources() -> Iterator[tuple[str, str]]:
    """Yield (relative path, text) of the installed pure-Python modules, in a stable order."""
    site = Path(sysconfig.get_paths()["purelib"])
    for path in sorted(site.rglob("*.py")):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if 50 < text.count("\n") < 3000:
            yield str(path.relative_to(site)), text


def added_file(path: str, text: str) -> str:
    """Return the git diff that adds `path` with content `text`."""
    lines = text.splitlines()
    body = "".join(f"+{line}\n" for line in lines)
    header = f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
    return f"{header}@@ -0,0 +1,{len(lines)} @@\n{body}"


def edited_file(path: str, text: str) -> str:
    """Return a git diff that rewrites every third line of `path` (one hunk per 30 lines)."""
    lines = text.splitlines()
    out = [f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n"]
    for start in range(0, len(lines) - 30, 30):
        chunk = lines[start : start + 30]
        hunk = []
        for i, line in enumerate(chunk):
            hunk.append(f"-{line}_old\n+{line}\n" if i % 3 == 0 else f" {line}\n")
        out.append(f"@@ -{start + 1},30 +{start + 1},30 @@\n{''.join(hunk)}")
    return "".join(out)


def build_diff(target: int) -> tuple[str, dict[str, str]]:
    """Return a diff with about `target` changed lines and the full new text of its files."""
    parts: list[str] = []
    sources: dict[str, str] = {}
    changed = 0
    n = 0
    modules = python_sources()
    while changed < target:
        n += 1
        if n % 10 == 0:
            path, text = f"web/src/load{n}.ts", "".join(TS_SNIPPET.format(n=f"{n}_{i}") for i in range(40))
        elif n % 10 == 5:
            path, text = (
                f"svc/load{n}.go",
                "package svc\n\n" + "".join(GO_SNIPPET.format(n=f"{n}_{i}") for i in range(30)),
            )
        else:
            try:
                rel, text = next(modules)
            except StopIteration:
                modules = python_sources()
                rel, text = next(modules)
            path = f"app/{n}/{rel}"
        if n % 4 == 0:
            parts.append(edited_file(path, text))
            changed += 2 * ((len(text.splitlines()) - 30) // 30 + 1) * 10
        else:
            parts.append(added_file(path, text))
            changed += len(text.splitlines())
        sources[path] = text
    return "".join(parts), sources


def main() -> None:
    """Build the diff, review it offline with the static rules and print where the time went."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    text, sources = build_diff(target)
    t0 = time.perf_counter()
    files = parse_diff(text)
    t1 = time.perf_counter()
    changed = sum(f.changed_lines for f in files)
    result = run_rules(files, sources=sources, config=RepoConfig(), custom_rules={})
    t2 = time.perf_counter()
    hunks_only = run_rules(files, sources={}, config=RepoConfig(), custom_rules={})
    t3 = time.perf_counter()
    print(f"files: {len(files)}  changed lines: {changed:,}")
    print(f"parse diff:               {t1 - t0:6.2f} s")
    print(
        f"static rules (sources):   {t2 - t1:6.2f} s  {changed / (t2 - t1):>9,.0f} changed lines/s  "
        f"{len(result.findings)} findings"
    )
    print(
        f"static rules (hunks only): {t3 - t2:5.2f} s  {changed / (t3 - t2):>9,.0f} changed lines/s  "
        f"{len(hunks_only.findings)} findings"
    )
    try:
        from bot.review.pipeline import run_review

        t4 = time.perf_counter()
        asyncio.run(run_review(files, rules=run_rules, config=RepoConfig(), sources=sources))
        print(f"whole offline review:     {time.perf_counter() - t4:6.2f} s (target < 10 s)")
    except NotImplementedError as exc:
        print(f"whole offline review: not measured, pipeline incomplete ({exc!r})")


if __name__ == "__main__":
    main()
