"""Shared state changed without a lock: ORM read-modify-write, module globals, growing module caches."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, is_handler, span

_FETCH = re.compile(r"\.objects\.|(^|\.)(get|first|one|one_or_none|get_or_404|first_or_404|scalar_one)$")
_PERSIST = re.compile(r"(^|\.)(save|commit|flush|update)$")
_LOCKED = re.compile(r"select_for_update|with_for_update|lock|atomic_update|F$", re.IGNORECASE)
_MUTATORS = frozenset({"append", "extend", "update", "setdefault", "add", "insert", "__setitem__", "pop", "remove"})
_CACHE_NAME = re.compile(r"(?i)cache|memo")
_EVICTION = frozenset({"pop", "popitem", "clear", "__delitem__"})


class ReadModifyWrite(PyRule):
    """Flag a row read, changed in Python and saved back without a row lock (lost updates)."""

    id = "py-read-modify-write"
    category = "concurrency"
    severity = "high"
    title = "Read-modify-write race on a database row"
    body = (
        "The row is read, changed in Python and written back. Two requests doing this at once both read "
        "the same old value and the second write silently undoes the first: stock goes negative, a "
        "balance loses a payment, a counter drops increments. It never shows in tests, only under "
        "concurrent production traffic.\n\n"
        "Let the database do it atomically: `Product.objects.filter(pk=pk, stock__gt=0)"
        '.update(stock=F("stock") - 1)` (check the returned row count), or lock the row inside a '
        "transaction: `with transaction.atomic(): p = Product.objects.select_for_update().get(pk=pk)` "
        "(SQLAlchemy: `.with_for_update()`)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield in-place changes of a fetched object's field in functions that then persist it."""
        for func in index.functions:
            nodes = index.own(func)
            if any(_LOCKED.search(call_name(n)) for n in nodes if isinstance(n, ast.Call)):
                continue
            fetched = {
                t.id
                for n in nodes
                if isinstance(n, ast.Assign) and _FETCH.search(call_name(n.value))
                for t in n.targets
                if isinstance(t, ast.Name)
            }
            persisted = any(_PERSIST.search(call_name(n)) for n in nodes if isinstance(n, ast.Call))
            if not fetched or not persisted:
                continue
            for node in nodes:
                target = _modified_field(node)
                if target is not None and isinstance(target.value, ast.Name) and target.value.id in fetched:
                    yield span(node)


def _modified_field(node: ast.AST) -> ast.Attribute | None:
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
        return node.target
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute):
        target = node.targets[0]
        # `obj.n = obj.n - 1` is the spelled-out form of `obj.n -= 1`.
        reads_itself = any(isinstance(n, ast.Attribute) and dotted(n) == dotted(target) for n in ast.walk(node.value))
        return target if reads_itself else None
    return None


def _module_mutables(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and _is_mutable(stmt.value):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _is_mutable(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set):
        return True
    return call_name(value).rsplit(".", 1)[-1] in {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter"}


def _writes(nodes: list[ast.AST], names: set[str]) -> Iterator[tuple[ast.AST, str]]:
    declared = {n for node in nodes if isinstance(node, ast.Global) for n in node.names}
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in declared:
                    yield node, target.id
                elif isinstance(target, ast.Subscript) and dotted(target.value) in names:
                    yield node, dotted(target.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = dotted(node.func.value)
            if owner in names and node.func.attr in _MUTATORS:
                yield node, owner


class GlobalStateInHandler(PyRule):
    """Flag request handlers and coroutines that write module-level mutable state."""

    id = "py-global-state-in-handler"
    category = "concurrency"
    severity = "medium"
    title = "Module-level state written from a request handler"
    body = (
        "A request handler writes module-level state. Concurrent requests (threads, or coroutines "
        "between two `await`s) interleave these writes and lose or mix up data; each worker process has "
        "its own copy, so behaviour differs from one request to the next behind the load balancer; and "
        "whatever is added is never freed.\n\n"
        "Keep per-request data in locals, and shared data in a store built for it (Redis, the database, "
        "a bounded cache guarded by a `threading.Lock` / `asyncio.Lock`)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield writes to globals or module-level containers inside handlers without a lock."""
        mutables = _module_mutables(index.tree)
        for func in index.functions:
            if not is_handler(func) or _holds_lock(index.own(func)):
                continue
            for node, _name in _writes(index.own(func), mutables):
                yield span(node)


def _holds_lock(nodes: list[ast.AST]) -> bool:
    return any(
        isinstance(n, ast.With | ast.AsyncWith) and any("lock" in dotted(i.context_expr).lower() for i in n.items)
        for n in nodes
    )


class UnboundedModuleCache(PyRule):
    """Flag module-level dict caches that are filled but never evicted."""

    id = "py-unbounded-module-cache"
    category = "data_volume"
    severity = "medium"
    title = "Module-level cache that only grows"
    body = (
        "A module-level dictionary is used as a cache and nothing ever removes entries. Keyed by "
        "anything that varies with traffic (users, URLs, ids), it grows for the life of the process "
        "until the worker is killed for memory, and it is per process, so it is not even shared.\n\n"
        "Use a bounded cache (`cachetools.TTLCache(maxsize=10_000, ttl=300)`, "
        "`functools.lru_cache(maxsize=...)`) or an external one (Redis) with expiry."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield the writes to a cache-named module dict when the module never evicts from it."""
        caches = {n for n in _module_mutables(index.tree) if _CACHE_NAME.search(n)}
        if not caches:
            return
        evicted: set[str] = set()
        for node in index.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _EVICTION:
                evicted.add(dotted(node.func.value))
            elif isinstance(node, ast.Delete):
                evicted.update(dotted(t.value) for t in node.targets if isinstance(t, ast.Subscript))
        growing = caches - evicted
        for func in index.functions:
            for node, name in _writes(index.own(func), growing):
                if isinstance(node, ast.Assign) or (isinstance(node, ast.Call) and name in growing):
                    yield span(node)
