"""Alerts as a state machine over evaluation times: findings open, refresh and resolve them.

- One unresolved alert per (rule, scope): a finding for a scope with an unresolved alert
  refreshes it (latest value, worst value, impact so far, severity only ever rises).
- An unresolved alert of an evaluated rule with no finding at ``at`` resolves itself, with a
  note saying the condition cleared and when it was last seen.
- A snoozed alert still firing after its snooze ends opens again.
- Resolving an alert by hand while its condition holds: the next evaluation opens a new one
  (snooze it instead to keep it quiet).

Status changes made here bump the alert's version and are audited as ``railyard``, so a person
holding an older version gets a ConflictError naming the change. Metric refreshes do not bump
the version (a busy alert would otherwise refuse every human save). The transitions run in
memory (``Machine``) and are written once, so an hourly replay of two weeks is one write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ops_core.alerts import findings as fx
from ops_core.alerts.rules import RULES

SYSTEM = "railyard"
ACTIVE = ("open", "acknowledged", "snoozed")
SEVERITY_RANK = {"warning": 0, "critical": 1}
_KEYS = ("alert_id", "rule_id", "scope_key")
ALERT_COLUMNS = [
    "alert_id",
    "rule_id",
    "scope_key",
    "rail_id",
    "partner_id",
    "client_id",
    "subject",
    "severity",
    "status",
    "title",
    "metric",
    "unit",
    "value",
    "baseline",
    "threshold",
    "peak",
    "explanation",
    "link",
    "impact_count",
    "impact_amount_minor",
    "currency",
    "opened_at",
    "window_start",
    "last_seen_at",
    "resolved_at",
    "resolved_by",
    "resolution",
    "assignee",
    "snoozed_until",
    "incident_id",
    "notified_at",
    "version",
]


@dataclass
class Machine:
    """Unresolved alerts by (rule, scope), and everything that changed since loading."""

    active: dict[tuple[str, str], dict[str, Any]]
    touched: dict[int, dict[str, Any]] = field(default_factory=dict)
    new: set[int] = field(default_factory=set)
    events: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    opened: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)

    def event(self, a: dict, at: datetime, kind: str, detail: str, actor: str = SYSTEM) -> None:
        self.events.append(
            {
                "alert_id": a["alert_id"],
                "event_at": at,
                "actor": actor,
                "kind": kind,
                "detail": detail,
            }
        )

    def change(self, a: dict, at: datetime, **changes: Any) -> None:
        """A status change by the evaluator: versioned and audited."""
        for name, new in changes.items():
            old = a[name]
            if old != new:
                self.audits.append(
                    {
                        "event_at": at,
                        "actor": SYSTEM,
                        "entity": "alert",
                        "entity_id": str(a["alert_id"]),
                        "field": name,
                        "old_value": None if old is None else str(old),
                        "new_value": None if new is None else str(new),
                    }
                )
                a[name] = new
        a["version"] += 1


def load(cur: duckdb.DuckDBPyConnection) -> Machine:
    rows = cur.execute(f"SELECT * FROM alerts WHERE status IN {ACTIVE}").df()
    active = {}
    for rec in rows.to_dict("records"):
        rec = {k: _py(v) for k, v in rec.items()}
        active[(rec["rule_id"], rec["scope_key"])] = rec
    return Machine(active)


def _py(v: Any) -> Any:
    if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def records(found: pd.DataFrame) -> list[dict[str, Any]]:
    """Findings as plain Python records (what ``step`` takes)."""
    return [{k: _py(v) for k, v in f.items()} for f in found.to_dict("records")]


def step(
    m: Machine, at: datetime, found: list[dict[str, Any]], evaluated: set[str], next_id
) -> None:
    """Apply the findings (``records``) at ``at`` of the ``evaluated`` rules."""
    seen = set()
    for f in found:
        key = (
            f["rule_id"],
            fx.scope_key(f["rail_id"], f["partner_id"], f["client_id"], f["subject"]),
        )
        seen.add(key)
        a = m.active.get(key)
        if a is None:
            a = _open(m, at, key, f, next_id())
        else:
            _refresh(m, a, at, f)
        m.touched[a["alert_id"]] = a
    for key, a in list(m.active.items()):
        if key[0] in evaluated and key not in seen:
            _auto_resolve(m, a, at)
            del m.active[key]
            m.touched[a["alert_id"]] = a


def _open(m: Machine, at: datetime, key: tuple[str, str], f: dict, alert_id: int) -> dict:
    rule = RULES[f["rule_id"]]
    a = {c: None for c in ALERT_COLUMNS}
    a.update({k: f[k] for k in fx.COLUMNS if k in a})
    a.update(
        alert_id=alert_id,
        scope_key=key[1],
        status="open",
        metric=rule.metric,
        peak=f["value"],
        impact_count=int(f["impact_count"] or 0),
        impact_amount_minor=int(f["impact_amount_minor"] or 0),
        opened_at=at,
        last_seen_at=at,
        version=1,
    )
    m.active[key] = a
    m.new.add(alert_id)
    m.opened.append(alert_id)
    m.event(a, at, "opened", f"{a['severity'].capitalize()}: {f['explanation']}")
    return a


def _refresh(m: Machine, a: dict, at: datetime, f: dict) -> None:
    worse_lower = RULES[a["rule_id"]].worse == "lower"
    for k in ("value", "baseline", "threshold", "explanation", "link", "title", "currency"):
        a[k] = f[k]
    a["last_seen_at"] = at
    if f["value"] is not None:
        pick = min if worse_lower else max
        a["peak"] = f["value"] if a["peak"] is None else pick(a["peak"], f["value"])
    a["impact_count"] = max(a["impact_count"] or 0, int(f["impact_count"] or 0))
    a["impact_amount_minor"] = max(
        a["impact_amount_minor"] or 0, int(f["impact_amount_minor"] or 0)
    )
    if SEVERITY_RANK[f["severity"]] > SEVERITY_RANK[a["severity"]]:
        a["severity"] = f["severity"]
        m.event(a, at, "escalated", f"Now critical: {f['explanation']}")
    if a["status"] == "snoozed" and a["snoozed_until"] and a["snoozed_until"] <= at:
        m.change(a, at, status="open", snoozed_until=None)
        m.event(a, at, "reopened", "Snooze ended and the condition still holds.")


def _auto_resolve(m: Machine, a: dict, at: datetime) -> None:
    note = (
        f"Resolved automatically at {fx.hhmm(at)}: the condition cleared (last seen "
        f"{fx.hhmm(a['last_seen_at'])})."
    )
    m.change(a, at, status="resolved", resolved_at=at, resolved_by=SYSTEM, resolution=note)
    m.resolved.append(a["alert_id"])
    m.event(a, at, "resolved", note)


def write(cur: duckdb.DuckDBPyConnection, m: Machine) -> None:
    """Persist what the machine changed: new alerts, updated ones, events, audit entries."""
    rows = pd.DataFrame(list(m.touched.values()), columns=ALERT_COLUMNS)
    if len(rows):
        rows["impact_amount_minor"] = rows.impact_amount_minor.astype("int64")
        fresh = rows.alert_id.isin(list(m.new))
        cur.register("alert_rows", rows[~fresh])
        cur.register("new_alert_rows", rows[fresh])
        sets = ", ".join(f"{c} = r.{c}" for c in ALERT_COLUMNS if c not in _KEYS)
        try:
            cur.execute(
                f"UPDATE alerts SET {sets} FROM alert_rows AS r WHERE alerts.alert_id = r.alert_id"
            )
            cur.execute("INSERT INTO alerts BY NAME SELECT * FROM new_alert_rows")
        finally:
            cur.unregister("alert_rows")
            cur.unregister("new_alert_rows")
    _append(cur, "alert_events", m.events)
    _append(cur, "audit_log", m.audits)


def _append(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)
    cur.register("append_rows", frame)
    try:
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM append_rows")
    finally:
        cur.unregister("append_rows")


def id_source(cur: duckdb.DuckDBPyConnection):
    """Alert ids from the table's sequence, one call per new alert."""
    return lambda: cur.execute("SELECT nextval('alert_seq')").fetchall()[0][0]
