"""The catalog of static rules that `prodready rules` lists."""

from __future__ import annotations

from bot.rules.flow import FLOW_RULES
from bot.rules.loader import builtin_rules
from bot.rules.model import RuleInfo
from bot.rules.python_ast import PY_RULES
from bot.rules.secret_rule import SECRET_RULE


def all_rules() -> list[RuleInfo]:
    """Return every built-in rule: ast-grep rules, Python syntax-tree rules, flow rules and the credential rule."""
    rules = [rule.info for rule in builtin_rules()]
    rules.extend(rule.info() for rule in PY_RULES)
    rules.extend(rule.info() for rule in FLOW_RULES.values())
    rules.append(SECRET_RULE)
    return sorted(rules, key=lambda r: r.id)
