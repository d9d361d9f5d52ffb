"""The local PostgreSQL server of the register tests (127.0.0.1:5432, trust, database `test`).

Each test gets a schema of its own (``fresh_schema``). Without a server the
register tests skip with the reason, unless INTAKE_REQUIRE_POSTGRES is set
(CI sets it): then they fail. No mock of the database anywhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest

ADMIN = os.environ.get("INTAKE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def url_for(schema: str, user: str = "postgres") -> str:
    return f"postgresql://{user}@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


@cache
def missing() -> str | None:
    """Why there is no server to test against (None: there is one)."""
    try:
        import psycopg

        with psycopg.connect(ADMIN, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return None
    except Exception as error:  # noqa: BLE001
        return f"no PostgreSQL at {ADMIN.split('@')[-1]} ({error.__class__.__name__})"


def require_server() -> None:
    """Skip without a server, or fail when INTAKE_REQUIRE_POSTGRES says one must be there."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("INTAKE_REQUIRE_POSTGRES"):
        pytest.fail(f"the register tests need PostgreSQL: {reason}")
    pytest.skip(reason)


@contextmanager
def fresh_schema() -> Iterator[str]:
    import psycopg

    require_server()
    name = "intake_t_" + uuid.uuid4().hex[:10]
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {name}")
    try:
        yield name
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {name} CASCADE")
