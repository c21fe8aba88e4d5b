"""Structure guards: the layers of bot/ point down, the core stays free of I/O, every module imports on its own."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["bot/review", "bot/rules", "bot/render"]
IO_LIBRARIES = {"aiohttp", "gidgethub", "openai", "sentry_sdk", "prometheus_client"}


# Renderers make text from values; none of them may reach a network, a database or a process.
RENDER_IO = {"aiohttp", "gidgethub", "openai", "redis", "sqlite3", "subprocess"}
# What the pure review core must never import: every layer above it, and the engines it takes by Protocol.
ABOVE_REVIEW = {"server", "events", "jobs", "github", "llm", "rules", "pulls", "cli", "wiring"}


def imported_modules(path: Path) -> set[str]:
    """Return every absolute module name `path` imports, function-level imports included."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "bot":
                names.update(f"bot.{alias.name}" for alias in node.names)
    return names


def imported_top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def unit_of(module: str) -> str | None:
    """Return the package (or top-level module) of bot that `module` belongs to; None for bot itself."""
    parts = module.split(".")
    return parts[1] if parts[0] == "bot" and len(parts) > 1 else None


def bot_units() -> dict[str, set[str]]:
    """Return, for each package or top-level module of bot/, the others it imports."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "bot").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        source = unit_of(module)
        if source is None or source == "__main__":
            continue
        targets = {unit_of(name) for name in imported_modules(path)}
        graph.setdefault(source, set()).update(t for t in targets if t and t != source)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one cycle of `graph` as a path of nodes, or [] when it has none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def imports_of(package: str) -> dict[Path, set[str]]:
    return {path: imported_modules(path) for path in sorted((ROOT / package).rglob("*.py"))}


@pytest.mark.parametrize("package", CORE)
def test_core_imports_no_io_library(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        assert not imported_top_levels(path) & IO_LIBRARIES, path


def test_the_review_core_imports_no_layer_above_it():
    for path, names in imports_of("bot/review").items():
        assert not {unit_of(n) for n in names} & ABOVE_REVIEW, path


def test_renderers_do_no_io():
    for path, names in imports_of("bot/render").items():
        assert not {n.split(".")[0] for n in names} & RENDER_IO, path


def test_event_handlers_never_reach_the_review_core():
    # Handlers decide and enqueue; the worker reviews.
    for path, names in imports_of("bot/events").items():
        assert "review" not in {unit_of(n) for n in names}, path


def test_the_github_adapter_makes_no_review_decisions():
    # Resource calls only: what to fetch, review and post is decided in bot.pulls.
    for path, names in imports_of("bot/github").items():
        assert not {unit_of(n) for n in names} & {"pulls", "render", "rules", "llm", "jobs", "wiring"}, path


def test_only_the_github_adapter_calls_the_rest_api():
    calls = re.compile(r"\bgh\.(getitem|getiter|getstatus|post|patch|put|delete)\(")
    for path in sorted((ROOT / "bot").rglob("*.py")):
        if not path.is_relative_to(ROOT / "bot" / "github"):
            assert not calls.search(path.read_text()), path


def test_no_two_packages_import_each_other():
    cycle = find_cycle(bot_units())
    assert not cycle, " -> ".join(cycle)


def all_modules() -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "bot").rglob("*.py")
        if p.name != "__main__.py"
    )


def test_every_module_imports_in_a_fresh_interpreter_without_side_effects():
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run(
        [sys.executable, "-c", code, *all_modules()], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
