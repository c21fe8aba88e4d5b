"""Route handlers of the fake GitHub, each answering like the GitHub REST API endpoint it is named after."""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import web
from yarl import URL

from tests.fakes.fake_github import (
    ACTOR_KEY,
    FAKE_KEY,
    REPO_KEY,
    FakePull,
    FakeRepo,
    _comment,
    _error,
    _now,
    content_json,
)
from tests.fakes.fake_github_diff import FakeFile, commentable_lines

_review_ids = itertools.count(5000)
_ROLE_TO_PERMISSION = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read"}
REVIEW_DOCS = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"
FILES_DOCS = "https://docs.github.com/rest/pulls/pulls#list-pull-requests-files"


def _repo(request: web.Request) -> FakeRepo:
    repo = request[REPO_KEY]
    return repo


def _pull(request: web.Request) -> FakePull | None:
    try:
        return _repo(request).pulls.get(int(request.match_info["number"]))
    except ValueError:
        return None


def _page(request: web.Request, items: list[Any], *, cap: int | None = None) -> web.Response:
    """Answer one page of `items` with GitHub's Link header (per_page at most 100)."""
    try:
        per_page = max(1, min(int(request.query.get("per_page", "30")), 100))
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        return _error(422, "Invalid request.")
    items = items[:cap] if cap is not None else items
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    links = []
    base = URL(str(request.url)).with_host(request.url.host or "127.0.0.1")
    if page < last:
        links.append(f'<{base.update_query(per_page=per_page, page=page + 1)}>; rel="next"')
        links.append(f'<{base.update_query(per_page=per_page, page=last)}>; rel="last"')
    if page > 1:
        links.append(f'<{base.update_query(per_page=per_page, page=1)}>; rel="first"')
        links.append(f'<{base.update_query(per_page=per_page, page=page - 1)}>; rel="prev"')
    headers = {"Link": ", ".join(links)} if links else {}
    return web.json_response(chunk, headers=headers)


def _user(login: str, kind: str = "User") -> dict[str, Any]:
    return {"login": login, "id": abs(hash(login)) % 10**6, "type": kind}


def pull_json(repo: FakeRepo, pull: FakePull) -> dict[str, Any]:
    """Return a pull request as GET pulls/{n} shows it."""
    adds = sum(f.counts()[0] for f in pull.files)
    dels = sum(f.counts()[1] for f in pull.files)
    side = {"repo": {"full_name": repo.full_name, "name": repo.full_name.split("/")[1]}}
    return {
        "number": pull.number,
        "state": pull.state,
        "draft": pull.draft,
        "merged": False,
        "title": pull.title,
        "user": _user(pull.user),
        "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}",
        "head": {"sha": pull.head_sha, "ref": pull.head_ref, **side},
        "base": {"sha": pull.base_sha, "ref": pull.base_ref, **side},
        "changed_files": len(pull.files),
        "additions": adds,
        "deletions": dels,
    }


async def get_pull(request: web.Request) -> web.Response:
    """GET pulls/{n}: JSON, or the whole diff for Accept application/vnd.github.diff (406 when too large)."""
    repo, pull = _repo(request), _pull(request)
    if pull is None:
        return _error(404, "Not Found", doc="https://docs.github.com/rest/pulls/pulls#get-a-pull-request")
    if "application/vnd.github.diff" not in request.headers.get("Accept", ""):
        return web.json_response(pull_json(repo, pull))
    fake = request.app[FAKE_KEY]
    text = pull.diff()
    too_large = [{"resource": "PullRequest", "field": "diff", "code": "too_large"}]
    if len(pull.files) > fake.diff_max_files:
        message = (
            f"Sorry, the diff exceeded the maximum number of files ({fake.diff_max_files}). Consider using "
            "'List pull requests files' API or locally cloning the repository instead."
        )
        return _error(406, message, doc=FILES_DOCS, errors=too_large)
    if text.count("\n") > fake.diff_max_lines:
        message = f"Sorry, the diff exceeded the maximum number of lines ({fake.diff_max_lines})"
        return _error(406, message, doc=FILES_DOCS, errors=too_large)
    return web.Response(text=text, content_type="application/vnd.github.diff", charset="utf-8")


def file_json(f: FakeFile) -> dict[str, Any]:
    """Return a changed file as the files endpoint lists it (`patch` left out for binary or huge)."""
    adds, dels = f.counts()
    out: dict[str, Any] = {
        "sha": "2222222",
        "filename": f.filename,
        "status": f.status,
        "additions": adds,
        "deletions": dels,
        "changes": adds + dels,
        "blob_url": f"https://github.com/o/r/blob/head/{f.filename}",
        "raw_url": f"https://github.com/o/r/raw/head/{f.filename}",
        "contents_url": f"https://api.github.com/repos/o/r/contents/{f.filename}",
    }
    if f.patch is not None:
        out["patch"] = f.patch
    if f.previous_filename:
        out["previous_filename"] = f.previous_filename
    return out


async def list_files(request: web.Request) -> web.Response:
    """GET pulls/{n}/files: paginated, at most 3,000 files."""
    pull = _pull(request)
    if pull is None:
        return _error(404, "Not Found")
    return _page(request, [file_json(f) for f in pull.files], cap=request.app[FAKE_KEY].files_max)


async def list_review_comments(request: web.Request) -> web.Response:
    """GET pulls/{n}/comments: the review comments of the pull request, paginated."""
    pull = _pull(request)
    if pull is None:
        return _error(404, "Not Found")
    repo = _repo(request)
    comments = [review_comment_json(repo, c) for c in repo.review_comments if c["pull_number"] == pull.number]
    return _page(request, comments)


_REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")


def review_comment_json(repo: FakeRepo, comment: dict[str, Any]) -> dict[str, Any]:
    """Return a review comment as GitHub lists it, with its reactions rollup."""
    mine = [r for r in repo.review_reactions if r["comment_id"] == comment["id"]]
    rollup: dict[str, Any] = {
        "url": f"https://api.github.com/repos/{repo.full_name}/pulls/comments/{comment['id']}/reactions",
        "total_count": len(mine),
        **{kind: sum(1 for r in mine if r["content"] == kind) for kind in _REACTIONS},
    }
    shown = {k: v for k, v in comment.items() if k != "minimized"}
    return {"original_line": comment.get("line"), **shown, "reactions": rollup}


def _review_comment(request: web.Request) -> dict[str, Any] | None:
    cid = request.match_info["cid"]
    return next((c for c in _repo(request).review_comments if str(c["id"]) == cid), None)


async def get_review_comment(request: web.Request) -> web.Response:
    """GET pulls/comments/{id}."""
    comment = _review_comment(request)
    if comment is None:
        return _error(404, "Not Found")
    return web.json_response(review_comment_json(_repo(request), comment))


async def list_review_reactions(request: web.Request) -> web.Response:
    """GET pulls/comments/{id}/reactions[?content=]: paginated, filtered by content when asked."""
    comment = _review_comment(request)
    if comment is None:
        return _error(404, "Not Found")
    content = request.query.get("content")
    found = [
        {k: v for k, v in r.items() if k != "comment_id"}
        for r in _repo(request).review_reactions
        if r["comment_id"] == comment["id"] and (content is None or r["content"] == content)
    ]
    return _page(request, found)


async def create_review_comment(request: web.Request) -> web.Response:
    """POST pulls/{n}/comments; only replies (`in_reply_to`) are modelled: prodready posts the rest as reviews."""
    repo, pull = _repo(request), _pull(request)
    if pull is None:
        return _error(404, "Not Found")
    data = json.loads(await request.read())
    to = next((c for c in repo.review_comments if c["id"] == data.get("in_reply_to")), None)
    if to is None:
        return _error(422, "Validation Failed", errors=[{"resource": "PullRequestReviewComment", "code": "invalid"}])
    if to.get("in_reply_to_id") is not None:
        return _error(422, "Validation Failed", errors=["in_reply_to must be a top-level review comment"])
    cid = next(_review_ids)
    reply = {
        **{k: to[k] for k in ("path", "line", "side", "commit_id", "pull_request_review_id") if k in to},
        "id": cid,
        "node_id": f"PRRC_{cid}",
        "pull_number": pull.number,
        "in_reply_to_id": to["id"],
        "body": data.get("body", ""),
        "user": _user(*request[ACTOR_KEY]),
        "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#discussion_r{cid}",
    }
    repo.review_comments.append(reply)
    return web.json_response(review_comment_json(repo, reply), status=201)


async def list_reviews(request: web.Request) -> web.Response:
    """GET pulls/{n}/reviews."""
    pull = _pull(request)
    if pull is None:
        return _error(404, "Not Found")
    return _page(request, [r for r in _repo(request).reviews if r["pull_number"] == pull.number])


def _comment_problem(pull: FakePull, comment: dict[str, Any]) -> str | None:
    """Say why GitHub would refuse a review comment, or None when it would take it."""
    files = {f.filename: f for f in pull.files}
    if len(str(comment.get("body", ""))) > 65536:
        return "Body is too long (maximum is 65536 characters)"
    target = files.get(comment.get("path", ""))
    if target is None:
        return "Path could not be resolved"
    if "position" in comment:
        return None
    lines = commentable_lines(target.patch)
    side = lines.left if comment.get("side") == "LEFT" else lines.right
    line = comment.get("line")
    if not isinstance(line, int) or line not in side:
        return "Line could not be resolved"
    start = comment.get("start_line")
    if start is not None:
        start_side = lines.left if comment.get("start_side") == "LEFT" else lines.right
        if not isinstance(start, int) or start not in start_side:
            return "Start line could not be resolved"
        if start >= line:
            return "Pull request review thread start line must precede the end line."
        if start_side[start] != side[line]:
            return "Pull request review thread start line must be part of the same hunk as the line."
    return None


async def create_review(request: web.Request) -> web.Response:
    """POST pulls/{n}/reviews: all or nothing, 422 as GitHub words it when a comment's line is off the diff."""
    repo, pull = _repo(request), _pull(request)
    if pull is None:
        return _error(404, "Not Found")
    try:
        data = json.loads(await request.read())
    except ValueError:
        return _error(400, "Problems parsing JSON")
    event = data.get("event")
    commit = data.get("commit_id", pull.head_sha)
    if commit != pull.head_sha and commit not in pull.past_heads:
        return _error(422, "Unprocessable Entity", doc=REVIEW_DOCS, errors=["Commit could not be resolved"])
    if event in {"COMMENT", "REQUEST_CHANGES"} and not data.get("body"):
        return _error(422, "Unprocessable Entity", doc=REVIEW_DOCS, errors=["Body is required"])
    for comment in data.get("comments", []):
        problem = _comment_problem(pull, comment)
        if problem:
            return _error(422, "Unprocessable Entity", doc=REVIEW_DOCS, errors=[problem])
    review_id = next(_review_ids)
    state = {"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}
    review = {
        "id": review_id,
        "pull_number": pull.number,
        "user": _user(*request[ACTOR_KEY]),
        "body": data.get("body", ""),
        "state": state.get(event, "PENDING"),
        "commit_id": commit,
        "submitted_at": _now(),
        "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#pullrequestreview-{review_id}",
    }
    repo.reviews.append(review)
    for comment in data.get("comments", []):
        cid = next(_review_ids)
        repo.review_comments.append(
            {
                **comment,
                "id": cid,
                "node_id": f"PRRC_{cid}",
                "pull_number": pull.number,
                "pull_request_review_id": review_id,
                "commit_id": commit,
                "user": _user(*request[ACTOR_KEY]),
                "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}#discussion_r{cid}",
            }
        )
    return web.json_response(review)


async def get_contents(request: web.Request) -> web.Response:
    """GET contents/{path}?ref=: a file (base64) or a directory listing; 404 as GitHub words it."""
    repo = _repo(request)
    ref = request.query.get("ref", repo.default_branch)
    path = request.match_info["path"].strip("/")
    tree = repo.contents.get(ref, {})
    doc = "https://docs.github.com/rest/repos/contents#get-repository-content"
    if path in tree:
        return web.json_response(content_json(repo, path, tree[path]))
    children = sorted(p for p in tree if p.startswith(path + "/") and "/" not in p[len(path) + 1 :])
    if children:
        listing = [{**content_json(repo, p, tree[p]), "content": None, "encoding": None} for p in children]
        for entry in listing:
            del entry["content"], entry["encoding"]
        return web.json_response(listing)
    return _error(404, "Not Found", doc=doc)


async def compare(request: web.Request) -> web.Response:
    """GET compare/{base}...{head}: the files changed between two commits."""
    repo = _repo(request)
    files = repo.comparisons.get(request.match_info["basehead"])
    if files is None:
        return _error(404, "Not Found", doc="https://docs.github.com/rest/commits/commits#compare-two-commits")
    status = repo.compare_status.get(request.match_info["basehead"], "ahead")
    body = {
        "status": status,
        "ahead_by": 0 if status in {"behind", "identical"} else 1,
        "behind_by": 1 if status in {"behind", "diverged"} else 0,
        "total_commits": 0 if status in {"behind", "identical"} else 1,
        "commits": [],
        "files": [file_json(f) for f in files],
    }
    return web.json_response(body)


async def permission(request: web.Request) -> web.Response:
    """GET collaborators/{user}/permission: `permission` folds maintain into write; `role_name` is exact."""
    repo = _repo(request)
    user = request.match_info["user"]
    known = request.app[FAKE_KEY].users
    role = repo.collaborators.get(user)
    if role is None and user not in known:
        return _error(404, f"{user} is not a user", doc="https://docs.github.com/rest/collaborators")
    role = role or ("none" if repo.private else "read")
    body = {"permission": _ROLE_TO_PERMISSION.get(role, "none"), "role_name": role, "user": _user(user)}
    return web.json_response(body)


async def list_issue_comments(request: web.Request) -> web.Response:
    """GET issues/{n}/comments, paginated."""
    number = int(request.match_info["number"])
    repo = _repo(request)
    if number not in repo.pulls:
        return _error(404, "Not Found")
    return _page(request, [c for c in repo.issue_comments if c["issue_number"] == number])


async def create_issue_comment(request: web.Request) -> web.Response:
    """POST issues/{n}/comments."""
    number = int(request.match_info["number"])
    repo = _repo(request)
    body = (json.loads(await request.read()) or {}).get("body")
    if number not in repo.pulls:
        return _error(404, "Not Found")
    if not isinstance(body, str) or not body:
        return _error(422, "Validation Failed", errors=[{"resource": "IssueComment", "code": "missing_field"}])
    if len(body) > 65536:
        return _error(
            422,
            "Validation Failed",
            errors=[{"resource": "IssueComment", "code": "custom", "field": "body", "message": "body is too long"}],
        )
    login, kind = request[ACTOR_KEY]
    comment = _comment(repo, number, body, user=login, kind=kind)
    repo.issue_comments.append(comment)
    return web.json_response(comment, status=201)


async def update_issue_comment(request: web.Request) -> web.Response:
    """PATCH issues/comments/{id}."""
    repo = _repo(request)
    body = (json.loads(await request.read()) or {}).get("body")
    for comment in repo.issue_comments:
        if str(comment["id"]) == request.match_info["cid"]:
            if not isinstance(body, str) or not body:
                return _error(422, "Validation Failed")
            comment["body"] = body
            comment["updated_at"] = _now()
            return web.json_response(comment)
    return _error(404, "Not Found")


async def create_reaction(request: web.Request) -> web.Response:
    """POST issues/comments/{id}/reactions."""
    repo = _repo(request)
    content = (json.loads(await request.read()) or {}).get("content")
    if not any(str(c["id"]) == request.match_info["cid"] for c in repo.issue_comments):
        return _error(404, "Not Found")
    reaction = {"id": len(repo.reactions) + 1, "comment_id": int(request.match_info["cid"]), "content": content}
    repo.reactions.append(reaction)
    return web.json_response(reaction, status=201)
