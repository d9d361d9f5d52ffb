"""Commands that describe the dialogs: lint, diagram, regions, questions, schema."""

from __future__ import annotations

import argparse
import sys

from intake_tui.cli.main import EXIT_INPUT, EXIT_OK, UsageError, print_json
from intake_tui.i18n import Language
from intake_tui.rules.dialog import SHOWN_PROBLEMS, DialogError
from intake_tui.rules.loader import load_dialog
from intake_tui.rules.regions import UnknownRegion, dialog_files, load_region, region_ids, version_on, versions


def run_lint(args: argparse.Namespace, lang: Language) -> int:
    """Lint the dialog files named (a folder: each ``*.toml`` in it; none: the shipped ones)."""
    from pathlib import Path

    from intake_tui.rules.lint_graph import branches_without_reason, untaken_branches

    _ = lang.gettext
    paths: list[Path] = []
    failed = False
    for name in args.paths or [str(path) for path in dialog_files()]:  # every version of every region
        path = Path(name)
        if path.is_dir():
            found = sorted(child for child in path.glob("*.toml") if child.is_file())
            if not found:
                print(_("{file}: no dialog files (*.toml) in this folder").format(file=path), file=sys.stderr)
                failed = True
            paths += found
        else:
            paths.append(path)
    for path in paths:
        try:
            dialog = load_dialog(path)
        except DialogError as error:
            failed = True
            for line in error.lines(_):
                print(line, file=sys.stderr)
            continue
        without_reason = branches_without_reason(dialog)
        if without_reason:  # the why a person reads is part of the rules: a branch without it is refused (issue 13)
            failed = True
            for line, step in without_reason[:SHOWN_PROBLEMS]:
                print(_("{file}:{line}: the branch from {node} to {goto} has no 'because': "
                        "give it its own sentence saying why, the reason a person reads").format(
                            file=path, line=line, node=step.source, goto=step.goto), file=sys.stderr)
            if len(without_reason) > SHOWN_PROBLEMS:
                rest = len(without_reason) - SHOWN_PROBLEMS
                print(f"{path}: " + _("… and {count} more problems").format(count=rest), file=sys.stderr)
            continue
        print(_("{file}: ok ({nodes} nodes)").format(file=path, nodes=len(dialog.nodes)))
        untaken, whole_paths = untaken_branches(dialog)
        if not whole_paths:
            print(_("{file}: note: the dialog is too large to follow every path; "
                    "branches that no answers take were looked for one node at a time").format(file=path), file=sys.stderr)
        for line, step in untaken[:SHOWN_PROBLEMS]:
            print(_("{file}:{line}: warning: no answers take the branch from {node} to {goto}").format(
                file=path, line=line, node=step.source, goto=step.goto), file=sys.stderr)
        if len(untaken) > SHOWN_PROBLEMS:
            print(_("{file}: … and {count} more warnings").format(file=path, count=len(untaken) - SHOWN_PROBLEMS),
                  file=sys.stderr)
    return EXIT_INPUT if failed else EXIT_OK


def region_dialog(region: str, lang: Language):
    """The region's dialog, or the sentence why there is none (a usage error)."""
    try:
        return load_region(region)
    except UnknownRegion as error:
        raise UsageError(error.say(lang.gettext)) from None
    except DialogError as error:
        raise UsageError(error.say(lang.gettext)) from None


def run_diagram(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.teach.diagram import PICTURE_FORMATS, GraphvizMissing, diagram, picture

    dialog = region_dialog(args.region, lang)
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

        from intake_tui.atomic import write_private

        write_private(Path(args.output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def run_regions(args: argparse.Namespace, lang: Language) -> int:
    """Each region with every version of its rules; the one valid today is marked."""
    _ = lang.gettext
    for region in region_ids():
        dialog = region_dialog(region, lang)
        print(f"{region:10} {dialog.meta.swv} — {_(dialog.meta.title)}")
        today = version_on(region)
        for version in versions(region):
            until = f" {_('until')} {lang.date(version.valid_until)}" if version.valid_until else ""
            mark = f"  ← {_('valid today')}" if version == today else ""
            print(f"{'':10}   {_('version')} {version.version}: {_('valid from')} {lang.date(version.valid_from)}{until}{mark}")
    return EXIT_OK


def run_questions(args: argparse.Namespace, lang: Language) -> int:
    dialog = region_dialog(args.region, lang)
    for number, (fact, question) in enumerate(dialog.questions.items(), start=1):
        values = ""
        if question.choices:
            values = " [" + ", ".join(c.value for c in question.choices) + "]"
        print(f"{number:3}. {fact} ({question.type}{values}): {lang.gettext(question.prompt)}")
    return EXIT_OK


def run_schema(args: argparse.Namespace, lang: Language) -> int:
    from intake_tui.engine.record import IntakeRecord

    print_json(IntakeRecord.model_json_schema())
    return EXIT_OK
