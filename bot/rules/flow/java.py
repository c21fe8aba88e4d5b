"""Java's sources (Spring MVC, servlets, JAX-RS), sanitisers and sinks."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ast_grep_py import SgNode

from bot.rules.flow.grammar import JAVA
from bot.rules.flow.model import Sink, Strength
from bot.rules.flow.spec import LDAP_FILTER, SQL_TEXT, FlowLanguage, ReturnSink, callee_pattern

SOURCES = re.compile(
    r"^(?i:\w*req(?:uest)?\w*)\.(?:getParameter|getParameterValues|getParameterMap|getParameterNames|getHeader|"
    r"getHeaders|getCookies|getQueryString|getInputStream|getReader|getPathInfo|getRequestURI|getRequestURL|getPart|"
    r"getParts|getQueryParams|getFormData|getBody|bodyToMono|queryParam|pathVariable)\b"
)
_REQUEST_ANNOTATIONS = re.compile(
    r"@(?:RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|ModelAttribute|QueryParam|PathParam|"
    r"FormParam|HeaderParam|CookieParam|RequestPart)\b"
)
_DATA_TYPES = re.compile(r"^(?:String|CharSequence|Object|byte\[\]|String\[\]|List<String>|Map<String,\w+>)$")
_NUMERIC = re.compile(
    r"^(?:int|long|short|byte|double|float|boolean|Integer|Long|Short|Double|Float|Boolean|UUID|LocalDate|LocalDateTime|Instant|BigDecimal)$"
)
_CONTROLLER = re.compile(r"@(?:Controller|RestController)\b")

_PATH_CALLEES = callee_pattern(
    r"new (?:java\.io\.)?(?:File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile)",
    r"(?:Paths\.get|Path\.of)",
    r"Files\.(?:readAllBytes|readAllLines|readString|newInputStream|newBufferedReader|lines|delete|write|copy)",
    # Spring's resources: a loader's `getResource(path)` reads from the class path or the file system.
    r"[\w.()]*(?i:resourceloader|loader)\.getResource",
    r"new (?:ClassPathResource|FileSystemResource|PathResource|FileUrlResource)",
)
# A path made of a fixed base (a literal directory or an upper-case constant) and something else.
_JOINED_UNDER_BASE = re.compile(
    r"(?:combinePath|resolve|Paths\.get|Path\.of|new File)\(\s*(?:[A-Z][A-Z0-9_]*|\"[^\"]*\")\s*,\s*\w"
    r"|(?:^|[(=,]\s*)(?:[A-Z][A-Z0-9_]*|\"[^\"]*/\")\s*\+\s*\w"
)

# Calls that throw when a path leaves its directory: `FileUtils.checkDirectoryTraversal(base, path)`.
_GUARDS = re.compile(
    r"(?i)(?:^|\.)(?:check|assert|ensure|verify|validate)\w*(?:traversal|within|inside|under|contain)\w*$"
)

SINKS = (
    Sink(
        "sql",
        callee_pattern(
            r"[\w.()]+\.(?:executeQuery|executeUpdate|execute|executeLargeUpdate|addBatch|prepareStatement|prepareCall|"
            r"createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|"
            r"queryForRowSet|queryForStream|update|batchUpdate|sql)"
        ),
        needs=SQL_TEXT,
        parameters_count=True,
    ),
    Sink("shell", callee_pattern(r"(?:Runtime\.getRuntime\(\)|[\w.]*(?i:runtime))\.exec"), args=None),
    Sink(
        "shell",
        callee_pattern(r"new ProcessBuilder"),
        args=None,
        call_needs=re.compile(r"\"(?:/bin/)?(?:ba|z)?sh\"\s*,\s*\"-c\"|\"cmd(?:\.exe)?\"\s*,\s*\"/c\""),
    ),
    Sink("code", callee_pattern(r"[\w.()]*(?i:engine)\.eval", r"[\w.()]*(?i:parser)\w*\.parseExpression")),
    Sink("deserialize", callee_pattern(r"new ObjectInputStream", r"new XMLDecoder")),
    Sink("path", _PATH_CALLEES, args=None),
    # A parameter joined under a fixed directory and opened: the function means to keep the file inside that
    # directory and does nothing to (`"/srv/" + name`, `combinePath(CONSOLE, name)`). Reported as a lead.
    Sink("path", _PATH_CALLEES, args=None, needs=_JOINED_UNDER_BASE, parameters_count=True),
    Sink(
        "ssrf",
        callee_pattern(
            r"new (?:java\.net\.)?URL",
            r"[\w.()]*(?i:template|client|rest)\w*\.(?:getForObject|getForEntity|postForObject|postForEntity|exchange)",
        ),
    ),
    Sink("redirect", callee_pattern(r"[\w.]*(?i:response)\.sendRedirect")),
    Sink(
        "html",
        callee_pattern(
            r"[\w.()]*getWriter\(\)\.(?:print|println|write|printf|format|append)",
            r"(?:out|writer|pw)\.(?:print|println|write)",
        ),
        args=None,
    ),
    Sink("xpath", callee_pattern(r"[\w.()]*(?i:xpath)\.(?:compile|evaluate)")),
    Sink("ldap", callee_pattern(r"[\w.()]*\.search"), args=None, needs=LDAP_FILTER),
)

SANITIZERS = re.compile(
    r"(^|\.)(parseInt|parseLong|parseShort|parseDouble|parseFloat|parseBoolean|valueOf|fromString|forHtml\w*|"
    r"htmlEscape\w*|escapeHtml\d*|escapeSql|encodeForHTML|encodeForSQL|encodeForLDAP|filterEncode|nameEncode|"
    r"getName|normalize|contains|matches|equals|size|length|isEmpty)$"
)


def _annotated_class(function: SgNode) -> str:
    for ancestor in function.ancestors():
        if ancestor.kind() == "class_declaration":
            modifiers = next((c for c in ancestor.children() if c.kind() == "modifiers"), None)
            return modifiers.text() if modifiers is not None else ""
    return ""


def parameters(function: SgNode) -> Mapping[str, Strength]:
    """Return request-bound parameters (Spring and JAX-RS annotations) as request data, string ones as leads."""
    params = function.field("parameters")
    if params is None:
        return {}
    found: dict[str, Strength] = {}
    for child in params.children():
        if child.kind() not in ("formal_parameter", "spread_parameter"):
            continue
        name = child.field("name")
        kind = child.field("type")
        if name is None:
            continue
        modifiers = next((c for c in child.children() if c.kind() == "modifiers"), None)
        type_text = re.sub(r"\s+", "", kind.text()) if kind is not None else ""
        if _NUMERIC.match(type_text):
            continue  # the framework converts it: no text reaches a sink
        if modifiers is not None and _REQUEST_ANNOTATIONS.search(modifiers.text()):
            found[name.text()] = "request"
        elif kind is not None and _DATA_TYPES.match(re.sub(r"\s+", "", kind.text())):
            found[name.text()] = "parameter"
    return found


def _controller_method(function: SgNode) -> bool:
    return bool(_CONTROLLER.search(_annotated_class(function)))


JAVA_FLOW = FlowLanguage(
    name="java",
    grammar=JAVA,
    sources=SOURCES,
    function_sources=lambda _function: None,
    parameters=parameters,
    sanitizers=SANITIZERS,
    sinks=SINKS,
    allow_checks=(
        # `url.startsWith("/")`: a path on this site (redirects). A directory prefix (`"/srv/files/"`) checked on
        # a path that was not normalised lets `/srv/files/../../etc/passwd` through: it cleans nothing.
        r'\b{name}\.startsWith\(\s*"/"\s*\)',
        r"\.(contains|containsKey)\(\s*{name}(\.\w+(\(\))?)?\s*\)",
        r"\.matcher\(\s*{name}\s*\)\.matches\(",
        r"\b{name}\.matches\(",
        r"Pattern\.matches\([^)]*\b{name}\b",
    ),
    guard_calls=_GUARDS,
    returns=(ReturnSink("redirect", _controller_method, needs=re.compile(r"\"redirect:")),),
)
