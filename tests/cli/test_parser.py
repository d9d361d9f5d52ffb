"""The parser builds the options of the command asked only: the command must be found as argparse finds it."""

from __future__ import annotations

import pytest

from intake_tui.cli.main import command_asked, main, parser_for
from intake_tui.i18n import Language


@pytest.mark.parametrize(("argv", "asked"), [
    ([], None),
    (["--help"], None),
    (["new", "--region", "liemers"], "new"),
    (["--lang", "en", "list"], "list"),
    (["--lang=en", "list", "--format", "json"], "list"),
    (["--store", "new", "list"], "list"),  # a store folder named like a command
    (["--sto", "/tmp/x", "export", "abc"], "export"),  # argparse takes abbreviations of --store
    (["--st=/tmp/x", "due"], "due"),
    (["nieuw"], None),  # not a command: argparse says which there are
])
def test_the_command_asked_is_the_one_argparse_runs(argv, asked):
    assert command_asked(argv) == asked
    if asked is not None:  # and its options are there to parse
        parser_for(Language("en"), asked).parse_args(argv)


def test_every_command_takes_its_own_options(capsys):
    """Each command's help names its own options (they are built when that command is asked)."""
    for word, option in [("check", "--batch"), ("new", "--pupil-ref"), ("train", "--date"), ("list", "--due-before"),
                         ("diff", "--show-rules"), ("serve", "--secret-file"), ("reform", "--chart")]:
        with pytest.raises(SystemExit):
            main([word, "--lang", "en", "--help"])
        assert option in capsys.readouterr().out
