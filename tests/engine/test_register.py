"""The shared register (PostgreSQL) and the folder store behind one interface (issue 18).

These tests talk to the real local server (127.0.0.1:5432, trust, database
`test`); each test gets a schema of its own. Without a server they skip, unless
INTAKE_REQUIRE_POSTGRES is set (CI sets it), then they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from intake_tui.rules import regions
from intake_tui.cli.main import main
from intake_tui.words.i18n import language
from intake_tui.engine.intake import Intake
from intake_tui.paths import dialogs_dir
from intake_tui.engine.store import Store, StoreError

EN = language("en")
ADMIN = os.environ.get("INTAKE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _server() -> str | None:
    try:
        import psycopg

        with psycopg.connect(ADMIN, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return None
    except Exception as error:  # noqa: BLE001
        return f"no PostgreSQL at {ADMIN.split('@')[-1]} ({error.__class__.__name__})"


missing = _server()
if missing and os.environ.get("INTAKE_REQUIRE_POSTGRES"):
    raise RuntimeError(f"the register tests need PostgreSQL: {missing}")
pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")


def url_for(schema: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


@pytest.fixture
def schema():
    import psycopg

    name = "intake_t_" + uuid.uuid4().hex[:10]
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(params=["folder", "register"])
def store(request, tmp_path):
    if request.param == "folder":
        yield Store(tmp_path / "store")
        return
    schema = request.getfixturevalue("schema")
    from intake_tui.engine.register import Register

    register = Register(url_for(schema))
    yield register
    register.close()


def finished(store, region="liemers", no=False, pupil_ref=None):
    intake = Intake.start(region, EN, store, pupil_ref=pupil_ref)
    intake.answer_value(not no)
    if not no:
        while intake.session.question_id is not None:
            intake.answer_value(_yes(intake))
    record = intake.save()
    intake.close()
    return record


def _yes(intake):
    question = intake.dialog.questions[intake.session.question_id]
    return {"bool": True, "int": 8, "number": 2.5}.get(question.type, question.choices[0].value if question.choices else None)


# -- one interface, two back ends ---------------------------------------------------------------
def test_save_load_and_list_newest_first(store):
    first = finished(store, no=True, pupil_ref="LL-1")
    time.sleep(1.1)  # times are kept to the second
    draft = Intake.start("liemers", EN, store, pupil_ref="LL-2")
    draft.answer_value(True)
    second = draft.save()
    draft.close()
    assert store.load(first.id) == first
    assert [e.id for e in store.entries()][:2] == [second.id, first.id]
    assert [e.id for e in store.listing(status="draft")] == [second.id]
    assert [e.id for e in store.listing(pupil_ref="LL-1")] == [first.id]
    assert [e.id for e in store.listing(limit=1)] == [second.id]
    assert store.newest_draft().id == second.id


def test_a_stale_save_never_overwrites_a_newer_revision(schema):
    # The register's own check (one transaction, revision compared under FOR UPDATE).
    from intake_tui.engine.register import Register

    store = Register(url_for(schema))
    record = finished(store, no=True)
    newer = store.save(record)
    assert newer.revision == record.revision + 1
    with pytest.raises(StoreError):
        store.save(record)  # the stale window
    assert store.load(record.id).revision == newer.revision


def test_a_draft_open_in_one_window_is_already_open_in_another(store):
    intake = Intake.start("liemers", EN, store)
    intake.answer_value(True)
    record = intake.save()
    try:
        with pytest.raises(StoreError, match="already open"):
            with type(store)(store.url if hasattr(store, "url") else store.folder).lock(record.id):
                pass
    finally:
        intake.close()
    with store.lock(record.id):
        pass


def test_delete(store):
    record = finished(store, no=True)
    store.delete(record.id)
    with pytest.raises(StoreError):
        store.load(record.id)


# -- the register itself --------------------------------------------------------------------------
def test_the_schema_is_versioned_and_a_newer_one_refused(schema):
    import psycopg

    from intake_tui.engine.register import SCHEMA_VERSION, Register

    register = Register(url_for(schema))
    register.ensure()
    assert register.migrate() == SCHEMA_VERSION  # again: nothing to do
    register.close()
    with psycopg.connect(url_for(schema), autocommit=True) as connection:
        connection.execute("INSERT INTO intake_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer version"):
        Register(url_for(schema)).ensure()


def test_the_audit_names_facts_never_values(schema):
    import psycopg

    from intake_tui.engine.register import Register

    register = Register(url_for(schema))
    record = finished(register, pupil_ref="AUD-7")
    register.record_export(record)
    register.delete(record.id)
    register.close()
    with psycopg.connect(url_for(schema)) as connection:
        rows = connection.execute("SELECT action, facts FROM intake_audit ORDER BY at").fetchall()
        left = connection.execute("SELECT count(*) FROM intake_records").fetchone()[0]
    actions = [action for action, _facts in rows]
    assert actions[0] == "created" and "answered" in actions and actions[-2:] == ["exported", "purged"]
    text = json.dumps(rows, default=str)
    assert "needs_exceed_basic" in text and "AUD-7" not in text and "true" not in text.lower().replace('"', "")
    assert left == 0


def test_row_level_security_keeps_each_swv_to_its_own(schema):
    import psycopg

    from intake_tui.engine.register import Register

    with psycopg.connect(ADMIN, autocommit=True) as connection:
        for role in ("intake_test_a", "intake_test_b"):
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                connection.execute(f"CREATE ROLE {role} LOGIN")
            connection.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    admin = Register(url_for(schema))
    admin.ensure()
    liemers, meierij = regions.load_region("liemers").meta.swv, regions.load_region("meierij").meta.swv
    admin.members("intake_test_a", liemers)
    admin.members("intake_test_b", meierij)
    admin.close()

    a = Register(url_for(schema, "intake_test_a"))
    record = finished(a, pupil_ref="SECRET-1")
    assert [e.id for e in a.entries()] == [record.id]
    with pytest.raises(StoreError):  # a cannot keep records of another SWV
        finished(a, region="meierij", no=True)
    a.close()

    b = Register(url_for(schema, "intake_test_b"))
    assert b.entries() == []
    with pytest.raises(StoreError):
        b.load(record.id)
    b.close()
    # A crafted query of b's consultant, straight to the database: nothing of a's SWV.
    with psycopg.connect(url_for(schema, "intake_test_b")) as connection:
        assert connection.execute("SELECT * FROM intake_records WHERE swv = %s OR true", (liemers,)).fetchall() == []
        assert connection.execute("SELECT * FROM intake_audit").fetchall() == []
        assert connection.execute("SELECT * FROM intake_followups").fetchall() == []


def test_a_killed_process_frees_its_draft_and_loses_no_answer(schema, tmp_path):
    from intake_tui.engine.register import Register

    script = tmp_path / "hold.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        from intake_tui.words.i18n import language
        from intake_tui.engine.intake import Intake
        from intake_tui.engine.register import Register
        intake = Intake.start("liemers", language("en"), Register({url_for(schema)!r}))
        intake.answer_value(True)
        intake.answer_value(True)
        print(intake.save().id, flush=True)
        while True:
            intake.save()
    """))
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    record_id = process.stdout.readline().strip()
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    register = Register(url_for(schema))
    try:
        deadline = time.monotonic() + 15  # the server ends the killed process's session within moments
        while True:
            try:
                with register.lock(record_id):  # the killed session's lock went with it
                    record = register.load(record_id)
                break
            except StoreError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert record.answers == {"needs_exceed_basic": True, "ab_involved": True}
    finally:
        register.close()


def test_a_remote_register_needs_tls_and_its_address_is_never_shown(capsys):
    secret_url = "postgresql://consultant:hunter2@db.example.org:5432/intake"
    assert main(["--lang", "en", "--store", secret_url, "list"]) == 2
    err = capsys.readouterr().err
    assert "sslmode=require" in err and "hunter2" not in err and "consultant" not in err


# -- commands ---------------------------------------------------------------------------------------
def test_migrate_a_folder_into_the_register(schema, tmp_path, capsys):
    folder = Store(tmp_path / "store")
    good = [finished(folder, no=True, pupil_ref=f"M-{n}") for n in range(3)]
    (folder.folder / "corrupt.json").write_text("{not json")
    (folder.folder / "foreign.json").write_text(json.dumps({"hello": "world"}))
    before = {path.name: path.read_bytes() for path in folder.folder.iterdir()}
    url = url_for(schema)
    assert main(["--lang", "en", "migrate", "--from", str(folder.folder), "--to", url]) == 0
    out, err = capsys.readouterr()
    assert "3 copied, 0 already there, 2 left alone" in out and "corrupt" in err and "foreign" in err
    assert main(["--lang", "en", "migrate", "--from", str(folder.folder), "--to", url]) == 0  # idempotent
    assert "0 copied, 3 already there" in capsys.readouterr().out
    assert {path.name: path.read_bytes() for path in folder.folder.iterdir()} == before
    assert main(["--lang", "en", "--store", url, "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(item["id"] for item in listed) == sorted(record.id for record in good)
    assert "postgres@" not in json.dumps(listed)


@pytest.fixture
def rules_with_terms(tmp_path, monkeypatch):
    """The shipped rules with a dated follow-up on Liemers' arrangement (6 weeks, end of school year)."""
    folder = tmp_path / "dialogs"
    shutil.copytree(dialogs_dir(), folder)
    text = (folder / "liemers.toml").read_text(encoding="utf-8")
    if "rule = \"6 weeks\"" not in text:  # the shipped Liemers terms are 4 weeks and the end of the school year
        text += textwrap.dedent("""
            [[outcomes.arrangement.terms]]
            text = "The OPP is evaluated with the parents."
            rule = "6 weeks"

            [[outcomes.arrangement.terms]]
            text = "The arrangement ends."
            rule = "end of school year"
            """)
    (folder / "liemers.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("INTAKE_DIALOGS", str(folder))
    regions.load_region.cache_clear()
    yield folder
    regions.load_region.cache_clear()


def test_due_lists_the_follow_ups_on_both_back_ends(store, rules_with_terms, capsys):
    record = finished(store, pupil_ref="DUE-1")
    assert record.recommendation.route == "arrangement"
    target = "--store"
    where = store.url if hasattr(store, "url") else str(store.folder)
    assert main(["--lang", "en", target, where, "due", "--within", "60d", "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    six_weeks = (record.intake_date or dt.date.today()) + dt.timedelta(weeks=6)
    assert {"due": six_weeks.isoformat(), "id": record.id} in [{"due": f["due"], "id": f["id"]} for f in found]
    assert main(["--lang", "en", target, where, "due", "--within", "1d"]) == 0
    assert "Nothing falls due" in capsys.readouterr().out
    assert [e.id for e in store.listing(due_before=six_weeks)] == [record.id]


@pytest.mark.parametrize("url, where", [
    ("postgresql://[bad", "?"),
    ("postgresql://postgres:hunter2@127.0.0.1/no_such_database_qa", "127.0.0.1/no_such_database_qa"),
    ("postgresql://postgres:hunter2@127.0.0.1/test?sslmode=bogus", "127.0.0.1/test"),
])
def test_a_bad_register_address_gets_one_sentence_and_exit_2(capfd, url, where):
    assert main(["--lang", "en", "--store", url, "list"]) == 2
    out, err = capfd.readouterr()
    assert err.startswith(f"intake: cannot reach the register on {where} (")
    assert err.count("\n") == 1, err  # once, not retried and logged by the pool
    assert "hunter2" not in err and "Traceback" not in err and out == ""
