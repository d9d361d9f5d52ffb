"""The shared register: the record store in PostgreSQL, for a team of consultants.

The same interface (``store_api.RecordStore``) and guarantees as the folder store:

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
one (``register_schema``). The connection string is never shown: messages name
the register by its host and database only; a register on another host is
reached over TLS (``register_address``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from intake_tui.engine.followups import follow_ups
from intake_tui.engine.record import IntakeRecord, RecordError, parse_record
from intake_tui.engine.register_address import check_transport, describe
from intake_tui.engine.register_schema import bring_up_to_date
from intake_tui.engine.store_api import (
    AlreadyOpen,
    DueItem,
    Entry,
    PurgeReport,
    Reason,
    RecordStore,
    StaleRevision,
    StoreError,
    unreadable,
)
from intake_tui.i18n import N_

# psycopg and its pool log connection failures with the server's words (host, role): none of it
# reaches a log or the terminal (Python's last-resort handler would print warnings on stderr).
_PSYCOPG_LOG = logging.getLogger("psycopg")
_PSYCOPG_LOG.addHandler(logging.NullHandler())
_PSYCOPG_LOG.propagate = False

_LIST_COLUMNS = "id, record"
# A draft's lock: a session-level advisory lock on a key made from the register's schema and
# the draft's id (held by the window's own connection); a transaction that must not touch a
# held draft tries the same key. Advisory locks are per database: the schema keeps two
# registers in one database (or two tests running at once) from holding each other's drafts.
_LOCK_KEY = "hashtextextended('intake:' || current_schema() || ':' || %s, 0)"


class NotAllowed(StoreError):
    """The register refuses this role this record or this change (row-level security, privileges)."""


class Register(RecordStore):
    """The record store in a PostgreSQL database (see the module's text)."""

    def __init__(self, url: str) -> None:
        self._url = url  # never shown: messages name the register by ``where``
        self._where = describe(url)
        self._pool = None
        self._held: set[str] = set()  # drafts this Register holds the lock of

    def __repr__(self) -> str:
        return f"Register({self._where!r})"

    @property
    def where(self) -> str:
        return self._where

    # -- connections ------------------------------------------------------------------
    @property
    def pool(self):
        if self._pool is None:
            import psycopg
            from psycopg_pool import ConnectionPool

            try:
                check_transport(self._url)
            except ValueError:  # urlsplit: an unclosed "[", a port that is no number
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self._where,
                                 reason="ValueError") from None
            try:  # one plain connection first: a bad address is said once, not retried by the pool
                psycopg.connect(self._url, connect_timeout=10).close()
            except Exception as error:  # noqa: BLE001 - psycopg's own text may carry the address: not shown
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self._where,
                                 reason=error.__class__.__name__) from None
            try:
                pool = ConnectionPool(self._url, min_size=1, max_size=4, open=True, timeout=10,
                                      kwargs={"autocommit": True}, name="intake-register")
                pool.wait(timeout=10)
            except Exception as error:  # noqa: BLE001 - psycopg's own text may carry the address: not shown
                raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self._where,
                                 reason=error.__class__.__name__) from None
            self._pool = pool
            try:
                self.migrate()
            except BaseException:  # not set up, no access, a newer schema: the next call asks again
                self.close()
                raise
        return self._pool

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        import psycopg

        try:
            with self.pool.connection() as connection, connection.transaction():
                yield connection
        except psycopg.errors.InsufficientPrivilege:
            raise NotAllowed(N_("the register on {where} does not let you do this (your role is not a member of "
                                "this SWV)"), where=self._where) from None
        except psycopg.OperationalError as error:
            raise StoreError(N_("the register on {where} failed ({reason})"), where=self._where,
                             reason=error.__class__.__name__) from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def open(self, *, writing: bool = False) -> None:
        """Connect, and create or migrate the schema (the same for reading and writing)."""
        self.pool  # noqa: B018 - connects and migrates

    def command_option(self) -> str | None:
        return None  # the address may hold a password: whoever uses it keeps it in $INTAKE_STORE or the settings

    def draft_preview(self, record_id: str | None = None) -> None:
        """None: a draft in the register is read through the engine (psycopg and a connection)."""
        return None

    def _claim(self, connection, record_id: str) -> None:
        """In a transaction: the draft must not be held by another window (AlreadyOpen);
        this Register's own lock counts as held by the caller."""
        if record_id in self._held:
            return
        if not connection.execute(f"SELECT pg_try_advisory_xact_lock({_LOCK_KEY})", (record_id,)).fetchone()[0]:
            raise AlreadyOpen(record_id)

    # -- schema -----------------------------------------------------------------------
    def migrate(self) -> int:
        """Bring the schema to this version's, in one transaction; refuse a newer one (``register_schema``)."""
        with self._pool.connection() as connection, connection.transaction():
            return bring_up_to_date(connection, self._where)

    # -- the store's methods -----------------------------------------------------------
    def save(self, record: IntakeRecord, *, action: str | None = None) -> IntakeRecord:
        """Write the record one revision up and return it as saved; a newer stored revision is never overwritten,
        and a draft another window holds is not written."""
        from psycopg.types.json import Jsonb

        saved = record.model_copy(update={"revision": record.revision + 1})
        data = json.loads(saved.model_dump_json())
        found = follow_ups(saved)
        with self._transaction() as connection:
            self._claim(connection, record.id)
            row = connection.execute("SELECT revision, record -> 'answers' FROM intake_records WHERE id = %s FOR UPDATE",
                                     (record.id,)).fetchone()
            if row is not None and row[0] >= saved.revision:
                raise StaleRevision(record.id, row[0], record.revision)
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
            raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self._where)
        try:
            return parse_record(json.dumps(row[0]).encode())
        except RecordError as error:
            raise StoreError(N_("{file}: {reason}"), file=record_id, reason=error) from None

    def listing(self, *, status: str | None = None, region: str | None = None, pupil_ref: str | None = None,
                due_before: dt.date | None = None, limit: int | None = None, offset: int = 0) -> list[Entry]:
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
            sql += " LIMIT %s"
            params.append(limit)
        if offset:
            sql += " OFFSET %s"
            params.append(offset)
        with self._transaction() as connection:
            rows = connection.execute(sql, params).fetchall()
        return [self._entry(record_id, data) for record_id, data in rows]

    @staticmethod
    def _entry(record_id: str, data: Any) -> Entry:
        try:
            return Entry(record_id, parse_record(json.dumps(data).encode()))
        except RecordError as error:
            return unreadable(record_id, error)

    def delete(self, record_id: str) -> None:
        """Remove a record with its data (and its follow-ups); the audit keeps only that it was purged."""
        with self._transaction() as connection:
            if not self._remove(connection, record_id):
                raise StoreError(N_("no record {id!r} in {folder}"), id=record_id, folder=self._where)

    def _remove(self, connection, record_id: str, older_than: dt.datetime | None = None) -> bool:
        """In a transaction: delete the record (if last changed before ``older_than``) and note 'purged'."""
        self._claim(connection, record_id)
        row = connection.execute("DELETE FROM intake_records WHERE id = %s AND (%s::timestamptz IS NULL OR updated < %s) "
                                 "RETURNING swv", (record_id, older_than, older_than)).fetchone()
        if row is None:
            return False
        connection.execute("INSERT INTO intake_audit (swv, record_id, action) VALUES (%s, %s, 'purged')", (row[0], record_id))
        return True

    def purge(self, older_than: dt.datetime, *, dry_run: bool = False) -> PurgeReport:
        """Delete the records last changed before ``older_than`` with their data and follow-ups; the audit keeps
        who did what and when (fact ids, never values) and that they were purged. A draft open in another
        window and a row that is not a readable record are skipped, each with its reason."""
        report = PurgeReport()
        with self._transaction() as connection:
            rows = connection.execute("SELECT id, record FROM intake_records WHERE updated < %s ORDER BY updated DESC, id DESC",
                                      (older_than,)).fetchall()
        for record_id, data in rows:
            entry = self._entry(record_id, data)
            if entry.record is None:
                report.skipped.append((record_id, Reason(N_("unreadable: {reason}"), reason=entry.reason)))
                continue
            try:
                with self._transaction() as connection:
                    if dry_run:
                        self._claim(connection, record_id)
                    elif not self._remove(connection, record_id, older_than):
                        continue  # changed or deleted since it was listed
            except AlreadyOpen as error:
                report.skipped.append((record_id, error))
                continue
            report.deleted.append(entry.record)
        return report

    def due(self, until: dt.date, since: dt.date | None = None) -> list[DueItem]:
        """The follow-ups that fall due from ``since`` (today) up to ``until``, earliest first
        (read from the indexed columns: no record is parsed for this list)."""
        since = since or dt.date.today()
        with self._transaction() as connection:
            rows = connection.execute(
                "SELECT f.due, f.what, r.id, r.region, r.pupil_ref FROM intake_followups f "
                "JOIN intake_records r ON r.id = f.record_id WHERE f.due BETWEEN %s AND %s ORDER BY f.due, r.id, f.what",
                (since, until)).fetchall()
        return [DueItem(*row) for row in rows]

    @contextmanager
    def lock(self, record_id: str) -> Iterator[None]:
        """Hold the record for this process: a session-level advisory lock on a connection of its own."""
        import psycopg

        if record_id in self._held:
            raise AlreadyOpen(record_id)
        self.open()  # the schema first: a first lock on a new register is no different from a save
        try:
            connection = psycopg.connect(self._url, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            raise StoreError(N_("cannot reach the register on {where} ({reason})"), where=self._where,
                             reason=error.__class__.__name__) from None
        try:
            if not connection.execute(f"SELECT pg_try_advisory_lock({_LOCK_KEY})", (record_id,)).fetchone()[0]:
                raise AlreadyOpen(record_id)
            self._held.add(record_id)
            try:
                yield
            finally:
                self._held.discard(record_id)
                _unlock(connection, record_id)
        finally:
            connection.close()  # closing the session frees the lock too, as a killed process does

    # -- who sees what: the administrator's ------------------------------------------------
    @contextmanager
    def _administering(self) -> Iterator[Any]:
        """A transaction of the register's administrator (the owner of its tables); NotAllowed for anyone else."""
        with self._transaction() as connection:
            if not connection.execute("SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class "
                                      "WHERE oid = 'intake_members'::regclass").fetchone()[0]:
                raise NotAllowed(N_("only the administrator of the register on {where} (the owner of its tables) "
                                    "decides who is a member of an SWV"), where=self._where)
            # One change of membership at a time: PostgreSQL refuses two GRANTs on one table at the same
            # moment ("tuple concurrently updated"). Readers of the table (the row policies) are not held up.
            connection.execute("LOCK TABLE intake_members IN SHARE ROW EXCLUSIVE MODE")
            yield connection

    def add_member(self, role: str, swv: str) -> str:
        """Let a database role see and keep the records of an SWV; returns the role as the database spells it."""
        from psycopg import sql

        with self._administering() as connection:
            found = connection.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, lower(%s)) "
                                       "ORDER BY rolname = %s DESC LIMIT 1", (role, role, role)).fetchone()
            if found is None:
                raise StoreError(N_("there is no database role {role!r} on {where}: create it first "
                                    "(CREATE ROLE {role} LOGIN)"), role=role, where=self._where)
            role = found[0]
            connection.execute("INSERT INTO intake_members (role, swv) VALUES (%s, %s) ON CONFLICT DO NOTHING", (role, swv))
            who = sql.Identifier(role)
            connection.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON intake_records, intake_followups TO {}").format(who))
            connection.execute(sql.SQL("GRANT SELECT, INSERT ON intake_audit TO {}").format(who))
            connection.execute(sql.SQL("GRANT SELECT ON intake_members, intake_schema TO {}").format(who))
            schema = connection.execute("SELECT current_schema() WHERE has_schema_privilege(current_schema(), "
                                        "'USAGE WITH GRANT OPTION')").fetchone()
            if schema is not None:  # a schema of the register's own (the public one lets everyone in)
                connection.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema[0]), who))
        return role

    def remove_member(self, role: str, swv: str) -> bool:
        """The role no longer sees the SWV's records (False: it was no member of it); a role left in no SWV
        loses its rights on the register's tables too."""
        from psycopg import sql

        with self._administering() as connection:
            gone = connection.execute("DELETE FROM intake_members WHERE role IN (%s, lower(%s)) AND swv = %s RETURNING role",
                                      (role, role, swv)).fetchall()
            for (name,) in gone:
                if connection.execute("SELECT 1 FROM intake_members WHERE role = %s", (name,)).fetchone() is None:
                    connection.execute(sql.SQL("REVOKE ALL ON intake_records, intake_followups, intake_audit, intake_members, "
                                               "intake_schema FROM {}").format(sql.Identifier(name)))
        return bool(gone)

    def member_list(self) -> list[tuple[str, str]]:
        """Every (role, SWV) of the register, by role."""
        with self._administering() as connection:
            return [tuple(row) for row in connection.execute("SELECT role, swv FROM intake_members ORDER BY role, swv")]


def _unlock(connection, record_id: str) -> None:
    """Let go of the draft at once: the server frees a closed session's locks only when its
    process has ended, a moment after the close, and the same window may open the draft
    again before that (a lost connection is left to the close)."""
    import psycopg

    try:
        connection.execute(f"SELECT pg_advisory_unlock({_LOCK_KEY})", (record_id,))
    except psycopg.Error:
        pass
