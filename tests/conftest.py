"""Shared fixtures: the fake servers live in tests/fakes and are used by every test module."""

from pathlib import Path

import pytest

pytest_plugins = ["tests.fakes.fake_github", "tests.fakes.fake_llm"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """Return ../shared, or skip when this checkout has no shared data beside it."""
    if not (SHARED / "github").is_dir():
        pytest.skip("../shared/github is absent: GitHub's published payloads and API description are not here")
    return SHARED
