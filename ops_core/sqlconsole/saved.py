"""Saved console queries: a name, its owner, the dialect and the text; creation is audited."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pandas as pd

from ops_core import audit, sql
from ops_core.access import User, actor_name, require
from ops_core.errors import OpsError
from ops_core.sqlconsole.checks import DIALECTS

ENTITY = "saved_query"
MAX_NAME = 80


def save(
    cur: duckdb.DuckDBPyConnection,
    *,
    name: str,
    sql_text: str,
    dialect: str,
    actor: str | User,
    at: datetime | None = None,
) -> int:
    """Save a query under ``name`` for its owner (the actor); returns its id.

    Run inside ``db.transaction()``. A User actor needs the ``save_query`` action (operators
    and admins); the query is not checked here, it is checked each time it runs.
    """
    if isinstance(actor, User):
        require(actor, "save_query")
    owner, name = actor_name(actor), name.strip()
    if not name or len(name) > MAX_NAME:
        raise OpsError(f"Give the query a name of 1 to {MAX_NAME} characters.")
    if not sql_text.strip():
        raise OpsError("There is no query to save.")
    if dialect not in DIALECTS:
        raise OpsError(f"Unknown SQL dialect {dialect!r}.")
    if sql.query(cur, "sqlconsole/saved_exists", owner=owner, query_name=name)["taken"].iloc[0]:
        raise OpsError(f"You already have a saved query named {name!r}; choose another name.")
    at = at or datetime.now(UTC)
    params = {"name": name, "owner": owner, "dialect": dialect, "sql_text": sql_text}
    row = cur.execute(sql.statement("sqlconsole/saved_insert"), params | {"created_at": at})
    query_id = int(row.fetchone()[0])
    audit.record(
        cur,
        actor=actor,
        entity=ENTITY,
        entity_id=str(query_id),
        field="created",
        old=None,
        new=name,
        at=at,
    )
    return query_id


def list_saved(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every saved query, newest first: query_id, name, owner, dialect, sql_text, created_at."""
    return sql.query(cur, "sqlconsole/saved_list")
