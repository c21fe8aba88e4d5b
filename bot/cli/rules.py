"""`prodready rules`: list the static rules for people (text) or tools (json)."""

from __future__ import annotations

import json

from bot.rules.catalog import all_rules


def run_rules_command(output_format: str) -> int:
    """Print the rule catalog and return the exit status."""
    rules = sorted(all_rules(), key=lambda r: (r.category, r.id))
    if output_format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "category": r.category,
                        "severity": r.severity,
                        "languages": list(r.languages),
                        "title": r.title,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return 0
    width = max((len(r.id) for r in rules), default=0)
    for r in rules:
        print(f"{r.id:<{width}}  {r.category:<16} {r.severity:<8} {','.join(r.languages):<24} {r.title}")
    print(f"{len(rules)} rules")
    return 0
