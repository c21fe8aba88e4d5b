"""Which language a file is written in, which rules apply to it, and whether it is a test file."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_BY_EXTENSION = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".java": "java",
    ".kt": "kotlin",
    ".rb": "ruby",
    ".rs": "rust",
    ".php": "php",
    ".cs": "csharp",
    ".scala": "scala",
    ".swift": "swift",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".hpp": "cpp",
    ".sh": "bash",
    ".bash": "bash",
    ".lua": "lua",
}

# The names ast-grep accepts for a language, folded to the one we use.
_ALIASES = {
    "py": "python",
    "js": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "golang": "go",
    "kt": "kotlin",
    "rb": "ruby",
    "rs": "rust",
    "cs": "csharp",
    "c#": "csharp",
    "c++": "cpp",
    "sh": "bash",
}
KNOWN_LANGUAGES = frozenset(_BY_EXTENSION.values())

# A rule written for TypeScript also applies to TSX: the TSX grammar is TypeScript plus JSX.
_RULE_LANGUAGES_FOR = {"tsx": ("tsx", "typescript")}

# Documentation trees count as test code: they are not deployed, and generated files there are noise. So do
# test suites under other names (`testsuite/`, `test-utils/`, `integration-tests/`, browser suites in
# `playwright/` and `cypress/`) and database migrations and upgrade steps (`upgrades/1.5.0/...`): run once by an
# operator, never on a request path.
_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|__mocks__|__stubs__|testing|testsuites?|test-[^/]*|[^/]*-tests?|spec|specs|e2e|fixtures?|playwright|cypress"
    r"|testdata|testutils?|testhelpers?|docs?|migrations?|alembic|upgrades|\.semgrep)/"
    # Go packages of one kind of test (`pkg/e2etests/`, `pkg/webtests/`); `contests/` is not one.
    r"|(^|/)(?!contests/)[a-z0-9]+tests/"
    r"|(^|/)migrations?\.(go|py|[cm]?[jt]s|java)$"
    r"|(^|/)test_[^/]*\.py$|_tests?\.py$|(^|/)conftest\.py$"
    r"|_test\.go$|\.(test|spec)\.[cm]?[jt]sx?$"
    r"|(^|/)src/test/|Tests?\.java$|Test\.kt$|_spec\.rb$"
)


def file_language(path: str) -> str | None:
    """Return the language of the file at `path` by its extension, or None when no rule applies."""
    return _BY_EXTENSION.get(PurePosixPath(path).suffix.lower())


def rule_language(name: str) -> str | None:
    """Return the canonical name of an ast-grep `language` value, or None when we do not know it."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in KNOWN_LANGUAGES else None


def rule_languages_for(language: str) -> tuple[str, ...]:
    """Return the rule languages whose rules run on a file of `language`."""
    return _RULE_LANGUAGES_FOR.get(language, (language,))


# Translation and locale catalogues: words shown to people (`"password": "Contrasinal"`), not settings.
_DATA_PATH = re.compile(
    r"(^|/)(locales?|i18n|l10n|lang|langs|translations?)/"
    r"|(^|/)messages[^/]*\.(json|properties|ya?ml)$|\.(po|pot|mo|xliff|xlf)$"
)


def is_data_path(path: str) -> bool:
    """Tell whether `path` is a translation or locale catalogue (locale/, i18n/, messages*.json, *.po, ...)."""
    return _DATA_PATH.search(path) is not None


def is_test_path(path: str) -> bool:
    """Tell whether `path` looks like test code (tests/, test_*.py, *_test.go, *.spec.ts, ...)."""
    return _TEST_PATH.search(path) is not None


# Build, release and maintenance scripts: run by the team on its own inputs, not on a request path.
_TOOLING_PATH = re.compile(
    r"(^|/)(scripts?|tools?|tooling|extra|release|bin|hack|ci|\.github|build-utils|examples?|samples?|demos?|dev|"
    r"docker|management/commands|seeds?|seeders|\.mvn)/"
    r"|(^|/)(seed|build)\.[cm]?[jt]s$|(^|/)magefile\.go$|(^|/)installer/"
    # A Django project's settings for a developer's machine or for CI (`settings/local_dev.py`, `settings/ci.py`).
    r"|(^|/)settings/(local|dev|development|ci|test)\w*\.py$|(^|/)settings_(local|dev|ci|test)\w*\.py$"
    # Demo-data generators (a `populatedb` command's module): they fill a developer's database by hand.
    r"|(^|/)(random|demo|sample|fake|dummy|seed)_data\.\w+$|(^|/)populate(db)?\.py$"
)


# Code that runs in a browser or on a phone: components and the usual front-end folders. A stalled call or a
# swallowed rejection there holds one user's screen, not a server's workers; server-only rules skip it.
_CLIENT_PATH = re.compile(
    r"\.(jsx|tsx)$"
    r"|(^|/)(ui|frontend|client|mobile|components|public|[\w-]*static|assets|browser|extension)/"
    # Next.js `client-only/` modules, and front-end apps named for their UI (`src-ui/`, `admin-ui/`).
    r"|(^|/)(client-only|[\w-]+-ui)/"
    # A single-page app kept beside a Go or Python server (`web/src/` of gogs and memos).
    r"|(^|/)web/src/"
    # A command-line client or a desktop app (Electron's `desktop/`) runs on its user's machine: a stalled
    # call holds one terminal or window, not a server.
    r"|(^|/)(cli|desktop|electron)/"
)

# What only a browser has: the DOM, storage, FileReader, UI frameworks and editor views. A file that uses them
# and imports no server module runs in a user's tab, wherever the repository keeps it (`shared/editor/`).
_BROWSER_SOURCE = re.compile(
    r"\bdocument\.(createElement|getElementById|querySelector(All)?|body|addEventListener)\b"
    r"|\bwindow\.(location|URL|addEventListener|open|localStorage|sessionStorage)\b"
    r"|\bnew FileReader\b|\b(localStorage|sessionStorage)\."
    r"|from\s+[\"'](react-dom(/client)?|vue|svelte|prosemirror-view|prosemirror-state|@tiptap/[\w-]+)[\"']"
    # React hooks and client stores kept in .ts files (`useTeams.ts`, a zustand store).
    r"|from\s+[\"'](react|zustand|swr|@tanstack/react-query|next/navigation|next/router)[\"']"
    # React bindings (`react-i18next`, `react-hook-form`) and packages made for the browser (`@sentry/browser`,
    # `i18next-browser-languagedetector`).
    r"|from\s+[\"'](react-(?!email\b)[\w-]+|@[\w-]+/browser|[\w-]+-browser-[\w-]+)[\"']"
    # Vite's build-time variables: a module reading them is bundled for the page.
    r"|\bimport\.meta\.env\b"
    # A fetch of a path with no origin: only a page resolves it against its own address (a server's fetch
    # refuses a relative URL), so the module runs in the browser.
    r"|(?<![\w.$])fetch\(\s*(\w+\(\s*)?[\"'`]/(?!/)"
    r"|^\s*[\"']use client[\"']"
    # WeChat and uni-app mini-programs: pages that run inside the app on a phone.
    r"|\b(wx|uni)\.(setStorageSync|getStorageSync|navigateTo|redirectTo|switchTab|showToast|showModal|showLoading)\("
    # The `client-only` package makes a build fail when a server module imports the file.
    r"|^\s*import\s+[\"']client-only[\"']",
    re.MULTILINE,
)
_SERVER_IMPORT = re.compile(
    r"(from\s+|require\(\s*)[\"'](node:[\w/]+|fs|fs/promises|http|https|child_process|net|express|koa|fastify|"
    r"next/server|@nestjs/[\w-]+)[\"']"
)


def is_client_path(path: str) -> bool:
    """Tell whether `path` is browser or mobile code (*.jsx, *.tsx, ui/, frontend/, mobile/, components/, ...)."""
    return _CLIENT_PATH.search(path) is not None


def is_browser_source(text: str) -> bool:
    """Tell whether JavaScript or TypeScript `text` uses browser-only APIs and imports no server module."""
    return _BROWSER_SOURCE.search(text) is not None and _SERVER_IMPORT.search(text) is None


# Go files compiled only into development builds (`//go:build !prod`, `//go:build dev`).
_DEV_BUILD = re.compile(r"^//go:build .*(!prod\b|\bdev\b|\bdebug\b)", re.MULTILINE)


def is_dev_build_source(text: str) -> bool:
    """Tell whether a Go file's build constraint keeps it out of production builds."""
    return _DEV_BUILD.search(text[:2000]) is not None


# An invoke or fabric task file (`tasks.py`, `fabfile.py`): commands an operator runs by hand.
_TASK_RUNNER_IMPORT = re.compile(
    r"^(from\s+(invoke|fabric)(\.\w+)*\s+import\b|import\s+(invoke|fabric)\b)", re.MULTILINE
)


def is_tooling_source(language: str, text: str) -> bool:
    """Tell whether a file's own text says it is tooling: a Go development build, a Python task file."""
    if language == "go":
        return is_dev_build_source(text)
    if language == "python":
        return _TASK_RUNNER_IMPORT.search(text) is not None
    return False


def is_tooling_path(path: str) -> bool:
    """Tell whether `path` is a build, release, example or maintenance script (scripts/, extra/, examples/, ...)."""
    return _TOOLING_PATH.search(path) is not None
