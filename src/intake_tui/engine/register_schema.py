"""The register's schema: each version's SQL, applied in order in one transaction
(``bring_up_to_date``). A version once shipped is never changed; a change is a new version.

Only the register's administrator sets the schema up or migrates it: a role that owns
the database or the schema the tables go in (or a superuser). The tables are then
theirs, and row-level security does not hold them. A consultant who connects to a
register that is not set up, or of which they are no member, is told so in a sentence.

Rows carry id, SWV, region, rules version, status, pupil reference, consultant,
school, created, updated, revision, the next follow-up date and the record as
JSONB, indexed for ``list`` and ``due``; follow-ups and the audit trail have
tables of their own; row-level security keys every table on the SWV.
"""

from __future__ import annotations

from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import N_

SCHEMA_VERSION = 1
MIGRATION_LOCK = 0x1A7A4E  # an advisory lock key: one migration at a time

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


NOT_SET_UP = N_("the register on {where} is not set up yet: its administrator (the owner of the database) sets it "
                "up first, by making the consultants members of their SWV with 'intake members add ROLE --swv REGION'")
NO_ACCESS = N_("your database role has no access to the register on {where}: its administrator makes you a member of "
               "your SWV first, with 'intake members add ROLE --swv REGION'")
NEEDS_UPDATE = N_("the register on {where} has an older schema (version {found}) than this version of intake_tui "
                  "(version {known}): its administrator updates it first, by running any intake command on it")
# The role may set the register up: it is (a member of) the owner of the database or of the schema the tables
# go in; a superuser is a member of every role.
_ADMINISTERS = ("SELECT current_schema() IS NOT NULL AND ("
                "pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') "
                "OR pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'MEMBER'))")


def bring_up_to_date(connection, where: str) -> int:
    """In a transaction: bring the schema to this version's and return it; refuse a newer one. Only the
    administrator creates or changes it (StoreError for anyone else, saying who must act)."""
    import psycopg

    current = None
    if connection.execute("SELECT to_regclass('intake_schema')").fetchone()[0] is not None:
        try:
            with connection.transaction():  # a savepoint: a role that may not read the table is no member
                current = connection.execute("SELECT max(version) FROM intake_schema").fetchone()[0] or 0
        except psycopg.errors.InsufficientPrivilege:
            raise StoreError(NO_ACCESS, where=where) from None
        _refuse_newer(current, where)
        if current == SCHEMA_VERSION:
            return current  # a consultant's role needs no right to change the schema
    if not connection.execute(_ADMINISTERS).fetchone()[0]:
        if current is None:
            raise StoreError(NOT_SET_UP, where=where)
        raise StoreError(NEEDS_UPDATE, where=where, found=current, known=SCHEMA_VERSION)
    try:
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute("CREATE TABLE IF NOT EXISTS intake_schema (version integer NOT NULL)")
        current = connection.execute("SELECT max(version) FROM intake_schema").fetchone()[0] or 0
        _refuse_newer(current, where)  # again: another administrator may have been first
        for version in range(current + 1, SCHEMA_VERSION + 1):
            connection.execute(MIGRATIONS[version])
            connection.execute("INSERT INTO intake_schema (version) VALUES (%s)", (version,))
    except psycopg.errors.InsufficientPrivilege:
        raise StoreError(N_("the register on {where} cannot be set up: your database role may not create tables "
                            "there"), where=where) from None
    return SCHEMA_VERSION


def _refuse_newer(found: int, where: str) -> None:
    if found > SCHEMA_VERSION:
        raise StoreError(N_("the register on {where} was made by a newer version of intake_tui (schema {found}, "
                            "this version knows up to {known}); update intake_tui"),
                         where=where, found=found, known=SCHEMA_VERSION)
