"""Shared state changed without a lock: ORM read-modify-write, module globals, growing module caches."""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Sequence

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


def module_mutables(tree: ast.Module) -> dict[str, ast.stmt]:
    """Return the module-level names bound to a mutable container, each with the statement binding it."""
    names: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and _is_mutable(stmt.value):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names.update((t.id, stmt) for t in targets if isinstance(t, ast.Name))
    return names


def _is_mutable(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set):
        return True
    return call_name(value).rsplit(".", 1)[-1] in {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter"}


def mutable_writes(nodes: list[ast.AST], names: Collection[str]) -> Iterator[tuple[ast.AST, str]]:
    """Yield the statements and calls among `nodes` that change one of the module-level `names`."""
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
        mutables = module_mutables(index.tree)
        for func in index.functions:
            if not is_handler(func) or holds_lock(index.own(func)):
                continue
            for node, _name in mutable_writes(index.own(func), mutables):
                yield span(node)


def holds_lock(nodes: list[ast.AST]) -> bool:
    """Tell whether `nodes` take a lock (`with lock:`) somewhere."""
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
        """Yield each module dict used as a cache and never evicted: at its definition when the diff adds it."""
        dicts = {n: stmt for n, stmt in module_mutables(index.tree).items() if _is_dict(stmt)}
        if not dicts:
            return
        evicted: set[str] = set()
        for node in index.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _EVICTION:
                evicted.add(dotted(node.func.value))
            elif isinstance(node, ast.Delete):
                evicted.update(dotted(t.value) for t in node.targets if isinstance(t, ast.Subscript))
        growing = set(dicts) - evicted
        writes: dict[str, list[ast.AST]] = {}
        for func in index.functions:
            nodes = index.own(func)
            looked_up = _looked_up(nodes)
            for node, name in mutable_writes(nodes, growing):
                # A cache by name, or by use: looked up by key, then filled with a computed value.
                if _CACHE_NAME.search(name) or (name in looked_up and _fills_computed(node, name)):
                    writes.setdefault(name, []).append(node)
        for name, found in sorted(writes.items()):
            definition = dicts[name]
            if index.is_added(definition.lineno):
                yield span(definition)
            else:
                yield from (span(w) for w in found)


def _looked_up(nodes: list[ast.AST]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In | ast.NotIn):
            names.add(dotted(node.comparators[0]))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            names.add(dotted(node.func.value))
    return names


def _fills_computed(node: ast.AST, name: str) -> bool:
    """Tell whether a write stores a freshly computed value; `d[k] = d.get(k, 0) + n` accumulates instead."""
    if isinstance(node, ast.Call):  # setdefault(key, compute())
        values = node.args[1:]
    else:
        value = getattr(node, "value", None)
        values = [value] if value is not None else []
    inner = [n for v in values for n in ast.walk(v)]
    computed = any(isinstance(n, ast.Call | ast.Await) for n in inner)
    return computed and not any(dotted(n) == name for n in inner if isinstance(n, ast.Name | ast.Attribute))


def _is_dict(stmt: ast.stmt) -> bool:
    value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
    return isinstance(value, ast.Dict) or call_name(value).rsplit(".", 1)[-1] in {"dict", "defaultdict", "OrderedDict"}
