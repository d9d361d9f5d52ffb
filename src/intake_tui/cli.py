"""The ``intake`` command line.

Each command imports only what it needs: ``check``, ``lint`` and the other
non-interactive commands never import Textual.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from .i18n import LANGUAGES, Language, language

EXIT_OK, EXIT_INPUT = 0, 2


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        lang = language(getattr(args, "lang", None))
    except ValueError as error:
        parser.error(str(error))
    command: Callable[[argparse.Namespace, Language], int] = args.run
    try:
        return command(args, lang)
    except UsageError as error:
        print(f"intake: {error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description="Guided intake for passend onderwijs (samenwerkingsverbanden).")
    parser.set_defaults(run=_run_start)
    _common(parser, store=True)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = commands.add_parser("check", help="recommendation for a file of answers (no UI)")
    check.add_argument("--region", help="region id (see 'intake regions'); a scenario file may name it")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", metavar="FILE", help="JSON answers object, or a scenario file ('-' = stdin)")
    source.add_argument("--batch", metavar="FILE", help="JSONL ({region, answers} a line) or CSV with fact ids as header")
    check.add_argument("--format", choices=["json", "text", "jsonl", "csv"], default=None, help="output format")
    check.add_argument("--output", metavar="FILE", help="write batch results to FILE instead of stdout")
    _common(check)
    check.set_defaults(run=_lazy("check_cmd", "run_check"))

    lint = commands.add_parser("lint", help="validate dialog files (default: the shipped ones)")
    lint.add_argument("paths", nargs="*", metavar="PATH")
    _common(lint)
    lint.set_defaults(run=_lazy("info_cmds", "run_lint"))

    diagram = commands.add_parser("diagram", help="the decision graph as Mermaid or Graphviz dot")
    diagram.add_argument("--region", required=True)
    diagram.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    _common(diagram)
    diagram.set_defaults(run=_lazy("info_cmds", "run_diagram"))

    regions = commands.add_parser("regions", help="list the regions")
    _common(regions)
    regions.set_defaults(run=_lazy("info_cmds", "run_regions"))

    questions = commands.add_parser("questions", help="list a region's questions")
    questions.add_argument("--region", required=True)
    _common(questions)
    questions.set_defaults(run=_lazy("info_cmds", "run_questions"))

    schema = commands.add_parser("schema", help="print the JSON Schema of an intake record")
    _common(schema)
    schema.set_defaults(run=_lazy("info_cmds", "run_schema"))

    new = commands.add_parser("new", help="start a new intake in the terminal UI")
    new.add_argument("--region", required=True)
    new.add_argument("--pupil-ref", help="a pupil reference (never a name)")
    new.add_argument("--anonymous", action="store_true", help="store no pupil reference at all")
    _common(new, store=True)
    new.set_defaults(run=_lazy("tui_cmds", "run_new"))

    train = commands.add_parser("train", help="an intake with teaching on: why each question, a map of the path")
    train.add_argument("--region", required=True)
    _common(train, store=True)
    train.set_defaults(run=_lazy("tui_cmds", "run_train"))

    quiz = commands.add_parser("quiz", help="predict the outcome of cases drawn from every path")
    quiz.add_argument("--region", required=True)
    quiz.add_argument("--seed", type=int, default=None, help="the same seed gives the same cases")
    quiz.add_argument("--cases", type=int, default=10, help="how many cases (default 10)")
    _common(quiz)
    quiz.set_defaults(run=_lazy("quiz", "run_quiz"))

    precheck = commands.add_parser("precheck", help="plain prompts for the path, then a verdict (no UI, nothing stored)")
    precheck.add_argument("--region", required=True)
    _common(precheck)
    precheck.set_defaults(run=_lazy("precheck", "run_precheck"))

    resume = commands.add_parser("resume", help="continue the newest draft (or ID)")
    resume.add_argument("id", nargs="?")
    _common(resume, store=True)
    resume.set_defaults(run=_lazy("tui_cmds", "run_resume"))

    export = commands.add_parser("export", help="write a record as a Markdown report or JSON")
    export.add_argument("id")
    export.add_argument("--format", choices=["md", "json"], default="md")
    export.add_argument("--output", metavar="FILE")
    _common(export, store=True)
    export.set_defaults(run=_lazy("store_cmds", "run_export"))

    listing = commands.add_parser("list", help="list the records in the store")
    _common(listing, store=True)
    listing.set_defaults(run=_lazy("store_cmds", "run_list"))

    purge = commands.add_parser("purge", help="delete records older than a retention period")
    purge.add_argument("--older-than", required=True, metavar="AGE", help="for example 3y, 18m, 90d")
    purge.add_argument("--dry-run", action="store_true")
    _common(purge, store=True)
    purge.set_defaults(run=_lazy("store_cmds", "run_purge"))

    return parser


def _common(parser: argparse.ArgumentParser, *, store: bool = False) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="nl (default) or en")
    if store:
        parser.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help="folder of intake records")


def _lazy(module: str, function: str) -> Callable[[argparse.Namespace, Language], int]:
    def run(args: argparse.Namespace, lang: Language) -> int:
        from importlib import import_module

        return getattr(import_module(f"intake_tui.{module}"), function)(args, lang)

    return run


def _run_start(args: argparse.Namespace, lang: Language) -> int:
    return _lazy("tui_cmds", "run_start")(args, lang)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    # Run as ``python -m intake_tui.cli``: use the package's module, so the
    # exception classes the commands raise are the ones ``main`` catches.
    from intake_tui.cli import main as package_main

    sys.exit(package_main())
