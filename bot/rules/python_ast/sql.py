"""SQL text built with f-strings, `%`, `+` or `.format` and passed to a query call."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, span

_SQL = re.compile(
    r"(?is)\b(select\s.+?\sfrom\b|insert\s+into\b|update\s+\S+\s+set\b|delete\s+from\b|\bwhere\s+\S+\s*(=|<|>|like|in\b))"
)
_QUERY_CALLS = frozenset(
    {"execute", "executemany", "executescript", "raw", "text", "read_sql", "read_sql_query", "exec_driver_sql"}
)


class SqlFromStrings(PyRule):
    """Flag query calls whose SQL text is assembled from values."""

    id = "py-sql-built-from-strings"
    category = "security"
    severity = "high"
    title = "SQL built from strings"
    body = (
        "Values spliced into SQL text are an injection hole: a crafted value such as `1 OR 1=1` or "
        "`'; DROP TABLE users; --` runs as SQL with this service's database rights. It also defeats the "
        "database's statement cache.\n\n"
        'Pass values as parameters: `cursor.execute("SELECT ... WHERE id = %s", (user_id,))`, '
        'SQLAlchemy `text("... WHERE id = :id")` with `{"id": user_id}`, or the ORM\'s filters. '
        "Identifiers such as column names must come from an allow-list."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield query calls whose first argument is dynamic SQL, directly or through a local name."""
        for scope in [index.tree, *index.functions]:
            nodes = index.own(scope)
            built = _built_names(nodes)
            for node in nodes:
                if not (isinstance(node, ast.Call) and node.args and _callee(node) in _QUERY_CALLS):
                    continue
                first = node.args[0]
                if _is_dynamic_sql(first) or (isinstance(first, ast.Name) and first.id in built):
                    yield span(node)


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _built_names(nodes: list[ast.AST]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Assign) and _is_dynamic_sql(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and _is_dynamic_sql(node.value):
            names.add(node.target.id)
    return names


def _is_dynamic_sql(node: ast.AST) -> bool:
    return _has_values(node) and _sql_text(node)


def _sql_text(node: ast.AST) -> bool:
    constants = " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return bool(_SQL.search(constants))


def _has_values(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and not _constant_like(v.value) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return not (_constant_like(node.left) and _constant_like(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return any(not _constant_like(a) for a in [*node.args, *(k.value for k in node.keywords)])
    return False


def _constant_like(node: ast.AST) -> bool:
    # Literals and UPPER_CASE module constants (table names, column lists) are not user input.
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.BinOp):
        return _constant_like(node.left) and _constant_like(node.right)
    if isinstance(node, ast.JoinedStr):
        return all(not isinstance(v, ast.FormattedValue) or _constant_like(v.value) for v in node.values)
    return False
