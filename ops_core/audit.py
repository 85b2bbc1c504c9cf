"""Audited, concurrency-safe edits: every write a person makes goes through here.

Each editable table has a ``version`` column. A save names the version the editor read;
if the row moved on since, the save is refused with a ConflictError that shows what the
other person changed (no lost update, no silent overwrite). Every changed field is written
to ``audit_log`` (who, when, field, old, new) in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from ops_core.access import User, actor_name, entity_action, require
from ops_core.errors import ConflictError, OpsError

_IDENT = frozenset("abcdefghijklmnopqrstuvwxyz_0123456789")


@dataclass(frozen=True)
class Editable:
    """An editable table: its key, the fields people may change, and its audit entity name."""

    table: str
    key: str
    fields: frozenset[str]
    entity: str

    def __post_init__(self) -> None:
        for name in (self.table, self.key, *self.fields):
            if not set(name) <= _IDENT:
                raise ValueError(f"not a plain identifier: {name!r}")


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None
    new: str | None


def record(
    cur: duckdb.DuckDBPyConnection,
    *,
    actor: str | User,
    entity: str,
    entity_id: str,
    field: str,
    old: Any,
    new: Any,
    at: datetime | None = None,
) -> None:
    """Write one audit entry. A ``User`` actor must be allowed to write ``entity``
    (``ops_core.access.require``: PermissionDenied otherwise); a plain name (jobs, the demo
    seeder, callers not yet passing the signed-in user) is recorded as given."""
    if isinstance(actor, User):
        require(actor, entity_action(entity))
    name = actor_name(actor)
    cur.execute(
        "INSERT INTO audit_log (event_at, actor, entity, entity_id, field, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at or datetime.now(UTC), name, entity, str(entity_id), field, _text(old), _text(new)],
    )


def update(
    cur: duckdb.DuckDBPyConnection,
    spec: Editable,
    key: Any,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    actor: str | User,
) -> tuple[int, list[Change]]:
    """Apply ``changes`` to one row if it is still at ``expected_version``.

    Run inside the caller's transaction (``db.transaction()``). Returns the new version and
    the fields that really changed. Raises ConflictError when someone saved first, and
    PermissionDenied (before reading anything) when a ``User`` actor may not edit the entity.
    """
    if isinstance(actor, User):
        require(actor, entity_action(spec.entity))
    actor = actor_name(actor)
    unknown = set(changes) - spec.fields
    if unknown:
        raise OpsError(f"{spec.entity}: these fields cannot be edited: {sorted(unknown)}")
    cols = sorted(changes)
    row = cur.execute(
        f"SELECT version, {', '.join(cols) or 'NULL'} FROM {spec.table} WHERE {spec.key} = ?",
        [key],
    ).fetchone()
    if row is None:
        raise OpsError(f"{spec.entity} {key} does not exist")
    if row[0] != expected_version:
        raise ConflictError(conflict_message(cur, spec, key, expected_version, row[0]))
    diffs = [Change(c, _text(old), _text(changes[c])) for c, old in zip(cols, row[1:], strict=True)]
    diffs = [d for d in diffs if d.old != d.new]
    if not diffs:
        return expected_version, []
    sets = ", ".join(f"{d.field} = ?" for d in diffs)
    cur.execute(
        f"UPDATE {spec.table} SET {sets}, version = version + 1 "
        f"WHERE {spec.key} = ? AND version = ?",
        [changes[d.field] for d in diffs] + [key, expected_version],
    )
    now = datetime.now(UTC)
    for d in diffs:
        record(
            cur,
            actor=actor,
            entity=spec.entity,
            entity_id=str(key),
            field=d.field,
            old=d.old,
            new=d.new,
            at=now,
        )
    return expected_version + 1, diffs


def conflict_message(
    cur: duckdb.DuckDBPyConnection, spec: Editable, key: Any, seen: int, current: int
) -> str:
    """'Someone else saved first' with their changes, newest first."""
    theirs = cur.execute(
        "SELECT actor, event_at, field, old_value, new_value FROM audit_log "
        "WHERE entity = ? AND entity_id = ? ORDER BY audit_id DESC LIMIT ?",
        [spec.entity, str(key), max(current - seen, 1) * len(spec.fields)],
    ).fetchall()
    lines = [
        f"{a} changed {f} from {o!r} to {n!r} at {t:%Y-%m-%d %H:%M:%S} UTC"
        for a, t, f, o, n in theirs
    ]
    detail = "; ".join(lines[:6]) or "the row changed"
    return (
        f"{spec.entity} {key} was changed by someone else after you opened it "
        f"(you had version {seen}, it is now {current}): {detail}. "
        "Reload to see their change, then make yours again."
    )


def history(cur: duckdb.DuckDBPyConnection, entity: str, entity_id: Any):
    """The audit trail of one row, oldest first, as a DataFrame."""
    return cur.execute(
        "SELECT event_at, actor, field, old_value, new_value FROM audit_log "
        "WHERE entity = ? AND entity_id = ? ORDER BY audit_id",
        [entity, str(entity_id)],
    ).df()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
