"""Which store a command uses, and the one place that knows both kinds (the register
loads only for a register's address).

``--store``, else ``$INTAKE_STORE``, else the settings file's ``store``, else the
per-user folder. A ``postgresql://`` address is the shared register
(``register.Register``); anything else is a folder (``store.Store``). Both are a
``store_api.RecordStore``: nothing else asks which kind a store is.
"""

from __future__ import annotations

import os
from typing import Any

from intake_tui.engine.settings import SettingsError, load_settings
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import RecordStore, StoreError

STORE_VARIABLE = "INTAKE_STORE"
REGISTER_PREFIXES = ("postgresql://", "postgres://")


def is_register_address(value: object) -> bool:
    return isinstance(value, str) and value.startswith(REGISTER_PREFIXES)


def store_address(given: str | None = None) -> str | None:
    """The address asked for (None: the per-user folder); StoreError when the settings file is not private."""
    if given:
        return given
    configured = os.environ.get(STORE_VARIABLE)
    if configured:
        return configured
    try:
        return load_settings().store or None
    except SettingsError as error:
        raise StoreError(error.message, **error.params) from None


def store_at(address: str | None) -> RecordStore:
    """The store at an address (a folder, a postgresql:// address, or None for the per-user folder)."""
    if is_register_address(address):
        from intake_tui.engine.register import Register  # the record model and psycopg: only for a register

        return Register(address)  # type: ignore[arg-type]
    return Store(address)


def store_for(args: Any) -> RecordStore:
    """The store a command names (``args.store``, else as the module's text says)."""
    return store_at(store_address(getattr(args, "store", None)))


def store_option(store: RecordStore) -> str:
    """The ``--store`` a command needs to reach this store again: none for the store chosen without it,
    and never a register's address (whoever uses one keeps it in $INTAKE_STORE or the settings)."""
    option = store.command_option()
    if option is None:
        return ""
    try:
        chosen = store_at(store_address()).where
    except StoreError:
        chosen = None
    return "" if store.where == chosen else f" --store {option}"
