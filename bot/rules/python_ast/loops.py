"""Database queries issued once per loop iteration (the N+1 pattern), spelled out or hidden in a lazy relation."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, own_nodes, serves_requests, span

_QUERY = re.compile(
    r"\.objects\.(get|filter|exclude|count|exists|first|last|aggregate)$|(^|\.)(cursor|session|db|conn|connection)\."
    r"(execute|query|get|scalar|scalars)$|\.query\(.*\)\.(first|one|all|count)$"
)
# A result set ending in one of these is not a list of model objects (a number, a row, dicts, tuples).
_NOT_OBJECTS = frozenset(
    {"values", "values_list", "count", "exists", "get", "first", "last", "aggregate", "in_bulk", "update", "delete"}
)
_LOADERS = frozenset(
    {"select_related", "prefetch_related", "joinedload", "selectinload", "subqueryload", "contains_eager"}
)
_LOADERS_ANY = frozenset({"immediateload", "lazyload", "raiseload", "defaultload", "Prefetch"})
_THROTTLES = frozenset({"sleep", "pause", "throttle"})
# Called on a related manager (`order.items.all()`), each is a query; `count` and `all` only without arguments.
_MANAGER_QUERIES = frozenset({"all", "filter", "exclude", "count", "exists", "first", "last", "aggregate", "order_by"})
# Attributes of the loop object that are not relations, and attributes of a value that are plain Python.
_NOT_RELATION = re.compile(
    r"^(pk|id|_\w*|objects|DoesNotExist|\w+_(id|at|on|date|time|file|path|url|json|data|count))$"
    r"|^(created|updated|modified|last_updated|date|time|timestamp|file|image|photo|avatar|data|status|type|kind)$"
)
_VALUE_ATTRS = frozenset(
    {
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "microsecond",
        "tzinfo",
        "days",
        "seconds",
        "value",
        "label",
        "real",
        "imag",
        "url",
        "path",
        "size",
        "width",
        "height",
        "closed",
        "amount",
        "currency",
        "gross",
        "net",
    }
)


class QueryInLoop(PyRule):
    """Flag ORM and cursor queries made inside a for loop, and lazy relations read per row of a result set."""

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
        """Yield the first query call in the own body of each loop over many items, or its first lazy relation."""
        for func in index.functions:
            nodes = index.own(func)
            built = _built_result_sets(nodes)
            args = func.args
            handed_in = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {"self", "cls"}
            handed_in |= _bound_from_request(nodes)
            for loop in nodes:
                if not isinstance(loop, ast.For | ast.AsyncFor):
                    continue
                # A body that ends in `return` / `break` runs at most once: a lookup, not one query per item.
                if loop.body and isinstance(loop.body[-1], ast.Return | ast.Break):
                    continue
                if not _many_items(loop.iter, built, handed_in):
                    continue
                body = list(own_nodes(ast.Module(body=loop.body, type_ignores=[])))
                memoised = _memoised(loop.body) | _never_evaluated(body)
                for node in body:
                    if isinstance(node, ast.Call) and _per_item_query(node) and id(node) not in memoised:
                        yield span(node)
                        break
            yield from _lazy_relations(func, built, nodes)


def _per_item_query(call: ast.Call) -> bool:
    """Tell whether `call` is a query that one query before the loop could replace. `model.objects.count()` on a
    model class the loop picks (`model = ot.model_class()`) is one query per model; no join merges them."""
    name = call_name(call)
    if not _QUERY.search(name):
        return False
    root, _, rest = name.partition(".")
    return not (rest.startswith("objects.") and root[:1].islower())


# QuerySet methods that return another lazy QuerySet: nothing runs until it is iterated, counted or sliced.
_LAZY_METHODS = frozenset(
    {
        "filter",
        "exclude",
        "all",
        "order_by",
        "select_related",
        "prefetch_related",
        "annotate",
        "values",
        "values_list",
        "only",
        "defer",
        "distinct",
        "none",
        "using",
    }
)


def _never_evaluated(body: list[ast.AST]) -> set[int]:
    """Return the calls of `name = Model.objects.filter(...)` bindings among a loop's own nodes whose name the loop
    never reads: a QuerySet is lazy, so building one per item runs no query."""
    bound: dict[str, list[ast.Call]] = {}
    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            name = call_name(value)
            if isinstance(value, ast.Call) and ".objects." in f".{name}" and name.rsplit(".", 1)[-1] in _LAZY_METHODS:
                bound.setdefault(node.targets[0].id, []).extend(n for n in ast.walk(value) if isinstance(n, ast.Call))
    read = {n.id for n in body if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return {id(call) for name, calls in bound.items() if name not in read for call in calls}


def _memoised(body: list[ast.stmt]) -> set[int]:
    """Return the ids of nodes under `if key not in cache:`: the query runs once per distinct key, not per item."""
    inside: set[int] = set()
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and any(isinstance(op, ast.NotIn) for op in node.test.ops)
        ):
            inside.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return inside


def _bound_from_request(nodes: list[ast.AST]) -> set[str]:
    """Return the local names bound to request data (`ids = request.data["ids"]`)."""
    return {
        node.targets[0].id
        for node in nodes
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and any(dotted(n).startswith("request.") for n in ast.walk(node.value) if isinstance(n, ast.Attribute))
    }


def _many_items(iterable: ast.expr, built: dict[str, list[ast.Assign]], handed_in: set[str]) -> bool:
    """Tell whether the loop's items are as many as the data's: rows of a query, a list the request or the
    caller hands in. A literal list or a model's own attribute (`self.prerequisite_models`) is a handful."""
    if _sources(iterable, built) is not None:
        return True
    text = dotted(iterable) or call_name(iterable)
    if text.startswith("request.") or ".request." in text:
        return True
    root = iterable  # `ids`, `rows.items()`, `data["ids"]`: the name underneath
    while isinstance(root, ast.Attribute | ast.Subscript | ast.Call):
        root = root.func if isinstance(root, ast.Call) else root.value
    return isinstance(root, ast.Name) and root.id in handed_in


def _lazy_relations(
    func: ast.FunctionDef | ast.AsyncFunctionDef, built: dict[str, list[ast.Assign]], nodes: list[ast.AST]
) -> Iterator[Hit]:
    """Yield, per loop over a result set the function built, the first relation it reads per row without a join."""
    for row, iterable, body in _row_loops(nodes):
        sources = _sources(iterable, built)
        if not sources:
            continue
        if any(call_name(n).rsplit(".", 1)[-1] in _THROTTLES for n in body if isinstance(n, ast.Call)):
            continue  # a loop that waits between rows on purpose: a query per row costs nothing next to that
        found = _first_relation(body, row)
        if found is None:
            continue
        node, relation = found
        if _loaded(relation, sources):
            continue
        yield Hit(
            node.lineno,
            node.end_lineno or node.lineno,
            title=f"`{row}.{relation}` is loaded with one query per row of the loop (N+1)",
            severity="medium" if serves_requests(func) else "low",
        )


def _row_loops(nodes: list[ast.AST]) -> Iterator[tuple[str, ast.expr, list[ast.AST]]]:
    """Yield (row name, iterable, nodes run per row) for each `for` loop and single-`for` comprehension."""
    for node in nodes:
        if isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.target, ast.Name):
            if node.body and isinstance(node.body[-1], ast.Return | ast.Break):
                continue  # runs at most once
            yield node.target.id, node.iter, list(own_nodes(ast.Module(body=node.body, type_ignores=[])))
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            loop = node.generators[0]
            if len(node.generators) != 1 or not isinstance(loop.target, ast.Name):
                continue
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            per_row = [n for part in [*parts, *loop.ifs] for n in ast.walk(part)]
            yield loop.target.id, loop.iter, per_row


def _built_result_sets(nodes: list[ast.AST]) -> dict[str, list[ast.Assign]]:
    """Return the local names that some statement binds to a query's result set, with every binding of each."""
    bindings: dict[str, list[ast.Assign]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bindings.setdefault(node.targets[0].id, []).append(node)
    return {name: bound for name, bound in bindings.items() if any(_is_result_set(b.value) for b in bound)}


def _sources(iterable: ast.expr, built: dict[str, list[ast.Assign]]) -> list[ast.expr] | None:
    """Return the query expressions the loop iterates, None unless it is a result set this function built."""
    if _is_result_set(iterable):
        return [iterable]
    root = _root(iterable)  # qs.order_by(...) over a name bound to a queryset
    if not isinstance(root, ast.Name) or root.id not in built:
        return None
    # The bindings before the loop: the first makes a result set, each later one refines it (`qs = qs.filter()`).
    before = sorted((b for b in built[root.id] if b.lineno < iterable.lineno), key=lambda b: b.lineno)
    if not before or not _is_result_set(before[0].value):
        return None
    for later in before[1:]:
        refined = _root(later.value)
        if not _is_result_set(later.value) and not (isinstance(refined, ast.Name) and refined.id == root.id):
            return None
    return [iterable, *(b.value for b in before)]


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node


def _is_result_set(node: ast.expr) -> bool:
    """Tell whether `node` is a Django queryset or SQLAlchemy query of model objects built in place."""
    if isinstance(node, ast.Await | ast.Subscript):
        node = node.value
    name = call_name(node)
    if not name:
        return False
    parts = name.split(".")
    if parts[-1] in _NOT_OBJECTS:
        return False
    if len(parts) >= 3 and parts[1] == "objects" and parts[0][:1].isupper():
        return True  # Model.objects.filter(...)
    if len(parts) >= 3 and parts[1] == "query" and parts[0][:1].isupper():
        return parts[-1] in ("all", "filter", "filter_by", "order_by", "limit", "join")  # Flask-SQLAlchemy
    if any(p.startswith("query(") for p in parts[:-1]) and parts[-1] == "all":
        return "session" in name or parts[0] == "db"
    return (parts[-1] == "all" and any(p.startswith("scalars(") for p in parts)) or parts[-1] == "scalars"


def _first_relation(body: list[ast.AST], row: str) -> tuple[ast.expr, str] | None:
    """Return the first `row.rel.field` read or `row.rel.all()`-style query among `body`, with `rel`."""
    called = {id(n.func): n for n in body if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    hits: list[tuple[ast.expr, str]] = []
    for node in body:
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        inner = node.value
        if not (isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name) and inner.value.id == row):
            continue
        relation = inner.attr
        if relation == row or _NOT_RELATION.match(relation):  # `prefix.prefix.version`: a field named as the row
            continue
        call = called.get(id(node))
        if call is None:
            if node.attr in _VALUE_ATTRS or node.attr.startswith("_"):
                continue
            hits.append((node, relation))
        elif _is_manager_query(call, node.attr):
            hits.append((call, relation))
    return min(hits, key=lambda h: (h[0].lineno, h[0].col_offset)) if hits else None


def _is_manager_query(call: ast.Call, method: str) -> bool:
    if method not in _MANAGER_QUERIES:
        return False
    if method in ("all", "count", "exists", "first", "last"):
        return not call.args and not call.keywords  # list.count(x) takes an argument
    return bool(call.keywords) or method == "order_by"  # dict-like filter(fn) / aggregate(x) are not managers


def _loaded(relation: str, sources: list[ast.expr]) -> bool:
    """Tell whether the query names `relation` in a join or prefetch (or loads something we cannot read)."""
    for source in sources:
        for node in ast.walk(source):
            if not isinstance(node, ast.Call):
                continue
            method = call_name(node).rsplit(".", 1)[-1]
            if method in _LOADERS_ANY:
                return True
            if method == "options" and not all(call_name(a).rsplit(".", 1)[-1] in _LOADERS for a in node.args):
                return True  # loader options built elsewhere: they may well load it
            if method not in _LOADERS:
                continue
            if not node.args:
                return True  # select_related() follows every foreign key
            for arg in node.args:
                if not isinstance(arg, ast.Constant):
                    if dotted(arg).rsplit(".", 1)[-1] == relation or not dotted(arg):
                        return True
                    continue
                if isinstance(arg.value, str) and arg.value.split("__", 1)[0] == relation:
                    return True
    return False
