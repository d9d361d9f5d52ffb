"""The ``intake`` command line.

Each command imports only what it needs: ``check``, ``lint`` and the other
non-interactive commands never import Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from intake_tui.i18n import DEFAULT_LANGUAGE, LANGUAGE_VARIABLE, LANGUAGES, N_, Language, language
from intake_tui.words.terminal import inert

DETAILS = ("brief", "full")  # of a batch line: the recommendation's contract keys, or everything

EXIT_OK, EXIT_CRASH, EXIT_INPUT = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for; printed as one line, exit 2."""


def chosen_store(args: argparse.Namespace, lang: Language):
    """The store a command names (``engine.stores.store_for``: --store, $INTAKE_STORE, the settings, the
    per-user folder); one that cannot be chosen (a settings file others can read) is one sentence, exit 2."""
    from intake_tui.engine.store_api import StoreError
    from intake_tui.engine.stores import store_for

    try:
        return store_for(args)
    except StoreError as error:
        raise UsageError(error.say(lang.gettext)) from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = language(_language_asked(argv))
    except ValueError:  # INTAKE_LANG names another language: say so, and speak Dutch
        lang = Language(DEFAULT_LANGUAGE)
        print("intake: " + lang.gettext("INTAKE_LANG={value!r} is not nl or en; Dutch is used").format(
            value=os.environ.get(LANGUAGE_VARIABLE, "")), file=sys.stderr)
    parser = parser_for(lang, command_asked(argv))
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace, Language], int] = args.run
    try:
        return command(args, lang)
    except UsageError as error:
        print(f"intake: {inert(str(error))}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # one line, never a traceback: its local variables would show answers
        from intake_tui.said import crash_text

        print(f"intake: {inert(crash_text(error, lang.gettext))}", file=sys.stderr)
        return EXIT_CRASH


def _language_asked(argv: list[str]) -> str | None:
    """The --lang of the command line, read before the parser is built so its help is translated too."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1] if argv[index + 1] in LANGUAGES else None
        if word.startswith("--lang="):
            value = word.split("=", 1)[1]
            return value if value in LANGUAGES else None
    return None


# name, help, module, function, options: region, store
COMMANDS = [
    ("check", N_("recommendation for a file of answers (no UI)"), "cli.check", "run_check", "", False),
    ("lint", N_("validate dialog files (default: the shipped ones)"), "cli.info", "run_lint", "", False),
    ("diagram", N_("the decision graph for trainers: Mermaid, dot, SVG or PNG"), "cli.info", "run_diagram", "required", False),
    ("regions", N_("list the regions"), "cli.info", "run_regions", "", False),
    ("questions", N_("list a region's questions"), "cli.info", "run_questions", "required", False),
    ("schema", N_("print the JSON Schema of an intake record"), "cli.info", "run_schema", "", False),
    ("new", N_("start a new intake in the terminal UI"), "cli.tui", "run_new", "required", True),
    ("train", N_("an intake with teaching on: why each question, a map of the path"), "cli.tui", "run_train", "required", True),
    ("quiz", N_("predict the outcome of cases drawn from every path"), "cli.teach", "run_quiz", "required", False),
    ("precheck", N_("plain prompts for the path, then a verdict (no UI, nothing stored)"), "cli.teach", "run_precheck", "required", False),
    ("resume", N_("continue the newest draft (or ID)"), "cli.tui", "run_resume", "", True),
    ("export", N_("write a record's report (Markdown or PDF) or the record as JSON"), "cli.store", "run_export", "", True),
    ("list", N_("list the records in the store"), "cli.store", "run_list", "", True),
    ("purge", N_("delete records older than a retention period"), "cli.store", "run_purge", "", True),
    ("serve", N_("offer the intake in a web browser"), "cli.serve", "run_serve", "", True),
    ("due", N_("the follow-ups that fall due (an OPP, an evaluation, the end of an arrangement)"), "cli.register",
     "run_due", "", True),
    ("migrate", N_("copy a folder of records into the shared register"), "cli.register", "run_migrate", "", False),
    ("members", N_("the register's administrator: which database roles see the records of which SWV"), "cli.register",
     "run_members", "", True),
    ("diff", N_("what changed between two versions of a region's rules"), "cli.reform", "run_diff", "required", False),
    ("reform", N_("what proposed rules would change for the pupils of a store or a batch"), "cli.reform", "run_reform",
     "required", True),
]


# argparse's own words (its usage line, headings, help and errors), for the
# catalogs; argparse looks them up through its module's ``_`` and ``ngettext``.
ARGPARSE_WORDS = [
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"), N_("expected one argument"), N_("expected at least one argument"),
    N_("expected at most one argument"), N_("invalid %(type)s value: %(value)r"), N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"), N_("unexpected option string: %s"), N_("can't open '%(filename)s': %(error)s"),
]


def _argparse_in(lang: Language) -> None:
    """argparse speaks ``lang``: it calls its module's ``_`` and ``ngettext`` for every word it writes."""
    argparse._ = lang.gettext  # type: ignore[attr-defined]
    argparse.ngettext = lang.ngettext  # type: ignore[attr-defined]
    lang.ngettext("expected %s argument", "expected %s arguments", 2)  # for the catalogs: argparse's one plural


def command_asked(argv: list[str]) -> str | None:
    """The command named on the command line, found as argparse finds it: the first word that is
    neither an option nor the value of ``--lang`` or ``--store`` (or an abbreviation of them)."""
    names = {name for name, *_ in COMMANDS}
    value_next = False
    for word in argv:
        if value_next:
            value_next = False
        elif word.startswith("-"):
            value_next = len(word) > 2 and "=" not in word and ("--lang".startswith(word) or "--store".startswith(word))
        else:
            return word if word in names else None
    return None


def parser_for(lang: Language, asked: str | None = None) -> argparse.ArgumentParser:
    """The parser; the commands are all there with their help (``intake --help``), and the one
    ``asked`` (``command_asked``) with its options: building every command's options with
    their translated help at every start took longer than parsing."""
    _ = lang.gettext
    _argparse_in(lang)
    parser = argparse.ArgumentParser(prog="intake", description=_("Guided intake for passend onderwijs (samenwerkingsverbanden)."))
    parser.set_defaults(run=_lazy("cli.tui", "run_start"))
    _common(parser, lang, store=True)
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    for name, help_text, module, function, region, store in COMMANDS:
        command = commands.add_parser(name, help=_(help_text), description=_(help_text))
        command.set_defaults(run=_lazy(module, function))
        if name == asked:
            if region:
                command.add_argument("--region", required=True, type=str.lower, help=_("region id (see 'intake regions')"))
            _common(command, lang, store=store)
            OPTIONS.get(name, _no_options)(command, lang)
    return parser


def _no_options(command: argparse.ArgumentParser, lang: Language) -> None:
    pass


def _intake_date(command: argparse.ArgumentParser, lang: Language) -> None:
    command.add_argument("--date", type=_date(lang), metavar="YYYY-MM-DD",
                         help=lang.gettext("the intake's date: the rules valid on it are used (default: today)"))


def _check_options(check: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    check.add_argument("--region", type=str.lower, help=_("region id (see 'intake regions'); a scenario file may name it"))
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--answers", metavar="FILE", help=_("JSON answers object, or a scenario file ('-' = stdin)"))
    source.add_argument("--batch", metavar="FILE", help=_("JSONL ({region, answers} a line) or CSV with fact ids as header"))
    check.add_argument("--format", choices=["json", "text", "jsonl", "csv"], default=None, help=_("output format"))
    check.add_argument("--output", metavar="FILE", help=_("write the results to FILE instead of stdout"))
    check.add_argument("--detail", choices=DETAILS, default=DETAILS[0],
                       help=_("batch lines: the recommendation's contract keys (brief, default) or everything (full)"))
    _intake_date(check, lang)


def _lint_options(lint: argparse.ArgumentParser, lang: Language) -> None:
    lint.add_argument("paths", nargs="*", metavar="PATH")


def _diagram_options(diagram: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    diagram.add_argument("--format", choices=["mermaid", "dot", "svg", "png"], default="mermaid",
                         help=_("mermaid or dot: text for slides and wikis; svg or png: drawn by Graphviz"))
    diagram.add_argument("--output", metavar="FILE", help=_("write to FILE instead of stdout"))


def _new_options(new: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    new.add_argument("--pupil-ref", help=_("a pupil reference (never a name)"))
    new.add_argument("--anonymous", action="store_true", help=_("store no pupil reference at all"))
    new.add_argument("--consultant", metavar="NAME", help=_("who holds the intake (remembered for the next intakes)"))
    new.add_argument("--school", metavar="NAME", help=_("the school that asks (remembered for the next intakes)"))
    _intake_date(new, lang)


def _quiz_options(quiz: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    quiz.add_argument("--seed", type=int, default=None, help=_("the same seed gives the same cases"))
    quiz.add_argument("--cases", type=int, default=10, help=_("how many cases (default 10)"))
    quiz.add_argument("--plain", action="store_true", help=_("plain prompts instead of the full-screen quiz"))


def _resume_options(resume: argparse.ArgumentParser, lang: Language) -> None:
    resume.add_argument("id", nargs="?")


def _export_options(export: argparse.ArgumentParser, lang: Language) -> None:
    export.add_argument("id")
    export.add_argument("--format", choices=["md", "pdf", "json"], default="md",
                        help=lang.gettext("md: the report in Markdown; pdf: the report to print and sign; json: the record"))
    export.add_argument("--output", metavar="FILE")


def _list_options(listing: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    listing.add_argument("--pupil-ref", metavar="REF", help=_("only the records of this pupil reference"))
    listing.add_argument("--status", choices=["draft", "complete"])
    listing.add_argument("--region", help=_("region id (see 'intake regions')"))
    listing.add_argument("--due-before", type=_date(lang), metavar="YYYY-MM-DD", help=_("only records with a follow-up due by then"))
    listing.add_argument("--limit", type=int, default=None, metavar="N", help=_("at most N records (the newest)"))
    listing.add_argument("--format", choices=["table", "json"], default="table")


def _purge_options(purge: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    purge.add_argument("--older-than", required=True, metavar="AGE", help=_("for example 3y, 18m, 90d (or 3jaar, 18mnd, 90dagen)"))
    purge.add_argument("--dry-run", action="store_true", help=_("only list what would be deleted; delete nothing"))


def _diff_options(diff: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    diff.add_argument("--from", dest="from_version", required=True, metavar="VERSION",
                      help=_("a rules version (see 'intake regions') or a rules file"))
    diff.add_argument("--to", dest="to_version", required=True, metavar="VERSION",
                      help=_("a rules version (see 'intake regions') or a rules file"))
    diff.add_argument("--show-rules", action="store_true",
                      help=_("also show each changed rule's condition as written in the rules file"))
    diff.add_argument("--format", choices=["text", "json"], default="text",
                      help=_("json: every change with its ids and conditions as separate fields"))


def _due_options(due: argparse.ArgumentParser, lang: Language) -> None:
    due.add_argument("--within", default="30d", metavar="PERIOD", help=lang.gettext("how far ahead (default 30d; also 6w, 2m)"))
    due.add_argument("--format", choices=["table", "json"], default="table")


def _migrate_options(migrate: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    migrate.add_argument("--from", dest="source", required=True, metavar="DIR", help=_("the folder of records"))
    migrate.add_argument("--to", required=True, metavar="URL", help=_("the register's address (postgresql://…)"))


def _members_options(members: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    members.add_argument("action", choices=["add", "remove", "list"], help=_("add or remove a member, or list them all"))
    members.add_argument("role", nargs="?", metavar="ROLE", help=_("the consultant's database role"))
    members.add_argument("--swv", metavar="REGION", help=_("the region whose SWV it is about (see 'intake regions')"))


def _reform_options(reform: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    reform.add_argument("--rules", required=True, metavar="PROPOSED.toml", help=_("the proposed rules file"))
    cases = reform.add_mutually_exclusive_group()
    cases.add_argument("--batch", metavar="FILE", help=_("cases as JSONL or CSV (as for 'intake check --batch') instead of the store"))
    reform.add_argument("--csv", metavar="FILE", help=_("also write the shifts as CSV"))
    reform.add_argument("--chart", metavar="FILE.png", help=_("also draw the shifts as a bar chart (PNG)"))


def _serve_options(serve: argparse.ArgumentParser, lang: Language) -> None:
    _ = lang.gettext
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1: this computer only)"))
    serve.add_argument("--port", type=int, default=8000, help=_("port to listen on (default 8000)"))
    serve.add_argument("--secret-file", metavar="FILE",
                       help=_("a private (0600) file with the access secret; without it one is made up and printed "
                              "when listening beyond this computer"))


# Each command's own options (beside --region, --lang and --store, which COMMANDS says).
OPTIONS: dict[str, Callable[[argparse.ArgumentParser, Language], None]] = {
    "check": _check_options, "lint": _lint_options, "diagram": _diagram_options, "new": _new_options,
    "train": _intake_date, "quiz": _quiz_options, "resume": _resume_options, "export": _export_options,
    "list": _list_options, "purge": _purge_options, "diff": _diff_options, "due": _due_options,
    "migrate": _migrate_options, "members": _members_options, "reform": _reform_options, "serve": _serve_options,
}


def _date(lang: Language) -> Callable[[str], object]:
    def read(text: str):
        import datetime as dt

        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(lang.gettext("{text!r} is not a date such as 2025-08-01").format(text=text)) from None

    return read


def _common(parser: argparse.ArgumentParser, lang: Language, *, store: bool = False) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=lang.gettext("nl (default) or en; without it INTAKE_LANG, else Dutch"))
    if store:
        parser.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help=lang.gettext("folder of intake records, or the shared register's address (postgresql://…)"))


def _lazy(module: str, function: str) -> Callable[[argparse.Namespace, Language], int]:
    def run(args: argparse.Namespace, lang: Language) -> int:
        from importlib import import_module

        return getattr(import_module(f"intake_tui.{module}"), function)(args, lang)

    return run


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

