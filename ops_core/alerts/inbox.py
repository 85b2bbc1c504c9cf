"""What the Alerts page reads: the alert list, one alert with its timeline and audit trail,
and the latest evaluation run.

``partner`` (partner screen-share mode, issue 8): only alerts scoped to that partner (its
rails with it); client ids pseudonymised, people cut to their last four characters, titles,
explanations and event details masked (``ops_core.access.partner_view``). Another partner's
alert is not found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ops_core import audit
from ops_core.access import partner_view
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


# What a partner's view masks in an alert row: free text, and people.
ALERT_TEXT = ("title", "explanation", "subject", "link")
ALERT_PEOPLE = ("assignee", "resolved_by", "actor")


def alert_list(cur: duckdb.DuckDBPyConnection, partner: str | None = None) -> pd.DataFrame:
    """Every alert, worst first: unresolved before resolved, critical before warning, newest;
    ``partner``: that partner's alerts only, masked."""
    df = cur.execute(
        "SELECT alert_id, rule_id, title, severity, status, rail_id, partner_id, client_id,"
        " subject, value, baseline, threshold, unit, explanation, link, impact_count,"
        " impact_amount_minor, currency, opened_at, last_seen_at, resolved_at, resolved_by,"
        " assignee, snoozed_until, incident_id, version FROM alerts"
        " WHERE CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR)"
        " ORDER BY status = 'resolved', severity <> 'critical', opened_at DESC, alert_id DESC",
        {"partner": partner},
    ).df()
    df["rule"] = df.rule_id.map(lambda r: RULES[r].title if r in RULES else r)
    if partner is None:
        return df
    return partner_view.load(cur, partner).frame(df, text=ALERT_TEXT, people=ALERT_PEOPLE)


def alert_detail(
    cur: duckdb.DuckDBPyConnection, alert_id: int, partner: str | None = None
) -> AlertDetail | None:
    """One alert with its events and audit trail; None when it does not exist or
    (``partner`` given) is not that partner's."""
    df = cur.execute(
        "SELECT * FROM alerts WHERE alert_id = $id AND (CAST($partner AS VARCHAR) IS NULL"
        " OR partner_id = CAST($partner AS VARCHAR))",
        {"id": alert_id, "partner": partner},
    ).df()
    if df.empty:
        return None
    if partner is not None:
        view = partner_view.load(cur, partner)
        df = view.frame(df, text=ALERT_TEXT, people=ALERT_PEOPLE)
    alert = df.iloc[0].to_dict()
    alert["rule"] = RULES[alert["rule_id"]].title if alert["rule_id"] in RULES else alert["rule_id"]
    alert["metric"] = RULES[alert["rule_id"]].metric if alert["rule_id"] in RULES else ""
    events = cur.execute(
        "SELECT event_at, actor, kind, detail FROM alert_events WHERE alert_id = ?"
        " ORDER BY event_at, event_id",
        [alert_id],
    ).df()
    trail = audit.history(cur, "alert", alert_id)
    if partner is not None:
        people = {*trail.get("actor", ()), *events.get("actor", ())}
        events = view.frame(events, text=("detail",), people=ALERT_PEOPLE, personal=people)
        trail = view.frame(
            trail, text=("old_value", "new_value"), people=ALERT_PEOPLE, personal=people
        )
    return AlertDetail(alert, events, trail)


def latest_run(cur: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    rows = cur.execute(
        "SELECT evaluated_at, ran_at, skipped FROM alert_runs ORDER BY evaluated_at DESC,"
        " run_id DESC LIMIT 1"
    ).fetchall()
    if not rows:
        return None
    at, ran, skipped = rows[0]
    return {"evaluated_at": at, "ran_at": ran, "skipped": json.loads(skipped)}
