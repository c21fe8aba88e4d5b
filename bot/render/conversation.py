"""What people told prodready on a pull request, kept as compact JSON hidden in the summary comment.

The summary comment is the one place every server and the Action can read without a database, and it
survives restarts. Its author is checked by the caller (bot.pulls.publish.read_summary): state from a
comment that is not ours is never read. Everything read back is validated and bounded here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.render.github import one_line
from bot.render.safe_markdown import code_span
from bot.review.models import CATEGORIES

IgnoreKind = Literal["rule", "category", "finding"]
# What became of one of prodready's inline comments, recorded once: ignored, or addressed by a later push and
# then left open (a person replied, or GitHub refused both), resolved, or minimised as outdated.
Outcome = Literal["ignored", "addressed", "resolved", "minimized"]
OUTCOMES: tuple[Outcome, ...] = ("ignored", "addressed", "resolved", "minimized")
_STATE = re.compile(r"^<!-- prodready:state=(\{.*\}) -->$", re.MULTILINE)
_SECTION = re.compile(r"<!-- prodready:ignored -->\n.*?<!-- /prodready:ignored -->\n?", re.DOTALL)
RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,79}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\[\]-]{0,49}$")
MAX_IGNORES = 100
MAX_WHY = 200
MAX_LABEL = 160
# Per comment fingerprint: a pull request with more prodready comments than this is far past max_comments.
MAX_TRACKED = 400


@dataclass(frozen=True, slots=True)
class Ignore:
    """One ignore: a rule id, a category, or one finding by its fingerprint; who asked, why, and how."""

    kind: IgnoreKind
    target: str
    by: str
    why: str = ""
    label: str = ""  # for a finding: where and what, as the summary lists it
    via: Literal["command", "reaction"] = "command"


@dataclass(frozen=True, slots=True)
class ConversationState:
    """The ignores of a pull request, and what prodready has done about its own addressed comments."""

    ignores: tuple[Ignore, ...] = ()
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)  # fingerprint -> what became of it
    downvotes: Mapping[str, int] = field(default_factory=dict)  # fingerprint -> 👎 count already read
    cannot_resolve: bool = False  # GitHub refused resolveReviewThread once: minimise instead from then on

    def ignore_for(self, *, fingerprint: str, rule: str | None, category: str) -> Ignore | None:
        """Return the ignore that covers a finding, if any."""
        for ignore in self.ignores:
            if (
                (ignore.kind == "finding" and ignore.target == fingerprint)
                or (ignore.kind == "rule" and rule is not None and ignore.target == rule)
                or (ignore.kind == "category" and ignore.target == category)
            ):
                return ignore
        return None

    def with_ignore(self, ignore: Ignore) -> ConversationState:
        """Return the state with `ignore` added; one of the same kind and target is replaced."""
        rest = tuple(i for i in self.ignores if (i.kind, i.target) != (ignore.kind, ignore.target))
        return replace(self, ignores=(*rest, ignore))

    @property
    def full(self) -> bool:
        """Tell whether no further ignore fits."""
        return len(self.ignores) >= MAX_IGNORES

    def encode(self) -> str:
        """Return the hidden line that carries the state ("" when there is nothing to keep)."""
        if not (self.ignores or self.outcomes or self.downvotes or self.cannot_resolve):
            return ""
        data: dict[str, Any] = {"v": 1}
        if self.ignores:
            data["ignores"] = [_ignore_json(i) for i in self.ignores[-MAX_IGNORES:]]
        if self.outcomes:
            data["outcomes"] = {k: OUTCOMES.index(v) for k, v in list(self.outcomes.items())[-MAX_TRACKED:]}
        if self.downvotes:
            data["down"] = dict(list(self.downvotes.items())[-MAX_TRACKED:])
        if self.cannot_resolve:
            data["noresolve"] = True
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
        # Escaped so that no value can end the HTML comment early or open markup.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"<!-- prodready:state={text} -->"


def _ignore_json(i: Ignore) -> dict[str, str]:
    out = {"kind": i.kind, "target": i.target, "by": i.by}
    if i.why:
        out["why"] = i.why
    if i.label:
        out["label"] = i.label
    if i.via != "command":
        out["via"] = i.via
    return out


def read_state(body: str) -> ConversationState:
    """Return the state hidden in our summary comment's body; anything malformed is dropped, never trusted."""
    head = (body or "").split("\n## ", 1)[0]  # only the hidden lines above the heading, never quoted text
    match = _STATE.search(head)
    if match is None:
        return ConversationState()
    try:
        data = json.loads(match.group(1))
    except ValueError:
        return ConversationState()
    if not isinstance(data, dict) or data.get("v") != 1:
        return ConversationState()
    ignores = [i for i in (_read_ignore(x) for x in _list(data.get("ignores"))[:MAX_IGNORES]) if i]
    outcomes: dict[str, Outcome] = {
        k: OUTCOMES[v]
        for k, v in _dict(data.get("outcomes"))
        if _FINGERPRINT.match(k) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(OUTCOMES)
    }
    down = {
        k: v
        for k, v in _dict(data.get("down"))
        if _FINGERPRINT.match(k) and isinstance(v, int) and not isinstance(v, bool) and 0 < v < 10**6
    }
    return ConversationState(
        ignores=tuple(ignores),
        outcomes=outcomes,
        downvotes=down,
        cannot_resolve=data.get("noresolve") is True,
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> list[tuple[str, Any]]:
    return list(value.items())[:MAX_TRACKED] if isinstance(value, dict) else []


def _read_ignore(raw: Any) -> Ignore | None:
    if not isinstance(raw, dict):
        return None
    kind, target, by = raw.get("kind"), raw.get("target"), raw.get("by")
    if not isinstance(target, str) or not isinstance(by, str) or not _LOGIN.match(by):
        return None
    if kind == "finding" and not _FINGERPRINT.match(target):
        return None
    if kind == "category" and target not in CATEGORIES:
        return None
    if kind == "rule" and not RULE_ID.match(target):
        return None
    if kind not in ("rule", "category", "finding"):
        return None
    why, label = raw.get("why", ""), raw.get("label", "")
    via: Literal["command", "reaction"] = "reaction" if raw.get("via") == "reaction" else "command"
    return Ignore(
        kind=kind,
        target=target,
        by=by,
        why=why[:MAX_WHY] if isinstance(why, str) else "",
        label=label[:MAX_LABEL] if isinstance(label, str) else "",
        via=via,
    )


def ignores_section(state: ConversationState) -> list[str]:
    """Return the summary's "Ignored on this pull request" lines, delimited so a command can rewrite them."""
    if not state.ignores:
        return []
    out = ["<!-- prodready:ignored -->", "### Ignored on this pull request", ""]
    for i in state.ignores:
        what = {"rule": "rule", "category": "category", "finding": "finding"}[i.kind]
        shown = one_line(i.label, limit=MAX_LABEL) if i.kind == "finding" and i.label else code_span(i.target)
        how = "👎 on its comment" if i.via == "reaction" else "asked"
        why = f": {one_line(i.why, limit=MAX_WHY)}" if i.why else ""
        out.append(f"- {what} {shown}, {how} by {code_span(i.by)}{why}")
    out.extend(["<!-- /prodready:ignored -->"])
    return out


def with_state(body: str, state: ConversationState) -> str:
    """Return our summary `body` with its hidden state and its list of ignores replaced by those of `state`."""
    lines = [ln for ln in body.split("\n") if not _STATE.match(ln)]
    encoded = state.encode()
    if encoded:
        lines.insert(1, encoded)
    text = _SECTION.sub("", "\n".join(lines))
    section = "\n".join(ignores_section(state))
    if not section:
        return text
    tail = text.rfind("\n<sub>")
    if tail == -1:
        return f"{text}\n\n{section}"
    return f"{text[:tail]}\n{section}\n{text[tail:]}"
