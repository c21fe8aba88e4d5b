"""Database queries issued once per loop iteration (the N+1 pattern)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, own_nodes, span

_QUERY = re.compile(
    r"\.objects\.(get|filter|exclude|count|exists|first|last|aggregate)$|(^|\.)(cursor|session|db|conn|connection)\."
    r"(execute|query|get|scalar|scalars)$|\.query\(.*\)\.(first|one|all|count)$"
)


class QueryInLoop(PyRule):
    """Flag ORM and cursor queries made inside a for loop."""

    id = "py-query-in-loop"
    category = "data_volume"
    severity = "medium"
    title = "Database query inside a loop (N+1)"
    body = (
        "A query runs once per item of the loop. With ten test rows it is instant; with ten thousand "
        "production rows it is ten thousand round trips, a request that times out and a database busy "
        "with the same statement over and over.\n\n"
        "Fetch everything in one query before the loop: `filter(id__in=ids)` into a dict, "
        "`select_related` / `prefetch_related` (Django), `selectinload` / `joinedload` (SQLAlchemy), "
        "or one `executemany`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield the first query call in the own body of each for loop."""
        for loop in index.nodes:
            if not isinstance(loop, ast.For | ast.AsyncFor):
                continue
            # A body that ends in `return` / `break` runs at most once: a lookup, not one query per item.
            if loop.body and isinstance(loop.body[-1], ast.Return | ast.Break):
                continue
            for node in own_nodes(ast.Module(body=loop.body, type_ignores=[])):
                if isinstance(node, ast.Call) and _QUERY.search(call_name(node)):
                    yield span(node)
                    break
