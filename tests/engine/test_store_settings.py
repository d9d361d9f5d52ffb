"""The store chosen by the settings file: ``store`` beside the consultant and the school.

The file may hold the register's password, so it must be the user's alone
(0600); a settings file that others can read is refused with a sentence, and
the address is never shown.
"""

from __future__ import annotations

import json
import os

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.settings import Settings, load_settings, save_settings, settings_path

from .test_store import make_record

SECRET = "postgresql://consultant:hunter2@db.example.org/intake?sslmode=require"


@pytest.fixture
def no_store_variable(monkeypatch):
    monkeypatch.delenv("INTAKE_STORE", raising=False)


def test_a_folder_in_the_settings_is_the_store(tmp_path, no_store_variable, capsys) -> None:
    from intake_tui.engine.store import Store

    folder = tmp_path / "kept-here"
    Store(folder).save(make_record())
    save_settings(Settings(consultant="Anne", store=str(folder)))
    assert main(["--lang", "en", "list", "--format", "json"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == [make_record().id]


def test_the_environment_and_the_option_come_before_the_settings(tmp_path, monkeypatch, capsys) -> None:
    from intake_tui.engine.store import Store

    save_settings(Settings(store=SECRET))
    monkeypatch.setenv("INTAKE_STORE", str(tmp_path / "from-environment"))
    Store(tmp_path / "from-environment").save(make_record())
    assert main(["--lang", "en", "list", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["--lang", "en", "--store", str(tmp_path / "given"), "list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_register_in_the_settings_is_used_and_never_shown(schema, no_store_variable, capsys) -> None:
    from ..postgres_support import url_for

    save_settings(Settings(store=url_for(schema, "postgres:hunter2")))  # trust: the password is not checked
    assert main(["--lang", "en", "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "No records in 127.0.0.1/test\n" and "hunter2" not in out + err
    save_settings(Settings(store=SECRET))  # on another computer without TLS said, with neither user nor password
    save_settings(Settings(store=SECRET.replace("?sslmode=require", "")))
    assert main(["--lang", "en", "list"]) == 2
    err = capsys.readouterr().err
    assert "db.example.org/intake" in err and "sslmode=require" in err
    assert "hunter2" not in err and "consultant" not in err


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_settings_file_others_can_read_is_refused_with_a_sentence(mode, no_store_variable, capsys) -> None:
    path = save_settings(Settings(consultant="Anne", store=SECRET))
    os.chmod(path, mode)
    before = path.read_bytes()
    for argv in (["list"], ["due"], ["new", "--region", "liemers"], []):
        assert main(["--lang", "en", *argv]) == 2
        out, err = capsys.readouterr()
        assert err == (f"intake: the settings file {path} can be read or changed by other users, and it may hold the "
                       f"register's password: it is not read; make it yours alone with: chmod 600 {path}\n"), err
        assert "hunter2" not in out + err
    assert path.read_bytes() == before  # refused, not repaired or rewritten behind the user's back
    assert main(["list"]) == 2
    assert "kunnen andere gebruikers" in capsys.readouterr().err


def test_a_settings_file_of_another_user_is_refused(no_store_variable, monkeypatch, capsys) -> None:
    path = save_settings(Settings(store=SECRET))
    real_uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real_uid + 1)  # as if another user owned the file
    assert main(["--lang", "en", "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"intake: the settings file {path} belongs to another user") and "hunter2" not in err


def test_remembering_the_consultant_keeps_the_store_and_the_mode(tmp_path, no_store_variable, monkeypatch) -> None:
    monkeypatch.setattr("intake_tui.cli.tui._run", lambda app: 0)
    save_settings(Settings(store=str(tmp_path / "kept")))
    assert main(["new", "--region", "liemers", "--consultant", "Piet"]) == 0
    assert load_settings() == Settings(consultant="Piet", store=str(tmp_path / "kept"))
    assert settings_path().stat().st_mode & 0o777 == 0o600
    assert "hunter2" not in repr(Settings(store=SECRET))
