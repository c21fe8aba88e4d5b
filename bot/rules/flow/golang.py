"""Go's sources (net/http, gin, echo, fiber, chi, gorilla/mux), sanitisers and sinks."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ast_grep_py import SgNode

from bot.rules.flow.grammar import GO
from bot.rules.flow.model import Sink, Strength
from bot.rules.flow.spec import HTML_TEXT, SQL_TEXT, FlowLanguage, callee_pattern

# Request data that needs no parameter name: router helpers.
SOURCES = re.compile(r"^(?:mux\.Vars\(|chi\.URLParam\(|httprouter\.ParamsFromContext\()")
_REQUEST_TYPES = re.compile(r"^\*\s*http\.Request$")
_CONTEXT_TYPES = re.compile(r"^\*?\s*(?:gin\.Context|echo\.Context|fiber\.Ctx)$")
# (`URL.Path` before `URL`, so that a path's steps name it: http.ServeFile checks that one itself.)
_REQUEST_PARTS = (
    r"URL\.Path|URL|Form|PostForm|FormValue|PostFormValue|Header|Body|Cookie|Cookies|MultipartForm|FormFile|RequestURI|Host|"
    r"Referer|UserAgent"
)
_CONTEXT_PARTS = (
    r"Query|DefaultQuery|GetQuery|QueryArray|QueryMap|Param|Params|PostForm|DefaultPostForm|GetPostForm|"
    r"PostFormArray|GetHeader|Cookie|QueryParam|QueryParams|FormValue|FormParams|Body|BodyParser|GetRawData|"
    r"Get|Request\(\)\.URL|Bind\w*|ShouldBind\w*"
)
_DATA_TYPES = re.compile(r"^(?:string|\[\]byte|\[\]string|any|interface\{\})$")

SINKS = (
    Sink(
        "sql",
        callee_pattern(
            r".+\.(?:Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Get|Select|MustExec|Queryx|QueryRowx)"
        ),
        args=(0, 1),
        needs=SQL_TEXT,
        parameters_count=True,
    ),
    # Query builders (gorm, xorm, squirrel) take the SQL text first and bind every argument after it
    # (`Where("name = ?", name)`); squirrel's `Expr("... = ?", v)` likewise, so it is a sink on its text only.
    Sink(
        "sql",
        callee_pattern(r".+\.(?:Raw|Where|Having|Joins|Order|Group)", r"(?:\w+\.)?Expr"),
        args=(0,),
        needs=re.compile(r"(?i)[=<>]|\blike\b|\bin\b|\bselect\b|\bdesc\b|\basc\b"),
        parameters_count=True,
    ),
    Sink("shell", callee_pattern(r"exec\.Command(?:Context)?"), args=(0, 1)),
    Sink(
        "shell",
        callee_pattern(r"exec\.Command(?:Context)?"),
        args=None,
        parameters_count=True,
        call_needs=re.compile(r"\"(?:/bin/)?(?:ba|z)?sh\"\s*,\s*\"-c\"|\"cmd(?:\.exe)?\"\s*,\s*\"/c\""),
    ),
    # Embedded JavaScript interpreters (goja, otto).
    Sink("code", callee_pattern(r".+\.(?:RunString|RunScript)"), args=(0, 1)),
    Sink(
        "path",
        callee_pattern(
            r"os\.(?:Open|OpenFile|ReadFile|WriteFile|Create|Remove|RemoveAll|Mkdir|MkdirAll|ReadDir|Stat)",
            r"ioutil\.(?:ReadFile|WriteFile|ReadDir)",
        ),
    ),
    # ServeFile refuses a request whose URL.Path has a `..` element: a name joined from that path stays put.
    Sink("path", callee_pattern(r"http\.ServeFile"), args=(2,), checks_source=re.compile(r"^`\w+\.URL\.Path`$")),
    Sink("path", callee_pattern(r"[\w.]+\.(?:File|FileAttachment)"), args=(0,)),
    Sink("ssrf", callee_pattern(r"http\.(?:Get|Post|Head|PostForm)", r"[\w.]*[cC]lient\.(?:Get|Post|Head|PostForm)")),
    Sink("ssrf", callee_pattern(r"http\.NewRequest"), args=(1,)),
    Sink("ssrf", callee_pattern(r"http\.NewRequestWithContext"), args=(2,)),
    Sink("redirect", callee_pattern(r"http\.Redirect"), args=(2,)),
    Sink("redirect", callee_pattern(r"[\w.]+\.Redirect"), args=(1,)),
    Sink("html", callee_pattern(r"template\.HTML")),
    Sink("html", callee_pattern(r"fmt\.Fprint(?:f|ln)?", r"io\.WriteString"), args=None, needs=HTML_TEXT),
)

SANITIZERS = re.compile(
    r"(^|\.)(Atoi|ParseInt|ParseUint|ParseFloat|ParseBool|Parse|MustParse|Base|Clean|EscapeString|"
    r"HTMLEscapeString|JSEscapeString|QueryEscape|PathEscape|len|Itoa|FormatInt|Contains|HasPrefix)$"
)


def _parameter_names(function: SgNode) -> list[tuple[str, str]]:
    params = function.field("parameters")
    if params is None:
        return []
    found = []
    for decl in params.children():
        if decl.kind() != "parameter_declaration":
            continue
        kind = decl.field("type")
        type_text = re.sub(r"\s+", "", kind.text()) if kind is not None else ""
        for child in decl.children():
            if child.kind() == "identifier":
                found.append((child.text(), type_text))
    return found


def function_sources(function: SgNode) -> re.Pattern[str] | None:
    """Return the members of this function's request and router-context parameters that are request data."""
    requests = [name for name, kind in _parameter_names(function) if _REQUEST_TYPES.match(kind)]
    contexts = [name for name, kind in _parameter_names(function) if _CONTEXT_TYPES.match(kind)]
    parts = []
    if requests:
        parts.append(rf"(?:{'|'.join(map(re.escape, requests))})\.(?:{_REQUEST_PARTS})\b")
    if contexts:
        parts.append(rf"(?:{'|'.join(map(re.escape, contexts))})\.(?:{_CONTEXT_PARTS})\b")
    return re.compile("^(?:" + "|".join(parts) + ")") if parts else None


def parameters(function: SgNode) -> Mapping[str, Strength]:
    """Return the function's string-like parameters as leads."""
    return {name: "parameter" for name, kind in _parameter_names(function) if _DATA_TYPES.match(kind)}


GO_FLOW = FlowLanguage(
    name="go",
    grammar=GO,
    sources=SOURCES,
    function_sources=function_sources,
    parameters=parameters,
    sanitizers=SANITIZERS,
    sinks=SINKS,
    mutators=frozenset({"WriteString", "Write", "Add", "Set"}),
    bound_values={
        "composite_literal": re.compile(
            r"(?:sq\.|squirrel\.)?(?:Eq|NotEq|Like|NotLike|ILike|NotILike|Gt|Lt|GtOrEq|LtOrEq)\s*\{"
        )
    },
    allow_checks=(
        r'strings\.HasPrefix\(\s*{name}\s*,\s*"/',
        r"(slices\.Contains|Contains)\(\s*\w+\s*,\s*{name}\s*\)",
        r"\w+\[\s*{name}\s*\]",
        r"\.MatchString\(\s*{name}\s*\)",
    ),
)
