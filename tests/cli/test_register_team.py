"""The README's "A register for the team", step by step, through the real command line
(``python -m intake_tui ...`` in a process of its own) against the real local PostgreSQL:
an administrator, two consultants of one SWV (anna, bram) and one of another (carla),
each a database role of their own, in a database of its own made for this run.

Anna moves her folder into the register; bram, on another machine, lists her records and
sees the same follow-ups fall due; carla sees nothing of them, also not with a query of
her own. Before the administrator has set the register up, and for a role that is no
member, each command says so in one sentence (exit 2). No output names the address.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable

import pytest

from intake_tui.engine.followups import follow_ups
from intake_tui.engine.store import Store
from intake_tui.rules import regions

from ..engine.test_stores import finished
from ..postgres_support import ADMIN, require_server

HOST = "127.0.0.1:5432"


@pytest.fixture
def team():
    """A fresh database owned by a fresh administrator role, and three consultant roles; all dropped afterwards."""
    import psycopg

    require_server()
    tag = "intake_w_" + uuid.uuid4().hex[:8]
    names = {who: f"{tag}_{who}" for who in ("admin", "anna", "bram", "carla")}
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        for role in names.values():
            connection.execute(f"CREATE ROLE {role} LOGIN")
        connection.execute(f"CREATE DATABASE {tag} OWNER {names['admin']}")
    try:
        yield {who: f"postgresql://{role}@{HOST}/{tag}" for who, role in names.items()} | {"roles": names}
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {tag} WITH (FORCE)")
            for role in names.values():
                connection.execute(f"DROP ROLE IF EXISTS {role}")


class Shell:
    """Runs ``intake`` as a person would, and keeps everything it printed. Commands that do not depend on each
    other run at once (``start`` them, then ``at_once``), as people at their own machines would."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def start(self, *words: str, store: str | None = None, lang: str = "en") -> Callable[[], subprocess.CompletedProcess]:
        env = dict(os.environ)
        env.pop("INTAKE_STORE", None)
        if store is not None:  # as a consultant keeps it: in the environment
            env["INTAKE_STORE"] = store
        argv = [sys.executable, "-m", "intake_tui", *(["--lang", lang] if lang != "nl" else []), *words]
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)

        def finished() -> subprocess.CompletedProcess:
            try:
                stdout, stderr = process.communicate(timeout=120)
            finally:
                process.kill()
            self.said += [stdout, stderr]
            assert "Traceback" not in stderr, stderr
            return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)

        return finished

    def __call__(self, *words: str, store: str | None = None, lang: str = "en") -> subprocess.CompletedProcess:
        return self.start(*words, store=store, lang=lang)()

    @staticmethod
    def at_once(*started: Callable[[], subprocess.CompletedProcess]) -> list[subprocess.CompletedProcess]:
        return [finished() for finished in started]


def one_sentence(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and done.stderr.count("\n") == 1 and done.stderr.startswith("intake: "), done.stderr
    for part in parts:
        assert part in done.stderr, done.stderr


def test_a_team_shares_a_register_as_the_readme_says(team, tmp_path):
    import psycopg

    intake = Shell()
    roles = team["roles"]
    folder = Store(tmp_path / "records")  # anna's laptop: two intakes of her SWV, one of another SWV's
    mine = [finished(folder, region="liemers", pupil_ref=f"L-{n}") for n in (1, 2)]
    other = finished(folder, region="meierij", pupil_ref="M-1")
    before = {path.name: path.read_bytes() for path in folder.folder.iterdir()}
    liemers, meierij = regions.load_region("liemers").meta.swv, regions.load_region("meierij").meta.swv
    assert {record.swv for record in mine} == {liemers} and other.swv == meierij

    # Anna is first, before the administrator: a sentence saying who must act, in her language.
    done, dutch, early = intake.at_once(
        intake.start("migrate", "--from", str(folder.folder), "--to", team["anna"]),
        intake.start("list", store=team["anna"], lang="nl"),
        intake.start("members", "add", roles["anna"], "--swv", "liemers", "--store", team["anna"]))
    one_sentence(done, "is not set up yet", "intake members add ROLE --swv REGION")
    one_sentence(dutch, "is nog niet ingericht")
    one_sentence(early, "is not set up yet")

    # The administrator sets the register up by making the members, typing regions as 'intake regions' lists them
    # (one after another: PostgreSQL refuses two grants on one object at once).
    for who, region in (("anna", "Liemers"), ("bram", "liemers"), ("carla", "meierij")):
        done = intake("members", "add", roles[who], "--swv", region, "--store", team["admin"])
        assert done.returncode == 0 and f"{roles[who]} is now a member of " in done.stdout, done.stderr
    nowhere, no_role, listed, anna_lists, anna_adds = intake.at_once(
        intake.start("members", "add", roles["bram"], "--swv", "nowhere", "--store", team["admin"]),
        intake.start("members", "add", "no_such_role_qa", "--swv", "liemers", "--store", team["admin"]),
        intake.start("members", "list", "--store", team["admin"]),
        intake.start("members", "list", "--store", team["anna"]),
        intake.start("members", "add", roles["anna"], "--swv", "meierij", "--store", team["anna"]))
    one_sentence(nowhere, "unknown region 'nowhere'")
    one_sentence(no_role, "no database role 'no_such_role_qa'")
    assert listed.returncode == 0
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [
        [roles["anna"], "liemers"], [roles["bram"], "liemers"], [roles["carla"], "meierij"]]
    one_sentence(anna_lists, "only the administrator")
    one_sentence(anna_adds, "only the administrator")

    # Anna moves her folder in: her SWV's records; the other SWV's one is left alone, with the reason.
    done = intake("migrate", "--from", str(folder.folder), "--to", team["anna"])
    assert done.returncode == 0, done.stderr
    assert "2 copied, 0 already there, 1 left alone" in done.stdout
    assert other.id in done.stderr and "not a member of" in done.stderr
    # One migration of a folder at a time: each holds the records it copies (a second one at once is told they are open).
    assert "0 copied, 2 already there, 1 left alone" in intake("migrate", "--from", str(folder.folder),
                                                                "--to", team["anna"]).stdout
    assert "1 copied, 0 already there, 2 left alone" in intake("migrate", "--from", str(folder.folder),
                                                                "--to", team["carla"]).stdout
    assert {path.name: path.read_bytes() for path in folder.folder.iterdir()} == before

    # Bram, on another machine, sees anna's records; carla sees only her own SWV's. Both consultants are
    # told the same follow-ups: those of anna's records within the year.
    who_all = ("anna", "bram", "carla")
    lists = [intake.start("list", "--format", "json", store=team[who]) for who in who_all]
    dues = [intake.start("due", "--within", "365d", "--format", "json", store=team[who]) for who in who_all]
    table_started = intake.start("due", "--within", "365d", store=team["bram"])
    with psycopg.connect(team["carla"]) as connection:  # carla's own query, straight to the database
        for table, column in (("intake_records", "id"), ("intake_followups", "record_id"), ("intake_audit", "record_id")):
            found = connection.execute(f"SELECT {column} FROM {table} WHERE swv = %s OR true", (liemers,)).fetchall()
            assert {row[0] for row in found} <= {other.id}, table
    ids, due = {}, {}
    for who, done in zip(who_all, intake.at_once(*lists)):
        assert done.returncode == 0, done.stderr
        ids[who] = sorted(item["id"] for item in json.loads(done.stdout))
    for who, done in zip(who_all, intake.at_once(*dues)):
        assert done.returncode == 0, done.stderr
        due[who] = sorted((item["due"], item["id"]) for item in json.loads(done.stdout))
    table = table_started()
    assert ids["bram"] == ids["anna"] == sorted(record.id for record in mine)
    assert ids["carla"] == [other.id]
    today = dt.date.today()
    expected = sorted((term.due.isoformat(), record.id) for record in mine for term in follow_ups(record)
                      if today <= term.due <= today + dt.timedelta(days=365))
    assert expected, "the Liemers arrangement has dated follow-ups"
    assert due["anna"] == due["bram"] == expected
    assert not {record_id for _day, record_id in due["carla"]} & {record.id for record in mine}
    assert all(record.id in table.stdout and record.pupil_ref in table.stdout for record in mine)

    # Bram leaves the SWV: he sees nothing any more, and is told why.
    done = intake("members", "remove", roles["bram"], "--swv", "liemers", "--store", team["admin"])
    assert done.returncode == 0 and "is no longer a member of" in done.stdout
    bram_lists, removed_again = intake.at_once(
        intake.start("list", store=team["bram"]),
        intake.start("members", "remove", roles["bram"], "--swv", "liemers", "--store", team["admin"]))
    one_sentence(bram_lists, "has no access to the register")
    assert "was not a member" in removed_again.stdout

    everything = "".join(intake.said)
    assert "postgresql://" not in everything and f"@{HOST}" not in everything and "@127.0.0.1" not in everything
