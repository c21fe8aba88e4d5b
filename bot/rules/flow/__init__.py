"""Flow-aware rules: request data followed through each function to the call that makes it dangerous."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ast_grep_py import SgNode

from bot.rules.flow.golang import GO_FLOW
from bot.rules.flow.java import JAVA_FLOW
from bot.rules.flow.javascript import JAVASCRIPT_FLOW, TYPESCRIPT_FLOW
from bot.rules.flow.python import PYTHON_FLOW
from bot.rules.flow.rules import FlowRule, rule_id
from bot.rules.flow.spec import FlowLanguage
from bot.rules.flow.taint import analyse
from bot.rules.model import Hit

FLOW_LANGUAGES: dict[str, FlowLanguage] = {
    "python": PYTHON_FLOW,
    "javascript": JAVASCRIPT_FLOW,
    "typescript": TYPESCRIPT_FLOW,
    "tsx": TYPESCRIPT_FLOW,
    "go": GO_FLOW,
    "java": JAVA_FLOW,
}


def _rules() -> dict[str, FlowRule]:
    rules: dict[str, FlowRule] = {}
    for name, language in FLOW_LANGUAGES.items():
        if name == "tsx":
            continue
        kinds = {sink.kind for sink in language.sinks} | {sink.kind for sink in language.returns}
        for kind in sorted(kinds):
            rule = FlowRule(rule_id(name, kind), name, kind)
            rules[rule.id] = rule
    return rules


FLOW_RULES: dict[str, FlowRule] = _rules()


def flow_hits(root: SgNode, language: str, text: str, enabled: Collection[str]) -> Iterator[tuple[FlowRule, Hit]]:
    """Yield (rule, hit) for each path from request data to a sink in the file, for the enabled rules."""
    spec = FLOW_LANGUAGES.get(language)
    if spec is None:
        return
    rule_language = "typescript" if language == "tsx" else language
    for found in analyse(root, spec, text):
        rule = FLOW_RULES.get(rule_id(rule_language, found.kind))
        if rule is not None and rule.id in enabled:
            yield rule, rule.hit(found)


def flow_rules_for(language: str) -> list[FlowRule]:
    """Return the flow rules of a file language (tsx files have TypeScript's)."""
    rule_language = "typescript" if language == "tsx" else language
    return [rule for rule in FLOW_RULES.values() if rule.language == rule_language]
