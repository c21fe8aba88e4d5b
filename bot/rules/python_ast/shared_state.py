"""Module-level state: written from request handlers without a lock, and containers that only grow."""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Generator, Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, is_handler, serves_requests, span

_MUTATORS = frozenset({"append", "extend", "update", "setdefault", "add", "insert", "__setitem__", "pop", "remove"})
_CACHE_NAME = re.compile(r"(?i)cache|memo")
_EVICTION = frozenset({"pop", "popitem", "clear", "__delitem__", "remove", "discard", "popleft", "difference_update"})
_GROWERS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft"})
# Calls that only read the container they are given.
_READ_ONLY = frozenset(
    {
        "len",
        "list",
        "tuple",
        "set",
        "sorted",
        "dict",
        "iter",
        "print",
        "str",
        "repr",
        "any",
        "all",
        "sum",
        "min",
        "max",
        "enumerate",
        "zip",
        "bool",
        "json.dumps",
        "jsonify",
        "JsonResponse",
        "reversed",
        "frozenset",
        "isinstance",
    }
)
_GROWTH_BODY = (
    "A request handler adds to a module-level container and nothing in the module ever removes from it, clears it "
    "or caps its size. Every request leaves something behind, so the worker's memory grows for as long as it runs, "
    "until it is killed for it; the data is also per process, so other workers do not see it.\n\n"
    "Keep per-request data in locals; keep shared data in a store with expiry (Redis, the database), or cap the "
    "container (`collections.deque(maxlen=1000)`, `cachetools.TTLCache(maxsize=..., ttl=...)`)."
)


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
    """Flag module-level caches that are filled but never evicted, and containers request handlers only grow."""

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
        """Yield module caches never evicted, and module containers that request handlers only ever add to."""
        containers = module_mutables(index.tree)
        if not containers:
            return
        shrunk = _shrunk(index)
        growing = set(containers) - shrunk
        caches = yield from self._caches(index, {n: s for n, s in containers.items() if _is_dict(s)}, growing)
        if not index.whole:
            return  # what the rest of the module removes is unknown
        for func in index.functions:
            if not serves_requests(func):
                continue
            for node, name in mutable_writes(index.own(func), growing - caches):
                if _grows(node):
                    kind = _kind(containers[name])
                    yield Hit(
                        *_lines(node),
                        title=f"Module-level {kind} `{name}` grows with every request and nothing empties it",
                        body=_GROWTH_BODY,
                    )

    def _caches(
        self, index: TreeIndex, dicts: dict[str, ast.stmt], growing: set[str]
    ) -> Generator[Hit, None, set[str]]:
        """Yield each module dict used as a cache and never evicted: at its definition when the diff adds it."""
        writes: dict[str, list[ast.AST]] = {}
        for func in index.functions:
            nodes = index.own(func)
            looked_up = _looked_up(nodes)
            for node, name in mutable_writes(nodes, growing & set(dicts)):
                # A cache by name, or by use: looked up by key, then filled with a computed value.
                if _CACHE_NAME.search(name) or (name in looked_up and _fills_computed(node, name)):
                    writes.setdefault(name, []).append(node)
        for name, found in sorted(writes.items()):
            definition = dicts[name]
            if index.is_added(definition.lineno):
                yield span(definition)
            else:
                yield from (span(w) for w in found)
        return set(writes)


def _shrunk(index: TreeIndex) -> set[str]:
    """Return the module names something removes from, clears, caps, rebinds or hands to code we cannot see."""
    names: set[str] = set()
    rebound = {n for node in index.nodes if isinstance(node, ast.Global) for n in node.names}
    names.update(rebound)
    for node in index.nodes:
        if isinstance(node, ast.Attribute) and node.attr in _EVICTION:
            names.add(dotted(node.value))
        elif isinstance(node, ast.Delete):
            names.update(dotted(t.value) for t in node.targets if isinstance(t, ast.Subscript))
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            sliced = [t for t in targets if isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Slice)]
            names.update(dotted(t.value) for t in sliced)  # x[:] = x[-100:]
        elif isinstance(node, ast.Compare):
            sizes = [n for n in ast.walk(node) if isinstance(n, ast.Call) and call_name(n) == "len"]
            names.update(dotted(a) for n in sizes for a in n.args)  # if len(x) > cap: ...
        elif isinstance(node, ast.Call) and call_name(node) not in _READ_ONLY:
            names.update(a.id for a in node.args if isinstance(a, ast.Name))  # handed to code that may trim it
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
            names.add(node.value.id)  # handed out: the caller may empty it
    return names


def _grows(node: ast.AST) -> bool:
    """Tell whether a write adds an entry: append/add/update..., or a store under a key that is not a constant."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in _GROWERS
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
    return any(isinstance(t, ast.Subscript) and not isinstance(t.slice, ast.Constant) for t in targets)


def _kind(stmt: ast.stmt) -> str:
    value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
    if isinstance(value, ast.List) or call_name(value) == "list":
        return "list"
    if isinstance(value, ast.Set) or call_name(value) == "set":
        return "set"
    return "dict"


def _lines(node: ast.AST) -> tuple[int, int]:
    hit = span(node)
    return hit.line, hit.end_line


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
