"""The `prodready` entry point: parse the command line and hand over to review, rules, serve or action."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot import __version__


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2, as the documented contract asks."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # `prog` is "prodready" for the top level and "prodready review" for a subcommand.
        self.exit(2, f"prodready: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    parser = _Parser(prog="prodready", description="Review code changes for the ways they break in production.")
    parser.add_argument("--version", action="version", version=f"prodready {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    review = commands.add_parser("review", help="review a diff or a git range")
    source = review.add_mutually_exclusive_group(required=True)
    source.add_argument("--diff", metavar="PATH", help="a unified diff in git format; '-' reads stdin")
    source.add_argument("--git", metavar="RANGE", help="a git range in the current repository, e.g. origin/main...HEAD")
    review.add_argument("--config", metavar="PATH", help="config file (default: .github/prodready.yml if present)")
    review.add_argument("--format", choices=("text", "markdown", "json", "sarif"), default="text")
    review.add_argument("--offline", action="store_true", help="never call an LLM: static rules only")

    commands.add_parser("serve", help="run the GitHub App webhook server")
    commands.add_parser("action", help="review the pull request of a GitHub Actions run (reads GITHUB_* variables)")

    rules = commands.add_parser("rules", help="list the static rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status = _run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`prodready rules | head -3`): nothing is left to say to it, and a traceback
        # would only land on the terminal. Point stdout at /dev/null so the exit-time flush is quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def _run(args: argparse.Namespace) -> int:
    if args.command == "review":
        from bot.cli.review import run_review_command

        return run_review_command(args, env=os.environ)
    if args.command == "rules":
        from bot.cli.rules import run_rules_command

        return run_rules_command(args.format)
    if args.command == "action":
        from bot.cli.action import run_action_command

        return run_action_command(os.environ)
    from bot.server.main import serve_from_env

    return serve_from_env()


if __name__ == "__main__":
    sys.exit(main())
