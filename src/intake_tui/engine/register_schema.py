"""The register's schema: each version's SQL, applied in order in one transaction
(``Register.migrate``). A version once shipped is never changed; a change is a new version.

Rows carry id, SWV, region, rules version, status, pupil reference, consultant,
school, created, updated, revision, the next follow-up date and the record as
JSONB, indexed for ``list`` and ``due``; follow-ups and the audit trail have
tables of their own; row-level security keys every table on the SWV.
"""

from __future__ import annotations

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
