"""Passwords, tokens and signatures hashed with MD5, SHA-1 or a bare SHA-256 instead of a KDF or an HMAC."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.rules.model import Hit
from bot.rules.python_ast.base import PyRule, TreeIndex, call_name, dotted, keyword, span

_PASSWORD = re.compile(r"(?i)passw|(^|_|\b)(pwd|pw)($|_|\b)|pwd|passphrase")
# A digest used to sign or authenticate: forgeable when made with a broken hash. (A digest of a long random
# token or key is not: MD5's preimage resistance still holds, so those names alone are not evidence.)
_SIGNATURE = re.compile(
    r"(?i)signature|signed|(^|_|\b)(sign|sig|mac|hmac)($|_|\b)|sign(request|params|payload|url|body|data|message|string)"
)
# Names that say the digest is a cache key, a checksum or an identifier, whatever else the value is called.
_NOT_SECURITY = re.compile(r"(?i)cache|etag|checksum|gravatar|dedup|fingerprint|file_?hash|cache_?key|md5sum")
# A function that also runs a KDF builds one (a migrated legacy scheme fed into PBKDF2), not a plain hash.
_KDF = re.compile(r"(?i)pbkdf2|scrypt|bcrypt|argon2|hashpw|make_password|iterations")
_KEY = re.compile(r"^[A-Za-z_][\w-]{0,40}$")
_WEAK = frozenset({"md5", "sha1"})
_PLAIN = frozenset({"sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b", "blake2s"})


@dataclass(frozen=True, slots=True)
class _Digest:
    """One hashlib call, the names its value is known by, and what it hashes."""

    call: ast.Call
    algorithm: str
    words: str  # the names of the inputs, the hash object, the result and where it goes, space-separated


class WeakPasswordHash(PyRule):
    """Flag MD5 or SHA-1 applied to a password."""

    id = "py-weak-password-hash"
    category = "security"
    severity = "high"
    title = "Password hashed with MD5 or SHA-1"
    body = (
        "MD5 and SHA-1 are fast: a leaked table of these hashes is cracked at billions of guesses per second "
        "on one GPU, and unsalted ones are looked up in precomputed tables. Every user whose password is "
        "in a word list is exposed the day the database leaks.\n\n"
        "Use a password hashing function with a salt and a work factor: `argon2-cffi` "
        "(`PasswordHasher().hash(pw)`), `bcrypt.hashpw(pw, bcrypt.gensalt())`, `hashlib.scrypt`, or "
        "Django's `make_password`; migrate old hashes on the next successful login."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield MD5/SHA-1 calls whose input or result is named as a password."""
        for digest in _digests(index, lines):
            if digest.algorithm in _WEAK and _PASSWORD.search(digest.words):
                yield span(digest.call)


class WeakHashSignature(PyRule):
    """Flag MD5 or SHA-1 used to sign a message."""

    id = "py-weak-hash-signature"
    category = "security"
    severity = "medium"
    title = "Signature built with MD5 or SHA-1"
    body = (
        "A signature made as `md5(secret + message)` (or with SHA-1) can be extended by anyone who saw one "
        "signed message (length extension), and MD5 and SHA-1 collide cheaply, so whoever can get one message "
        "signed can make a second one that passes the same check.\n\n"
        "Sign with `hmac.new(key, message, hashlib.sha256)` and compare with `hmac.compare_digest`. Where a "
        "third party's API prescribes the MD5 signature, say so in a comment and keep the key out of logs."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield MD5/SHA-1 calls whose result is named or returned as a signature."""
        for digest in _digests(index, lines):
            if digest.algorithm in _WEAK and not _PASSWORD.search(digest.words) and _SIGNATURE.search(digest.words):
                yield span(digest.call)


class PasswordHashWithoutKdf(PyRule):
    """Flag a password hashed with a plain SHA-2/SHA-3/BLAKE2 digest, without a salt or work factor."""

    id = "py-password-hash-without-kdf"
    category = "security"
    severity = "medium"
    title = "Password hashed with a plain SHA digest"
    body = (
        "A single SHA-256 (or SHA-512) pass is built to be fast: a GPU tries billions of candidate passwords "
        "per second against a leaked hash, and without a per-user salt one guess tests every account at once.\n\n"
        "Use a password hashing function: `argon2-cffi`, `bcrypt`, `hashlib.scrypt`, "
        "`hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000)`, or Django's `make_password`."
    )

    def check(self, index: TreeIndex, lines: Sequence[str]) -> Iterator[Hit]:
        """Yield plain digests whose input or result is named as a password."""
        for digest in _digests(index, lines):
            if digest.algorithm in _PLAIN and _PASSWORD.search(digest.words):
                yield span(digest.call)


def _digests(index: TreeIndex, lines: Sequence[str]) -> Iterator[_Digest]:
    if "hashlib" not in {a.name for n in index.nodes if isinstance(n, ast.Import) for a in n.names} and not any(
        isinstance(n, ast.ImportFrom) and n.module == "hashlib" for n in index.nodes
    ):
        return
    for scope in [index.tree, *index.functions]:
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef) and _KDF.search(
            "\n".join(lines[scope.lineno - 1 : scope.end_lineno])
        ):
            continue
        nodes = index.own(scope)
        parents = {id(child): node for node in nodes for child in ast.iter_child_nodes(node)}
        for node in nodes:
            if not isinstance(node, ast.Call):
                continue
            algorithm = _algorithm(node)
            if algorithm is None or _not_for_security(node):
                continue
            words = _words(node, scope, nodes, parents)
            if not _NOT_SECURITY.search(words):
                yield _Digest(node, algorithm, words)


def _algorithm(call: ast.Call) -> str | None:
    name = call_name(call)
    if name in {"hashlib.new", "new"} and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            chosen = first.value.lower().replace("-", "")
            return chosen if chosen in _WEAK | _PLAIN else None
        return None
    last = name.removeprefix("hashlib.")
    if name.startswith("hashlib.") and last in _WEAK | _PLAIN:
        return last
    return None


def _not_for_security(call: ast.Call) -> bool:
    flag = keyword(call, "usedforsecurity")
    return isinstance(flag, ast.Constant) and flag.value is False


def _words(call: ast.Call, scope: ast.AST, nodes: list[ast.AST], parents: dict[int, ast.AST]) -> str:
    """Return the names that say what `call` hashes and what its digest is for."""
    inputs: list[ast.expr] = list(call.args[1:] if call_name(call).endswith("new") else call.args)
    names: set[str] = set()
    # Climb the expression the call sits in: `hashlib.md5(x).hexdigest()` inside `y = ...` or `return ...`.
    top: ast.AST = call
    while id(top) in parents and isinstance(parents[id(top)], ast.expr):
        top = parents[id(top)]
    holder = parents.get(id(top))
    if isinstance(holder, ast.Assign | ast.AnnAssign):
        targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
        names.update(dotted(t) for t in targets)
    elif isinstance(holder, ast.Return) and isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        names.add(scope.name)
    elif isinstance(holder, ast.keyword) and holder.arg:
        names.add(holder.arg)
    # The hash object's own `update(...)` calls and the digest's later uses in the same scope.
    bound = {n for n in names if n}
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = dotted(node.func.value)
            if owner in bound and node.func.attr == "update":
                inputs.extend(node.args)
    for node in nodes:
        if isinstance(node, ast.Assign) and _mentions(node.value, bound):
            bound.update(dotted(t) for t in node.targets if dotted(t))
    names |= bound
    names |= _stored_in(nodes, bound)
    for value in inputs:
        for node in ast.walk(value):
            if isinstance(node, ast.Name | ast.Attribute):
                names.add(dotted(node))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY.match(node.value):
                names.add(node.value)  # request.form["password"]
    return " ".join(sorted(n for n in names if n))


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name | ast.Attribute) and dotted(n) in names for n in ast.walk(node))


def _stored_in(nodes: list[ast.AST], bound: set[str]) -> set[str]:
    """Return the names of files and fields a digest is written to: `open('passwords.txt').write(digest)`."""
    opened: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and call_name(node.value) == "open":
            call = node.value
            assert isinstance(call, ast.Call)
            text = " ".join(
                n.value
                for a in call.args[:1]
                for n in ast.walk(a)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
            opened.update((dotted(t), text.replace("/", "_")) for t in node.targets if dotted(t))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = dotted(node.func.value)
            if owner in opened and any(_mentions(a, bound) for a in node.args):
                found.add(opened[owner])
        elif isinstance(node, ast.Assign) and _mentions(node.value, bound):
            found.update(dotted(t) for t in node.targets if isinstance(t, ast.Attribute | ast.Subscript))
            found.update(
                k.value
                for t in node.targets
                if isinstance(t, ast.Subscript)
                for k in [t.slice]
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            )
    return found
