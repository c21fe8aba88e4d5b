"""Where the evaluation finds its mirrors and keeps its cache."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "eval" / ".cache"
# Beside the project, where a workspace keeps its fetched mirrors.
DEFAULT_MIRRORS = ROOT.parent / ".mirror"


def mirrors_root(given: str | None = None) -> Path:
    """--mirrors, else $PRODREADY_EVAL_MIRRORS, else ../.mirror beside the project."""
    return Path(given or os.environ.get("PRODREADY_EVAL_MIRRORS") or DEFAULT_MIRRORS)


def mirror_path(root: Path, repo: str) -> Path:
    """A repository's bare mirror: ROOT/OWNER+NAME/repo."""
    owner, name = repo.split("/", 1)
    return root / f"{owner}+{name}" / "repo"
