"""Choose which files of a diff to review; say why the others were skipped."""

from __future__ import annotations

from collections.abc import Sequence

from bot.review.config import RepoConfig
from bot.review.diff import FileDiff
from bot.review.models import SkippedFile


def select_files(files: Sequence[FileDiff], config: RepoConfig) -> tuple[list[FileDiff], list[SkippedFile]]:
    """Return the files to review and the skipped ones with a reason each."""
    raise NotImplementedError
