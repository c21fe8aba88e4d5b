"""Cut a diff into pieces, keep the riskiest within the review's token budget, and pack them into requests."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.llm.diffview import file_header, format_lines, hunk_header
from bot.llm.prompts import finding_line_tokens
from bot.llm.risk import risk_score
from bot.llm.tokens import estimate_tokens
from bot.review.diff import FileDiff, HunkLine
from bot.review.models import Finding, SkippedFile

OVER_BUDGET = "over the LLM token budget"


@dataclass(frozen=True, slots=True)
class Piece:
    """A hunk, or a slice of a hunk too large for one request; `order` keeps diff order."""

    file: FileDiff
    section: str
    lines: tuple[HunkLine, ...]
    order: tuple[int, int, int]
    tokens: int
    risk: int = 0

    @property
    def path(self) -> str:
        """Return the file's path."""
        return self.file.path

    def render(self) -> str:
        """Return the piece as shown to the model."""
        return _render(self.section, self.lines)


@dataclass(frozen=True, slots=True)
class Batch:
    """The pieces sent in one request, in diff order."""

    pieces: tuple[Piece, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        """Return the files of the batch, each once, in diff order."""
        return tuple(dict.fromkeys(p.path for p in self.pieces))

    def render(self) -> str:
        """Return the batch's diff as shown to the model: one block per file."""
        blocks: dict[str, list[str]] = {}
        headers: dict[str, str] = {}
        for piece in self.pieces:
            headers.setdefault(piece.path, file_header(piece.file))
            blocks.setdefault(piece.path, []).append(piece.render())
        return "\n\n".join("\n".join([headers[p], *blocks[p]]) for p in blocks)


def split_batch(batch: Batch) -> tuple[Batch, Batch] | None:
    """Return `batch` as two halves (by pieces, or a lone piece by lines); None when it is one line."""
    pieces = batch.pieces
    if len(pieces) > 1:
        half = len(pieces) // 2
        return Batch(pieces[:half]), Batch(pieces[half:])
    piece = pieces[0]
    if len(piece.lines) < 2:
        return None
    half = len(piece.lines) // 2
    first, second = piece.lines[:half], piece.lines[half:]
    return (
        Batch((replace(piece, lines=first, tokens=estimate_tokens(_render(piece.section, first)) + 1),)),
        Batch((replace(piece, lines=second, tokens=estimate_tokens(_render(piece.section, second)) + 1),)),
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """The requests to make and what the budget left out."""

    batches: tuple[Batch, ...]
    left_out: tuple[SkippedFile, ...] = field(default=())


def reviewable(file: FileDiff) -> bool:
    """Tell whether the model can say anything useful: a deleted or binary file has no line to comment on."""
    return bool(file.hunks) and not file.is_binary and file.status != "deleted"


def cut_pieces(
    files: Sequence[FileDiff], *, max_piece_tokens: int, static_findings: Sequence[Finding] = ()
) -> list[Piece]:
    """Return every hunk of `files` as pieces no larger than `max_piece_tokens`, scored for risk."""
    static_lines: dict[str, set[int]] = {}
    # Each static finding is listed in the prompt of the request that shows its line: its cost is that piece's.
    listed: dict[tuple[str, int], int] = {}
    for finding in static_findings:
        static_lines.setdefault(finding.path, set()).update(range(finding.line, (finding.end_line or finding.line) + 1))
        key = (finding.path, finding.line)
        listed[key] = listed.get(key, 0) + finding_line_tokens(finding)
    pieces: list[Piece] = []
    for f_index, file in enumerate(files):
        if not reviewable(file):
            continue
        flagged = static_lines.get(file.path, set())
        for h_index, hunk in enumerate(file.hunks):
            for s_index, lines in enumerate(_slices(hunk.lines, hunk.section, max_piece_tokens)):
                changed = [ln.text for ln in lines if ln.kind != "context"]
                in_piece = any(ln.new_lineno in flagged for ln in lines if ln.new_lineno is not None)
                risk = risk_score(file.path, changed, static_in_file=bool(flagged), static_in_piece=in_piece)
                tokens = estimate_tokens(_render(hunk.section, lines)) + 1
                tokens += sum(listed.get((file.path, ln.new_lineno), 0) for ln in lines if ln.new_lineno is not None)
                pieces.append(Piece(file, hunk.section, lines, (f_index, h_index, s_index), tokens, risk))
    return pieces


def _render(section: str, lines: Sequence[HunkLine]) -> str:
    return f"{hunk_header(section)}\n{format_lines(lines)}"


def _slices(lines: Sequence[HunkLine], section: str, max_tokens: int) -> list[tuple[HunkLine, ...]]:
    # A hunk larger than one request is cut between lines; no line appears in two slices, so every
    # changed line is sent exactly once.
    budget = max_tokens - estimate_tokens(hunk_header(section)) - 1
    slices: list[tuple[HunkLine, ...]] = []
    current: list[HunkLine] = []
    used = 0
    for line in lines:
        cost = estimate_tokens(line.text) + 3  # number, marker and newline
        if current and used + cost > budget:
            slices.append(tuple(current))
            current, used = [], 0
        current.append(line)
        used += cost
    if current:
        slices.append(tuple(current))
    return slices


def plan_batches(pieces: Sequence[Piece], *, request_tokens: int, review_tokens: int, overhead_tokens: int) -> Plan:
    """Choose the riskiest pieces that fit `review_tokens` and pack them into requests of `request_tokens`.

    `overhead_tokens` is what every request costs besides its diff (instructions, prompt template).
    """
    limit = request_tokens - overhead_tokens
    if limit <= 0:
        raise ValueError(f"a request of {request_tokens} tokens leaves no room after {overhead_tokens}")
    chosen: list[Piece] = []
    content = 0
    headed: set[str] = set()
    for piece in sorted(pieces, key=lambda p: (-p.risk, p.order)):
        cost = piece.tokens + (0 if piece.path in headed else _header_tokens(piece))
        batches = math.ceil((content + cost) / limit)
        if piece.tokens <= limit and content + cost + batches * overhead_tokens <= review_tokens:
            chosen.append(piece)
            content += cost
            headed.add(piece.path)
    return Plan(batches=_pack(chosen, limit), left_out=_left_out(pieces, chosen))


def _header_tokens(piece: Piece) -> int:
    return estimate_tokens(file_header(piece.file)) + 2


def _pack(pieces: Sequence[Piece], limit: int) -> tuple[Batch, ...]:
    # Pieces of one file travel together where they fit (the model sees more of the file), and the
    # groups are spread over the fewest requests of even size (longest first onto the lightest), so
    # concurrent requests finish at about the same time.
    groups = _file_groups(sorted(pieces, key=lambda p: p.order), limit)
    total = sum(tokens for tokens, _ in groups)
    bins: list[tuple[int, list[Piece]]] = [(0, []) for _ in range(math.ceil(total / limit))]
    for tokens, group in sorted(groups, key=lambda g: (-g[0], g[1][0].order)):
        fitting = [i for i, (load, _) in enumerate(bins) if load + tokens <= limit]
        if fitting:
            i = min(fitting, key=lambda i: bins[i][0])
            bins[i] = (bins[i][0] + tokens, [*bins[i][1], *group])
        else:
            bins.append((tokens, list(group)))
    batches = [Batch(tuple(sorted(b, key=lambda p: p.order))) for _, b in bins if b]
    return tuple(sorted(batches, key=lambda b: b.pieces[0].order))


def _file_groups(pieces: Sequence[Piece], limit: int) -> list[tuple[int, list[Piece]]]:
    groups: list[tuple[int, list[Piece]]] = []
    for piece in pieces:
        last = groups[-1] if groups else None
        if last and last[1][-1].path == piece.path and last[0] + piece.tokens <= limit:
            groups[-1] = (last[0] + piece.tokens, [*last[1], piece])
        else:
            groups.append((piece.tokens + _header_tokens(piece), [piece]))
    return groups


def _left_out(pieces: Sequence[Piece], chosen: Sequence[Piece]) -> tuple[SkippedFile, ...]:
    # Counted in hunks, as the user sees the diff; a hunk cut into slices is missing if any slice is.
    taken = {p.order for p in chosen}
    hunks: dict[str, set[tuple[int, int]]] = {}
    missing: dict[str, set[tuple[int, int]]] = {}
    for piece in pieces:
        hunk = piece.order[:2]
        hunks.setdefault(piece.path, set()).add(hunk)
        if piece.order not in taken:
            missing.setdefault(piece.path, set()).add(hunk)
    out = []
    for path, gone in missing.items():
        whole = len(gone) == len(hunks[path])
        reason = OVER_BUDGET if whole else f"{len(gone)} of {len(hunks[path])} hunks {OVER_BUDGET}"
        out.append(SkippedFile(path, reason))
    return tuple(out)
