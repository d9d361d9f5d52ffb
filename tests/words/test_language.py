"""Which language speaks, and that every word of it does: argparse's and Textual's too."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from intake_tui.cli.main import main
from intake_tui.i18n import Language


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    environ = {key: value for key, value in os.environ.items() if key != "INTAKE_LANG"}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "intake_tui", *args], capture_output=True, text=True, timeout=60,
                          env=environ)


def test_help_is_dutch_by_default_even_on_an_english_locale() -> None:
    result = run_cli("--help", env={"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"})
    assert result.returncode == 0
    assert result.stdout.startswith("gebruik: intake")
    assert "toon deze hulptekst en stop" in result.stdout
    assert "opties:" in result.stdout
    for english in ("usage:", "options:", "show this help message and exit"):
        assert english not in result.stdout


def test_intake_lang_and_lang_option_choose_english() -> None:
    by_variable = run_cli("--help", env={"INTAKE_LANG": "en"})
    assert by_variable.stdout.startswith("usage: intake") and "show this help message and exit" in by_variable.stdout
    by_option = run_cli("export", "--help", "--lang", "en", env={"INTAKE_LANG": "nl"})
    assert by_option.stdout.startswith("usage: intake export")


def test_argparse_errors_in_dutch(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "intake export: fout: de volgende argumenten zijn verplicht: id" in err
    with pytest.raises(SystemExit):
        main(["diagram", "--region", "liemers", "--format", "gif"])
    err = capsys.readouterr().err
    assert "ongeldige keuze" in err and "invalid choice" not in err
    with pytest.raises(SystemExit):
        main(["regions", "--bogus"])
    assert "onbekende argumenten: --bogus" in capsys.readouterr().err


def test_an_unknown_intake_lang_is_said_and_dutch_is_used() -> None:
    result = run_cli("regions", env={"INTAKE_LANG": "de"})
    assert result.returncode == 0
    assert "INTAKE_LANG='de'" in result.stderr and "Nederlands" in result.stderr
    assert "geldig vanaf" in result.stdout


@pytest.mark.parametrize(("code", "placeholder", "titles", "nothing"), [
    ("nl", "Zoek een opdracht…", {"Thema", "Afsluiten", "Toetsen", "Schermafdruk"}, "Niets gevonden"),
    ("en", "Search for commands…", {"Theme", "Quit", "Keys", "Screenshot"}, "No matches found"),
])
def test_command_palette_speaks_the_language(tmp_path, code: str, placeholder: str, titles: set[str],
                                             nothing: str) -> None:
    from textual.command import CommandInput, CommandList

    from intake_tui.engine.store import Store
    from intake_tui.tui.app import IntakeApp

    async def run() -> None:
        app = IntakeApp(Language(code), Store(tmp_path / "store"), cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            shown = {command.title for command in app.get_system_commands(app.screen)}
            assert titles <= shown
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert app.screen.query_one(CommandInput).placeholder == placeholder
            await pilot.press(*"qqxz")  # no command matches: after a short wait the palette says so
            commands = app.screen.query_one(CommandList)
            for _ in range(100):
                if commands.option_count == 1 and commands.get_option_at_index(0).disabled:
                    break  # the one line that says nothing matched
                await pilot.pause(0.05)
            prompts = [commands.get_option_at_index(index).prompt for index in range(commands.option_count)]
            said = [str(getattr(prompt, "renderable", prompt)).strip() for prompt in prompts]  # Align or Content
            assert said == [nothing]

    asyncio.run(run())
