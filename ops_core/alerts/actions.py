"""What people do to alerts: acknowledge, assign, snooze, resolve with a note, comment.

Every action is a version-checked, audited edit (``ops_core.audit.update``) plus a line on
the alert's timeline, inside the caller's transaction: a save against a version someone else
(or the evaluator, which audits as ``railyard``) moved on raises ConflictError naming their
change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from ops_core import audit
from ops_core.access import User, actor_name
from ops_core.errors import ConflictError, OpsError

Actor = str | User  # a User is permission-checked by ops_core.audit; a name is recorded as is

ALERT = audit.Editable(
    table="alerts",
    key="alert_id",
    fields=frozenset(
        {
            "status",
            "assignee",
            "snoozed_until",
            "resolution",
            "resolved_at",
            "resolved_by",
            "incident_id",
        }
    ),
    entity="alert",
)
SNOOZE_HOURS = (1, 4, 24, 72)


def _event(cur, alert_id: int, at: datetime, actor: Actor, kind: str, detail: str) -> None:
    cur.execute(
        "INSERT INTO alert_events (alert_id, event_at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
        [alert_id, at, actor_name(actor), kind, detail],
    )


def _status(cur, alert_id: int) -> tuple[str, int]:
    rows = cur.execute(
        "SELECT status, version FROM alerts WHERE alert_id = ?", [alert_id]
    ).fetchall()
    if not rows:
        raise OpsError(f"alert {alert_id} does not exist")
    return rows[0]


def _not_resolved(cur, alert_id: int, version: int, doing: str) -> None:
    """Refuse a stale save first (naming the change), then an action on a resolved alert."""
    status, current = _status(cur, alert_id)
    if current != version:
        raise ConflictError(audit.conflict_message(cur, ALERT, alert_id, version, current))
    if status == "resolved":
        raise OpsError(f"alert {alert_id} is resolved: there is nothing to {doing}")


def acknowledge(
    cur: duckdb.DuckDBPyConnection, alert_id: int, *, version: int, actor: Actor, at=None
) -> int:
    """Someone is on it: open (or snoozed) -> acknowledged. Returns the new version."""
    _not_resolved(cur, alert_id, version, "acknowledge")
    at = at or datetime.now(UTC)
    new, _ = audit.update(
        cur,
        ALERT,
        alert_id,
        expected_version=version,
        changes={"status": "acknowledged", "snoozed_until": None},
        actor=actor,
    )
    _event(cur, alert_id, at, actor, "acknowledged", f"{actor_name(actor)} acknowledged the alert.")
    return new


def assign(
    cur: duckdb.DuckDBPyConnection,
    alert_id: int,
    assignee: str | None,
    *,
    version: int,
    actor: Actor,
    at=None,
) -> int:
    assignee = (assignee or "").strip() or None
    new, changed = audit.update(
        cur, ALERT, alert_id, expected_version=version, changes={"assignee": assignee}, actor=actor
    )
    if changed:
        who = assignee or "nobody"
        _event(cur, alert_id, at or datetime.now(UTC), actor, "assigned", f"Assigned to {who}.")
    return new


def snooze(
    cur: duckdb.DuckDBPyConnection,
    alert_id: int,
    hours: float,
    *,
    now: datetime,
    version: int,
    actor: Actor,
    at=None,
) -> int:
    """Quiet until ``now`` + ``hours`` (``now`` on the evaluation clock: the data's now). If it
    still fires after that, the evaluator opens it again; if it clears, it resolves."""
    if hours <= 0:
        raise OpsError("snooze for a positive number of hours")
    _not_resolved(cur, alert_id, version, "snooze")
    until = now.astimezone(UTC) + timedelta(hours=hours)
    new, _ = audit.update(
        cur,
        ALERT,
        alert_id,
        expected_version=version,
        changes={"status": "snoozed", "snoozed_until": until},
        actor=actor,
    )
    detail = f"Snoozed for {hours:g} h, until {until:%Y-%m-%d %H:%M} UTC."
    _event(cur, alert_id, at or datetime.now(UTC), actor, "snoozed", detail)
    return new


def resolve(
    cur: duckdb.DuckDBPyConnection,
    alert_id: int,
    note: str,
    *,
    version: int,
    actor: Actor,
    at=None,
) -> int:
    """Resolve by hand with a note saying why (required)."""
    note = (note or "").strip()
    if not note:
        raise OpsError("say why the alert is resolved: the note is required")
    _not_resolved(cur, alert_id, version, "resolve")
    at = at or datetime.now(UTC)
    new, _ = audit.update(
        cur,
        ALERT,
        alert_id,
        expected_version=version,
        changes={
            "status": "resolved",
            "resolution": note,
            "resolved_at": at,
            "resolved_by": actor_name(actor),
            "snoozed_until": None,
        },
        actor=actor,
    )
    _event(cur, alert_id, at, actor, "resolved", f"{actor_name(actor)} resolved it: {note}")
    return new


def comment(cur: duckdb.DuckDBPyConnection, alert_id: int, text: str, *, actor: Actor, at=None):
    """A note on the timeline (no field changes, so no version check); audited as a field."""
    text = (text or "").strip()
    if not text:
        raise OpsError("the comment is empty")
    _status(cur, alert_id)
    at = at or datetime.now(UTC)
    audit.record(
        cur,
        actor=actor,
        entity="alert",
        entity_id=str(alert_id),
        field="comment",
        old=None,
        new=text,
        at=at,
    )
    _event(cur, alert_id, at, actor, "comment", text)
