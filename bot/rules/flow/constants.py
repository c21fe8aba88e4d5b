"""Conditions whose value the code itself fixes: `if 7 * 42 - num > 200:` with `num = 86` is always false.

Only literals, names bound to literals and arithmetic, comparison, membership and boolean operators are
evaluated; anything else is unknown. Python's own parser reads the expression, so this serves Python code.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

Constant = str | int | float | bool | None

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_UNKNOWN = object()


def literal(text: str) -> Constant | object:
    """Return the value of a literal expression (`86`, `'ABC'`), or the unknown marker."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _UNKNOWN
    return value if isinstance(value, str | int | float | bool) and len(str(value)) < 200 else _UNKNOWN


def evaluate(text: str, names: Mapping[str, Constant]) -> bool | None:
    """Return the truth of the condition `text` under `names`, or None when it is not fixed by them."""
    if len(text) > 300:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    value = _value(tree.body, names, 0)
    return None if value is _UNKNOWN else bool(value)


def value_of(text: str, names: Mapping[str, Constant]) -> Constant | object:
    """Return the value of the expression `text` under `names`, or the unknown marker."""
    if len(text) > 300:
        return _UNKNOWN
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return _UNKNOWN
    value = _value(tree.body, names, 0)
    return value if isinstance(value, str | int | float | bool) else _UNKNOWN


def is_known(value: object) -> bool:
    """Tell whether `value` is a result, not the unknown marker."""
    return value is not _UNKNOWN


def _value(node: ast.AST, names: Mapping[str, Constant], depth: int) -> Any:
    if depth > 20:
        return _UNKNOWN
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN) if node.id in names else _UNKNOWN
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_value(e, names, depth + 1) for e in node.elts]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _apply(_BINARY[type(node.op)], node.left, node.right, names, depth)
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, names, depth + 1)
        if operand is _UNKNOWN:
            return _UNKNOWN
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(node.op, ast.USub) and isinstance(operand, int | float):
            return -operand
        return _UNKNOWN
    if isinstance(node, ast.BoolOp):
        values = [_value(v, names, depth + 1) for v in node.values]
        if any(v is _UNKNOWN for v in values):
            return _UNKNOWN
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _value(node.left, names, depth + 1)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _value(right_node, names, depth + 1)
            if left is _UNKNOWN or right is _UNKNOWN or type(op) not in _COMPARE:
                return _UNKNOWN
            try:
                if not _COMPARE[type(op)](left, right):
                    return False
            except TypeError:
                return _UNKNOWN
            left = right
        return True
    if isinstance(node, ast.Subscript):
        container = _value(node.value, names, depth + 1)
        index = _value(node.slice, names, depth + 1)
        if isinstance(container, str | list) and isinstance(index, int) and -len(container) <= index < len(container):
            return container[index]
        return _UNKNOWN
    return _UNKNOWN


def _apply(
    func: Callable[[Any, Any], Any], left: ast.AST, right: ast.AST, names: Mapping[str, Constant], depth: int
) -> Any:
    a, b = _value(left, names, depth + 1), _value(right, names, depth + 1)
    if a is _UNKNOWN or b is _UNKNOWN:
        return _UNKNOWN
    try:
        result = func(a, b)
    except (TypeError, ZeroDivisionError, OverflowError):
        return _UNKNOWN
    return result if len(str(result)) < 200 else _UNKNOWN
