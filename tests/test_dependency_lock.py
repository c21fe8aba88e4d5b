"""The locks and pyproject.toml agree: every declared dependency is pinned in range, nothing else is direct."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
_PINNED_EXTRAS = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\[([^\]]*)\]==", re.MULTILINE)
# uv marks what the inputs asked for directly; everything else is "via" another package.
_DIRECT_SOURCES = ("prodready (pyproject.toml)", "-r requirements/build.in")


def read_lock(text: str) -> dict[str, tuple[str, bool, int]]:
    """Return {package: (version, asked for directly, number of hashes)} from a `uv pip compile` lock."""
    entries: dict[str, tuple[str, bool, int]] = {}
    name = ""
    for line in text.splitlines():
        pin = _PIN.match(line)
        if pin:
            name = canonicalize_name(pin.group(1))
            entries[name] = (pin.group(2), False, 0)
            continue
        if not name:
            continue
        version, direct, hashes = entries[name]
        stripped = line.strip()
        if stripped.startswith("--hash="):
            hashes += 1
        elif any(stripped.lstrip("#").strip().removeprefix("via ").strip() == s for s in _DIRECT_SOURCES):
            direct = True
        entries[name] = (version, direct, hashes)
    return entries


def declared(pyproject: str, build_in: str, *, with_tests: bool) -> list[Requirement]:
    """Return the requirements the lock must satisfy: runtime, the build backend, and the test extra."""
    project = tomllib.loads(pyproject)["project"]
    texts = list(project["dependencies"])
    if with_tests:
        texts += project["optional-dependencies"]["test"]
    texts += [line for line in build_in.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [Requirement(text) for text in texts]


def disagreements(lock_text: str, requirements: list[Requirement]) -> list[str]:
    """Return one sentence per way the lock and the declared requirements differ."""
    lock = read_lock(lock_text)
    problems = []
    wanted = {canonicalize_name(r.name): r for r in requirements}
    for name, requirement in wanted.items():
        if name not in lock:
            problems.append(f"{requirement} is declared but not in the lock")
        elif not requirement.specifier.contains(lock[name][0], prereleases=True):
            problems.append(f"the lock pins {name}=={lock[name][0]}, outside {requirement}")
    for name, (version, direct, hashes) in lock.items():
        if direct and name not in wanted:
            problems.append(f"the lock asks for {name}=={version} directly, but nothing declares it")
        if hashes == 0:
            problems.append(f"{name}=={version} has no hash in the lock")
    return problems


def _files() -> tuple[str, str, str, str]:
    return tuple(  # type: ignore[return-value]
        (ROOT / name).read_text()
        for name in ("pyproject.toml", "requirements/build.in", "requirements/test.lock", "requirements/runtime.lock")
    )


def test_the_test_lock_pins_every_declared_dependency_and_nothing_more() -> None:
    pyproject, build_in, test_lock, _ = _files()
    assert disagreements(test_lock, declared(pyproject, build_in, with_tests=True)) == []


def test_the_runtime_lock_pins_the_runtime_and_exactly_the_tested_versions() -> None:
    pyproject, build_in, test_lock, runtime_lock = _files()
    assert disagreements(runtime_lock, declared(pyproject, build_in, with_tests=False)) == []
    tested = read_lock(test_lock)
    deployed = read_lock(runtime_lock)
    assert {n: v[0] for n, v in deployed.items()} == {n: tested[n][0] for n in deployed if n in tested}
    assert set(deployed) <= set(tested)
    test_only = {canonicalize_name(r.name) for r in declared(pyproject, "", with_tests=True)} - {
        canonicalize_name(r.name) for r in declared(pyproject, "", with_tests=False)
    }
    assert not test_only & set(deployed), "test tools must not be deployed"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda p, lock: (re.sub(r'(?m)^(  "rich[^"]*",)$', r'\1\n  "tenacity>=8",', p), lock),
            "tenacity>=8 is declared but not in the lock",
            id="added-to-pyproject-only",
        ),
        pytest.param(
            lambda p, lock: (re.sub(r'(?m)^  "rich[^"]*",$', '  "rich>=99",', p), lock),
            "outside rich>=99",
            id="range-moved-past-the-pin",
        ),
        pytest.param(
            lambda p, lock: (re.sub(r'(?m)^  "pathspec[^"]*",\n', "", p), lock),
            "the lock asks for pathspec==",
            id="removed-from-pyproject-only",
        ),
    ],
)
def test_the_agreement_check_catches_a_one_sided_edit(edit, expected) -> None:  # type: ignore[no-untyped-def]
    pyproject, build_in, test_lock, _ = _files()
    pyproject, test_lock = edit(pyproject, test_lock)
    problems = disagreements(test_lock, declared(pyproject, build_in, with_tests=True))
    assert any(expected in p for p in problems), problems


def test_a_lock_entry_without_hashes_is_a_disagreement() -> None:
    text = "rich==15.0.0\n    # via prodready (pyproject.toml)\n"
    assert disagreements(text, [Requirement("rich>=13")]) == ["rich==15.0.0 has no hash in the lock"]


def extras_asked_but_not_pinned(lock_text: str) -> list[str]:
    """Return `pkg[extra]` requirements of locked packages whose extras the lock does not pin.

    pip 23.2 (the machine's, and so the README's) in hash-checking mode resolves `coverage[toml]>=7.10.6` from
    pytest-cov against the newest release on the index unless the lock pins `coverage[toml]==...` itself.
    """
    lock = read_lock(lock_text)
    pinned = {
        canonicalize_name(m.group(1)): {e.strip() for e in m.group(2).split(",")}
        for m in _PINNED_EXTRAS.finditer(lock_text)
    }
    missing = []
    for name in lock:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            if not requirement.extras or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
                continue
            dependency = canonicalize_name(requirement.name)
            if dependency in lock and not requirement.extras <= pinned.get(dependency, set()):
                missing.append(f"{name} asks for {requirement}; the lock pins {dependency} without those extras")
    return missing


def test_both_locks_pin_the_extras_their_packages_ask_for() -> None:
    _, _, test_lock, runtime_lock = _files()
    assert extras_asked_but_not_pinned(test_lock) == []
    assert extras_asked_but_not_pinned(runtime_lock) == []


def test_the_extras_check_catches_a_lock_that_drops_an_extra() -> None:
    _, _, test_lock, _ = _files()
    dropped = re.sub(r"(?m)^coverage\[toml\]==", "coverage==", test_lock)
    assert any("pytest-cov asks for coverage[toml]" in p for p in extras_asked_but_not_pinned(dropped))
