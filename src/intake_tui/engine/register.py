"""The shared register: the record store in PostgreSQL, for a team of consultants.

The same methods and guarantees as the folder store (``store.Store``):

- a save is one transaction, and never overwrites a newer revision;
- a draft open in one window is "already open" in another: an advisory lock
  held by a connection of its own for as long as the intake is open, so a
  killed process frees it;
- one register may serve several SWVs: row-level security lets a database role
  see only the records of the SWVs it is a member of (``intake_members``); the
  schema's owner administers it and sees everything;
- an audit trail says who did what and when (created, answered, changed,
  exported, purged) with the facts touched, never their values.

The schema migrates itself, versioned, in a transaction, and refuses a newer
one. The connection string is never shown: messages name the register by its
host and database only; a register on another host is reached over TLS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from intake_tui.engine.followups import follow_ups
from intake_tui.engine.record import IntakeRecord, RecordError, parse_record
from intake_tui.words.said import Said
from intake_tui.words.i18n import N_
from intake_tui.engine.store import StoreError

SCHEMA_VERSION = 1
MIGRATION_LOCK = 0x1A7A4E  # an advisory lock key: one migration at a time
URL_PREFIXES = ("postgresql://", "postgres://")

MIGRATIONS: dict[int, str] = {
    1: """
CREATE TABLE intake_records (
    id text PRIMARY KEY,
    swv text NOT NULL,
    region text NOT NULL,
    ruleset_version text NOT NULL,
    status text NOT NULL CHECK (status IN ('draft', 'complete')),
    pupil_ref text,
    consultant text,
    school text,
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    revision integer NOT NULL,
    next_due date,
    record jsonb NOT NULL
);
CREATE INDEX intake_records_listing ON intake_records (swv, updated DESC, id DESC);
CREATE INDEX intake_records_newest ON intake_records (updated DESC, id DESC);
CREATE INDEX intake_records_status ON intake_records (status, updated DESC, id DESC);
CREATE INDEX intake_records_pupil ON intake_records (lower(pupil_ref)) WHERE pupil_ref IS NOT NULL;
CREATE INDEX intake_records_next_due ON intake_records (next_due) WHERE next_due IS NOT NULL;
CREATE TABLE intake_followups (
    record_id text NOT NULL REFERENCES intake_records (id) ON DELETE CASCADE,
    swv text NOT NULL,
    due date NOT NULL,
    what text NOT NULL,
    cite text
);
CREATE INDEX intake_followups_due ON intake_followups (due, record_id);
CREATE TABLE intake_audit (
    at timestamptz NOT NULL DEFAULT now(),
    swv text NOT NULL,
    record_id text NOT NULL,
    actor text NOT NULL DEFAULT current_user,
    action text NOT NULL CHECK (action IN ('created', 'answered', 'changed', 'exported', 'purged', 'migrated')),
    facts text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX intake_audit_record ON intake_audit (record_id, at);
CREATE TABLE intake_members (
    role name NOT NULL,
    swv text NOT NULL,
    PRIMARY KEY (role, swv)
);
ALTER TABLE intake_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_followups ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY intake_records_own_swv ON intake_records
    USING (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user))
    WITH CHECK (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user));
CREATE POLICY intake_followups_own_swv ON intake_followups
    USING (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user))
    WITH CHECK (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user));
CREATE POLICY intake_audit_own_swv ON intake_audit
    USING (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user))
    WITH CHECK (swv IN (SELECT m.swv FROM intake_members m WHERE m.role = current_user));
""",
}

_LIST_COLUMNS = "id, record"


class RegisterError(Said, RuntimeError):
    """A register problem in plain words (never the connection string)."""


def is_register_url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(URL_PREFIXES)


def describe(url: str) -> str:
    """How messages name a register: host and database, never user or password."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname or 'localhost'}/{parts.path.lstrip('/') or '-'}"
    except ValueError:  # not a URL at all (an unclosed "[", a bad port): name nothing of it
        return "?"


def check_transport(url: str) -> None:
    """A register on another host is reached over TLS, unless the URL says sslmode=disable itself."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    query = parse_qs(parts.query)
    host = query.get("host", [host])[0]
    if not host or host.startswith("/") or host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    mode = query.get("sslmode", [None])[0]
    if mode in ("require", "verify-ca", "verify-full", "disable"):
        return
    raise StoreError(N_("the register on {where} is on another computer: add sslmode=require (or verify-full) to its "
                        "address for an encrypted connection, or sslmode=disable to connect without one knowingly"),
                     where=describe(url))


@dataclass(frozen=True)
class DueItem:
    """One follow-up that falls due: when, what (an English msgid), and whose record."""

    due: dt.date
    what: str
    record_id: str
    region: str
    pupil_ref: str | None


@dataclass
class RegisterEntry:
    """One row of the register: its record, or why it cannot be read (as the folder store's Entry)."""

    id: str
    record: IntakeRecord | None
    problem: str | None = None
    reason: Said | None = None

    def problem_in(self, gettext) -> str | None:
        return self.reason.say(gettext) if self.reason is not None else self.problem


class Register:
    """The record store in a PostgreSQL database (see the module's text)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.folder = describe(url)  # what messages show where the folder store shows its folder
        self._pool = None

    def __repr__(self) -> str:
        return f"Register({self.folder!r})"

    # -- connections ------------------------------------------------------------------
    @property
    def pool(self):
        if self._pool is None:
            from psycopg_pool import ConnectionPool

            import psycopg

            try:
                check_transport(self.url)
            except ValueError:  # urlsplit: an unclosed "[", a port that is no number
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self.folder,
                                 reason="ValueError") from None
            try:  # one plain connection first: a bad address is said once, not retried by the pool
                psycopg.connect(self.url, connect_timeout=10).close()
            except Exception as error:  # noqa: BLE001 - psycopg's own text may carry the address: not shown
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self.folder,
                                 reason=error.__class__.__name__) from None
            try:
                pool = ConnectionPool(self.url, min_size=1, max_size=4, open=True, timeout=10,
                                      kwargs={"autocommit": True}, name="intake-register")
                pool.wait(timeout=10)
            except Exception as error:  # noqa: BLE001 - psycopg's own text may carry the address: not shown
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self.folder,
                                 reason=error.__class__.__name__) from None
            self._pool = pool
            self.migrate()
        return self._pool

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        import psycopg

        try:
            with self.pool.connection() as connection, connection.transaction():
                yield connection
        except psycopg.errors.InsufficientPrivilege:
            raise StoreError(N_("the register on {where} does not let you do this (your role is not a member of "
                                "this SWV)"), where=self.folder) from None
        except psycopg.OperationalError as error:
            raise StoreError(N_("the register on {where} failed ({reason})"), where=self.folder,
                             reason=error.__class__.__name__) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def ensure(self) -> None:
        self.pool  # noqa: B018 - connects and migrates

    # -- schema -----------------------------------------------------------------------
    def migrate(self) -> int:
        """Bring the schema to this version's, in one transaction; refuse a newer one."""
        with self._pool.connection() as connection, connection.transaction():
            if connection.execute("SELECT to_regclass('intake_schema')").fetchone()[0] is not None:
                current = connection.execute("SELECT max(version) FROM intake_schema").fetchone()[0] or 0
                if current == SCHEMA_VERSION:
                    return current  # a consultant's role needs no right to change the schema
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            connection.execute("CREATE TABLE IF NOT EXISTS intake_schema (version integer NOT NULL)")
            row = connection.execute("SELECT max(version) FROM intake_schema").fetchone()
            current = row[0] or 0
            if current > SCHEMA_VERSION:
                raise StoreError(N_("the register on {where} was made by a newer version of intake_tui (schema {found}, "
                                    "this version knows up to {known}); update intake_tui"),
                                 where=self.folder, found=current, known=SCHEMA_VERSION)
            for version in range(current + 1, SCHEMA_VERSION + 1):
                connection.execute(MIGRATIONS[version])
                connection.execute("INSERT INTO intake_schema (version) VALUES (%s)", (version,))
            return SCHEMA_VERSION

    # -- the store's methods -----------------------------------------------------------
    def save(self, record: IntakeRecord, action: str | None = None) -> IntakeRecord:
        """Write the record one revision up and return it as saved; a newer stored revision is never overwritten."""
        from psycopg.types.json import Jsonb

        saved = record.model_copy(update={"revision": record.revision + 1})
        data = json.loads(saved.model_dump_json())
        found = follow_ups(saved)
        with self._transaction() as connection:
            row = connection.execute("SELECT revision, record -> 'answers' FROM intake_records WHERE id = %s FOR UPDATE",
                                     (record.id,)).fetchone()
            if row is not None and row[0] >= saved.revision:
                raise StoreError(N_("intake {id} was saved elsewhere in the meantime (revision {stored}); open it again "
                                    "to go on from there, nothing newer is overwritten"), id=record.id, stored=row[0])
            before = row[1] if row is not None else {}
            touched = sorted(fact for fact in set(before) | set(saved.answers)
                             if before.get(fact, None) != data["answers"].get(fact, None))
            values = (saved.id, saved.swv, saved.region, saved.ruleset_version, saved.status, saved.pupil_ref,
                      saved.consultant, saved.school, saved.created, saved.updated, saved.revision,
                      found[0].due if found else None, Jsonb(data))
            connection.execute(
                "INSERT INTO intake_records (id, swv, region, ruleset_version, status, pupil_ref, consultant, school, "
                "created, updated, revision, next_due, record) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET swv = EXCLUDED.swv, region = EXCLUDED.region, "
                "ruleset_version = EXCLUDED.ruleset_version, status = EXCLUDED.status, pupil_ref = EXCLUDED.pupil_ref, "
                "consultant = EXCLUDED.consultant, school = EXCLUDED.school, updated = EXCLUDED.updated, "
                "revision = EXCLUDED.revision, next_due = EXCLUDED.next_due, record = EXCLUDED.record", values)
            connection.execute("DELETE FROM intake_followups WHERE record_id = %s", (saved.id,))
            for item in found:
                connection.execute("INSERT INTO intake_followups (record_id, swv, due, what, cite) VALUES (%s, %s, %s, %s, %s)",
                                   (saved.id, saved.swv, item.due, item.text, item.cite))
            kind = action or ("created" if row is None else "changed" if set(touched) & set(before) else "answered")
            self._audit(connection, saved, kind, touched)
        return saved

    def _audit(self, connection, record: IntakeRecord, action: str, facts: list[str]) -> None:
        connection.execute("INSERT INTO intake_audit (swv, record_id, action, facts) VALUES (%s, %s, %s, %s)",
                           (record.swv, record.id, action, facts))

    def record_export(self, record: IntakeRecord) -> None:
        with self._transaction() as connection:
            self._audit(connection, record, "exported", [])

    def load(self, record_id: str) -> IntakeRecord:
        with self._transaction() as connection:
            row = connection.execute("SELECT record FROM intake_records WHERE id = %s", (record_id,)).fetchone()
        if row is None:
            raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self.folder)
        try:
            return parse_record(json.dumps(row[0]).encode())
        except RecordError as error:
            raise StoreError(N_("{file}: {reason}"), file=record_id, reason=error) from None

    def listing(self, *, status: str | None = None, region: str | None = None, pupil_ref: str | None = None,
                due_before: dt.date | None = None, limit: int | None = None, offset: int = 0) -> list[RegisterEntry]:
        """Records newest first, filtered and paged in the database."""
        where, params = [], []
        for column, value in (("status", status), ("region", region), ("lower(pupil_ref)", pupil_ref and pupil_ref.lower())):
            if value is not None:
                where.append(f"{column} = %s")  # references compared without case, as in the folder store
                params.append(value)
        if due_before is not None:
            where.append("next_due <= %s")
            params.append(due_before)
        sql = f"SELECT {_LIST_COLUMNS} FROM intake_records"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY updated DESC, id DESC"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        with self._transaction() as connection:
            rows = connection.execute(sql, params).fetchall()
        return [self._entry(record_id, data) for record_id, data in rows]

    @staticmethod
    def _entry(record_id: str, data: Any) -> RegisterEntry:
        try:
            return RegisterEntry(record_id, parse_record(json.dumps(data).encode()))
        except RecordError as error:
            return RegisterEntry(record_id, None, str(error), error)

    def entries(self) -> list[RegisterEntry]:
        return self.listing()

    def newest_draft(self) -> IntakeRecord | None:
        found = self.listing(status="draft", limit=1)
        return found[0].record if found else None

    def delete(self, record_id: str) -> None:
        """Remove a record with its data; the audit keeps only that it was purged."""
        with self._transaction() as connection:
            row = connection.execute("DELETE FROM intake_records WHERE id = %s RETURNING swv", (record_id,)).fetchone()
            if row is None:
                raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self.folder)
            connection.execute("INSERT INTO intake_audit (swv, record_id, action) VALUES (%s, %s, 'purged')",
                               (row[0], record_id))

    def due(self, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
        """The follow-ups that fall due from ``since`` (today) up to ``until``, earliest first
        (read from the indexed columns: no record is parsed for this list)."""
        since = since or dt.date.today()
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT f.due, f.what, r.id, r.region, r.pupil_ref FROM intake_followups f "
                "JOIN intake_records r ON r.id = f.record_id WHERE f.due BETWEEN %s AND %s ORDER BY f.due, r.id",
                (since, until)).fetchall()
        return [DueItem(*row) for row in rows]

    @contextmanager
    def lock(self, record_id: str) -> Iterator[None]:
        """Hold the record for this process: a session-level advisory lock on a connection of its own."""
        import psycopg

        check_transport(self.url)
        try:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self.folder,
                             reason=error.__class__.__name__) from None
        try:
            held = connection.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))",
                                      ("intake:" + record_id,)).fetchone()[0]
            if not held:
                raise StoreError(N_("intake {id} is already open in another window or process"), id=record_id)
            yield
        finally:
            connection.close()  # closing the session frees the lock, as a killed process does

    def members(self, role: str, swv: str) -> None:
        """Let a database role see and keep the records of an SWV (the schema's owner runs this)."""
        from psycopg import sql

        with self._transaction() as connection:
            connection.execute("INSERT INTO intake_members (role, swv) VALUES (%s, %s) ON CONFLICT DO NOTHING", (role, swv))
            who = sql.Identifier(role)
            connection.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON intake_records, intake_followups TO {}").format(who))
            connection.execute(sql.SQL("GRANT SELECT, INSERT ON intake_audit TO {}").format(who))
            connection.execute(sql.SQL("GRANT SELECT ON intake_members, intake_schema TO {}").format(who))
