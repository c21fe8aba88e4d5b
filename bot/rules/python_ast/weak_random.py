"""Tokens, passwords and codes drawn from `random`, whose output can be predicted."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, span

_FUNCTIONS = frozenset(
    {"random", "randint", "choice", "choices", "getrandbits", "randrange", "randbytes", "sample", "uniform"}
    | {"normalvariate", "gauss", "triangular", "expovariate"}
)
# A session or reset token or a password: whoever predicts it takes over an account.
_ACCOUNT = re.compile(r"(?i)session|reset|passw|passwd|(^|_|\b)pwd|remember_?me|rememberme|(^|_)sid($|_)")
_SECRET = re.compile(
    r"(?i)token|secret|nonce|salt|csrf|(^|_)otp|(verif\w*|confirm\w*|auth|otp|invite|activation|login|sms|mfa|2fa)"
    r"_?code|(api|secret|private|signing|access|session|encryption)_?key|apikey"
)
# The alphabet a value is drawn from, named for what it makes (`TOKEN_CHARSET`, `PASSWORD_CHARS`).
_ALPHABET = re.compile(r"(?i)char|alphabet|letters|digits|symbols")
# ...and values that become a time of day, a date or a rating (`time_start = datetime.time(randint(8, 20))` of a
# workout `session`): fake data, not a credential.
_NOT_SECURITY = re.compile(
    r"(?i)signature_?nonce|tokeniz|jitter|backoff|delay|sample|shuffle|color|colour"
    r"|(^|_|\b)(time|date|hour|minute|day|duration|rating|impression)s?(_|\b)"
)


class _RandomForSecret(PyRule):
    """Shared search: a `random` call whose value is named, stored or returned as a security value."""

    pattern: re.Pattern[str]

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield `random` calls whose value ends in a name this rule's pattern matches."""
        imported = _random_names(index.tree)
        if not imported:
            return
        for scope in [index.tree, *index.functions]:
            nodes = index.own(scope)
            parents = {id(child): node for node in nodes for child in ast.iter_child_nodes(node)}
            for node in nodes:
                if not (isinstance(node, ast.Call) and call_name(node) in imported):
                    continue
                words = _words(node, scope, nodes, parents)
                if _NOT_SECURITY.search(words):
                    continue
                if self.pattern.search(words) and (self.pattern is _ACCOUNT or not _ACCOUNT.search(words)):
                    yield span(node)


class RandomForAccountSecret(_RandomForSecret):
    """Flag a session token, reset token or password made with `random`."""

    id = "py-insecure-random-session-token"
    category = "security"
    severity = "high"
    title = "Session token or password made with `random`"
    pattern = _ACCOUNT
    body = (
        "`random` is a Mersenne Twister: after about 600 outputs its whole state is known and every later "
        "value (and, from `getrandbits`, earlier ones) can be computed. A session id, reset token or "
        "password drawn from it can be predicted by anyone who sees a few values, and with it the account.\n\n"
        "Use the `secrets` module: `secrets.token_urlsafe(32)` for tokens, "
        "`''.join(secrets.choice(alphabet) for _ in range(n))` for passwords."
    )


class RandomForSecret(_RandomForSecret):
    """Flag a token, nonce, salt, key or one-time code made with `random`."""

    id = "py-insecure-random-secret"
    category = "security"
    severity = "medium"
    title = "Security value made with `random`"
    pattern = _SECRET
    body = (
        "`random` is a Mersenne Twister, not a secure generator: its state can be recovered from its "
        "outputs and every later value predicted, so a token, nonce, salt, key or one-time code drawn "
        "from it can be guessed.\n\n"
        "Use the `secrets` module: `secrets.token_urlsafe(32)`, `secrets.token_bytes(16)`, "
        "`secrets.randbelow(10**6)` for a numeric code."
    )


def _random_names(tree: ast.Module) -> set[str]:
    """Return how the module-level `random` functions are called here: `random.choice`, `choice`, `rnd.choice`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "random":
                    names.update(f"{alias.asname or 'random'}.{f}" for f in _FUNCTIONS)
        elif isinstance(node, ast.ImportFrom) and node.module == "random":
            names.update(alias.asname or alias.name for alias in node.names if alias.name in _FUNCTIONS)
    return names


def _words(call: ast.Call, scope: ast.AST, nodes: list[ast.AST], parents: dict[int, ast.AST]) -> str:
    """Return the names the random value is given, stored under and returned as."""
    names: set[str] = {
        dotted(arg) for arg in call.args if isinstance(arg, ast.Name | ast.Attribute) and _ALPHABET.search(dotted(arg))
    }
    top: ast.AST = call
    while id(top) in parents and isinstance(parents[id(top)], ast.expr | ast.comprehension | ast.keyword):
        parent = parents[id(top)]
        if isinstance(parent, ast.keyword) and parent.arg:
            names.add(parent.arg)  # User(reset_token=...)
        elif isinstance(parent, ast.Dict):
            names.update(_dict_keys(parent, top))
        elif isinstance(parent, ast.Call) and top in parent.args and dotted(parent.func).endswith("set_cookie"):
            names.add("session")  # a cookie value is a credential
        top = parent
    holder = parents.get(id(top))
    bound: set[str] = set()
    if isinstance(holder, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
        bound.update(_target_names(targets))
    elif isinstance(holder, ast.Return) and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        names.add(scope.name)
    # Follow the value through the scope's assignments to where it is kept.
    for _ in range(3):
        for node in nodes:
            if isinstance(node, ast.Assign | ast.AugAssign) and _mentions(node.value, bound):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound.update(_target_names(targets))
            elif isinstance(node, ast.Call) and any(_mentions(a, bound) for a in node.args):
                if dotted(node.func).endswith("set_cookie"):
                    names.add("session")
            elif isinstance(node, ast.Return) and node.value is not None and _mentions(node.value, bound):
                names.add(getattr(scope, "name", ""))
    for node in nodes:
        if isinstance(node, ast.keyword) and node.arg and _mentions(node.value, bound):
            names.add(node.arg)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _mentions(value, bound) and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(key.value)
    return " ".join(sorted(n for n in names | bound if n))


def _target_names(targets: Sequence[ast.expr]) -> set[str]:
    """Return `token`, `user.reset_token`, `session` and `session['otp']`'s key for the targets of a store."""
    names: set[str] = set()
    for target in targets:
        if isinstance(target, ast.Subscript):
            names.add(dotted(target.value))
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                names.add(key.value)
        elif isinstance(target, ast.Tuple | ast.List):
            names.update(_target_names(target.elts))
        else:
            names.add(dotted(target))
    return {n for n in names if n}


def _dict_keys(node: ast.Dict, value: ast.AST) -> set[str]:
    return {
        key.value
        for key, item in zip(node.keys, node.values, strict=True)
        if item is value and isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return bool(names) and any(isinstance(n, ast.Name | ast.Attribute) and dotted(n) in names for n in ast.walk(node))
