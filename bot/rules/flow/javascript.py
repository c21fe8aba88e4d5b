"""JavaScript and TypeScript sources (Express, Koa, Fastify, Next.js, Lambda), sanitisers and sinks."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ast_grep_py import SgNode

from bot.rules.flow.grammar import JAVASCRIPT
from bot.rules.flow.model import Sink, Strength
from bot.rules.flow.spec import HTML_TEXT, SQL_TEXT, FlowLanguage, callee_pattern

SOURCES = re.compile(
    r"^(?:await)?(?:(?:req|request|ctx\.request|ctx|c\.req)\.(?:query|params|body|headers|cookies|signedCookies|"
    r"files?|originalUrl|url|path|hostname|param|header|get|valid|json|formData|text)\b"
    r"|event\.(?:body|queryStringParameters|pathParameters|multiValueQueryStringParameters|headers)\b"
    r"|(?:req\.nextUrl|nextUrl|url|request\.nextUrl)\.searchParams\.get\b"
    r"|searchParams\.get\b)"
)
# Framework objects: the data comes through their members, the object itself is not a value.
_OBJECTS = frozenset({"req", "res", "request", "response", "ctx", "context", "next", "event", "reply", "c", "h"})

# `res`, `res.status(404)`, `reply.code(400).type("text/html")`: the response object, maybe configured first.
_RESPONSE = r"[\w.]*(?:res|reply|response)(?:\.\w+\([^()]*\))*"

SINKS = (
    Sink(
        "sql",
        callee_pattern(r".+\.(?:query|execute|raw|unsafe)", r"(?:sequelize|knex|db|pool|client)\.query"),
        needs=SQL_TEXT,
        parameters_count=True,
    ),
    Sink(
        "sql",
        callee_pattern(
            r".+\.(?:\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|orWhereRaw|andWhereRaw|havingRaw|orderByRaw|"
            r"joinRaw|selectRaw|fromRaw|groupByRaw)"
        ),
        parameters_count=True,
    ),
    Sink("shell", callee_pattern(r"(?:child_process\.|cp\.|childProcess\.)?(?:exec|execSync)"), parameters_count=True),
    Sink(
        "shell",
        callee_pattern(r"(?:child_process\.|cp\.|childProcess\.)?(?:spawn|spawnSync|execFile|execFileSync)"),
        parameters_count=True,
        call_needs=re.compile(r"\bshell\s*:\s*true\b|['\"](?:/bin/)?(?:ba)?sh['\"]\s*,\s*\[\s*['\"]-c['\"]"),
    ),
    Sink(
        "code",
        callee_pattern(r"eval", r"new Function", r"(?:vm\.)?(?:runInNewContext|runInThisContext|runInContext)"),
        args=None,
        parameters_count=True,
    ),
    # node-serialize revives functions: `_$$ND_FUNC$$_` in the payload runs.
    Sink("deserialize", callee_pattern(r"(?:\w+\.)?unserialize", r"(?:\w+\.)?deepDeserialize")),
    Sink(
        "path",
        callee_pattern(
            r"(?:fs|fsp|fsPromises|fs\.promises|promises)\.(?:readFile|readFileSync|writeFile|writeFileSync|appendFile|"
            r"appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|readdir|readdirSync|rm|rmSync|"
            r"open|openSync|stat|statSync|access|copyFile|rename)",
            r"(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|unlink|unlinkSync)",
        ),
    ),
    # Express sends the file; with a `root` option `send` resolves the name inside it and refuses one that
    # leaves it. (`res.attachment(name)` only names the download in a header: no file is opened.)
    Sink(
        "path",
        callee_pattern(r"[\w.]*(?:res|reply|response)\.(?:sendFile|download)"),
        unless=re.compile(r"[{,]\s*root\s*[:,}]"),
    ),
    Sink(
        "ssrf",
        callee_pattern(
            r"fetch",
            r"axios",
            r"axios\.(?:get|post|put|patch|delete|head|request)",
            r"got(?:\.\w+)?",
            r"(?:http|https)\.(?:get|request)",
            r"needle(?:\.\w+)?",
            r"superagent\.\w+",
        ),
    ),
    Sink("redirect", callee_pattern(_RESPONSE + r"\.redirect", r"[\w.]*ctx\.redirect"), args=None),
    Sink("html", callee_pattern(_RESPONSE + r"\.(?:send|write|end)"), needs=HTML_TEXT),
)

SANITIZERS = re.compile(
    r"(^|\.)(parseInt|parseFloat|Number|Boolean|isNaN|isInteger|isFinite|sql|SQL|Prisma\.sql|escapeId|"
    r"format|normalize|JSON\.stringify|toFixed|includes|has|test|some|every|"
    # Named for what they return: a checked value or a fallback (`getValidatedHost`, `safeRedirectPath`).
    # (`SafeString`, `safeHtml` mark text as trusted, not checked.)
    r"(?:get|to|make)(?:Validated|Safe|Allowed)[A-Z]\w*|validate[A-Z]\w*|safe(?!Html|HTML|String)[A-Z]\w*)$"
)
# Calls that build text out of an options object (`url.format({ host })`, `qs.stringify({ next })`); any other
# call given an object literal takes it as options or filters (`loadShare({ id })`, `findOne({ where })`).
OPTION_BUILDERS = re.compile(
    r"(?i)(format|stringify|assign|merge|extend|defaults|build|compose|render|template|compile|serial|encode|"
    r"url|uri|href|link|path|query|sql|html|text|string|join|concat|redirect)\w*$"
)


def parameters(function: SgNode) -> Mapping[str, Strength]:
    """Return the function's plain parameters as leads; framework objects carry their data in members."""
    params = function.field("parameters") or function.field("parameter")
    if params is None:
        return {}
    if params.kind() == "identifier":
        name = params.text()
        return {} if name in _OBJECTS else {name: "parameter"}
    found: dict[str, Strength] = {}
    for child in params.children():
        ident = child if child.kind() == "identifier" else child.field("pattern")
        if ident is None or ident.kind() != "identifier":
            continue
        name = ident.text()
        if name not in _OBJECTS:
            found[name] = "parameter"
    return found


def _language(name: str) -> FlowLanguage:
    return FlowLanguage(
        name=name,
        grammar=JAVASCRIPT,
        sources=SOURCES,
        function_sources=lambda _function: None,
        parameters=parameters,
        sanitizers=SANITIZERS,
        sinks=SINKS,
        allow_checks=(
            r"""\b{name}\.startsWith\(\s*['"`]/""",
            r"\.(includes|has|indexOf)\(\s*{name}(\.\w+)?\s*\)",
            r"/\^[^/]*\$/\w*\.test\(\s*{name}\s*\)",
            # A named pattern (`themeNamePattern.test(name)`), and a containment check on a joined path
            # (`full.startsWith(baseDir)`).
            r"\b\w*(?:Pattern|Regex|RegExp|Re|RE)\.test\(\s*{name}\s*\)",
            r"\b{name}\.startsWith\(\s*[\w.]+\s*\)",
            r"\b(isUUID|isInt|isNumeric|isAlphanumeric|isEmail|isURL|validator\.\w+)\(\s*{name}\b",
        ),
        # `exec` is a sink only where child_process is imported (RegExp#exec is not).
        file_gates={"shell": re.compile(r"child_process")},
        alias_pattern=re.compile(r"\b(\w+)\s*=\s*(?:util\.)?promisify\(\s*([\w.]+)\s*\)"),
        assigned_sinks=(Sink("html", callee_pattern(r"ctx\.(?:response\.)?body"), needs=HTML_TEXT),),
        # A query config object's `values`/`bind`/`replacements` go to the driver as bound parameters (pg, mysql2,
        # Sequelize): `pool.query({ text: "... $1", values: [key] })`; its `name` names a prepared statement.
        bound_values={
            "pair": re.compile(r"(?:values|bind|replacements|name)\s*:"),
            "shorthand_property_identifier": re.compile(r"(?:values|bind|replacements)$"),
        },
        option_arguments=frozenset({"object"}),
        option_builders=OPTION_BUILDERS,
    )


JAVASCRIPT_FLOW = _language("javascript")
TYPESCRIPT_FLOW = _language("typescript")
