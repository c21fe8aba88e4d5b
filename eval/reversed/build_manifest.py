"""Write eval/reversed/manifest.jsonl from the hand-labelled defects below.

Each defect is a real fix commit of an open-source application. The labels (path, lines in the PARENT, that is
the buggy version of the file, category, description) are ours; the script only resolves the commit ids, checks
that every labelled line exists in the parent, and records whether the fix changed the labelled lines
(`changed`: in the reversed diff they are added lines) or only inserted code next to them (`absent`: the
defect is a missing guard; the reversed diff deletes the guard and the labelled lines are context).

    python -m eval.reversed.build_manifest [--mirrors DIR] [--show]

--show prints every labelled line of the parent, to check the labels by eye.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from eval.real.common import mirror_path, mirrors_root  # noqa: E402

MANIFEST = HERE / "manifest.jsonl"

NB, HC = "netbox-community/netbox", "healthchecks/healthchecks"
MF, GO = "miniflux/v2", "gotify/server"
AP, HALO = "apolloconfig/apollo", "halo-dev/halo"
UK, OL, LW = "louislam/uptime-kuma", "outline/outline", "linkwarden/linkwarden"

SEC, CON, FH, DV = "security", "concurrency", "failure_handling", "data_volume"

# (repo, fix commit, path, labelled lines in the parent, category, shape, description)
DEFECTS: list[tuple[str, str, str, list[int], str, str, str]] = [
    # --- Python
    (
        NB,
        "a4dcd82606",
        "netbox/netbox/tables/columns.py",
        [663],
        SEC,
        "xss",
        "exception text interpolated into an f-string passed to mark_safe()",
    ),
    (
        NB,
        "e79e33e9dd",
        "netbox/extras/models/mixins.py",
        [253],
        SEC,
        "header-injection",
        "object-derived filename formatted raw into the Content-Disposition header",
    ),
    (
        NB,
        "6ec79402cc",
        "netbox/extras/templatetags/dashboard.py",
        [22],
        SEC,
        "xss",
        "exception message interpolated unescaped into HTML returned with mark_safe()",
    ),
    (
        NB,
        "9319cffb1c",
        "netbox/extras/dashboard/widgets.py",
        [291, 292, 293],
        FH,
        "timeout",
        "feedparser.parse(url) fetches a remote feed inside a web request with no timeout",
    ),
    (
        NB,
        "145ee11a3f",
        "netbox/ipam/api/views.py",
        [82],
        DV,
        "n+1",
        "API viewset queryset .all() without prefetch of the generic scope: one query per listed prefix",
    ),
    (
        NB,
        "caca074161",
        "netbox/users/views.py",
        [94],
        SEC,
        "open-redirect",
        "login 'next' accepted when it starts with '/', which lets '//evil.example' through",
    ),
    (
        NB,
        "84e4156259",
        "netbox/extras/scripts.py",
        [494, 495, 496, 498],
        CON,
        "unsynchronized-shared-state",
        "sys.modules entry deleted and module reloaded from request threads without a lock",
    ),
    (
        NB,
        "ed135102be",
        "netbox/core/models/jobs.py",
        [261, 265],
        CON,
        "enqueue-before-commit",
        "background job enqueued inside the DB transaction, before commit: the worker can run before the row exists",
    ),
    (
        NB,
        "2c09973e01",
        "netbox/project-static/src/search.ts",
        [41],
        SEC,
        "xss",
        "user search text concatenated unencoded into a link's href query string",
    ),
    (
        HC,
        "6375b0aac4",
        "hc/api/views.py",
        [320, 321, 322],
        CON,
        "missing-row-lock",
        "check deleted without select_for_update while concurrent pings insert rows referencing it",
    ),
    (
        HC,
        "fe67db5726",
        "hc/api/views.py",
        [442, 443, 444, 445],
        CON,
        "missing-row-lock",
        "check read then updated with no transaction or row lock while it can be deleted concurrently",
    ),
    (
        HC,
        "252fa1f884",
        "hc/api/management/commands/sendreports.py",
        [41, 42, 43, 44, 45],
        CON,
        "read-modify-write",
        "profiles due a report are read and mailed with no atomic claim: concurrent runs send duplicates",
    ),
    (
        HC,
        "4422f2cf95",
        "hc/lib/s3.py",
        [18, 19, 20, 21, 22, 23],
        FH,
        "timeout",
        "Minio S3 client built with the default HTTP pool: no timeout on object storage calls",
    ),
    (
        HC,
        "3b6afae140",
        "hc/api/transports.py",
        [695],
        FH,
        "timeout",
        "D-Bus sendMessage call to signal-cli made with no timeout",
    ),
    (
        NB,
        "97a1375a82",
        "netbox/users/models/tokens.py",
        [263],
        SEC,
        "weak-random",
        "API token characters drawn with random.choice (not a CSPRNG)",
    ),
    # --- Go
    (
        MF,
        "56d0b31cb6",
        "internal/template/engine.go",
        [92, 100],
        CON,
        "unsynchronized-shared-state",
        "shared *template.Template's FuncMap mutated per request (tpl.Funcs) by concurrent handlers",
    ),
    (
        MF,
        "7628a214f3",
        "internal/storage/entry_query_builder.go",
        [212],
        SEC,
        "sql-injection",
        "ORDER BY column and direction from the request concatenated into SQL",
    ),
    (
        MF,
        "d5e68025d4",
        "internal/http/response/html.go",
        [122],
        SEC,
        "open-redirect",
        "http.Redirect to a caller-supplied URI with no scheme/host validation",
    ),
    (
        MF,
        "75753ce8b3",
        "internal/http/response/builder.go",
        [67],
        SEC,
        "header-injection",
        "filename concatenated raw into the Content-Disposition header",
    ),
    (
        MF,
        "eb9508502c",
        "ui/proxy.go",
        [86],
        SEC,
        "xss",
        "upstream fetch error rendered into an HTML error page (html.ServerError(err)) unescaped",
    ),
    (
        MF,
        "c8c414e8fb",
        "internal/worker/pool.go",
        [22, 28],
        CON,
        "send-on-closed-channel",
        "Shutdown closes the job channel while Push may still send on it: panic",
    ),
    (
        MF,
        "fbbff63f2e",
        "internal/storage/entry_query_builder.go",
        [204, 205, 206],
        DV,
        "unbounded-query",
        "limit <= 0 leaves the entries query without LIMIT: unbounded result set",
    ),
    (
        MF,
        "6ed1006a14",
        "internal/storage/category.go",
        [35],
        FH,
        "swallowed-error",
        "QueryRow(...).Scan error ignored: a DB failure reads as 'category does not exist'",
    ),
    (
        MF,
        "5f0ae8196c",
        "reader/http/client.go",
        [71, 74],
        FH,
        "timeout",
        "http.Client{} with no Timeout used to fetch feeds",
    ),
    (
        MF,
        "2f4cd59ad9",
        "http/client/client.go",
        [113, 143],
        FH,
        "resource-leak",
        "response body handed on and never closed: connections leak",
    ),
    (
        MF,
        "4e8a0e0639",
        "internal/ui/middleware.go",
        [109, 110, 147, 192],
        SEC,
        "secret-in-log",
        "CSRF tokens and session cookie values written to the logs",
    ),
    (
        MF,
        "47e304f343",
        "internal/integration/apprise/apprise.go",
        [75],
        FH,
        "resource-leak",
        "defer response.Body.Close() inside a loop: bodies stay open until the function returns",
    ),
    (
        MF,
        "5594586941",
        "internal/googlereader/handler.go",
        [247],
        SEC,
        "secret-in-log",
        "newly generated API token written to the log",
    ),
    (
        GO,
        "883ca85a68",
        "plugin/manager.go",
        [195],
        CON,
        "unsynchronized-map",
        "map delete(m.instances, id) without the mutex that guards the map elsewhere",
    ),
    (
        GO,
        "925fb7e2c9",
        "api/application.go",
        [330, 336],
        SEC,
        "unrestricted-upload",
        "uploaded image saved under the client's file extension (e.g. .html) and served: stored XSS",
    ),
    # --- Java
    (
        AP,
        "ad448d7899",
        "apollo-portal/src/main/java/com/ctrip/framework/apollo/portal/controller/SystemInfoController.java",
        [87, 88],
        SEC,
        "ssrf",
        'restTemplate.getForObject(host + "/health") with host taken from a request parameter',
    ),
    (
        AP,
        "4010a8587e",
        "apollo-client/src/main/java/com/ctrip/framework/apollo/build/ApolloInjector.java",
        [12],
        CON,
        "double-checked-locking",
        "double-checked lazy init of a static field that is not volatile",
    ),
    (
        AP,
        "c45a75f477",
        "apollo-biz/src/main/java/com/ctrip/framework/apollo/biz/message/ReleaseMessageScanner.java",
        [41],
        CON,
        "non-thread-safe-collection",
        "listener LinkedList iterated by a scheduler thread while listeners are added: ConcurrentModificationException",
    ),
    (
        AP,
        "f17e7ea819",
        "apollo-configservice/src/main/java/com/ctrip/apollo/configservice/controller/NotificationController.java",
        [136, 137],
        CON,
        "non-thread-safe-collection",
        "live view of a shared multimap iterated while request threads add to it",
    ),
    (
        AP,
        "0f066621a3",
        "apollo-portal/src/main/java/com/ctrip/framework/apollo/portal/service/ConfigsImportService.java",
        [75, 109],
        CON,
        "shared-mutable-field",
        "per-request current user stored in a field of a singleton Spring service",
    ),
    (
        HALO,
        "e142b90349",
        "application/src/main/java/run/halo/app/extension/DelegateExtensionClient.java",
        [28, 34, 39, 45],
        FH,
        "timeout",
        "reactive client calls turned blocking with .block() and no timeout",
    ),
    (
        HALO,
        "997a73d81b",
        "application/src/main/java/run/halo/app/plugin/resources/BundleResourceUtils.java",
        [74],
        SEC,
        "path-traversal",
        "resource path built from a request-supplied bundle name and loaded without normalising",
    ),
    (
        HALO,
        "d59877a9ce",
        "src/main/java/run/halo/app/utils/FileUtils.java",
        [299],
        SEC,
        "path-traversal",
        "traversal check compares startsWith on the un-normalised path: '../' passes",
    ),
    (
        HALO,
        "532b7f0532",
        "src/main/java/run/halo/app/utils/ValidationUtils.java",
        [22, 36, 37],
        CON,
        "double-checked-locking",
        "double-checked lazy init of a static Validator that is not volatile",
    ),
    # --- JavaScript
    (
        UK,
        "951f109512",
        "server/socket-handlers/cloudflared-socket-handler.js",
        [44, 51, 64, 87],
        FH,
        "swallowed-error",
        "socket handlers wrapped in try { } catch (error) { } that drop every error",
    ),
    (
        UK,
        "8189623389",
        "server/monitor-types/system-service.js",
        [49, 89],
        FH,
        "timeout",
        "execFile(systemctl / powershell) with no timeout: a hung command leaves a zombie and a stuck check",
    ),
    (
        UK,
        "b8bd17ddbd",
        "server/docker.js",
        [71, 85],
        FH,
        "timeout",
        "axios.request to the Docker daemon with no timeout",
    ),
    (
        UK,
        "bdf499edd2",
        "server/notification-providers/resend.js",
        [28],
        SEC,
        "html-injection",
        "monitor message interpolated unescaped into the HTML body of an email",
    ),
    (
        UK,
        "3ff0cbe311",
        "server/modules/google-analytics.js",
        [9, 10],
        SEC,
        "xss",
        "user-configured tag id concatenated into an inline <script> served on the status page",
    ),
    (
        UK,
        "65d71e5db0",
        "server/util-server.js",
        [241, 242, 243],
        FH,
        "listener-leak",
        "mssql.on('error', ...) registered on the shared module on every check: listeners pile up",
    ),
    (
        UK,
        "35da8c78f4",
        "server/util-server.js",
        [96, 97, 98, 99, 100],
        FH,
        "timeout",
        "mqtt.connect() with no connect timeout; the returned promise may never settle",
    ),
    (
        UK,
        "70e7945a66",
        "server/server.js",
        [592],
        CON,
        "missing-await",
        "DELETE not awaited before the INSERTs that follow: the delete may run after them",
    ),
    (
        AP,
        "b5832dadb8",
        "apollo-portal/src/main/resources/static/scripts/controller/AppController.js",
        [121],
        SEC,
        "xss",
        "user name concatenated into HTML passed to jQuery .prepend()",
    ),
    (
        GO,
        "d931dfc696",
        "ui/src/actions/MessageAction.js",
        [42],
        "configuration",
        "localhost",
        "websocket URL hard-coded to ws://localhost:80 in the shipped web UI",
    ),
    # --- TypeScript
    (
        OL,
        "2bf160ec39",
        "server/models/Collection.ts",
        [863, 864, 865, 866, 867, 870, 874, 875, 876, 878, 880],
        DV,
        "n+1",
        "child documents found and destroyed one parent at a time, recursively: a query per document",
    ),
    (
        OL,
        "11ef69e381",
        "server/services/websockets.ts",
        [139],
        FH,
        "floating-promise",
        "async room join fired with `void`: a rejection is unhandled and the socket stays half set up",
    ),
    (
        OL,
        "f2c44f8732",
        "server/commands/documentUpdater.ts",
        [65, 66, 67, 68],
        CON,
        "missing-row-lock",
        "document read and mutated inside a transaction without a row lock: concurrent updates overwrite each other",
    ),
    (
        OL,
        "df5fd8d0db",
        "server/routes/app.ts",
        [116, 120, 127],
        SEC,
        "xss",
        "canonical URL, icon URL and share id interpolated unescaped into HTML head tags",
    ),
    (
        OL,
        "15524cdd08",
        "shared/editor/nodes/Mention.tsx",
        [108, 116],
        SEC,
        "xss",
        "user-supplied mention href rendered as a link without URL scheme sanitising (javascript:)",
    ),
    (
        OL,
        "fc7f33577f",
        "server/commands/collectionExporter.ts",
        [23, 24, 25, 26, 27, 28, 29, 30, 31],
        SEC,
        "path-traversal",
        "user-supplied collection name put into a storage key / file path unsanitised",
    ),
    (
        OL,
        "3afb0517bf",
        "server/collaboration/PersistenceExtension.ts",
        [170, 171],
        FH,
        "unbounded-retry",
        "a failed document save is re-queued for retry forever, with no cap",
    ),
    (
        OL,
        "64dc5e8ea7",
        "server/commands/documentPermanentDeleter.ts",
        [96],
        CON,
        "check-then-act",
        "permanent delete by id only: a document restored concurrently is destroyed",
    ),
    (
        OL,
        "a33731dd23",
        "server/storage/files/BaseStorage.ts",
        [165, 166],
        DV,
        "unbounded-input",
        "base64 data URL decoded into a Buffer with no size limit",
    ),
    (
        LW,
        "76e566c786",
        "apps/worker/workers/rssPolling.ts",
        [18, 22, 23, 24],
        FH,
        "timeout",
        "feed fetch with no timeout inside Promise.all: one hung feed freezes the polling loop",
    ),
    (
        LW,
        "cad66cf3c8",
        "apps/worker/lib/protectPageRequests.ts",
        [25, 26],
        SEC,
        "ssrf",
        "URL checked for private addresses, then fetched by the browser with a second DNS lookup (rebinding)",
    ),
]

LANGUAGES = {
    ".py": "python",
    ".go": "go",
    ".java": "java",
    ".js": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
}


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={mirror}", *args], capture_output=True, text=True, errors="replace", check=True
    ).stdout


def removed_lines(mirror: Path, fix: str, path: str) -> tuple[set[int], set[int]]:
    """Parent line numbers the fix removed or changed, and the lines next to which it only inserted."""
    diff = git(mirror, "diff", "-U0", f"{fix}^", fix, "--", path)
    removed: set[int] = set()
    inserted: set[int] = set()
    for m in re.finditer(r"^@@ -(\d+)(?:,(\d+))? \+", diff, re.M):
        start, n = int(m.group(1)), int(m.group(2) or 1)
        if n:
            removed.update(range(start, start + n))
        else:
            inserted.update((start, start + 1))
    return removed, inserted


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirrors")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args(argv)
    root = mirrors_root(args.mirrors)
    rows, seen = [], set()
    for repo, fix, path, lines, category, shape, description in DEFECTS:
        mirror = mirror_path(root, repo)
        full = git(mirror, "rev-parse", f"{fix}^{{commit}}").strip()
        parent = git(mirror, "rev-parse", f"{full}^").strip()
        text = git(mirror, "show", f"{parent}:{path}").splitlines()
        bad = [n for n in lines if not 1 <= n <= len(text)]
        if bad:
            raise SystemExit(f"{repo} {fix} {path}: lines {bad} beyond the parent's {len(text)}")
        removed, inserted = removed_lines(mirror, full, path)
        if not removed & set(lines) and not inserted & set(range(min(lines) - 3, max(lines) + 4)):
            print(f"warning: {repo} {fix} {path}: the fix touches none of the labelled lines", file=sys.stderr)
        owner, name = repo.split("/")
        ident = f"{owner if name in ('v2', 'server') else name}-{full[:10]}"
        assert ident not in seen, ident
        seen.add(ident)
        rows.append(
            {
                "id": ident,
                "repo": repo,
                "language": LANGUAGES[Path(path).suffix],
                "fix": full,
                "parent": parent,
                "path": path,
                "lines": lines,
                "category": category,
                "shape": shape,
                "diff_kind": "changed" if removed & set(lines) else "absent",
                "description": description,
            }
        )
        if args.show:
            print(f"== {ident} {path} [{category}/{shape}] {rows[-1]['diff_kind']}: {description}")
            for n in lines:
                print(f"   {n:5}: {text[n - 1].rstrip()[:150]}")
    MANIFEST.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} defects to {MANIFEST}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
