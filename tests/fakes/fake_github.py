"""A fake GitHub REST API: a real aiohttp server on 127.0.0.1 that behaves like GitHub for what we use.

Tests set up state (repos, pull requests, files at refs, collaborators, installations), inject faults
per route, and assert on the recorded requests and on what was posted. When ../shared/github is
present every request is validated against GitHub's published OpenAPI description.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import itertools
import json
import secrets
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.fake_github_diff import FakeFile, join_git_diff, split_git_diff

OPENAPI_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "github" / "openapi-subset.json"
DOCS = "https://docs.github.com/rest"
APP_ID = 4242
APP_SLUG = "prodready"
BOT_LOGIN = f"{APP_SLUG}[bot]"

FaultKind = Literal["500", "502", "timeout", "secondary_rate_limit", "primary_rate_limit", "401"]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_ids = itertools.count(1000)
FAKE_KEY: web.AppKey[FakeGitHub] = web.AppKey("fake")
REPO_KEY: web.RequestKey[FakeRepo] = web.RequestKey("repo")
# Who the request's token posts as: (login, type). The App's installation tokens post as BOT_LOGIN.
ACTOR_KEY: web.RequestKey[tuple[str, str]] = web.RequestKey("actor")
ACTIONS_LOGIN = "github-actions[bot]"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
INSTALLATION_KEY: web.RequestKey[int] = web.RequestKey("installation")


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    route: str

    def json(self) -> Any:
        """Return the body decoded as JSON."""
        return json.loads(self.body)


@dataclass
class FakePull:
    """A pull request: its files (the source of truth for its diff) and its heads."""

    number: int
    files: list[FakeFile]
    head_sha: str
    base_sha: str
    user: str = "alice"
    state: str = "open"
    draft: bool = False
    base_ref: str = "main"
    head_ref: str = "feature"
    title: str = "A change"
    diff_text: str | None = None  # served verbatim when set (from a real git diff)
    past_heads: list[str] = field(default_factory=list)

    def diff(self) -> str:
        """Return the git-format diff GitHub would serve."""
        return self.diff_text if self.diff_text is not None else join_git_diff(self.files)


@dataclass
class FakeRepo:
    """A repository: pull requests, file contents per ref, collaborators and conversation state."""

    full_name: str
    default_branch: str = "main"
    private: bool = False
    pulls: dict[int, FakePull] = field(default_factory=dict)
    contents: dict[str, dict[str, bytes]] = field(default_factory=lambda: defaultdict(dict))
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> role_name
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)
    review_reactions: list[dict[str, Any]] = field(default_factory=list)  # on review comments
    resolved_threads: set[int] = field(default_factory=set)  # ids of the comments that start them
    comparisons: dict[str, list[FakeFile]] = field(default_factory=dict)  # "base...head" -> files
    compare_status: dict[str, str] = field(default_factory=dict)  # "base...head" -> ahead|behind|diverged|identical
    check_runs: list[dict[str, Any]] = field(default_factory=list)

    def add_file(self, ref: str, path: str, text: str | bytes) -> None:
        """Store a file's content at a ref (branch name or sha)."""
        self.contents[ref][path] = text.encode() if isinstance(text, str) else text

    def add_pull(
        self,
        number: int,
        *,
        diff: str | None = None,
        files: list[FakeFile] | None = None,
        head_sha: str | None = None,
        base_sha: str | None = None,
        **kwargs: Any,
    ) -> FakePull:
        """Add a pull request from a git diff or from a list of files."""
        pull = FakePull(
            number=number,
            files=files if files is not None else split_git_diff(diff or ""),
            head_sha=head_sha or hashlib.sha1(f"head{number}".encode()).hexdigest(),
            base_sha=base_sha or hashlib.sha1(f"base{number}".encode()).hexdigest(),
            diff_text=diff if files is None else None,
            **kwargs,
        )
        self.pulls[number] = pull
        return pull

    def push(self, number: int, head_sha: str) -> None:
        """Move a pull request's head, as a push to its branch does."""
        pull = self.pulls[number]
        pull.past_heads.append(pull.head_sha)
        pull.head_sha = head_sha

    def add_review_reply(self, number: int, to: int, body: str, *, user: str = "alice", kind: str = "User") -> int:
        """Add a person's reply to the review thread that comment `to` starts; return its id."""
        top = next(c for c in self.review_comments if c["id"] == to)
        cid = next(_ids)
        reply = {
            **{k: top[k] for k in ("path", "line", "side", "commit_id", "pull_request_review_id") if k in top},
            "id": cid,
            "node_id": f"PRRC_{cid}",
            "pull_number": number,
            "in_reply_to_id": to,
            "body": body,
            "user": {"login": user, "id": abs(hash(user)) % 10**6, "type": kind},
            "author_association": "CONTRIBUTOR",
            "html_url": f"https://github.com/{self.full_name}/pull/{number}#discussion_r{cid}",
        }
        self.review_comments.append(reply)
        return cid

    def add_review_reaction(self, comment_id: int, content: str, *, user: str, kind: str = "User") -> None:
        """Add a reaction (e.g. "-1") of `user` to review comment `comment_id`, as the GitHub UI does."""
        rid = len(self.review_reactions) + 1
        self.review_reactions.append(
            {
                "id": rid,
                "node_id": f"REA_{rid}",
                "comment_id": comment_id,
                "content": content,
                "user": {"login": user, "id": abs(hash(user)) % 10**6, "type": kind},
                "created_at": _now(),
            }
        )

    def add_issue_comment(self, number: int, body: str, *, user: str = "alice", kind: str = "User") -> int:
        """Add a comment to the pull request's conversation; return its id."""
        comment = _comment(self, number, body, user=user, kind=kind)
        self.issue_comments.append(comment)
        return int(comment["id"])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _comment(repo: FakeRepo, number: int, body: str, *, user: str, kind: str) -> dict[str, Any]:
    cid = next(_ids)
    return {
        "id": cid,
        "node_id": f"IC_{cid}",
        "body": body,
        "user": {"login": user, "id": abs(hash(user)) % 10**6, "type": kind},
        "created_at": _now(),
        "updated_at": _now(),
        "html_url": f"https://github.com/{repo.full_name}/pull/{number}#issuecomment-{cid}",
        "issue_number": number,
    }


def _error(status: int, message: str, *, doc: str = DOCS, errors: Any = None, **headers: str) -> web.Response:
    body: dict[str, Any] = {"message": message, "documentation_url": doc, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return web.json_response(body, status=status, headers=headers)


@functools.lru_cache(maxsize=1)
def _openapi() -> Any:
    from openapi_core import OpenAPI

    spec = json.loads(OPENAPI_PATH.read_text())
    _drop_unmapped_discriminators(spec)
    return OpenAPI.from_dict(spec)


def _drop_unmapped_discriminators(node: Any) -> None:
    """Remove discriminators over inline oneOf variants without a mapping, in place.

    GitHub's description of POST check-runs has one (on `status`); a validator then looks for a
    schema named after the value (#/components/schemas/in_progress) that does not exist. The oneOf
    alone still checks the same thing: `conclusion` is required exactly when status is completed.
    """
    if isinstance(node, dict):
        found = node.get("discriminator")
        inline = all("$ref" not in v for v in node.get("oneOf", [{"$ref": ""}]))
        if isinstance(found, dict) and "mapping" not in found and inline:
            del node["discriminator"]
        for value in node.values():
            _drop_unmapped_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_unmapped_discriminators(value)


class _OpenAPIRequest:
    """An aiohttp request as openapi-core sees it, placed on api.github.com."""

    def __init__(self, request: web.Request, path: str, body: bytes) -> None:
        from openapi_core.datatypes import RequestParameters

        self.host_url = "https://api.github.com"
        # GitHub's {path} in contents/{path} holds slashes, which the OpenAPI template cannot match.
        head, sep, rest = path.partition("/contents/")
        self.path = head + sep + rest.replace("/", "%2F") if sep else path
        self.method = request.method.lower()
        self.body = body or None
        self.content_type = request.content_type if body else ""
        self.parameters = RequestParameters(query=request.query, header=request.headers, cookie={})


class FakeGitHub:
    """The server and its state. `start()` returns the base URL (GITHUB_API_URL)."""

    def __init__(self, *, public_key_pem: str, app_id: int = APP_ID, prefix: str = "") -> None:
        self.app_id = app_id
        self.public_key_pem = public_key_pem
        self.prefix = prefix.rstrip("/")
        self.repos: dict[str, FakeRepo] = {}
        self.installations: dict[int, set[str]] = {}
        self.users: set[str] = set()  # logins that exist on GitHub without being collaborators
        self.tokens: dict[str, tuple[int, float]] = {}  # token -> (installation, expires epoch)
        self.token_actors: dict[str, tuple[str, str]] = {}  # token -> (login, type) it posts as; default the App
        self.read_only_tokens: set[str] = set()  # writes answer 403, as a fork's pull_request GITHUB_TOKEN does
        self.token_ttl = 3600.0
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.faults: dict[str, deque[FaultKind]] = defaultdict(deque)
        self.timeout_delay = 10.0
        self.rate_limit_wait = 1
        self.diff_max_files = 300
        self.diff_max_lines = 20_000
        self.files_max = 3000
        self.checks_permission = True  # False: the App was installed without the Checks permission
        # As GitHub does for Apps: resolveReviewThread needs Contents: write, which app.yml does not ask for.
        self.contents_permission = "read"
        self.minimize_forbidden = False
        self.graphql_requests: list[tuple[str, dict[str, Any]]] = []
        self.validate = OPENAPI_PATH.is_file()
        self.url = ""
        self._runner: web.AppRunner | None = None

    # --- state set-up -------------------------------------------------------------------------
    def add_repo(self, full_name: str, **kwargs: Any) -> FakeRepo:
        """Add a repository."""
        repo = FakeRepo(full_name=full_name, **kwargs)
        self.repos[full_name] = repo
        return repo

    def add_installation(self, installation_id: int, repos: list[str]) -> None:
        """Install the App on these repositories."""
        self.installations[installation_id] = set(repos)

    def inject(self, route: str, kind: FaultKind, *, times: int = 1) -> None:
        """Make the next `times` requests to `route` fail with `kind`."""
        self.faults[route].extend([kind] * times)

    def calls(self, route: str, method: str | None = None) -> list[Recorded]:
        """Return the recorded requests to a route."""
        return [r for r in self.requests if r.route == route and (method is None or r.method == method)]

    def issue_token(
        self,
        repos: list[str],
        *,
        login: str = ACTIONS_LOGIN,
        kind: str = "Bot",
        prefix: str = "ghs_",
        read_only: bool = False,
        installation: int = 9000,
    ) -> str:
        """Issue a token that is not minted through the App: a workflow's GITHUB_TOKEN (default) or a PAT."""
        token = f"{prefix}{secrets.token_urlsafe(27)}"
        self.installations.setdefault(installation, set()).update(repos)
        self.tokens[token] = (installation, time.time() + 24 * 3600)
        self.token_actors[token] = (login, kind)
        if read_only:
            self.read_only_tokens.add(token)
        return token

    def expire_tokens(self) -> None:
        """Make every issued installation token expired, as an hour passing would."""
        self.tokens = {t: (i, 0.0) for t, (i, _) in self.tokens.items()}

    # --- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> str:
        """Start on a random port of 127.0.0.1 and return the API base URL."""
        if self.validate:
            _openapi()  # loaded once per session, before any request can time out waiting on it
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        app[FAKE_KEY] = self
        self._routes(app)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}{self.prefix}"
        return self.url

    async def stop(self) -> None:
        """Stop the server."""
        if self._runner is not None:
            await self._runner.cleanup()

    def _routes(self, app: web.Application) -> None:
        p, repo = self.prefix, self.prefix + "/repos/{owner}/{repo}"
        # Imported here because the handlers use this module's helpers.
        from tests.fakes import fake_github_checks as checks
        from tests.fakes import fake_github_graphql as gql
        from tests.fakes import fake_github_routes as r

        # GitHub Enterprise Server serves GraphQL at /api/graphql beside its REST API at /api/v3.
        graphql_path = p.removesuffix("/v3") + "/graphql" if p.endswith("/api/v3") else f"{p}/graphql"

        table: list[tuple[str, str, str, Handler]] = [
            ("POST", f"{p}/app/installations/{{installation_id}}/access_tokens", "app.token", self._token),
            ("GET", f"{p}/app", "app.get", self._app),
            ("GET", f"{p}/user", "users.me", self._me),
            ("GET", f"{repo}/pulls/{{number}}", "pulls.get", r.get_pull),
            ("GET", f"{repo}/pulls/{{number}}/files", "pulls.files", r.list_files),
            ("POST", graphql_path, "graphql", gql.graphql_endpoint),
            ("GET", f"{repo}/pulls/{{number}}/comments", "pulls.comments", r.list_review_comments),
            ("POST", f"{repo}/pulls/{{number}}/comments", "pulls.comments.create", r.create_review_comment),
            ("GET", f"{repo}/pulls/comments/{{cid}}", "pulls.comments.get", r.get_review_comment),
            ("GET", f"{repo}/pulls/comments/{{cid}}/reactions", "reactions.review_comment", r.list_review_reactions),
            ("GET", f"{repo}/pulls/{{number}}/reviews", "pulls.reviews.list", r.list_reviews),
            ("POST", f"{repo}/pulls/{{number}}/reviews", "pulls.reviews.create", r.create_review),
            ("GET", f"{repo}/contents/{{path:.+}}", "contents.get", r.get_contents),
            ("GET", f"{repo}/compare/{{basehead}}", "compare", r.compare),
            ("POST", f"{repo}/check-runs", "checks.create", checks.create_check_run),
            ("PATCH", f"{repo}/check-runs/{{check_run_id}}", "checks.update", checks.update_check_run),
            ("GET", f"{repo}/collaborators/{{user}}/permission", "collaborators.permission", r.permission),
            ("GET", f"{repo}/issues/{{number}}/comments", "issues.comments.list", r.list_issue_comments),
            ("POST", f"{repo}/issues/{{number}}/comments", "issues.comments.create", r.create_issue_comment),
            ("PATCH", f"{repo}/issues/comments/{{cid}}", "issues.comments.update", r.update_issue_comment),
            ("POST", f"{repo}/issues/comments/{{cid}}/reactions", "reactions.create", r.create_reaction),
        ]
        for method, path, name, handler in table:
            app.router.add_route(method, path, handler, name=name)

    # --- request pipeline ---------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.read()
        route = request.match_info.route.name or "unknown"
        self.requests.append(
            Recorded(request.method, request.path, dict(request.query), dict(request.headers), body, route)
        )
        if self.validate and route != "graphql":  # GraphQL is checked against GitHub's GraphQL schema instead
            self._check_openapi(request, body)
        if route == "unknown":
            return _error(404, "Not Found")
        fault = self.faults[route].popleft() if self.faults[route] else None
        if fault is not None:
            return await self._fault(fault)
        if route not in {"app.token", "app.get"}:
            denied = self._check_token(request)
            if denied is not None:
                return denied
        response = await handler(request)
        response.headers.update(_rate_headers(remaining=4999))
        return response

    def _check_openapi(self, request: web.Request, body: bytes) -> None:
        path = request.path[len(self.prefix) :] if self.prefix else request.path
        try:
            _openapi().validate_request(_OpenAPIRequest(request, path, body))
        except Exception as exc:  # any validation failure is a finding for the conformance test
            cause = f" ({exc.__cause__})" if exc.__cause__ else ""
            self.violations.append(f"{request.method} {path}: {exc}{cause}")

    async def _fault(self, kind: FaultKind) -> web.StreamResponse:
        if kind == "timeout":
            await asyncio.sleep(self.timeout_delay)
            return _error(504, "We couldn't respond to your request in time.")
        if kind == "secondary_rate_limit":
            return _error(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                doc="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                **{"retry-after": str(self.rate_limit_wait)},
            )
        if kind == "primary_rate_limit":
            reset = int(time.time() + self.rate_limit_wait)
            return _error(
                403,
                "API rate limit exceeded for installation.",
                doc="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                **_rate_headers(remaining=0, reset=reset),
            )
        if kind == "401":
            return _error(401, "Bad credentials")
        return web.Response(status=int(kind), text=f"<html>{kind} Server Error</html>", content_type="text/html")

    def _check_token(self, request: web.Request) -> web.Response | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        installation, expires = self.tokens.get(token, (None, 0.0))
        if scheme.lower() not in {"token", "bearer"} or installation is None or expires < time.time():
            return _error(401, "Bad credentials")
        request[ACTOR_KEY] = self.token_actors.get(token, (BOT_LOGIN, "Bot"))
        request[INSTALLATION_KEY] = installation
        if "owner" not in request.match_info:
            return None  # /app, /user, /graphql: no repository in the path (GraphQL names it in the query)
        if token in self.read_only_tokens and request.method in _WRITES:
            return _error(403, "Resource not accessible by integration")
        name = f"{request.match_info['owner']}/{request.match_info['repo']}"
        if name not in self.installations.get(installation, set()) or name not in self.repos:
            return _error(404, "Not Found")
        request[REPO_KEY] = self.repos[name]
        return None

    def _app_jwt_problem(self, request: web.Request) -> web.Response | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return _error(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(token, self.public_key_pem, algorithms=["RS256"], options={"verify_iat": False})
        except jwt.PyJWTError:
            return _error(401, "A JSON web token could not be decoded")
        if str(claims.get("iss")) != str(self.app_id):
            return _error(401, "'Issuer' claim ('iss') must be an Integer or the App's client ID")
        return None

    async def _app(self, request: web.Request) -> web.Response:
        """GET /app with the App's JWT: the App itself (its slug makes its bot login)."""
        problem = self._app_jwt_problem(request)
        if problem is not None:
            return problem
        return web.json_response({"id": self.app_id, "slug": APP_SLUG, "name": APP_SLUG, "owner": {"login": "octo"}})

    async def _me(self, request: web.Request) -> web.Response:
        """GET /user: the account of a personal token; installation tokens may not ask."""
        login, kind = request[ACTOR_KEY]
        if kind == "Bot":
            return _error(403, "Resource not accessible by integration")
        return web.json_response({"login": login, "id": abs(hash(login)) % 10**6, "type": kind})

    async def _token(self, request: web.Request) -> web.Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return _error(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(
                token,
                self.public_key_pem,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"], "verify_iat": False},
            )
        except jwt.ExpiredSignatureError:
            return _error(401, "'Expiration time' claim ('exp') must be a numeric value in the future")
        except jwt.PyJWTError:
            return _error(401, "A JSON web token could not be decoded")
        now = time.time()
        if claims["exp"] - now > 600 + 5:
            return _error(401, "'Expiration time' claim ('exp') is too far in the future")
        if claims["iat"] > now + 5:
            return _error(401, "'Issued at' claim ('iat') must be an Integer representing the time issued")
        if str(claims["iss"]) != str(self.app_id):
            return _error(401, "'Issuer' claim ('iss') must be an Integer or the App's client ID")
        installation = int(request.match_info["installation_id"])
        if installation not in self.installations:
            return _error(404, "Not Found")
        issued = f"ghs_{secrets.token_urlsafe(27)}"
        expires = now + self.token_ttl
        self.tokens[issued] = (installation, expires)
        expires_at = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {
            "token": issued,
            "expires_at": expires_at,
            "permissions": {
                "pull_requests": "write",
                "contents": self.contents_permission,
                "issues": "write",
                **({"checks": "write"} if self.checks_permission else {}),
            },
            "repository_selection": "selected",
        }
        return web.json_response(body, status=201)


def _rate_headers(*, remaining: int, reset: int | None = None) -> dict[str, str]:
    reset = reset if reset is not None else int(time.time()) + 3600
    return {
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
        "x-ratelimit-used": str(5000 - remaining),
        "x-ratelimit-resource": "core",
    }


@pytest.fixture(scope="session")
def github_app_key() -> tuple[str, str]:
    """Return (private PEM, public PEM) of an RSA key made for this test session."""
    return make_app_key()


def make_app_key() -> tuple[str, str]:
    """Return a fresh (private PEM, public PEM) RSA pair, as GitHub makes for an App."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@pytest.fixture
async def fake_github(github_app_key: tuple[str, str]) -> AsyncIterator[FakeGitHub]:
    """Start a fake GitHub on 127.0.0.1 for one test; `fake_github.url` is GITHUB_API_URL."""
    fake = FakeGitHub(public_key_pem=github_app_key[1])
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def content_json(repo: FakeRepo, path: str, data: bytes) -> dict[str, Any]:
    """Return a file as the contents API shows it (base64 in 60-character lines; none above 1 MB)."""
    sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    big = len(data) > 1_000_000
    encoded = base64.encodebytes(data).decode() if not big else ""
    return {
        "type": "file",
        "encoding": "none" if big else "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": encoded,
        "sha": sha,
        "url": f"https://api.github.com/repos/{repo.full_name}/contents/{path}",
    }
