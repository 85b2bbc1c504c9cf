"""The SQL console (issue 8): read-only SQL over Railyard's data, checked twice.

``checks`` refuses anything but one SELECT over known tables and allowlisted functions (and
transpiles other dialects to DuckDB); ``engine`` runs it on a locked, read-only snapshot
connection with a row limit and a time limit; ``saved`` keeps named queries.
"""

from ops_core.sqlconsole.checks import DIALECTS, Catalog, Checked, QueryRefused, check
from ops_core.sqlconsole.engine import (
    DEFAULT_ROWS,
    DEFAULT_SECONDS,
    LOCKED_SETTINGS,
    MAX_ROWS,
    MAX_SECONDS,
    Console,
    QueryFailed,
    QueryStopped,
    Result,
    Snapshot,
    verify_locked,
)
from ops_core.sqlconsole.saved import MAX_NAME, list_saved, save

__all__ = [
    "DEFAULT_ROWS",
    "DEFAULT_SECONDS",
    "DIALECTS",
    "LOCKED_SETTINGS",
    "MAX_NAME",
    "MAX_ROWS",
    "MAX_SECONDS",
    "Catalog",
    "Checked",
    "Console",
    "QueryFailed",
    "QueryRefused",
    "QueryStopped",
    "Result",
    "Snapshot",
    "check",
    "list_saved",
    "save",
    "verify_locked",
]
