"""Generate large, realistic, deterministic git diffs for benches: many languages, some risky code.

Run from the repository root: `.venv/bin/python -m bench.gen_diff --files 1000 --lines 50000 > big.diff`.
The same arguments always give the same bytes. About one file in twenty is one a review skips
(lockfile, vendored, minified, binary, deleted), as in real pull requests.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass

_PYTHON = (
    "    result = session.query(Order).filter(Order.customer_id == customer_id).first()",
    '    logger.info("order %s placed", order.id)',
    "    total = sum(line.price * line.quantity for line in order.lines)",
    '    return {"id": order.id, "status": order.status}',
    "    if not payload.get('items'):",
    "        raise ValueError('an order needs at least one item')",
    "    for item in items:",
    "        stock[item.sku] -= item.quantity",
)
_PYTHON_RISKY = (
    "    response = requests.get(f'{base_url}/items/{item_id}')",
    "    cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
    "    rows = Order.objects.all()",
    "    except Exception: pass",
    "    API_URL = 'http://localhost:8000/api'",
    "    STRIPE_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'",
)
_GO = (
    "\tctx, cancel := context.WithTimeout(ctx, 5*time.Second)",
    "\tdefer cancel()",
    '\tif err != nil { return fmt.Errorf("load user: %w", err) }',
    "\tusers = append(users, u)",
    '\tlog.Printf("loaded %d users", len(users))',
)
_GO_RISKY = (
    "\tresp, _ := http.Get(url)",
    '\trows, err := db.Query("SELECT * FROM users WHERE id = " + id)',
    "\tgo func() { counter++ }()",
)
_TYPESCRIPT = (
    "  const user = await repo.findOne({ where: { id } });",
    "  if (!user) throw new NotFoundError(`user ${id}`);",
    "  return res.json({ id: user.id, name: user.name });",
    "  items.forEach((item) => total += item.price);",
)
_TYPESCRIPT_RISKY = (
    "  const data = await fetch(`http://localhost:3000/api/${id}`);",
    "  try { await save(order); } catch (e) {}",
    "  db.query(`DELETE FROM sessions WHERE user = '${user}'`);",
)
_JAVA = (
    "        User user = repository.findById(id).orElseThrow();",
    '        log.info("user {} loaded", id);',
    "        return ResponseEntity.ok(user);",
)
_JAVA_RISKY = (
    "        List<Order> all = orderRepository.findAll();",
    '        Statement st = conn.createStatement(); st.execute("SELECT * FROM t WHERE id=" + id);',
    "        } catch (Exception e) { }",
)


@dataclass(frozen=True)
class Language:
    """What files of one language look like."""

    folder: str
    extension: str
    plain: tuple[str, ...]
    risky: tuple[str, ...]
    section: str


LANGUAGES = (
    Language("service", "py", _PYTHON, _PYTHON_RISKY, "def handle(request):"),
    Language("internal/store", "go", _GO, _GO_RISKY, "func (s *Store) Load(ctx context.Context) error {"),
    Language("web/src", "ts", _TYPESCRIPT, _TYPESCRIPT_RISKY, "export async function handler(req, res) {"),
    Language("src/main/java/app", "java", _JAVA, _JAVA_RISKY, "public ResponseEntity<User> get(Long id) {"),
)
SKIPPED_KINDS = (
    "web/pkg_{n}/package-lock.json",
    "vendor/lib/lib_{n}.go",
    "static/app_{n}.min.js",
    "assets/logo_{n}.png",
    "old",
)


def generate_diff(files: int = 1_000, changed_lines: int = 50_000, *, seed: int = 1, risky_share: float = 0.02) -> str:
    """Return a git diff of `files` files whose reviewable ones add or remove at least `changed_lines` lines."""
    rng = random.Random(seed)
    source_files = max(1, files - files // 20)
    per_file = max(1, -(-changed_lines // source_files))  # round up: at least `changed_lines` in reviewable files
    out: list[str] = []
    for n in range(files):
        if n % 20 == 19:
            out += _skipped_file(n, rng)
            continue
        language = LANGUAGES[n % len(LANGUAGES)]
        out += _source_file(n, language, per_file, rng, risky_share)
    return "\n".join(out) + "\n"


def _source_file(n: int, language: Language, changed: int, rng: random.Random, risky_share: float) -> list[str]:
    path = f"{language.folder}/module_{n}.{language.extension}"
    out = [f"diff --git a/{path} b/{path}", "index 1111111..2222222 100644", f"--- a/{path}", f"+++ b/{path}"]
    hunks = max(1, min(6, changed // 12))
    old = new = 1 + rng.randrange(5)
    remaining = changed
    for h in range(hunks):
        size = remaining // (hunks - h)
        remaining -= size
        removed = size // 4
        added = size - removed
        added_lines = [_statement(language, rng, risky_share) for _ in range(added)]
        out.append(f"@@ -{old},{6 + removed} +{new},{6 + added} @@ {language.section}")
        out += [f" {rng.choice(language.plain)}" for _ in range(3)]
        out += [f"-{rng.choice(language.plain)}" for _ in range(removed)]
        out += [f"+{text}" for text in added_lines]
        out += [f" {rng.choice(language.plain)}" for _ in range(3)]
        gap = 20 + rng.randrange(40)
        old += 6 + removed + gap
        new += 6 + added + gap
    return out


def _statement(language: Language, rng: random.Random, risky_share: float) -> str:
    return rng.choice(language.risky) if rng.random() < risky_share else rng.choice(language.plain)


def _skipped_file(n: int, rng: random.Random) -> list[str]:
    kind = SKIPPED_KINDS[(n // 20) % len(SKIPPED_KINDS)]
    path = kind.format(n=n) if kind != "old" else f"legacy/old_{n}.py"
    head = [f"diff --git a/{path} b/{path}"]
    if path.endswith(".png"):
        return [*head, "index 1111111..2222222 100644", f"Binary files a/{path} and b/{path} differ"]
    if kind == "old":
        body = [f"-{rng.choice(_PYTHON)}" for _ in range(20)]
        return [*head, "deleted file mode 100644", f"--- a/{path}", "+++ /dev/null", "@@ -1,20 +0,0 @@", *body]
    if path.endswith(".min.js"):
        line = "+" + "var a=function(b){return b*2};" * 60
        return [*head, "index 1111111..2222222 100644", f"--- a/{path}", f"+++ b/{path}", "@@ -1 +1 @@", "-x", line]
    body = [f'+    "pkg-{n}-{i}": {{"version": "1.{i}.0"}},' for i in range(30)]
    return [*head, "index 1111111..2222222 100644", f"--- a/{path}", f"+++ b/{path}", "@@ -1,0 +1,30 @@", *body]


def main() -> None:
    """Write a generated diff to stdout."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--lines", type=int, default=50_000, help="changed lines in all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.stdout.write(generate_diff(args.files, args.lines, seed=args.seed))


if __name__ == "__main__":
    main()
