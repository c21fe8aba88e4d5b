"""Python's sources (Flask, Django, FastAPI, Starlette), sanitisers and sinks."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ast_grep_py import SgNode

from bot.rules.flow.grammar import PYTHON
from bot.rules.flow.model import Sink, Strength
from bot.rules.flow.spec import LDAP_FILTER, SQL_TEXT, FlowLanguage, ReturnSink, callee_pattern

_REQUEST_PARTS = (
    r"args|form|values|cookies|headers|json|data|files|get_json|get_data|GET|POST|COOKIES|META|FILES|body|"
    r"query_params|path_params|query_string|path|full_path|url|base_url|environ|stream|view_args|content"
)
SOURCES = re.compile(rf"^(?:flask\.)?(?:self\.)?request\.(?:{_REQUEST_PARTS})\b")
_ROUTE = re.compile(r"^@\s*[\w.]+\.(route|get|post|put|patch|delete|api_route|websocket)\s*\(")
_FLASK_ROUTE = re.compile(r"^@\s*[\w.]+\.route\s*\(")
# Parameters that are framework objects, not data: the sources come through their attributes.
_NON_TEXT = re.compile(
    r"^(?:int|float|bool|UUID[1345]?|uuid\.UUID|pydantic\.UUID[1345]|date|datetime|Decimal|PositiveInt|conint\(.*\))$"
)
_OBJECTS = frozenset({"self", "cls", "request", "req", "response", "resp", "app", "db", "session", "context", "ctx"})

SHELL_TRUE = re.compile(r"\bshell\s*=\s*True\b")
# An argument vector that runs a shell: `["sh", "-c", cmd]`.
SHELL_ARGV = re.compile(r"""['"](?:/bin/)?(?:ba|z|da)?sh['"]|['"]cmd(?:\.exe)?['"]""")
SAFE_YAML = re.compile(r"Loader\s*=\s*(?:yaml\.)?C?(?:Safe|Base)Loader\b")
_SUBPROCESS = r"(?:subprocess\.)?(?:run|call|check_call|check_output|Popen)"

SINKS = (
    Sink(
        "sql",
        callee_pattern(
            r".+\.(?:execute|executemany|executescript|raw|mogrify|exec_driver_sql)",
            r"(?:pd\.|pandas\.)?read_sql(?:_query)?",
            r"(?:sqlalchemy\.|sa\.)?text",
            r"RawSQL",
        ),
        needs=SQL_TEXT,
        parameters_count=True,
    ),
    Sink(
        "shell", callee_pattern(r"os\.(?:system|popen)", r"(?:subprocess\.)?getstatusoutput|(?:subprocess\.)?getoutput")
    ),
    Sink("shell", callee_pattern(_SUBPROCESS), requires_keyword=SHELL_TRUE),
    Sink("shell", callee_pattern(_SUBPROCESS), needs=SHELL_ARGV),
    Sink("code", callee_pattern(r"eval|exec|compile|builtins\.eval|builtins\.exec")),
    Sink(
        "deserialize",
        callee_pattern(r"(?:pickle|cPickle|_pickle|dill|marshal|jsonpickle|shelve)\.(?:loads?|decode|Unpickler|open)"),
    ),
    Sink(
        "deserialize",
        callee_pattern(r"yaml\.(?:load|load_all|unsafe_load|full_load|unsafe_load_all)"),
        unless=SAFE_YAML,
    ),
    Sink(
        "path",
        callee_pattern(
            r"open",
            r"(?:io|codecs|os)\.open",
            r"os\.(?:remove|unlink|rename|replace)",
            r"(?:flask\.)?send_file",
            r"FileResponse",
            r"tarfile\.open",
            r"zipfile\.ZipFile",
        ),
        args=None,
        one_segment_harmless=True,
    ),
    # What works on folders too: `..` from one path segment is the parent folder (`shutil.copy` into it).
    Sink(
        "path",
        callee_pattern(
            r"os\.(?:rmdir|removedirs|mkdir|makedirs|listdir|scandir|chmod)",
            # Not `copyfileobj`: it is given open file objects, whose paths were judged where they were opened.
            r"shutil\.(?:copy(?!fileobj)\w*|move|rmtree)",
        ),
        args=None,
    ),
    # `Path(x)` only builds a path; reading or writing through it is the sink.
    Sink(
        "path",
        callee_pattern(r"[\w.()]*\.(?:open|read_text|read_bytes|write_text|write_bytes|unlink|touch)"),
        receiver=True,
        one_segment_harmless=True,
    ),
    Sink("path", callee_pattern(r"[\w.()]*\.(?:rmdir|iterdir)"), receiver=True),
    Sink(
        "ssrf",
        callee_pattern(
            r"(?:requests|httpx)\.(?:get|post|put|patch|delete|head|options|stream)",
            r"[\w.]*(?:session|client|http)\.(?:get|post|put|patch|delete|head)",
            r"(?:urllib\.request\.)?urlopen",
            r"urllib\.request\.Request",
        ),
        keywords=frozenset({"url"}),
    ),
    Sink("ssrf", callee_pattern(r"(?:requests|httpx|[\w.]*session|[\w.]*client)\.request"), args=(1,)),
    Sink(
        "redirect",
        callee_pattern(
            r"(?:flask\.)?redirect",
            r"(?:django\.shortcuts\.)?redirect",
            r"HttpResponse(?:Permanent)?Redirect",
            r"RedirectResponse",
        ),
        keywords=frozenset({"location", "url", "redirect_to"}),
    ),
    Sink(
        "html",
        callee_pattern(
            r"(?:flask\.)?render_template_string",
            r"(?:markupsafe\.|flask\.)?Markup",
            r"mark_safe",
            r"HttpResponse",
            r"(?:flask\.)?make_response",
        ),
    ),
    Sink("xpath", callee_pattern(r"elementpath\.(?:select|iter_select|Selector)"), args=(1,)),
    Sink(
        "xpath",
        callee_pattern(
            r".+\.xpath",
            r"(?:lxml\.)?(?:etree\.)?XPath",
            r"[\w.]*(?:etree|tree|root|doc)\.(?:find|findall|iterfind|findtext)",
        ),
    ),
    Sink(
        "ldap",
        callee_pattern(r".+\.(?:search|search_s|search_st|search_ext|search_ext_s|paged_search)"),
        args=None,
        needs=LDAP_FILTER,
    ),
)

SANITIZERS = re.compile(
    r"(^|\.)(int|float|bool|complex|Decimal|UUID|literal_eval|abs|round|ord|isinstance|hasattr|jsonify|url_for|"
    r"render_template|TemplateResponse|render|safe_join|normpath_within|fullmatch|match|search|re\.escape|escape_filter_chars|escape_dn_chars|dumps)$"
)


def _decorators(function: SgNode) -> list[str]:
    parent = function.parent()
    if parent is None or parent.kind() != "decorated_definition":
        return []
    return [c.text() for c in parent.children() if c.kind() == "decorator"]


def parameters(function: SgNode) -> Mapping[str, Strength]:
    """Return the function's data parameters: a route's are request data (path and query), others a lead."""
    params = function.field("parameters")
    if params is None:
        return {}
    routed = any(_ROUTE.match(d) for d in _decorators(function))
    found: dict[str, Strength] = {}
    for child in params.children():
        kind = child.kind()
        if kind == "identifier":
            name, default = child.text(), ""
        elif kind in ("typed_parameter", "default_parameter", "typed_default_parameter"):
            ident = child.field("name") or next((c for c in child.children() if c.kind() == "identifier"), None)
            if ident is None:
                continue
            name = ident.text()
            value = child.field("value")
            default = value.text() if value is not None else ""
            annotation = child.field("type")
            if annotation is not None and _NON_TEXT.match(annotation.text()):
                continue  # the framework converts it to a number or an id: no text reaches a sink
            if annotation is not None and default.startswith(annotation.text() + "."):
                continue  # `kind: ImageType = ImageType.original`: an Enum, one of its fixed members
            if annotation is not None and re.search(
                r"\b(Request|HttpRequest|Session|Depends|BackgroundTasks)\b", annotation.text()
            ):
                continue
        else:
            continue
        if name in _OBJECTS or "Depends(" in default:
            continue
        found[name] = "request" if routed else "parameter"
    return found


# A route template's one-segment parameters: FastAPI/Starlette `{name}` (not `{name:path}`), Flask `<name>` or
# `<string:name>` (not `<path:name>`). Servers decode `%2F` before routing, so the segment holds no `/`.
_SEGMENT_PARAMETER = re.compile(r"\{(\w+)\}|<(?:string:)?(\w+)>")
_ROUTE_TEMPLATE = re.compile(r"""\(\s*(?:path\s*=\s*|rule\s*=\s*)?[rfb]?(['"])(.*?)\1""")


def path_segments(function: SgNode) -> frozenset[str]:
    """Return the parameters a route fills from one segment of the URL's path."""
    found: set[str] = set()
    for decorator in _decorators(function):
        if not _ROUTE.match(decorator):
            continue
        template = _ROUTE_TEMPLATE.search(decorator)
        if template is not None:
            found.update(a or b for a, b in _SEGMENT_PARAMETER.findall(template.group(2)))
    return frozenset(found)


def _flask_route(function: SgNode) -> bool:
    return any(_FLASK_ROUTE.match(d) for d in _decorators(function))


PYTHON_FLOW = FlowLanguage(
    name="python",
    grammar=PYTHON,
    sources=SOURCES,
    function_sources=lambda _function: None,
    parameters=parameters,
    path_segments=path_segments,
    sanitizers=SANITIZERS,
    sinks=SINKS,
    allow_checks=(
        # A path on this site: a prefix past the first slash (`'/app/'`), or a check that rules out `//host` and
        # `/\host`, which browsers read as another host. `startswith('/')` alone lets both through.
        r"""\b{name}\.startswith\(\s*['"]/(?![/\\'"])""",
        r"""\b{name}\.startswith\(\s*\(?\s*r?['"](?://|/\\)""",
        r"""\b{name}\[1(?::2)?\]\s*(?:[!=]=|(?:not\s+)?in\b)""",
        r"(^|[^\w.]){name}(\.\w+)?\s+(not\s+)?in\s+",
        r"\b{name}\.(isdigit|isnumeric|isalnum|isidentifier|isdecimal)\(",
        r"re\.(?:fullmatch|match)\([^)]*?\b{name}(?!\w)",
        r"\b(?:url_has_allowed_host_and_scheme|is_safe_url)\([^)]*?\b{name}(?!\w)",
        # A path kept inside its folder: `dest.absolute().parent != BACKUP_DIR`, `p.resolve().is_relative_to(root)`.
        r"\b{name}(\.\w+\(\))*\.parent\s*(==|!=)",
        r"\b{name}(\.\w+\(\))*\.is_relative_to\(",
    ),
    folds_constants=True,
    mutators=frozenset({"append", "extend", "add", "insert", "update", "set", "write", "writelines", "setdefault"}),
    clean_members=re.compile(r"^(?:name|stem|suffix|isdigit)$"),
    # Flask sends a returned string as text/html.
    returns=(ReturnSink("html", _flask_route),),
)
