"""Intra-procedural taint tracking over tree-sitter trees: request data followed from source to sink.

Each function is read once, statement by statement in source order. An assignment gives its targets the taint
of its value (a reassignment to a clean value clears it, unless it sits in a branch: then the old taint may still
hold); a call to a sanitiser (a cast to a number, an escape, a basename) gives a clean value; a condition that
checks a name against an allow-list cleans the name. At every call the sinks of the language are checked with
the state at that point, so a finding carries the path the data took.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import cast

from ast_grep_py import Config, SgNode

from bot.rules.flow.constants import Constant, evaluate, is_known, literal, value_of
from bot.rules.flow.grammar import Grammar
from bot.rules.flow.model import FlowHit, Sink, Step, Taint, stronger
from bot.rules.flow.spec import COMMON_SANITIZERS, FIXED_TARGET, SPACE, FlowLanguage

# The part of a URL object that says which server it reaches (`u.hostname` in JavaScript, `u.Host` in Go).
_HOST_FIELD = re.compile(r"([A-Za-z_$][\w$]*)\.(hostname|host|Host)")

_BRANCHES = frozenset(
    {
        "if_statement",
        "elif_clause",
        "else_clause",
        "else",
        "for_statement",
        "while_statement",
        "try_statement",
        "except_clause",
        "catch_clause",
        "switch_statement",
        "switch_case",
        "expression_switch_statement",
        "expression_case",
        "switch_block",
        "enhanced_for_statement",
        "for_in_statement",
        "match_statement",
        "case_clause",
    }
)
_SELF_URL = re.compile(
    r"request\.(?:path|full_path|get_full_path|url|path_info|build_absolute_uri)|"
    r"(?:req|ctx|ctx\.request)\.(?:originalUrl|url|path|href)"
)
# The name a step of a path is about: "`name`, a parameter", "`query`".
_STEP_NAME = re.compile(r"^`([\w.]+)`")
_DATA_LITERALS = frozenset({"dictionary", "list", "tuple", "object", "array", "dictionary_comprehension"})
# Expressions longer than this are not matched against the sources (a whole call with a big body).
_SOURCE_TEXT = 300
# Python comprehensions: their `body` field is what they yield.
_COMPREHENSIONS = frozenset({"generator_expression", "list_comprehension", "set_comprehension"})
_MAX_DEPTH = 40
_LITERALS = frozenset({"integer", "float", "string", "true", "false", "decimal_integer_literal", "number"})


def analyse(root: SgNode, language: FlowLanguage, text: str) -> list[FlowHit]:
    """Return every place in the tree where tainted data reaches a sink."""
    gated = {kind for kind, gate in language.file_gates.items() if not gate.search(text)}
    sinks = tuple(s for s in language.sinks if s.kind not in gated)
    grammar = language.grammar
    matcher = cast(Config, {"rule": {"any": [{"kind": kind} for kind in sorted(grammar.functions)]}})
    aliases = (
        {
            found.group(1): found.group(2)
            for found in language.alias_pattern.finditer(text)
            if any(sink.callee.match(found.group(2)) for sink in sinks)
        }
        if language.alias_pattern is not None
        else {}
    )
    functions = root.find_all(matcher)
    fixed = _fixed_returners(functions, grammar)
    hits: list[FlowHit] = []
    for function in functions:
        hits.extend(_Function(function, language, sinks, aliases, fixed).run())
    return hits


def _fixed_returners(functions: list[SgNode], grammar: Grammar) -> frozenset[str]:
    """Return the names of the file's functions whose every return value starts with a literal fixed target.

    `const loginPath = (c) => `/login?client=${c === "app" ? "app" : "web"}``: whatever the caller passes, the
    result goes to a path on this site.
    """
    names: set[str] = set()
    for function in functions:
        name = _function_name(function)
        if name is None:
            continue
        body = function.field("body")
        if body is None:
            continue
        values: list[SgNode | None] = []
        if function.kind() == "arrow_function" and body.kind() not in ("statement_block", "block"):
            values.append(body)
        else:
            stack = list(body.children())
            while stack:
                node = stack.pop()
                if node.kind() in grammar.functions:
                    continue
                if node.kind() in grammar.returns:
                    values.append(next((c for c in node.children() if c.is_named()), None))
                    continue
                stack.extend(node.children())
        if values and all(v is not None and _literal_fixed(v, grammar.strings) for v in values):
            names.add(name)
    return frozenset(names)


def _function_name(function: SgNode) -> str | None:
    name = function.field("name")
    if name is None:
        parent = function.parent()
        name = parent.field("name") if parent is not None and parent.kind() == "variable_declarator" else None
    return name.text() if name is not None and name.kind() in ("identifier", "property_identifier") else None


def _literal_fixed(node: SgNode, strings: frozenset[str]) -> bool:
    leading = _leading_literal(node, strings)
    return leading is not None and bool(FIXED_TARGET.match(re.sub(r"^redirect:", "", leading)))


class _Function:
    """The taint state of one function while its statements are read in order."""

    def __init__(
        self,
        function: SgNode,
        language: FlowLanguage,
        sinks: tuple[Sink, ...],
        aliases: dict[str, str],
        fixed_returners: frozenset[str] = frozenset(),
    ) -> None:
        self.function = function
        self.language = language
        self.grammar = language.grammar
        self.sinks = sinks
        self.extra_sources = language.function_sources(function)
        self.state: dict[str, Taint] = {}
        # The value texts each name was given, so a sink can see SQL text built a few lines before it.
        self.defs: dict[str, list[str]] = {}
        self.fixed: set[str] = set()
        self.clean: set[str] = set()
        # Names bound to literals (for conditions the code fixes), values stored under a literal key, and
        # the names a derived value was computed from (a check of `url.netloc` vouches for `bar`).
        self.consts: dict[str, Constant] = {}
        self.keyed: dict[str, Taint | None] = {}
        self.derived: dict[str, set[str]] = {}
        # Lists built from a literal and changed in place in the same block: the taint of each position.
        self.lists: dict[str, tuple[int, list[Taint | None]]] = {}
        # Names that stand for a sink: `const run = util.promisify(exec)`.
        self.aliases: dict[str, str] = dict(aliases)
        self.fixed_returners = fixed_returners
        # Expressions a condition compared equal to a literal, while the branch that holds runs: their value
        # there is that literal (`if (host === "example.com") ...`). Text -> nesting count; by consequence.
        self.pinned: dict[str, int] = {}
        self.pins: dict[tuple[int, int, str], set[str]] = {}
        self.hits: list[FlowHit] = []
        line = function.range().start.line + 1
        segments = language.path_segments(function)
        for name, strength in language.parameters(function).items():
            what = f"`{name}` from the request" if strength == "request" else f"`{name}`, a parameter"
            self.state[name] = Taint(strength, (Step(line, what),), segment=name in segments)

    def run(self) -> list[FlowHit]:
        """Read the function's own statements (not those of nested functions) and return its hits."""
        stack: list[tuple[SgNode, bool, int]] = [(child, False, 0) for child in reversed(self.function.children())]
        while stack:
            node, leaving, branch = stack.pop()
            kind = node.kind()
            if leaving:
                self._leave(node, kind, branch)
                if self.pins:
                    self._unpin(node)
                continue
            if kind in self.grammar.functions or kind in self.grammar.comments:
                continue  # a nested function is analysed on its own
            if self.pins:
                self._pin(node)
            self._enter(node, kind)
            stack.append((node, True, branch))
            live = self._live_children(node, kind) if self.language.folds_constants else None
            if live is not None:
                # A branch the code fixes runs for sure: its assignments are not conditional.
                stack.extend((child, False, branch) for child in reversed(live))
                continue
            inner = branch + (kind in _BRANCHES)
            stack.extend((child, False, inner) for child in reversed(node.children()))
        return self.hits

    def _live_children(self, node: SgNode, kind: str) -> list[SgNode] | None:
        """Return the children that run when the code fixes which branch runs, else None."""
        if kind in ("if_statement", "elif_clause"):
            condition = node.field("condition")
            verdict = evaluate(condition.text(), self.consts) if condition is not None else None
            if verdict is None:
                return None
            consequence = node.field("consequence")
            kept = []
            for child in node.children():
                if child.kind() in ("elif_clause", "else_clause"):
                    if not verdict:
                        kept.append(child)
                elif consequence is not None and child.range() == consequence.range():
                    if verdict:
                        kept.append(child)
                else:
                    kept.append(child)
            return kept
        if kind == "else_clause":
            return None
        if kind == "match_statement":
            subject = node.field("subject")
            value = value_of(subject.text(), self.consts) if subject is not None else None
            if not is_known(value):
                return None
            body = node.field("body")
            cases = [c for c in (body.children() if body is not None else []) if c.kind() == "case_clause"]
            for case in cases:
                pattern = next((c for c in case.children() if c.kind() == "case_pattern"), None)
                if pattern is None:
                    continue
                options = [o.strip() for o in pattern.text().split("|")]
                if "_" in options or any(literal(o) == value for o in options):
                    return [case]
            return []
        return None

    def _pin(self, node: SgNode) -> None:
        where = node.range()
        for text in self.pins.get((where.start.index, where.end.index, node.kind()), ()):
            self.pinned[text] = self.pinned.get(text, 0) + 1

    def _unpin(self, node: SgNode) -> None:
        where = node.range()
        for text in self.pins.pop((where.start.index, where.end.index, node.kind()), ()):
            left = self.pinned.get(text, 0) - 1
            if left > 0:
                self.pinned[text] = left
            else:
                self.pinned.pop(text, None)

    def _equal_to_literal(self, condition: SgNode, depth: int = 0) -> Iterator[str]:
        """Yield the texts `condition` requires to equal a literal: `a === "x"`, both sides of an `&&`."""
        if depth > 8:
            return
        kind = condition.kind()
        named = [c for c in condition.children() if c.is_named() and c.kind() not in self.grammar.comments]
        operators = {c.text() for c in condition.children() if not c.is_named()}
        if kind in ("parenthesized_expression",) and len(named) == 1:
            yield from self._equal_to_literal(named[0], depth + 1)
        elif len(named) == 2 and operators & {"&&", "and"}:
            for side in named:
                yield from self._equal_to_literal(side, depth + 1)
        elif len(named) == 2 and operators & {"==", "==="}:
            left, right = named
            if self._constant(right) and not self._constant(left):
                yield SPACE.sub("", left.text())
            elif self._constant(left) and not self._constant(right):
                yield SPACE.sub("", right.text())
        elif kind == "method_invocation" and self.callee(condition).endswith(".equals"):
            # Java's `"x".equals(s)` / `s.equals("x")`.
            receiver = condition.field("object")
            args = [v for _key, v in self.arguments(condition)]
            if receiver is not None and len(args) == 1:
                if self._constant(receiver) and not self._constant(args[0]):
                    yield SPACE.sub("", args[0].text())
                elif self._constant(args[0]) and not self._constant(receiver):
                    yield SPACE.sub("", receiver.text())

    def _constant(self, node: SgNode) -> bool:
        kind = node.kind()
        if kind in self.grammar.strings:
            return not any(c.kind() in self.grammar.interpolations for c in node.children())
        return kind in _LITERALS or kind == "int_literal"

    def _enter(self, node: SgNode, kind: str) -> None:
        if kind in ("if_statement", "elif_clause"):
            condition, consequence = node.field("condition"), node.field("consequence")
            if condition is not None and consequence is not None:
                pinned = set(self._equal_to_literal(condition))
                if pinned:
                    where = consequence.range()
                    self.pins[(where.start.index, where.end.index, consequence.kind())] = pinned
        if kind in self.grammar.conditions:
            condition = node.field("condition")
            if condition is not None:
                text = condition.text()
                # A source checked in place (`if (!pattern.test(req.params.theme)) throw`): its reads from here on
                # are the checked value.
                for member in self.language.allow_checked_members(text):
                    self.pinned[member] = self.pinned.get(member, 0) + 1
                for name in list(self.state):
                    if self.language.allow_checked(text, name):
                        self._mark_clean(name)
                    elif name not in self.clean and _mentions(text, name):
                        # Part of the evidence: a change that weakens this check is what lets the data through.
                        # A bare presence test is recorded for its line only, not shown on the path.
                        line = condition.range().start.line + 1
                        shown = text if len(text) <= 60 else text[:57] + "..."
                        what = (
                            f"`{shown}`, which tests it but does not make it safe" if _tests_value(text, name) else ""
                        )
                        self.state[name] = self.state[name].then(Step(line, what))
        loop = self.grammar.loops.get(kind)
        if loop is not None:
            target, iterable = node.field(loop[0]), node.field(loop[1])
            if target is not None and iterable is not None:
                self._assign(target, iterable, node, augmented=False, branch=1)

    def _leave(self, node: SgNode, kind: str, branch: int) -> None:
        if kind in self.grammar.assignments:
            target_field, value_field = self.grammar.assignments[kind]
            value = node.field(value_field)
            if value is None:
                return
            targets = node.field(target_field) if target_field else _before_equals(node)
            if targets is None:
                return
            augmented = kind in self.grammar.augmented or _operator(node) not in ("=", ":=", "")
            self._assign(targets, value, node, augmented=augmented, branch=branch)
        elif kind in self.grammar.calls:
            self._check_call(node, branch)
        elif kind in self.grammar.returns:
            self._check_return(node)

    # --- assignments -------------------------------------------------------------------------------------

    def _assign(self, targets: SgNode, value: SgNode, at: SgNode, *, augmented: bool, branch: int) -> None:
        if self.language.assigned_sinks and not augmented:
            self._check_assigned_sink(targets, value, at)
        host_of = _HOST_FIELD.fullmatch(targets.text())
        if host_of is not None and not augmented and branch == 0 and self.taint_of(value) is None:
            # `url.hostname = API_HOST`: the code chose where the URL goes, whatever path the request gave.
            self.fixed.add(host_of.group(1))
        names = list(self._target_names(targets))
        values = [v for v in value.children() if v.is_named() and v.kind() not in self.grammar.comments]
        pairwise = len(names) > 1 and len(values) == len(names) and value.kind() in ("expression_list", "tuple")
        line = at.range().start.line + 1
        key = self._key(targets)
        if key is not None:
            taint = self.taint_of(value)
            self.keyed[key] = taint
        for index, name in enumerate(names):
            if self.pinned:
                for text in [t for t in self.pinned if t == name or t.startswith(name + ".")]:
                    del self.pinned[text]  # given a new value: no longer the literal it was compared to
            source = values[index] if pairwise else value
            held = self.state.get(name)
            held_request_data = held is not None and held.strength != "parameter"
            self._bind_constant(name, source, augmented=augmented, branch=branch)
            self._bind_list(name, source, augmented=augmented, branch=branch)
            taint = self.taint_of(source)
            if taint is not None and not augmented:
                self.derived[name] = {
                    ident.text()
                    for ident in _identifiers(source, self.grammar.identifiers)
                    if ident.text() in self.state
                }
            if augmented:
                taint = stronger(self.state.get(name), taint)
            if taint is not None:
                self.state[name] = taint.then(Step(line, f"`{name}`"))
                self.clean.discard(name)
                self.defs.setdefault(name, []).append(source.text()[:400])
                del self.defs[name][:-4]
            elif not augmented and branch == 0:
                self.state.pop(name, None)
                self.defs[name] = [source.text()[:400]]
            if not augmented:
                if self._starts_fixed(source):
                    # In a branch the name ends fixed where the value it may keep was fixed or clean: request
                    # data can then reach a sink through it only behind a base the application chose.
                    if branch == 0 or not held_request_data:
                        self.fixed.add(name)
                elif branch == 0 or taint is not None:
                    self.fixed.discard(name)

    def _bind_constant(self, name: str, value: SgNode, *, augmented: bool, branch: int) -> None:
        if not self.language.folds_constants:
            return
        known: Constant | object = None
        if not augmented and branch == 0:
            known = literal(value.text()) if value.kind() in _LITERALS else value_of(value.text(), self.consts)
        if not augmented and branch == 0 and is_known(known):
            self.consts[name] = known  # type: ignore[assignment]
        else:
            self.consts.pop(name, None)

    def _bind_list(self, name: str, value: SgNode, *, augmented: bool, branch: int) -> None:
        if value.kind() in ("list", "array") and not augmented:
            items = [
                self.taint_of(c) for c in value.children() if c.is_named() and c.kind() not in self.grammar.comments
            ]
            self.lists[name] = (branch, items)
        else:
            self.lists.pop(name, None)

    def _list_call(self, name: str, method: str, args: list[tuple[str | None, SgNode]], branch: int) -> bool:
        """Apply `name.append(x)`, `.pop(i)`, `.insert(i, x)` to a modelled list; False when it cannot be."""
        made, items = self.lists[name]
        if branch != made:
            return False
        values = [v for key, v in args if key is None]
        if method in ("append", "push") and len(values) == 1:
            items.append(self.taint_of(values[0]))
            return True
        if method == "pop" and len(values) <= 1:
            index = _int_literal(values[0]) if values else -1
            if index is None or not -len(items) <= index < len(items):
                return False
            items.pop(index)
            return True
        if method == "insert" and len(values) == 2:
            index = _int_literal(values[0])
            if index is None:
                return False
            items.insert(index, self.taint_of(values[1]))
            return True
        return False

    def _key(self, node: SgNode) -> str | None:
        """Return `box['key']` for a subscript by a string literal, the one slot a store or a read names."""
        if node.kind() not in self.grammar.subscripts:
            return None
        named = [c for c in node.children() if c.is_named()]
        if len(named) != 2 or named[1].kind() not in self.grammar.strings:
            return None
        if any(c.kind() in self.grammar.interpolations for c in named[1].children()):
            return None
        return SPACE.sub("", named[0].text()) + "[" + repr(_unquoted(named[1].text())) + "]"

    def _target_names(self, node: SgNode) -> Iterator[str]:
        kind = node.kind()
        if kind in self.grammar.identifiers or kind in self.grammar.members:
            yield SPACE.sub("", node.text())
        elif kind in self.grammar.subscripts:
            # `parts[i] = x` taints the container.
            inner = node.child(0)
            if inner is not None:
                yield from self._target_names(inner)
        else:
            for child in node.children():
                if child.is_named() and child.kind() not in ("property_identifier", "type_identifier"):
                    if child.kind() == "pair_pattern":
                        value = child.field("value")
                        if value is not None:
                            yield from self._target_names(value)
                        continue
                    yield from self._target_names(child)

    # --- expressions -------------------------------------------------------------------------------------

    def taint_of(self, node: SgNode, depth: int = 0) -> Taint | None:
        """Return the taint of the expression `node` under the current state (None: clean)."""
        if depth > _MAX_DEPTH:
            return None
        grammar = self.grammar
        kind = node.kind()
        if kind in grammar.comments or kind in grammar.functions:
            return None  # a function value is code, not data
        pinned = bool(self.pinned) and (
            kind in grammar.identifiers
            or kind in grammar.members
            or kind in grammar.calls
            or kind in grammar.subscripts
        )
        if pinned and SPACE.sub("", node.text()) in self.pinned:
            return None  # compared equal to a literal on the way here: it is that literal
        if kind in grammar.identifiers:
            name = node.text()
            return None if name in self.clean else self.state.get(name)
        if kind in grammar.members or kind in grammar.calls or kind in grammar.subscripts:
            source = None if pinned and self._under_pinned(node) else self._source(node)
            if source is not None:
                return source
        if kind in grammar.members:
            taint = self.state.get(SPACE.sub("", node.text()))
            if taint is not None:
                return taint
            member = node.field(grammar.members[kind][1])
            clean = self.language.clean_members
            if clean is not None and member is not None and clean.match(member.text()):
                return None
        if kind in grammar.subscripts:
            named = [c for c in node.children() if c.is_named()]
            if len(named) == 2 and named[0].text() in self.lists:
                index = _int_literal(named[1])
                items = self.lists[named[0].text()][1]
                if index is not None and -len(items) <= index < len(items):
                    return items[index]
            key = self._key(node)
            if key is not None and key in self.keyed:
                return self.keyed[key]
            # A lookup by a tainted key in a clean table gives the table's value: `SORTS[request.args["s"]]`.
            container = next((c for c in node.children() if c.is_named()), None)
            return self.taint_of(container, depth + 1) if container is not None else None
        if kind in grammar.calls:
            return self._call_taint(node, depth)
        if kind in grammar.conditional_expressions:
            picked = self._fixed_branch(node)
            if picked is not None:
                return self.taint_of(picked, depth + 1)
            condition = node.field("condition")
            named = [c for c in node.children() if c.is_named()]
            if condition is None and len(named) == 3:
                condition = named[1]  # Python's `a if cond else b` names no fields
            found: Taint | None = None
            for child in named:
                if condition is None or child.range() != condition.range():
                    found = stronger(found, self.taint_of(child, depth + 1))
            return found
        bound = self.language.bound_values.get(kind)
        if bound is not None and bound.match(node.text()[:_SOURCE_TEXT]):
            return None
        if kind in _COMPREHENSIONS:
            # What a comprehension yields is its body: `(safe_join(root, t, path) for t in themes)` yields
            # sanitised paths, however tainted the names it loops over.
            body = node.field("body")
            if body is not None and body.kind() in grammar.calls and self._sanitizes(self.callee(body)):
                return None
        found = None
        for child in node.children():
            if child.is_named():
                found = stronger(found, self.taint_of(child, depth + 1))
                if found is not None and found.strength == "request" and not found.segment:
                    return found
        return found

    def _under_pinned(self, node: SgNode) -> bool:
        """Tell whether `node` is a member or call of a pinned expression (`host.toLowerCase()`)."""
        flat = SPACE.sub("", node.text())
        return any(
            flat.startswith(text) and flat[len(text) : len(text) + 1] in (".", "(", "[", "?") for text in self.pinned
        )

    def _fixed_branch(self, node: SgNode) -> SgNode | None:
        """Return the branch of `a if cond else b` that the code fixes (Python), else None."""
        if not self.language.folds_constants:
            return None
        named = [c for c in node.children() if c.is_named()]
        if len(named) != 3:
            return None
        verdict = evaluate(named[1].text(), self.consts)
        if verdict is None:
            return None
        return named[0] if verdict else named[2]

    def _source(self, node: SgNode) -> Taint | None:
        text = node.text()
        if len(text) > _SOURCE_TEXT * 4:
            text = text[: _SOURCE_TEXT * 4]
        flat = SPACE.sub("", text)
        for pattern in (self.language.sources, self.extra_sources):
            if pattern is None:
                continue
            found = pattern.match(flat)
            if found:
                what = found.group(0).rstrip("(.")
                return Taint("request", (Step(node.range().start.line + 1, f"`{what}`"),))
        return None

    def _sanitizes(self, callee: str) -> bool:
        """Tell whether calling `callee` cleans what it is given (this language's sanitisers or the common ones)."""
        return bool(self.language.sanitizers.search(callee) or COMMON_SANITIZERS.search(callee))

    def _call_taint(self, node: SgNode, depth: int) -> Taint | None:
        callee = self.callee(node)
        if self._sanitizes(callee):
            return None
        receiver = self.receiver(node)
        method = callee.rsplit(".", 1)[-1]
        if method in ("get", "getAttribute", "getProperty") and receiver is not None:
            keys = self._literal_keys([v for key, v in self.arguments(node) if key is None])
            stored = SPACE.sub("", receiver.text()) + keys if keys is not None else None
            if stored is not None and stored in self.keyed:
                return self.keyed[stored]
        lookup = method in ("get", "getOrDefault")
        if (
            lookup
            and receiver is not None
            and receiver.kind() in self.grammar.identifiers
            and self.taint_of(receiver, depth + 1) is None
        ):
            return None  # a lookup in a clean table
        if any(sink.callee.match(callee) for sink in self.sinks):
            return None  # what a query or a command returns is not the request's data
        if re.match(r"(?:self|this|cls|super\(\))\.", callee):
            return None  # the application's own method: what it returns is its logic, beyond one function
        found: Taint | None = None
        if receiver is not None and _carries_text(method):
            found = self.taint_of(receiver, depth + 1)
        # Keyword arguments are options and ORM filters (`get(pk=x)`): what comes back is not their text,
        # except for string formatting.
        formats = method in ("format", "format_map")
        builders = self.language.option_builders
        options = self.language.option_arguments if builders is None or not builders.search(callee) else frozenset()
        for name, argument in self.arguments(node):
            if name is None and argument.kind() in options:
                continue
            if name is None or formats:
                found = stronger(found, self.taint_of(argument, depth + 1))
        return found

    def callee(self, node: SgNode) -> str:
        """Return the callee's text without spaces: `cursor.execute`, `new File`."""
        kind = node.kind()
        if kind == "method_invocation":
            name = node.field("name")
            obj = node.field("object")
            text = (obj.text() + "." if obj is not None else "") + (name.text() if name is not None else "")
        elif kind in ("new_expression", "object_creation_expression"):
            target = node.field("constructor") or node.field("type")
            text = "new " + re.sub(r"<.*>", "", target.text() if target is not None else "")
            return text
        else:
            function = node.field("function")
            text = function.text() if function is not None else ""
        return SPACE.sub("", text)

    def receiver(self, node: SgNode) -> SgNode | None:
        """Return what a method is called on (`cursor` in `cursor.execute(...)`), if anything."""
        if node.kind() == "method_invocation":
            return node.field("object")
        function = node.field("function")
        if function is None:
            return None
        member = self.grammar.members.get(function.kind())
        return function.field(member[0]) if member is not None else None

    def arguments(self, node: SgNode) -> Iterator[tuple[str | None, SgNode]]:
        """Yield a call's arguments in order: (keyword name or None, value)."""
        args = node.field("arguments")
        if args is None:
            return
        for child in args.children():
            if not child.is_named() or child.kind() in self.grammar.comments:
                continue
            if child.kind() == "keyword_argument":
                name, value = child.field("name"), child.field("value")
                if value is not None:
                    yield (name.text() if name is not None else None), value
            else:
                yield None, child

    def _chosen_by_code(self, node: SgNode) -> bool:
        """Tell whether no request data reaches `node`: clean, or only a parameter (its caller chose it)."""
        taint = self.taint_of(node)
        return taint is None or taint.strength == "parameter"

    def _starts_fixed(self, node: SgNode) -> bool:
        """Tell whether the string `node` builds starts with a literal or a clean value that fixes its host."""
        leading = _leading_literal(node, self.grammar.strings)
        if leading is not None:
            if FIXED_TARGET.match(re.sub(r"^redirect:", "", leading)):
                return True
            # A template that starts with a clean value (`${config.basePath}/groups/${slug}`): a base the
            # application chose, as for a concatenation below.
            if leading.startswith(("${", "{")):
                first = next((c for c in node.children() if c.kind() in self.grammar.interpolations), None)
                if first is None and node.kind() in self.grammar.calls and self.callee(node).endswith(".format"):
                    # `"{}?{}".format(reverse("invites"), query)`: the first placeholder is the first argument.
                    first = next((value for name, value in self.arguments(node) if name is None), None)
                return first is not None and self._chosen_by_code(first)
            return False
        if node.kind() in self.grammar.calls and self.callee(node) in self.fixed_returners:
            return True  # a helper of this file that only returns fixed targets
        first = _first_operand(node)
        if first is not None and first.kind() not in self.grammar.strings and self._chosen_by_code(first):
            return True  # a base the application chose (`settings.SUBSCRIBE_URL + "?" + query`)
        if node.kind() in self.grammar.identifiers:
            return node.text() in self.fixed
        return False

    # --- sinks -------------------------------------------------------------------------------------------

    def _mark_clean(self, name: str) -> None:
        """Record that `name`, and every value derived from it, passed a check."""
        self.clean.add(name)
        self.clean.update(self.derived.get(name, ()))

    def _check_call(self, node: SgNode, branch: int = 0) -> None:
        callee = self.callee(node)
        if not callee:
            return
        receiver = self.receiver(node)
        args = list(self.arguments(node))
        guards = self.language.guard_calls
        if guards is not None and guards.search(callee):
            for _key, value in args:
                if value.kind() in self.grammar.identifiers and value.text() in self.state:
                    self._mark_clean(value.text())
            return
        method = callee.rsplit(".", 1)[-1]
        listed = receiver is not None and receiver.text() in self.lists
        if listed and receiver is not None and not self._list_call(receiver.text(), method, args, branch):
            self.lists.pop(receiver.text(), None)
        if not self._keyed_store(method, receiver, args):
            self._mutate(callee, receiver, args, node)
        self._fill_out_parameters(node, args)
        callee = self.aliases.get(callee, callee)
        for sink in self.sinks:
            if not sink.callee.match(callee):
                continue
            call_text = node.text()
            if sink.requires_keyword is not None and not sink.requires_keyword.search(call_text):
                continue
            if sink.unless is not None and sink.unless.search(call_text):
                continue
            if sink.call_needs is not None and not sink.call_needs.search(call_text):
                continue
            for argument in self._sink_inputs(sink, receiver, args):
                if sink.kind == "ssrf" and argument.kind() in ("object", "dictionary"):
                    where = self._url_part(argument)
                    if where is None:
                        continue
                    argument = where
                taint = self._reaching(sink, argument)
                if taint is not None:
                    self._hit(sink.kind, node, callee, taint)
                    return

    def _reaching(self, sink: Sink, argument: SgNode) -> Taint | None:
        """Return the taint `argument` brings into `sink`, or None when the evidence does not hold."""
        taint = self.taint_of(argument)
        if taint is None or (taint.strength == "parameter" and not sink.parameters_count):
            return None
        if taint.strength == "parameter" and len(taint.steps) == 1 and argument.kind() in self.grammar.identifiers:
            return None  # a wrapper that runs what its caller passes: the caller is where to look
        if taint.strength == "parameter" and sink.kind == "sql" and not self._spliced_as_sql_value(taint, argument):
            # A parameter joined in as a table, a column, `ASC` or a fragment the callers build: on real code
            # that is nearly always a name the code chose, with the values bound beside the query.
            return None
        if sink.needs is not None and not sink.needs.search(self._context(argument)):
            return None
        if taint.segment and sink.one_segment_harmless:
            return None
        if sink.checks_source is not None and sink.checks_source.match(taint.steps[0].text):
            return None
        if sink.kind in ("ssrf", "redirect") and self._starts_fixed(argument):
            return None
        if sink.kind == "redirect" and _SELF_URL.search(taint.steps[0].text):
            return None  # the page's own path: sending the user back where they are
        return taint

    def _spliced_as_sql_value(self, taint: Taint, argument: SgNode) -> bool:
        """Tell whether a name on the taint's path is spliced where SQL expects a value (`= '" + name + "'`)."""
        names = [found.group(1) for step in taint.steps if (found := _STEP_NAME.match(step.text))]
        texts = [argument.text(), *(text for name in names for text in self.defs.get(name, ()))]
        return any(sql_value_splice(name).search(text) for name in names for text in texts)

    def _check_assigned_sink(self, targets: SgNode, value: SgNode, at: SgNode) -> None:
        """Report tainted data assigned where a framework sends it (Koa's `ctx.body = html`)."""
        target = targets.text()
        for sink in self.language.assigned_sinks:
            if sink.callee.match(target):
                taint = self._reaching(sink, value)
                if taint is not None:
                    self._hit(sink.kind, at, target, taint)
                    return

    def _url_part(self, options: SgNode) -> SgNode | None:
        """Return the value of the key that says where an options object sends the request (`url`, `host`)."""
        for pair in options.children():
            if pair.kind() != "pair":
                continue
            key = pair.field("key")
            if key is not None and key.text().strip("\"'") in ("url", "uri", "host", "hostname", "baseURL", "origin"):
                return pair.field("value")
        return None

    def _sink_inputs(self, sink: Sink, receiver: SgNode | None, args: list[tuple[str | None, SgNode]]) -> list[SgNode]:
        if sink.receiver:
            return [receiver] if receiver is not None else []
        positional = [value for name, value in args if name is None]
        chosen = positional if sink.args is None else [positional[i] for i in sink.args if i < len(positional)]
        chosen.extend(value for name, value in args if name is not None and name in sink.keywords)
        return chosen

    def _fill_out_parameters(self, node: SgNode, args: list[tuple[str | None, SgNode]]) -> None:
        """Taint `x` in `json.NewDecoder(r.Body).Decode(&x)` / `c.ShouldBindJSON(&x)`: the call writes into it."""
        targets = [v for _key, v in args if v.kind() == "unary_expression" and v.text().startswith("&")]
        if not targets:
            return
        taint = self._source(node)
        receiver = self.receiver(node)
        if taint is None and receiver is not None:
            taint = self.taint_of(receiver)
        for _key, value in args:
            if value not in targets:
                taint = stronger(taint, self.taint_of(value))
        if taint is None:
            return
        line = node.range().start.line + 1
        for target in targets:
            name = target.text()[1:].strip()
            if re.fullmatch(r"[A-Za-z_][\w.]*", name):
                self.state[name] = taint.then(Step(line, f"`{name}`"))

    def _keyed_store(self, method: str, receiver: SgNode | None, args: list[tuple[str | None, SgNode]]) -> bool:
        """Keep `box.set("section", "key", value)` / `map.put("key", value)` under its literal key."""
        if method not in ("set", "put", "setdefault", "setAttribute", "setProperty") or receiver is None:
            return False
        values = [v for key, v in args if key is None]
        keys = self._literal_keys(values[:-1])
        if len(values) < 2 or keys is None:
            return False
        self.keyed[SPACE.sub("", receiver.text()) + keys] = self.taint_of(values[-1])
        return True

    def _literal_keys(self, values: list[SgNode]) -> str | None:
        if not values or any(v.kind() not in self.grammar.strings for v in values):
            return None
        return repr([_unquoted(v.text()) for v in values])

    def _mutate(self, callee: str, receiver: SgNode | None, args: list[tuple[str | None, SgNode]], at: SgNode) -> None:
        method = callee.rsplit(".", 1)[-1]
        if receiver is None or method not in self.language.mutators:
            return
        name = self._root_name(receiver)
        if name is None:
            return
        taint: Taint | None = None
        for _key, value in args:
            taint = stronger(taint, self.taint_of(value))
        # What was put in counts as the container's text too (`argv.append("-c")`).
        self.defs.setdefault(name, []).append(at.text()[:400])
        del self.defs[name][:-8]
        if taint is not None:
            line = at.range().start.line + 1
            self.state[name] = stronger(self.state.get(name), taint.then(Step(line, f"`{name}`"))) or taint

    def _root_name(self, node: SgNode) -> str | None:
        while node.kind() in self.grammar.calls:
            inner = self.receiver(node)
            if inner is None:
                return None
            node = inner
        kind = node.kind()
        if kind in self.grammar.identifiers or kind in self.grammar.members:
            return SPACE.sub("", node.text())
        return None

    def _context(self, argument: SgNode) -> str:
        """Return the argument's text and the texts its names were given, two assignments deep."""
        texts = [argument.text()]
        seen: set[str] = set()
        frontier = [argument.text()]
        for _ in range(2):
            found = []
            for text in frontier:
                for name in re.findall(r"[A-Za-z_][\w.]*", text):
                    if name in self.defs and name not in seen:
                        seen.add(name)
                        found.extend(self.defs[name])
            texts.extend(found)
            frontier = found
        return "\n".join(texts)

    def _check_return(self, node: SgNode) -> None:
        value = next((c for c in node.children() if c.is_named()), None)
        if value is None:
            return
        for sink in self.language.returns:
            if not sink.applies(self.function):
                continue
            if (
                value.kind() in _DATA_LITERALS
                or value.kind() in self.grammar.calls
                or any(d.lstrip().startswith(("{", "[", "dict(")) for d in self.defs.get(value.text(), ()))
            ):
                continue  # a dict or list goes out as JSON; a call's result is judged where it is built
            taint = self.taint_of(value)
            if taint is None or taint.strength != "request":
                continue
            if sink.needs is not None and not sink.needs.search(self._context(value)):
                continue
            self._hit(sink.kind, node, "return", taint)
            return

    def _hit(self, kind: str, node: SgNode, sink: str, taint: Taint) -> None:
        where = node.range()
        self.hits.append(
            FlowHit(kind=kind, line=where.start.line + 1, end_line=where.end.line + 1, sink=sink, taint=taint)  # type: ignore[arg-type]
        )


# What a presence test is made of: `if q`, `if not q`, `q is None`, `(q && q !== undefined)`.
_PRESENCE = re.compile(r"(?:\bnot\b|\band\b|\bor\b|\bis\b|\bNone\b|\bnil\b|\bnull\b|\bundefined\b|[()!=&|\s])+")


@functools.lru_cache(maxsize=4096)
def _uses(name: str) -> re.Pattern[str]:
    """Return a pattern for `name` as a whole name (not `x.name`, not `name_2`); names repeat, so compiled once."""
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")


def _mentions(condition: str, name: str) -> bool:
    return _uses(name).search(condition) is not None


def _tests_value(condition: str, name: str) -> bool:
    """Tell whether `condition` looks at `name`'s value beyond whether it is there at all."""
    return _PRESENCE.fullmatch(_uses(name).sub(" ", condition)) is None


def _before_equals(node: SgNode) -> SgNode | None:
    # Go's `var a, b = x, y`: the names are the identifiers before `=`.
    for child in node.children():
        if child.kind() == "identifier":
            return child
    return None


def _operator(node: SgNode) -> str:
    operator = node.field("operator")
    if operator is not None:
        return operator.text()
    for child in node.children():
        if not child.is_named() and child.text().endswith("="):
            return child.text()
    return ""


def _leading_literal(node: SgNode, strings: frozenset[str]) -> str | None:
    """Return the literal text a string-building expression starts with, if it starts with one."""
    for _ in range(8):
        kind = node.kind()
        if kind in strings:
            text = node.text()
            return re.sub(r"^[a-zA-Z]*[\"'`]+", "", text)
        children = [c for c in node.children() if c.is_named()]
        if not children:
            return None
        node = children[0]
    return None


@functools.lru_cache(maxsize=256)
def sql_value_splice(name: str) -> re.Pattern[str]:
    """Return a pattern for `name` spliced into SQL where a value belongs: inside quotes, after `=` or LIKE."""
    held = re.escape(name)
    # SQL text before the splice that asks for a value: an opening quote, `%` of a LIKE pattern, a comparison,
    # LIKE or IN (; then the language's glue (`" + `, `${`, `{`) and the name.
    value_at = r"(?:['%]|[=<>]|\b(?i:like|in)\s*\(?)\s*"
    glue = r"(?:[\"'`]\s*(?:\+|\.\.|\|\|)\s*|\$?\{\s*)"
    # A placeholder filled by formatting, not bound: `"... = '%s'" % name`, `.format(name)`, `Sprintf(..., name)`.
    placeholder = r"(?:'%[sd]'|'\{\}'|(?:[=<>]|\b(?i:like|in)\s*\()\s*(?:%[sd]\b|\{\}))"
    formatted = rf"(?:{placeholder}[^\n]*?(?:%|\.format\()|(?:Sprintf|\.format)\([^\n]*?{placeholder})[^\n]*?\b"
    return re.compile(rf"(?:{value_at}{glue}|{formatted}){held}\b")


def _identifiers(node: SgNode, kinds: frozenset[str]) -> Iterator[SgNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.kind() in kinds:
            yield current
        stack.extend(current.children())


def _int_literal(node: SgNode) -> int | None:
    text = node.text().strip()
    if re.fullmatch(r"-?\d{1,6}", text):
        return int(text)
    return None


# Methods whose result is (part of) the receiver's text or data: a value keeps its taint through them. Any
# other method of a tainted object (`form.save()`, `obj.get_absolute_url()`, `query.sql_with_params()`) gives
# something the application built.
_TEXT_METHODS = frozenset(
    """
    strip lstrip rstrip lower upper title capitalize casefold replace split rsplit splitlines join format
    format_map encode decode get getlist pop popitem values items keys copy removeprefix removesuffix
    partition rpartition zfill center ljust rjust expandtabs translate
    trim trimStart trimEnd toLowerCase toUpperCase toString toJSON slice substring substr concat padStart
    padEnd repeat at charAt normalize split join map filter flat flatMap find reduce entries
    getParameter getParameterValues getHeader getValue getName getBytes getString getAttribute next
    nextElement nextToken readLine read readAllBytes getQueryString toCharArray valueOf intern strip
    String Bytes Get Value FormValue
    """.split()  # noqa: SIM905 - a word list reads better than 90 quoted strings
)


def _carries_text(method: str) -> bool:
    return method in _TEXT_METHODS


def _first_operand(node: SgNode) -> SgNode | None:
    """Return the left-most operand of a concatenation (`a + b + c` gives `a`), or None if `node` is none."""
    if node.kind() not in ("binary_operator", "binary_expression"):
        return None
    for _ in range(16):
        named = [c for c in node.children() if c.is_named()]
        if not named:
            return None
        if named[0].kind() not in ("binary_operator", "binary_expression"):
            return named[0]
        node = named[0]
    return None


_QUOTED = re.compile(r"^[a-zA-Z]*([\"'`]+)(.*?)\1$", re.S)


def _unquoted(literal: str) -> str:
    """Return a string literal's text without its prefix and quotes: `f'a'`, `"a"` and `'''a'''` give `a`."""
    return _QUOTED.sub(r"\2", literal)
