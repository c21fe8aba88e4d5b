"""Server-only rules (metadata.runs_on: server) skip browser and mobile code; everything else runs everywhere."""

from __future__ import annotations

import pytest

from bot.rules.languages import is_client_path, is_tooling_path
from bot.rules.loader import RuleProblem, parse_rules
from tests.rules.conftest import review

RULE = """
id: team-no-sync-call
language: typescript
severity: warning
message: synchronous call
metadata: {category: failure_handling, runs_on: server}
rule: {pattern: callSync($X)}
"""


@pytest.mark.parametrize(
    "path",
    [
        "web/Pay.tsx",
        "src/Button.jsx",
        "ui/src/api.ts",
        "apps/mobile/lib/sync.ts",
        "app/components/x.ts",
        "frontend/api.js",
        "public/js/app.js",
        "netbox/project-static/src/select.ts",
        "web/src/lib/user-info.ts",
        "packages/lib/client-only/download-pdf.ts",
        "src-ui/src/app/services/document.service.ts",
        "packages/cli/src/api/domains.ts",
        "desktop/main.js",
        "CTFd/themes/admin/assets/js/graphs.js",
    ],
)
def test_browser_and_mobile_paths_are_client_code(path: str) -> None:
    assert is_client_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "server/api.ts",
        "src/routes/orders.js",
        "apps/web/lib/api/users.ts",
        "src/clientele/report.ts",
        "src/http-client.ts",
        "lib/mobileConfig.ts",
        "packages/lib/server-only/pdf/get-file.ts",
        "src/build-ui.ts",
        "src/clients/billing.ts",
    ],
)
def test_server_paths_and_look_alike_names_are_not(path: str) -> None:
    assert not is_client_path(path)


def test_runs_on_is_read_and_a_wrong_value_is_named() -> None:
    (server,) = parse_rules(RULE, origin="custom", builtin=False)
    (anywhere,) = parse_rules(RULE.replace(", runs_on: server", ""), origin="custom", builtin=False)
    assert (server.server_only, anywhere.server_only) == (True, False)
    with pytest.raises(RuleProblem, match=r"metadata\.runs_on must be server or anywhere"):
        list(parse_rules(RULE.replace("runs_on: server", "runs_on: browser"), origin="custom", builtin=False))


def test_a_server_rule_skips_a_component_and_an_anywhere_rule_does_not() -> None:
    code = "export async function load(url: string) {\n  return fetch(url);\n}\n"
    assert [f.rule for f in review("server/load.ts", code)] == ["ts-fetch-without-timeout"]
    assert review("web/components/load.ts", code) == []
    custom = {".github/prodready/rules/sync.yml": RULE.replace(", runs_on: server", "")}
    found = review("web/components/load.ts", "callSync(x);\n", custom=custom)
    assert [f.rule for f in found] == ["team-no-sync-call"]


def test_a_browser_store_may_decode_its_own_token_a_server_may_not() -> None:
    # The browser cannot hold the signing key; it reads its token only to show who is signed in.
    code = "export function me(token) {\n  return jwt.decode(token).name;\n}\n"
    assert review("client/store/user.js", code) == []
    assert [f.rule for f in review("server/core/auth.js", code)] == ["js-jwt-decode-without-verify"]


EDITOR_UPLOAD = """import { Plugin } from "prosemirror-state";

export async function upload(url: string, file: File) {
  const reader = new FileReader();
  return fetch(url, { method: "POST", body: file });
}
"""


def test_a_file_that_uses_browser_apis_is_client_code_wherever_it_lives() -> None:
    # `shared/editor/` is not a client path; what the file imports and touches says it runs in a tab.
    assert review("shared/editor/upload.ts", EDITOR_UPLOAD) == []


def test_a_translation_catalogue_in_code_form_is_not_judged_by_code_rules() -> None:
    catalogue = "export default {\n  form: {\n    password: 'password',\n  },\n};\n"
    assert review("admin/src/locales/en.js", catalogue) == []
    assert [f.rule for f in review("admin/src/config.js", catalogue)] == ["js-test-credential"]


def test_a_mini_program_page_is_client_code() -> None:
    page = (
        "Page({\n  pick(e) {\n    try {\n      wx.setStorageSync('addressId', e.id);\n    } catch (err) {}\n  },\n});\n"
    )
    assert review("shop-wx/pages/address/address.js", page) == []
    assert [f.rule for f in review("server/address.js", page.replace("wx.setStorageSync", "store.set"))] == [
        "js-catch-swallows-error"
    ]


def test_a_server_import_beside_browser_looking_code_keeps_the_server_rules() -> None:
    server = 'import express from "express";\n' + EDITOR_UPLOAD
    assert [f.rule for f in review("shared/editor/upload.ts", server)] == ["ts-fetch-without-timeout"]


LOAD = "export async function load(url: string) {\n  return fetch(url);\n}\n"


@pytest.mark.parametrize(
    "head",
    [
        'import { initReactI18next } from "react-i18next";\n',
        'import * as Sentry from "@sentry/browser";\n',
        "import LanguageDetector from 'i18next-browser-languagedetector';\n",
        "const base = import.meta.env.BASE_URL;\n",
        # Only a page resolves a path with no origin; a server's fetch refuses it.
        "export const me = () => fetch('/api/me');\n",
        "export const up = () => fetch(formatPath(`/api/files/upload`));\n",
    ],
)
def test_browser_only_imports_and_relative_fetches_make_a_module_client_code(head: str) -> None:
    assert review("packages/lib/universal/load.ts", head + LOAD) == []


@pytest.mark.parametrize(
    "head",
    [
        # Rendering email on the server, a client of another service, an absolute or protocol-relative URL.
        'import { render } from "react-email";\n',
        "export const ping = () => api.fetch('/status');\n",
        "export const cdn = () => fetch('//cdn.example.com/x.js');\n",
        'import express from "express";\nexport const me = () => fetch("/api/me");\n',
    ],
)
def test_look_alikes_of_browser_evidence_keep_the_server_rules(head: str) -> None:
    found = [f.rule for f in review("packages/lib/universal/load.ts", head + LOAD)]
    assert "ts-fetch-without-timeout" in found


def test_a_platform_cron_route_is_a_scheduled_job_not_a_request() -> None:
    assert review("apps/web/app/api/cron/sync/route.ts", LOAD) == []
    assert review("apps/web/app/(ee)/api/cron/import/utils.ts", LOAD) == []
    assert [f.rule for f in review("apps/web/app/api/cronjobs/route.ts", LOAD)] == ["ts-fetch-without-timeout"]
    assert [f.rule for f in review("apps/web/app/api/links/route.ts", LOAD)] == ["ts-fetch-without-timeout"]


def test_a_word_like_document_in_server_code_does_not_make_it_client_code() -> None:
    code = (
        "export async function load(url: string, document: Doc) {\n  document.title = 'x';\n  return fetch(url);\n}\n"
    )
    assert [f.rule for f in review("server/load.ts", code)] == ["ts-fetch-without-timeout"]


@pytest.mark.parametrize(
    "path",
    [
        "scripts/release.py",
        ".mvn/wrapper/MavenWrapperDownloader.java",
        "packages/prisma/seed.js",
        "build.js",
        "saleor/core/utils/random_data.py",
        "dev/code-generation/gen_ts_locales.py",
        "populate.py",
        "build/magefile.go",
        "settings/local_dev.py",
    ],
)
def test_build_and_seed_scripts_are_tooling(path: str) -> None:
    assert is_tooling_path(path)


@pytest.mark.parametrize(
    "path",
    [
        "src/main/java/com/acme/Mvn.java",
        "app/descriptions.py",
        "server/commands/buildReport.ts",
        "app/metadata.py",
        "settings/main.py",
        "config/settings/production.py",
        # netbox's `extras` Django app serves requests.
        "netbox/extras/dashboard/widgets.py",
    ],
)
def test_application_code_is_not_tooling(path: str) -> None:
    assert not is_tooling_path(path)


def test_a_go_file_built_only_for_development_is_judged_as_tooling() -> None:
    from tests.rules.conftest import review

    body = (
        'package web\n\nimport (\n\t"io"\n\t"net/http"\n)\n\n'
        "func proxy(w http.ResponseWriter, r *http.Request) {\n"
        '\tresp, _ := http.Get("http://vite.internal:5173" + r.URL.Path)\n'
        "\tdata, _ := io.ReadAll(resp.Body)\n\tw.Write(data)\n}\n"
    )
    production = {f.rule for f in review("internal/web/webapp.go", body)}
    development = {f.rule for f in review("internal/web/webapp_dev.go", "//go:build !prod\n\n" + body)}
    assert "go-http-default-client" in production
    assert "go-http-default-client" not in development


def test_a_hook_or_client_store_in_a_ts_file_is_client_code() -> None:
    hook = (
        'import { useQuery } from "@tanstack/react-query";\n\n'
        "export function useTeams() {\n"
        "  return useQuery({ queryKey: ['teams'], queryFn: () => fetch(TEAMS_API) });\n}\n"
    )
    assert review("src/queries/useTeams.ts", hook) == []
    assert [f.rule for f in review("src/queries/teams.ts", hook.split("\n\n", 1)[1])] == ["ts-fetch-without-timeout"]


def test_a_file_marked_client_only_is_client_code() -> None:
    code = 'import "client-only";\n\nexport async function load(url: string) {\n  return fetch(url);\n}\n'
    assert review("packages/lib/universal/load.ts", code) == []
    assert [f.rule for f in review("packages/lib/universal/load.ts", code.split("\n", 2)[2])] == [
        "ts-fetch-without-timeout"
    ]


def test_a_python_task_file_is_judged_as_tooling() -> None:
    from tests.rules.conftest import review

    body = (
        "import requests\n{runner}\n\n"
        "@task\ndef load_online_fixtures(context):\n"
        "    response = requests.get(FIXTURE_URL)\n    return response.content\n"
    )
    served = {f.rule for f in review("wger/tasks.py", body.format(runner="from app import task"))}
    by_hand = {f.rule for f in review("wger/tasks.py", body.format(runner="from invoke import task"))}
    fabric = {f.rule for f in review("deploy/fabfile.py", body.format(runner="from fabric import task"))}
    # A module that only mentions invoke in a string or a longer name is not a task file.
    mention = {f.rule for f in review("wger/tasks.py", body.format(runner='NOTE = "from invoke import task"'))}
    assert "py-requests-without-timeout" in served
    assert "py-requests-without-timeout" in mention
    assert "py-requests-without-timeout" not in by_hand
    assert "py-requests-without-timeout" not in fabric
