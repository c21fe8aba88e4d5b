"""Django's `mark_safe()` given text that interpolates a value nobody escaped (cross-site scripting)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, dotted, own_nodes, span

_MARKERS = frozenset({"mark_safe", "SafeString", "SafeText"})
# Calls whose result is escaped, stripped of markup or not text a browser could run.
_CLEAN_CALLS = frozenset(
    {"escape", "conditional_escape", "format_html", "format_html_join", "strip_tags", "json_script", "escapejs"}
    | {"mark_safe", "urlencode", "quote", "quote_plus", "iri_to_uri", "escape_uri_path", "int", "float", "len"}
    | {"naturalday", "naturaltime", "reverse", "static", "isoformat", "strftime", "date_format", "localize"}
)
_CLEAN_DOTTED = frozenset({"bleach.clean", "nh3.clean", "bleach.linkify", "html.escape", "markupsafe.escape"})
# Attributes of an exception whose text is its message.
_EXCEPTION_TEXT = frozenset({"message", "messages", "args", "msg", "detail", "error_dict", "error_list"})
_STRINGIFY = frozenset({"str", "repr", "format", "force_str", "smart_str", "gettext", "_"})
_DEPTH = 4


class MarkSafeInterpolated(PyRule):
    """Flag `mark_safe(...)` of an f-string, `%`, `.format()` or `+` that puts exception text into markup."""

    id = "py-mark-safe-interpolated"
    category = "security"
    severity = "medium"
    title = "Exception text marked safe as HTML unescaped"
    body = (
        "`mark_safe()` tells Django this text is finished HTML, so the template prints it without escaping. "
        "The text here interpolates an exception's message, and messages carry what caused them: an object's "
        "name, a template an administrator wrote, a value from a form or a remote response. A `<` in it "
        "becomes markup in every browser that shows the page (stored or reflected cross-site scripting).\n\n"
        "Build the markup with `format_html('<p>{}</p>', e)`, which escapes each argument, or escape the value "
        "(`escape(e)`, `conditional_escape(...)`) before it goes into the string."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield `mark_safe()` calls whose argument interpolates exception text unescaped."""
        if not any(isinstance(n, ast.Call) and _is_marker(n) for n in index.nodes):
            return
        for func in index.functions:
            scope = _Scope(func)
            for node in index.own(func):
                if (
                    isinstance(node, ast.Call)
                    and _is_marker(node)
                    and node.args
                    and scope.exception_text(node.args[0], node.lineno, _DEPTH)
                ):
                    yield span(node)


def _is_marker(call: ast.Call) -> bool:
    return dotted(call.func).rsplit(".", 1)[-1] in _MARKERS


def _clean_call(call: ast.Call) -> bool:
    name = dotted(call.func)
    return name in _CLEAN_DOTTED or name.rsplit(".", 1)[-1] in _CLEAN_CALLS


def _interpolated(node: ast.expr) -> list[ast.expr] | None:
    """Return the values `node` puts into text, None when it is not an interpolation."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_text(node.left):
        right = node.right
        if isinstance(right, ast.Tuple):
            return list(right.elts)
        if isinstance(right, ast.Dict):
            return [v for v in right.values if v is not None]
        return [right]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = _concatenated(node)
        if any(_is_text(p) for p in parts):
            return [p for p in parts if not _is_text(p)]
        return None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _is_text(node.func.value)
    ):
        return [*node.args, *(k.value for k in node.keywords)]
    return None


def _concatenated(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_concatenated(node.left), *_concatenated(node.right)]
    return [node]


def _is_text(node: ast.expr) -> bool:
    """Tell whether `node` is literal text: a string, an f-string or a translated literal `_("...")`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call) and dotted(node.func).rsplit(".", 1)[-1] in ("_", "gettext", "gettext_lazy"):
        return len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
    return False


class _Scope:
    """One function: its `except ... as name` handlers and its assignments, by line."""

    def __init__(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.handlers: list[ast.ExceptHandler] = []
        self.assignments: dict[str, list[tuple[int, ast.expr]]] = {}
        for node in own_nodes(func):
            if isinstance(node, ast.ExceptHandler) and node.name:
                self.handlers.append(node)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.assignments.setdefault(node.targets[0].id, []).append((node.lineno, node.value))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                self.assignments.setdefault(node.target.id, []).append((node.lineno, node.value))

    def _caught(self, name: str, line: int) -> bool:
        """Tell whether `name` at `line` is the exception an enclosing `except ... as name` caught."""
        for handler in self.handlers:
            end = handler.end_lineno or handler.lineno
            if handler.name == name and handler.lineno <= line <= end:
                return True
        return False

    def _last_value(self, name: str, line: int) -> ast.expr | None:
        before = [(at, value) for at, value in self.assignments.get(name, ()) if at < line]
        return max(before, key=lambda pair: pair[0])[1] if before else None

    def exception_text(self, node: ast.expr, line: int, depth: int) -> bool:
        """Tell whether the text `node` builds interpolates exception text that nothing escaped."""
        if depth <= 0:
            return False
        values = _interpolated(node)
        if values is None:
            if isinstance(node, ast.Name) and not self._caught(node.id, line):
                value = self._last_value(node.id, line)
                return value is not None and self.exception_text(value, line, depth - 1)
            return False
        return any(self._is_exception(value, line, depth) for value in values)

    def _is_exception(self, node: ast.expr, line: int, depth: int) -> bool:
        """Tell whether the interpolated `node` is exception text (the exception, its message, its str())."""
        if isinstance(node, ast.Name):
            if self._caught(node.id, line):
                return True
            value = self._last_value(node.id, line)
            if value is None or depth <= 1:
                return False
            return self._is_exception(value, line, depth - 1) or self.exception_text(value, line, depth - 1)
        if isinstance(node, ast.Attribute) and node.attr in _EXCEPTION_TEXT:
            return self._is_exception(node.value, line, depth)
        if isinstance(node, ast.Subscript):
            return self._is_exception(node.value, line, depth)
        if isinstance(node, ast.Call):
            if _clean_call(node):
                return False
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else dotted(func)
            if name in _STRINGIFY and node.args:
                return self._is_exception(node.args[0], line, depth)
            if name == "join" and node.args:
                return self._is_exception(node.args[0], line, depth)
            return False
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            return self._is_exception(node.elt, line, depth) or any(
                self._is_exception(g.iter, line, depth) for g in node.generators
            )
        return False
