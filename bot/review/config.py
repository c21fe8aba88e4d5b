"""The repository config `.github/prodready.yml`: a typed, validated value with safe defaults."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from bot.review.models import CATEGORIES, Category, Severity
from bot.review.yaml_limits import YamlRefused, load_documents

DEFAULT_MAX_PROMPT_TOKENS = 120_000
CONFIG_PATH = ".github/prodready.yml"
# Each problem is a line of the pull request summary; a file of thousands of bad values must not flood it.
MAX_PROBLEMS = 10


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PathFilters(_Strict):
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class PathInstruction(_Strict):
    path: str = Field(min_length=1)
    instructions: str = Field(min_length=1)


class RulesConfig(_Strict):
    disable: tuple[str, ...] = ()
    custom: str | None = None


class BudgetConfig(_Strict):
    max_prompt_tokens: StrictInt = Field(default=DEFAULT_MAX_PROMPT_TOKENS, ge=1_000)


class RepoConfig(_Strict):
    """What a team can tune in `.github/prodready.yml`."""

    # Strict types: YAML's `yes`/`true` is not a number, and `1` or "on" is not a clear switch.
    categories: dict[Category, StrictBool] = Field(default_factory=lambda: dict.fromkeys(CATEGORIES, True))
    fail_on: Severity = "high"
    min_severity: Severity = "low"
    max_comments: StrictInt = Field(default=25, ge=0, le=200)
    paths: PathFilters = PathFilters()
    path_instructions: tuple[PathInstruction, ...] = ()
    review_drafts: StrictBool = False
    check_run: StrictBool = False
    model: str | None = None
    instructions: str = ""
    rules: RulesConfig = RulesConfig()
    budget: BudgetConfig = BudgetConfig()

    def category_enabled(self, category: Category) -> bool:
        """Tell whether findings of `category` are wanted (categories not named stay on)."""
        return self.categories.get(category, True)


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong with a config file: where (`key`, dotted) and what."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message


def parse_config(text: str | None) -> tuple[RepoConfig, tuple[ConfigProblem, ...]]:
    """Parse a config file's text; on any problem return the defaults and say what was wrong.

    None or an empty file means "no config": the defaults, no problems.
    """
    if text is None or not text.strip():
        return RepoConfig(), ()
    try:
        documents = load_documents(text, yaml.SafeLoader)
    except YamlRefused as exc:
        return RepoConfig(), (ConfigProblem("", f"not used: {exc}"),)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        return RepoConfig(), (ConfigProblem("", f"not valid YAML{where}: {problem}"),)
    if len(documents) > 1:
        return RepoConfig(), (ConfigProblem("", "the file must hold one YAML document, not several"),)
    data = documents[0] if documents else None
    if data is None:
        return RepoConfig(), ()
    if not isinstance(data, dict):
        return RepoConfig(), (ConfigProblem("", "the file must be a mapping of keys to values"),)
    categories = data.get("categories")
    if isinstance(categories, dict):
        # Categories left out keep their default (on), so a team can switch off just one.
        data = {**data, "categories": {**dict.fromkeys(CATEGORIES, True), **categories}}
    try:
        return RepoConfig.model_validate(data), ()
    except ValidationError as exc:
        return RepoConfig(), tuple(_problems(exc))


def _problems(exc: ValidationError) -> list[ConfigProblem]:
    problems = []
    errors = exc.errors()
    for err in errors[:MAX_PROBLEMS]:
        key = ".".join(str(p) for p in err["loc"])
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        elif err["type"] == "literal_error":
            got = repr(err.get("input"))
            message = f"{message}, got {got if len(got) <= 60 else got[:57] + '...'}"
        problems.append(ConfigProblem(key, message))
    if len(errors) > MAX_PROBLEMS:
        problems.append(ConfigProblem("", f"and {len(errors) - MAX_PROBLEMS} more problems"))
    return problems
