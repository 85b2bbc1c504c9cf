"""What the Alerts page reads: the alert list, one alert with its timeline and audit trail,
and the latest evaluation run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ops_core import audit
from ops_core.alerts.rules import RULES

VIEWS = {
    "active": ("open", "acknowledged"),
    "snoozed": ("snoozed",),
    "resolved": ("resolved",),
    "all": ("open", "acknowledged", "snoozed", "resolved"),
}


@dataclass(frozen=True)
class AlertDetail:
    alert: dict[str, Any]
    events: pd.DataFrame
    audit: pd.DataFrame


def alert_list(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every alert, worst first: unresolved before resolved, critical before warning, newest."""
    df = cur.execute(
        "SELECT alert_id, rule_id, title, severity, status, rail_id, partner_id, client_id,"
        " subject, value, baseline, threshold, unit, explanation, link, impact_count,"
        " impact_amount_minor, currency, opened_at, last_seen_at, resolved_at, resolved_by,"
        " assignee, snoozed_until, incident_id, version FROM alerts"
        " ORDER BY status = 'resolved', severity <> 'critical', opened_at DESC, alert_id DESC"
    ).df()
    df["rule"] = df.rule_id.map(lambda r: RULES[r].title if r in RULES else r)
    return df


def alert_detail(cur: duckdb.DuckDBPyConnection, alert_id: int) -> AlertDetail | None:
    df = cur.execute("SELECT * FROM alerts WHERE alert_id = ?", [alert_id]).df()
    if df.empty:
        return None
    alert = df.iloc[0].to_dict()
    alert["rule"] = RULES[alert["rule_id"]].title if alert["rule_id"] in RULES else alert["rule_id"]
    alert["metric"] = RULES[alert["rule_id"]].metric if alert["rule_id"] in RULES else ""
    events = cur.execute(
        "SELECT event_at, actor, kind, detail FROM alert_events WHERE alert_id = ?"
        " ORDER BY event_at, event_id",
        [alert_id],
    ).df()
    return AlertDetail(alert, events, audit.history(cur, "alert", alert_id))


def latest_run(cur: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    rows = cur.execute(
        "SELECT evaluated_at, ran_at, skipped FROM alert_runs ORDER BY evaluated_at DESC,"
        " run_id DESC LIMIT 1"
    ).fetchall()
    if not rows:
        return None
    at, ran, skipped = rows[0]
    return {"evaluated_at": at, "ran_at": ran, "skipped": json.loads(skipped)}
