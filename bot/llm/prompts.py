"""Load the prompt templates from prompts/ and fill them; a missing variable is an error, never a blank."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.llm.tokens import estimate_tokens
from bot.review.config import RepoConfig
from bot.review.globs import matches
from bot.review.models import CATEGORIES, Category, Finding


def _prompts_dir() -> Path:
    # prompts/ sits at the repository root beside bot/ (a checkout or an editable install); a regular install
    # carries a copy as bot/_prompts (see setup.py).
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "prompts"
    return checkout if checkout.is_dir() else package / "_prompts"


PROMPTS_DIR = _prompts_dir()
NONE = "(none)"


class PromptError(RuntimeError):
    """A prompt template is missing, or a variable it needs was not given."""


@dataclass(frozen=True, slots=True)
class PromptTemplates:
    """The system, user, repair and schema templates and the guidance text for each category."""

    system: Template
    user: Template
    repair: Template
    guidance: Mapping[Category, str]
    schema: Template

    @classmethod
    def load(cls, directory: Path = PROMPTS_DIR) -> PromptTemplates:
        """Read every template from `directory`; raise PromptError naming a missing file."""
        return cls(
            system=Template(_read(directory / "system.md")),
            user=Template(_read(directory / "user.md")),
            repair=Template(_read(directory / "repair.md")),
            guidance={c: _read(directory / "categories" / f"{c}.md").strip() for c in CATEGORIES},
            schema=Template(_read(directory / "schema.md")),
        )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"prompt template {path} cannot be read: {exc.strerror}") from None


def fill(template: Template, **values: str) -> str:
    """Return `template` with `values` substituted; raise PromptError naming a variable left unset."""
    try:
        return template.substitute(values)
    except KeyError as exc:
        raise PromptError(f"prompt variable ${exc.args[0]} was not given") from None
    except ValueError as exc:
        raise PromptError(f"prompt template is malformed: {exc}") from None


def enabled_categories(config: RepoConfig) -> tuple[Category, ...]:
    """Return the categories the config keeps on, in their fixed order."""
    return tuple(c for c in CATEGORIES if config.category_enabled(c))


def system_prompt(templates: PromptTemplates, categories: Sequence[Category]) -> str:
    """Return the system message: the same bytes for every request with the same categories (prompt caching)."""
    return fill(
        templates.system,
        category_names=", ".join(categories),
        category_guidance="\n\n".join(templates.guidance[c] for c in categories),
    )


def schema_prompt(templates: PromptTemplates, schema: Mapping[str, object]) -> str:
    """Return the text that carries the answer's JSON Schema, for servers that do not enforce it."""
    return fill(templates.schema, schema=json.dumps(schema, separators=(",", ":")))


def path_instructions(config: RepoConfig, paths: Sequence[str]) -> str:
    """Return the config's instructions whose glob matches any of `paths`, one bullet each."""
    lines = []
    for item in config.path_instructions:
        matched = [p for p in paths if matches(item.path, p)]
        if matched:
            lines.append(f"- {item.path} (applies to {', '.join(matched)}): {item.instructions.strip()}")
    return "\n".join(lines) or NONE


def static_summary(findings: Sequence[Finding], paths: Sequence[str]) -> str:
    """Return the static findings on `paths`, one line each."""
    wanted = set(paths)
    lines = []
    for f in sorted((f for f in findings if f.path in wanted), key=lambda f: (f.path, f.line)):
        lines.append(f"- {_describe(f)}")
    return "\n".join(lines) or NONE


def candidate_summary(candidates: Mapping[str, Finding]) -> str:
    """Return the weak static findings the model is asked to confirm or dismiss, one line each with its id."""
    return "\n".join(f"- {key}: {_describe(f)}" for key, f in candidates.items()) or NONE


def finding_line_tokens(f: Finding) -> int:
    """Return what one static finding's line costs in a prompt (the static or the candidate list)."""
    return estimate_tokens(f"- W00: {_describe(f)}\n")


def _describe(f: Finding) -> str:
    span = f"{f.line}-{f.end_line}" if f.end_line and f.end_line != f.line else str(f.line)
    rule = f" [{f.rule}]" if f.rule else ""
    return f"{f.path}:{span} {f.category}/{f.severity}{rule}: {f.title}"


def user_prompt(
    templates: PromptTemplates,
    *,
    config: RepoConfig,
    paths: Sequence[str],
    diff: str,
    fence: str,
    static_findings: Sequence[Finding],
    candidates: Mapping[str, Finding] | None = None,
) -> str:
    """Return the user message for one batch: instructions, static findings, candidates and the fenced diff."""
    asked = candidates or {}
    listed = [f for f in static_findings if all(f is not c for c in asked.values())]
    return fill(
        templates.user,
        instructions=config.instructions.strip() or NONE,
        path_instructions=path_instructions(config, paths),
        static_findings=static_summary(listed, paths),
        candidates=candidate_summary(asked),
        fence=fence,
        diff=diff,
        paths=", ".join(paths),
    )


def repair_prompt(templates: PromptTemplates, error: str) -> str:
    """Return the message that asks once more for valid JSON after `error`."""
    return fill(templates.repair, error=error)
