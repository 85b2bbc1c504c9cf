"""The demo's alerts and incident: replay the rules hourly over the last two weeks of demo
data, as a scheduler would have run them, then write up the Lakeshore RTP outage as an
incident with a post-mortem (scenario ``rtp_lakeshore_timeouts``, data/README.md).

Call ``seed_alerts(cur, as_of)`` inside the demo build's transaction, after the payments,
rollups and ``data_version.as_of`` are written. It replaces any alerts and incidents already
in the database, so a rebuild starts clean.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from ops_core import audit
from ops_core.alerts import RunResult, actions, incidents, replay_in
from ops_core.alerts.findings import floor_hour
from ops_core.db import Database

REPLAY_DAYS = 14
ON_CALL = "Priya Raman"
LEAD = "Marcus Bell"
_TABLES = ("alert_events", "alerts", "alert_runs", "incident_events", "incidents")


def seed_alerts(cur: duckdb.DuckDBPyConnection, as_of: datetime) -> RunResult:
    """Alerts over [as_of - 14 days, as_of] and the Lakeshore incident; returns the replay."""
    for table in _TABLES:
        cur.execute(f"DELETE FROM {table}")
    cur.execute("DELETE FROM audit_log WHERE entity IN ('alert', 'incident')")
    end = floor_hour(as_of)
    result = replay_in(cur, end - timedelta(days=REPLAY_DAYS), end)
    lakeshore_incident(cur)
    return result


def lakeshore_incident(cur: duckdb.DuckDBPyConnection) -> int | None:
    """The on-call acknowledged the Lakeshore RTP alerts, opened an incident, and the lead
    wrote the post-mortem after the timeouts stopped. None when the scenario is absent."""
    rows = cur.execute(
        "SELECT a.alert_id, a.version, a.opened_at, a.resolved_at FROM alerts AS a"
        " JOIN demo_scenarios AS s ON s.scenario_id = 'rtp_lakeshore_timeouts'"
        " WHERE a.rail_id = 'RTP' AND a.partner_id = 'LAKESHORE'"
        " AND a.opened_at >= s.starts_at AND a.opened_at <= s.ends_at + INTERVAL 2 HOUR"
        " ORDER BY a.opened_at, a.alert_id"
    ).fetchall()
    if not rows:
        return None
    first = min(r[2] for r in rows)
    versions = {}
    for alert_id, version, opened, _ in rows:
        # the replay has already resolved them: tell the acknowledgement as it happened
        at = opened + timedelta(minutes=6)
        audit.record(
            cur,
            actor=ON_CALL,
            entity="alert",
            entity_id=str(alert_id),
            field="status",
            old="open",
            new="acknowledged",
            at=at,
        )
        actions._event(
            cur, alert_id, at, ON_CALL, "acknowledged", f"{ON_CALL} acknowledged the alert."
        )
        versions[alert_id] = version
    # the on-call opens the incident with the first alert and adds each later one as it fires
    opened_at = {r[0]: r[2] for r in rows}
    head = rows[0][0]
    incident_id = incidents.create(
        cur,
        "Lakeshore Bank RTP timeouts (DS24)",
        {head: versions.pop(head)},
        actor=ON_CALL,
        severity="sev2",
        at=first + timedelta(minutes=12),
    )
    for alert_id, version in versions.items():
        at = max(opened_at[alert_id], first) + timedelta(minutes=12)
        incidents.link(cur, incident_id, alert_id, version=version, actor=ON_CALL, at=at)
    ended = max(r[3] for r in rows if r[3] is not None)
    version = cur.execute(
        "SELECT version FROM incidents WHERE incident_id = ?", [incident_id]
    ).fetchall()[0][0]
    incidents.update(
        cur,
        incident_id,
        {"status": "resolved", "owner": LEAD, **POSTMORTEM},
        version=version,
        actor=LEAD,
        at=ended + timedelta(minutes=40),
    )
    return incident_id


POSTMORTEM = {
    "summary": (
        "For about three hours Lakeshore Bank's RTP gateway answered a quarter of our credit "
        "transfers with DS24 (waiting time expired) and the rest up to ten times slower than "
        "usual. Meridian Trust's RTP and every other rail were unaffected. Timed-out payouts "
        "were retried once on the same route; the rest failed back to clients."
    ),
    "root_cause": (
        "Lakeshore Bank rolled out a fraud-screening rule on its RTP sending path that "
        "synchronously called a third-party service; under the afternoon peak the call "
        "queued past RTP's response window, so the network timed the payments out (DS24)."
    ),
    "remediation": (
        "Lakeshore rolled the rule back at 17:05 UTC and latency returned to normal within "
        "minutes. We paused automatic retries on Lakeshore RTP during the incident and "
        "re-sent the failed payouts over Meridian Trust RTP once clients confirmed."
    ),
    "follow_ups": "\n".join(
        [
            "[x] Ask Lakeshore Bank for their change log and a written RCA",
            "[ ] Route RTP payouts to Meridian Trust automatically when Lakeshore's DS24 share "
            "exceeds 20% for 15 minutes",
            "[ ] Add Lakeshore's change calendar to the partner call agenda",
            "[ ] Alert on DS24 share per partner every 15 minutes, not hourly",
        ]
    ),
}


def seed(db: Database, as_of: datetime) -> RunResult:
    """``seed_alerts`` in its own transaction: for the demo build, after it has loaded the
    ledger, rollups and files (so rules over reconciliation tables see them too)."""
    with db.transaction() as cur:
        return seed_alerts(cur, as_of)
