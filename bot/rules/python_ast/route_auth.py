"""A route added without the authentication its sibling routes in the same file carry."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import ROUTE_DECORATORS, PyRule, TreeIndex, call_name, dotted, keyword, parameters

_AUTH_DECORATOR = re.compile(
    r"(?i)^(\w+_)?(login|auth|authenticated|permission|perm|jwt|token|staff|staff_member|admin|superuser|role|scope"
    r"|user|member|api_key|key)s?_(required|accepted|needed|only)$"
    r"|^requires_(?!csrf)\w+$|^(requires|authenticated|permission_classes|authentication_classes|protected|secured)$"
)
# Dependencies that authenticate (FastAPI `Depends(get_current_user)`); `Depends(get_db)` does not.
_AUTH_DEPENDENCY = re.compile(
    r"(?i)user|auth|token|login|permission|admin|principal|api_?key|credential|jwt|scope|role"
)
# Routes that are public by design, by name or path.
_PUBLIC = re.compile(
    r"(?i)log_?in|log_?out|sign_?(in|out|up)|register|health|ping|status|ready|alive|live|hook|callback|public|index"
    r"|home|landing|about|robots|favicon|static|docs|openapi|swagger|schema|metrics|reset|forgot|recover|verify"
    r"|confirm|activate|invit|oauth|sso|saml|auth|token|unsubscribe|badge|feed|rss|sitemap|well.known|version"
    r"|terms|privacy|contact|pricing|error|csrf|help|faq|guide"
)
# A route that checks the caller itself.
_CHECKS_ITSELF = re.compile(
    r"is_authenticated|is_anonymous|has_perms?\(|has_permission|check_perm|PermissionDenied|abort\(\s*40[13]"
    r"|status_code\s*=\s*40[13]|HTTP_40[13]|verify_jwt|get_jwt_identity|authenticate\(|login_required|Unauthorized"
    r"|Forbidden|signature|hmac|api_key|token|secret"
)


class RouteWithoutSiblingAuth(PyRule):
    """Flag the one route of a router whose other routes all require authentication."""

    id = "py-route-missing-auth"
    category = "security"
    severity = "medium"
    title = "Route without the authentication its sibling routes have"
    # Public routes exist by design; only a reader who knows the app can tell this one is not meant to be.
    evidence = "weak"
    body = (
        "Every other route of this router in the file requires an authenticated caller, and this one does not: "
        "anyone who can reach the service can call it. A route added next to protected ones is usually meant to "
        "be protected too, and a forgotten decorator is invisible in tests that always log in.\n\n"
        "Add the same decorator or dependency its siblings use, or, if the route is public on purpose, say so in "
        "a comment (and make sure it exposes nothing a logged-in page would)."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield the def of the only unauthenticated route among at least two authenticated siblings."""
        if not index.whole:
            return  # siblings outside a hunk are unknown: any route could be the odd one out
        groups: dict[str, list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str | None]]] = {}
        for func in index.tree.body:
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                router = _router(func)
                if router is not None:
                    groups.setdefault(router, []).append((func, _auth_marker(func)))
        if any("before_request" in dotted(d) for f in index.functions for d in f.decorator_list):
            return  # a blueprint-wide check (Flask before_request) guards routes we cannot tell apart
        # A function the module calls itself is a helper its (protected) callers run, not a route of its own.
        called = {n.func.id for n in index.nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        for routes in groups.values():
            # Public pages, routes that check the caller themselves and helpers are no one's sibling.
            bare = [
                f
                for f, marker in routes
                if marker is None
                and f.name not in called
                and not _public(f)
                and not _CHECKS_ITSELF.search(ast.unparse(f))
            ]
            markers = Counter(marker for _, marker in routes if marker is not None)
            if len(bare) != 1 or sum(markers.values()) < 2:
                continue
            func = bare[0]
            marker, _ = markers.most_common(1)[0]
            first = min([func.lineno, *(d.lineno for d in func.decorator_list)])
            yield Hit(
                first,
                func.lineno,
                title=f"Route `{func.name}` lacks the `{marker}` its {sum(markers.values())} sibling routes have",
            )


def _router(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """Return what routes `func` (`app`, `bp`, `router`; `views` for Django function views), None if not a route."""
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        owner, _, name = dotted(target).rpartition(".")
        if name in ROUTE_DECORATORS and owner:
            return owner
        if name == "api_view":
            return "api_view"
    positional = [a.arg for a in func.args.args]
    if positional[:1] == ["request"] and not func.name.startswith("_"):
        return "views"
    return None


def _auth_marker(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """Return how `func` requires authentication (`@login_required`, `Depends(get_current_user)`), None if not."""
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = dotted(target).rsplit(".", 1)[-1]
        if _AUTH_DECORATOR.match(name):
            return f"@{name}"
        if isinstance(deco, ast.Call) and (found := _auth_dependency(keyword(deco, "dependencies"))):
            return found
    for arg in parameters(func):
        if arg.arg.startswith("current_"):
            return arg.arg
    defaults = [*func.args.defaults, *(d for d in func.args.kw_defaults if d is not None)]
    annotations = [a.annotation for a in parameters(func) if a.annotation is not None]
    for node in [*defaults, *annotations]:
        if found := _auth_dependency(node):
            return found
    return None


def _auth_dependency(node: ast.expr | None) -> str | None:
    """Return `Depends(x)` / `Security(x)` found in `node` when it authenticates."""
    if node is None:
        return None
    for inner in ast.walk(node):
        if not isinstance(inner, ast.Call):
            continue
        name = call_name(inner).rsplit(".", 1)[-1]
        target = dotted(inner.args[0]) if inner.args else ""
        if name == "Security" or (name == "Depends" and _AUTH_DEPENDENCY.search(target)):
            return f"{name}({target})"
    return None


def _public(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    paths = [
        a.value
        for d in func.decorator_list
        if isinstance(d, ast.Call)
        for a in d.args
        if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]
    return any(_PUBLIC.search(text) for text in [func.name, *paths])
