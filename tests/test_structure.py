"""Structure guards: the core stays free of I/O libraries, and every module imports on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["bot/review", "bot/rules", "bot/render"]
IO_LIBRARIES = {"aiohttp", "gidgethub", "openai", "sentry_sdk", "prometheus_client"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", CORE)
def test_core_imports_no_io_library(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        assert not imported_top_levels(path) & IO_LIBRARIES, path


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
