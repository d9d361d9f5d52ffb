"""Commands that describe the dialogs: lint, diagram, regions, questions, schema."""

from __future__ import annotations

import argparse
import sys

from .cli import EXIT_INPUT, EXIT_OK, UsageError, print_json
from .dialog import DialogError, load_dialog
from .i18n import Language
from .regions import UnknownRegion, load_region, region_files, region_ids


def run_lint(args: argparse.Namespace, lang: Language) -> int:
    paths = args.paths or [str(path) for path in region_files().values()]
    failed = False
    for path in paths:
        try:
            dialog = load_dialog(path)
        except DialogError as error:
            failed = True
            for problem in error.problems:
                print(problem, file=sys.stderr)
            continue
        print(lang.gettext("{file}: ok ({nodes} nodes)").format(file=path, nodes=len(dialog.nodes)))
        from .lint_graph import branches_without_reason, untaken_branches

        # A warning until every shipped dialog gives each branch its reason; then an error (issue 13).
        for line, step in branches_without_reason(dialog):
            print(lang.gettext("{file}:{line}: warning: the branch from {node} to {goto} has no 'because': "
                               "the why a person reads").format(file=path, line=line, node=step.source, goto=step.goto),
                  file=sys.stderr)

        for line, step in untaken_branches(dialog):
            print(lang.gettext("{file}:{line}: warning: no answers take the branch from {node} to {goto}").format(
                file=path, line=line, node=step.source, goto=step.goto), file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def _region(region: str, lang: Language):
    try:
        return load_region(region)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None
    except DialogError as error:
        raise UsageError(str(error)) from None


def run_diagram(args: argparse.Namespace, lang: Language) -> int:
    from .diagram import PICTURE_FORMATS, GraphvizMissing, diagram, picture

    dialog = _region(args.region, lang)
    if args.format not in PICTURE_FORMATS:
        data = diagram(dialog, args.format, lang).encode("utf-8")
    else:
        if args.format == "png" and not args.output and sys.stdout.isatty():
            raise UsageError(lang.gettext("a picture is not for the terminal: add --output FILE.png"))
        try:
            data = picture(dialog, args.format, lang)
        except GraphvizMissing:
            raise UsageError(lang.gettext(
                "drawing {format} needs Graphviz's 'dot' program, which is not installed "
                "(Debian and Ubuntu: apt install graphviz; macOS: brew install graphviz); "
                "--format dot or mermaid work without it").format(format=args.format)) from None
    if args.output:
        from pathlib import Path

        from .atomic import write_private

        write_private(Path(args.output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def run_regions(args: argparse.Namespace, lang: Language) -> int:
    for region in region_ids():
        dialog = _region(region, lang)
        meta = dialog.meta
        print(f"{region:10} {meta.swv} — {lang.gettext(meta.title)} ({lang.gettext('valid from')} {lang.date(meta.valid_from)})")
    return EXIT_OK


def run_questions(args: argparse.Namespace, lang: Language) -> int:
    dialog = _region(args.region, lang)
    for number, (fact, question) in enumerate(dialog.questions.items(), start=1):
        values = ""
        if question.choices:
            values = " [" + ", ".join(c.value for c in question.choices) + "]"
        print(f"{number:3}. {fact} ({question.type}{values}): {lang.gettext(question.prompt)}")
    return EXIT_OK


def run_schema(args: argparse.Namespace, lang: Language) -> int:
    from .record import IntakeRecord

    print_json(IntakeRecord.model_json_schema())
    return EXIT_OK
