"""A register's address (``postgresql://…``): how messages name it, and how it must be reached.

The address may hold a user and a password: it is never shown, and a message
names the register by its host and database only (``describe``). A register on
another computer is reached over TLS unless the address turns it off knowingly
(``check_transport``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qs, urlsplit

from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import N_


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
