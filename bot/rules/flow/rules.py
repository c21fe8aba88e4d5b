"""The flow rules as the catalog and the comments show them: one per language and sink kind."""

from __future__ import annotations

from dataclasses import dataclass

from bot.review.models import Category, Evidence, Severity
from bot.rules.flow.model import SEVERITY, FlowHit, SinkKind
from bot.rules.model import Hit, InTests, RuleInfo

PREFIX = {"python": "py", "javascript": "js", "typescript": "ts", "go": "go", "java": "java"}

# Ids the pattern rules these replace had, so `rules.disable` lists and ignores keep working.
_IDS: dict[SinkKind, str] = {
    "sql": "{p}-sql-built-from-strings",
    "shell": "{p}-command-injection",
    "code": "{p}-eval-dynamic",
    "deserialize": "{p}-unsafe-deserialization",
    "path": "{p}-path-from-request",
    "ssrf": "{p}-ssrf-from-request",
    "redirect": "{p}-open-redirect",
    "html": "{p}-html-from-request",
    "xpath": "{p}-xpath-injection",
    "ldap": "{p}-ldap-injection",
}
_LEGACY = {
    ("python", "shell"): "py-shell-injection",
    ("javascript", "shell"): "js-child-process-dynamic-command",
    ("typescript", "shell"): "ts-child-process-dynamic-command",
    ("go", "shell"): "go-shell-command-injection",
    ("python", "code"): "py-eval-exec",
}

_TITLES: dict[SinkKind, str] = {
    "sql": "SQL built from request data",
    "shell": "Command built from request data",
    "code": "Request data run as code",
    "deserialize": "Request data deserialized unsafely",
    "path": "File path from request data",
    "ssrf": "Server-side request to a URL from request data",
    "redirect": "Redirect to a URL from request data",
    "html": "HTML built from request data",
    "xpath": "XPath query built from request data",
    "ldap": "LDAP filter built from request data",
}

_BODIES: dict[SinkKind, str] = {
    "sql": (
        "Request data is spliced into SQL text: a crafted value such as `1 OR 1=1` or `'; DROP TABLE users; --` "
        "runs as SQL with this service's database rights.\n\nPass the value as a bound parameter (`%s`, `?`, `$1`, "
        "`:name` with the values beside the query, or the ORM's filters); identifiers such as column names must "
        "come from an allow-list."
    ),
    "shell": (
        "Request data reaches a command line that a shell interprets: `; rm -rf /` or `$(curl … | sh)` in the "
        "value runs with this service's rights.\n\nRun the program with an argument list and no shell, and pass "
        "the value as one argument; where a shell is unavoidable, quote it (`shlex.quote`)."
    ),
    "code": (
        "Request data is run as code: anyone who can send a request runs code inside this process.\n\n"
        "Parse the data instead (`json`, `ast.literal_eval`, `JSON.parse`) or map it to an allowed operation."
    ),
    "deserialize": (
        "Request data is deserialised by a format that can build arbitrary objects (pickle, `yaml.load` with "
        "a full loader, Java serialisation): a crafted payload runs code on this server.\n\nUse a data-only "
        "format (`json`, `yaml.safe_load`) for anything a client sends."
    ),
    "path": (
        "A file path comes from the request: `../../etc/passwd` or an absolute path reads or writes any file "
        "this service can reach.\n\nKeep the file name only (`os.path.basename`, `secure_filename`, "
        "`path.basename`, `filepath.Base`), resolve it under a fixed directory and check it stays inside, or "
        "map an id to a path you choose."
    ),
    "ssrf": (
        "The server fetches a URL the client chose: a request can reach internal services and cloud metadata "
        "(`http://169.254.169.254/`) through this service.\n\nFix the host and let the client choose only a path "
        "or an id, or check the URL's host against an allow-list before the call."
    ),
    "redirect": (
        "The redirect target comes from the request: a link to this site can send users to a look-alike site "
        "(phishing with this domain's trust).\n\nRedirect only to relative paths on this site, or check the "
        "target against an allow-list (`url_has_allowed_host_and_scheme` in Django)."
    ),
    "html": (
        "Request data is put into HTML unescaped: a value with `<script>` runs in other users' browsers "
        "(cross-site scripting).\n\nRender through the framework's escaping templates, or escape the value "
        "(`markupsafe.escape`, `html.escape`, `template.HTMLEscapeString`) before it goes into markup."
    ),
    "xpath": (
        "Request data is spliced into an XPath query: `' or '1'='1` in the value returns every node.\n\n"
        "Use XPath variables (`tree.xpath('//user[@id=$id]', id=value)`, `XPathVariableResolver`) or check the "
        "value against a strict format first."
    ),
    "ldap": (
        "Request data is spliced into an LDAP filter: `*)(uid=*` in the value matches every entry, or bypasses "
        "a login check.\n\nEscape the value for filters (`ldap3.utils.conv.escape_filter_chars`, Spring LDAP's "
        "`LdapEncoder.filterEncode`) or check it against a strict format first."
    ),
}

_CATEGORY: Category = "security"


@dataclass(frozen=True)
class FlowRule:
    """One flow rule: its catalog entry and the text of its comments."""

    id: str
    language: str
    kind: SinkKind
    in_tests: InTests = "skip"

    @property
    def category(self) -> Category:
        """Return the rule's category."""
        return _CATEGORY

    @property
    def severity(self) -> Severity:
        """Return the severity on request data (a parameter's path is reported lower)."""
        return SEVERITY[self.kind]

    @property
    def evidence(self) -> Evidence:
        """Return the evidence of the rule's strongest findings."""
        return "strong"

    @property
    def title(self) -> str:
        """Return the rule's title."""
        return _TITLES[self.kind]

    @property
    def body(self) -> str:
        """Return the rule's explanation and fix."""
        return _BODIES[self.kind]

    def info(self) -> RuleInfo:
        """Return the catalog entry of the rule."""
        return RuleInfo(self.id, self.category, self.severity, (self.language,), self.title)

    def hit(self, found: FlowHit) -> Hit:
        """Return the hit of one finding: the sink's lines, with the path as the evidence."""
        severity, evidence = found.severity_and_evidence
        path = _path(found)
        if found.taint.strength == "parameter":
            title = (
                _TITLES[self.kind]
                .replace("from request data", "from a parameter")
                .replace("Request data", "A parameter")
            )
            evidence_text = (
                f"Evidence: {path}. Whether callers pass request data is not visible in this file, so this is "
                "reported as a lead, not as a proven injection."
            )
        else:
            title = _TITLES[self.kind]
            evidence_text = f"Evidence: {path}."
        return Hit(
            found.line,
            found.end_line,
            title=title,
            body=f"{self.body}\n\n{evidence_text}",
            severity=severity,
            evidence=evidence,
            # The path is the evidence: a change to one of its steps (the source, a weakened check) brings it in.
            also=tuple(sorted({s.line for s in found.taint.steps} - set(range(found.line, found.end_line + 1)))),
        )


def rule_id(language: str, kind: SinkKind) -> str:
    """Return the id of the flow rule for `kind` in `language`."""
    return _LEGACY.get((language, kind)) or _IDS[kind].format(p=PREFIX[language])


def _path(found: FlowHit) -> str:
    """Return the path as a reader follows it: "`q` from `request.args` (line 20) → `sql` (line 24) → ..."."""
    steps = [step for step in found.taint.steps if step.text]
    parts: list[str] = []
    if len(steps) >= 2 and steps[0].line == steps[1].line and found.taint.strength == "request":
        source, first = steps[0], steps[1]
        parts.append(f"{first.text} from {source.text} (line {source.line})")
        steps = steps[2:]
    parts.extend(f"{step.text} (line {step.line})" for step in steps)
    parts.append(f"`{found.sink}` (line {found.line})")
    return " → ".join(parts)
