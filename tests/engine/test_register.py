"""The shared register (PostgreSQL) beyond what every store does (that is test_stores.py):
its schema and migrations, the audit trail, row-level security, a killed process,
two connections racing for one draft, `intake migrate`, and its address, which is
never shown.

These tests talk to the real local server (127.0.0.1:5432, trust, database
`test`); each test gets a schema of its own. Without a server they skip, unless
INTAKE_REQUIRE_POSTGRES is set (CI sets it), then they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.register import Register
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import AlreadyOpen, StoreError
from intake_tui.i18n import language
from intake_tui.rules import regions

from ..postgres_support import ADMIN, fresh_schema, require_server, url_for
from .test_store import make_record
from .test_stores import finished

EN = language("en")


@pytest.fixture(autouse=True)
def _server() -> None:
    require_server()


def test_the_schema_is_versioned_and_a_newer_one_refused(schema):
    import psycopg

    from intake_tui.engine.register_schema import SCHEMA_VERSION

    register = Register(url_for(schema))
    register.open()
    assert register.migrate() == SCHEMA_VERSION  # again: nothing to do
    register.close()
    with psycopg.connect(url_for(schema), autocommit=True) as connection:
        connection.execute("INSERT INTO intake_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer version"):
        Register(url_for(schema)).open()


def test_the_audit_names_facts_never_values_and_a_purge_keeps_only_the_audit(schema, rules_with_terms, capsys):
    import psycopg

    url = url_for(schema)
    register = Register(url)
    record = finished(register, pupil_ref="AUD-7")
    assert main(["--lang", "en", "--store", url, "export", record.id, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == record.id
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT count(*) FROM intake_followups").fetchone()[0] > 0
    tomorrow = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert [r.id for r in register.purge(tomorrow).deleted] == [record.id]
    register.close()
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT action, facts, record_id, swv FROM intake_audit ORDER BY at").fetchall()
        left = [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("intake_records", "intake_followups")]
    actions = [action for action, *_rest in rows]
    assert actions[0] == "created" and "answered" in actions and actions[-2:] == ["exported", "purged"]
    assert {(record_id, swv) for _a, _f, record_id, swv in rows} == {(record.id, record.swv)}
    text = json.dumps(rows, default=str)
    assert "needs_exceed_basic" in text and "AUD-7" not in text and "true" not in text.lower().replace('"', "")
    assert left == [0, 0]  # the record's data and its follow-ups are gone; the audit says who did what, when


def test_row_level_security_keeps_each_swv_to_its_own(schema):
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as connection:
        for role in ("intake_test_a", "intake_test_b"):
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                connection.execute(f"CREATE ROLE {role} LOGIN")
            connection.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    admin = Register(url_for(schema))
    admin.open()
    liemers, meierij = regions.load_region("liemers").meta.swv, regions.load_region("meierij").meta.swv
    admin.add_member("intake_test_a", liemers)
    admin.add_member("intake_test_b", meierij)
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


def test_only_the_administrator_sets_the_register_up(schema):
    """A consultant's role that may create tables in the schema still does not become the register's owner."""
    import uuid

    import psycopg

    role = "intake_t_" + uuid.uuid4().hex[:8]
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN")
        connection.execute(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {role}")
    try:
        consultant = Register(url_for(schema, role))
        with pytest.raises(StoreError, match="is not set up yet"):
            consultant.open()
        with pytest.raises(StoreError, match="is not set up yet"):  # asked again, not half-open
            consultant.listing()
        with psycopg.connect(url_for(schema)) as connection:
            assert connection.execute("SELECT to_regclass('intake_schema')").fetchone()[0] is None
        admin = Register(url_for(schema))
        admin.open()
        with pytest.raises(StoreError, match="has no access"):
            consultant.listing()
        admin.add_member(role.upper(), regions.load_region("liemers").meta.swv)  # as typed: the role is found
        assert consultant.listing() == []
        with pytest.raises(StoreError, match="only the administrator"):
            consultant.member_list()
        assert admin.remove_member(role, regions.load_region("liemers").meta.swv)
        assert admin.member_list() == []
        consultant.close()
        admin.close()
        with pytest.raises(StoreError, match="has no access"):
            Register(url_for(schema, role)).listing()
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP OWNED BY {role}")
            connection.execute(f"DROP ROLE {role}")


def test_a_killed_process_frees_its_draft_and_loses_no_answer(schema, tmp_path):
    script = tmp_path / "hold.py"
    script.write_text(textwrap.dedent(f"""
        import sys, time
        from intake_tui.i18n import language
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


def test_two_connections_racing_for_one_draft(schema):
    """Two windows open the same draft at the same moment: one holds it, the other is told; two saves of
    the same revision at once: one is kept, the other refused; nothing is lost or mixed."""
    import threading

    url = url_for(schema)
    first = Register(url).save(make_record())
    for _round in range(5):
        windows = [Register(url), Register(url)]
        for window in windows:
            window.open()
        start = threading.Barrier(2)
        outcomes: list[str] = []
        release = threading.Event()

        def open_draft(window):
            start.wait()
            try:
                with window.lock(first.id):
                    outcomes.append("held")
                    release.wait(10)
            except AlreadyOpen:
                outcomes.append("already open")
                release.set()

        threads = [threading.Thread(target=open_draft, args=(window,)) for window in windows]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["already open", "held"]
        for window in windows:
            window.close()
    current = Register(url).load(first.id)
    windows = [Register(url), Register(url)]
    for window in windows:
        window.open()
    start = threading.Barrier(2)
    saved, refused = [], []

    def save(window, value):
        start.wait()
        try:
            saved.append(window.save(current.model_copy(update={"answers": dict(current.answers, hgw_months=value)})))
        except StoreError as error:  # the other's transaction held it, or it was first: a newer revision
            refused.append(error)

    threads = [threading.Thread(target=save, args=(window, value)) for window, value in zip(windows, (7, 9))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(saved) == 1 and len(refused) == 1
    stored = windows[0].load(first.id)
    assert stored == saved[0] and stored.revision == current.revision + 1
    for window in windows:
        window.close()


def test_a_remote_register_needs_tls_and_its_address_is_never_shown(capsys):
    secret_url = "postgresql://consultant:hunter2@db.example.org:5432/intake"
    assert main(["--lang", "en", "--store", secret_url, "list"]) == 2
    err = capsys.readouterr().err
    assert "sslmode=require" in err and "hunter2" not in err and "consultant" not in err


# -- commands ---------------------------------------------------------------------------------------
def test_migrate_a_folder_into_the_register(schema, tmp_path, capsys, monkeypatch):
    folder = Store(tmp_path / "store")
    good = [finished(folder, no=True, pupil_ref=f"M-{n}") for n in range(3)]
    (folder.folder / "corrupt.json").write_text("{not json")
    (folder.folder / "foreign.json").write_text(json.dumps({"hello": "world"}))
    (folder.folder / "20250101-0123456789.json.tmp").write_text("a leftover of a killed save")
    # Every file counts as settled: a listing that may write would index them all now.
    monkeypatch.setattr("intake_tui.engine.folder_index.SETTLED_NS", -10**15)
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


BAD_ADDRESSES = [
    ("postgresql://[bad", "?"),
    ("postgresql://postgres:hunter2@127.0.0.1/no_such_database_qa", "127.0.0.1/no_such_database_qa"),
    ("postgresql://postgres:hunter2@127.0.0.1/test?sslmode=bogus", "127.0.0.1/test"),
    ("postgresql://no_such_role_qa:hunter2@127.0.0.1/test", "127.0.0.1/test"),  # a wrong user or password
    ("postgresql://postgres:hunter2@127.0.0.1:1/test", "127.0.0.1/test"),  # no server there
]


@pytest.mark.parametrize("url, where", BAD_ADDRESSES)
@pytest.mark.parametrize("command", [["list"], ["due"], ["purge", "--older-than", "3y"], ["export", "x"], ["resume"], []])
def test_a_bad_register_address_gets_one_sentence_and_exit_2(capfd, caplog, url, where, command):
    import logging

    caplog.set_level(logging.DEBUG)
    assert main(["--lang", "en", "--store", url, *command]) == 2
    out, err = capfd.readouterr()
    assert err.startswith(f"intake: cannot reach the register on {where} (")
    assert err.count("\n") == 1, err  # once, not retried and logged by the pool
    assert "hunter2" not in err and "Traceback" not in err and out == ""
    assert "hunter2" not in caplog.text and "no_such_role_qa" not in caplog.text and "no_such_role_qa" not in err


def test_a_connection_lost_midway_is_one_sentence_and_nothing_is_logged(schema, capfd):
    """The pool would log the lost connection (Python's last resort prints it on stderr): it is kept quiet."""
    import logging

    import psycopg

    class Kept(logging.Handler):  # what an application's log would receive
        records: list[logging.LogRecord] = []

        def emit(self, record):
            self.records.append(record)

    root = logging.getLogger()
    kept, level = Kept(logging.DEBUG), root.level
    root.addHandler(kept)
    root.setLevel(logging.DEBUG)
    register = Register(url_for(schema))
    register.open()
    with register.pool.connection() as connection:
        pid = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(ADMIN, autocommit=True) as admin:  # only this register's own connection
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError, match=r"^the register on 127\.0\.0\.1/test failed \(\w+\)$"):
        register.listing()
    register.close()
    root.removeHandler(kept)
    root.setLevel(level)
    assert [record.name for record in kept.records if record.name.startswith("psycopg")] == []
    assert capfd.readouterr().err == ""


def test_an_address_in_the_environment_is_never_shown(capfd, monkeypatch):
    monkeypatch.setenv("INTAKE_STORE", "postgresql://no_such_role_qa:hunter2@127.0.0.1/test")
    assert main(["--lang", "en", "list"]) == 2
    out, err = capfd.readouterr()
    assert err == "intake: cannot reach the register on 127.0.0.1/test (OperationalError)\n" and out == ""


def test_two_registers_in_one_database_hold_their_own_drafts(schema):
    """Advisory locks are per database: a draft held in one register's schema does not hold
    the draft of the same id in another (red when the lock's key leaves the schema out); and
    a draft let go of can be opened again at once by the same window."""
    record = make_record()
    with fresh_schema() as other:
        here, there = Register(url_for(schema)), Register(url_for(other))
        here.save(record)
        there.save(record)
        with here.lock(record.id), there.lock(record.id):
            pass
        for _ in range(20):
            with here.lock(record.id):
                pass
        here.close()
        there.close()


def test_administrators_adding_and_removing_members_at_once_each_get_their_change(schema):
    """Two GRANTs on one table at the same moment are refused by PostgreSQL ('tuple concurrently
    updated'): the register's membership changes take their turn, so none of them is a crash."""
    import threading

    import psycopg

    roles = [f"intake_test_c{index}" for index in range(6)]
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        for role in roles:
            if not connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                connection.execute(f"CREATE ROLE {role} LOGIN")
    swv = regions.load_region("liemers").meta.swv
    setup = Register(url_for(schema))
    setup.open()  # the administrator sets the register up
    setup.close()
    errors: list[BaseException] = []
    start = threading.Barrier(len(roles))

    def change(role: str) -> None:
        admin = Register(url_for(schema))  # each its own connection, as separate commands are
        try:
            start.wait()
            for _ in range(3):
                admin.add_member(role, swv)
                admin.remove_member(role, swv)
            admin.add_member(role, swv)
        except BaseException as error:  # noqa: BLE001 (the test names what went wrong)
            errors.append(error)
        finally:
            admin.close()

    threads = [threading.Thread(target=change, args=(role,)) for role in roles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    admin = Register(url_for(schema))
    assert sorted(role for role, _ in admin.member_list()) == roles
    admin.close()
