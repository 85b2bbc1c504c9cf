"""Incidents: alerts grouped into one story with its impact and a post-mortem.

An incident links alerts (``alerts.incident_id``). What it affected (rails, partners,
clients) and its impact (payments failed, returned or still pending, and their amount per
currency) are derived from the linked alerts' scopes and window, never typed in; root cause,
remediation and follow-ups are people's words, edited with version checks and audited. The
timeline merges the incident's own events with those of its alerts. ``postmortem_markdown``
renders it all for export.

``partner`` (partner screen-share mode, issue 8): only incidents with an alert scoped to that
partner, showing only those alerts, their events and their impact (on that partner's
payments), with clients pseudonymised, people cut to their last four characters and free text
masked (``ops_core.access.partner_view``); another partner's incident is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from ops_core import audit, sql
from ops_core.access import actor_name, partner_view
from ops_core.alerts import actions
from ops_core.alerts.actions import Actor
from ops_core.errors import OpsError
from ops_core.money import format_money

INCIDENT = audit.Editable(
    table="incidents",
    key="incident_id",
    fields=frozenset(
        {
            "title",
            "severity",
            "status",
            "owner",
            "summary",
            "root_cause",
            "remediation",
            "follow_ups",
            "resolved_at",
        }
    ),
    entity="incident",
)
SEVERITIES = ("sev1", "sev2", "sev3")
STATUSES = ("open", "mitigated", "resolved")


@dataclass(frozen=True)
class Detail:
    """Everything the incident page and the post-mortem show."""

    incident: dict[str, Any]
    alerts: pd.DataFrame
    timeline: pd.DataFrame
    impact: pd.DataFrame  # client x currency: payments, pending, amount_minor
    rails: list[str]
    partners: list[str]
    clients: list[str]
    ended_at: datetime | None

    def totals(self) -> pd.DataFrame:
        """Impact per currency: payments and amount."""
        if self.impact.empty:
            return pd.DataFrame(columns=["currency", "payments", "pending", "amount_minor"])
        return self.impact.groupby("currency", as_index=False)[
            ["payments", "pending", "amount_minor"]
        ].sum()


def _event(cur, incident_id: int, at: datetime, actor: Actor, kind: str, detail: str) -> None:
    cur.execute(
        "INSERT INTO incident_events (incident_id, event_at, actor, kind, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        [incident_id, at, actor_name(actor), kind, detail],
    )


def create(
    cur: duckdb.DuckDBPyConnection,
    title: str,
    alerts: dict[int, int],
    *,
    actor: Actor,
    severity: str = "sev2",
    at: datetime | None = None,
) -> int:
    """Open an incident from ``alerts`` ({alert_id: the version the person saw}); it starts
    when the first of them began and was detected when the first one opened."""
    title = (title or "").strip()
    if not title:
        raise OpsError("give the incident a title")
    if not alerts:
        raise OpsError("pick at least one alert to group into the incident")
    if severity not in SEVERITIES:
        raise OpsError(f"severity must be one of {', '.join(SEVERITIES)}")
    at = at or datetime.now(UTC)
    rows = cur.execute(
        "SELECT min(coalesce(window_start, opened_at)), min(opened_at) FROM alerts"
        " WHERE list_contains(?, alert_id)",
        [list(alerts)],
    ).fetchall()
    started, detected = rows[0]
    if started is None:
        raise OpsError(f"no such alerts: {sorted(alerts)}")
    incident_id = cur.execute(
        "INSERT INTO incidents (title, severity, status, started_at, detected_at, created_at,"
        " created_by) VALUES (?, ?, 'open', ?, ?, ?, ?) RETURNING incident_id",
        [title, severity, started, detected, at, actor_name(actor)],
    ).fetchall()[0][0]
    audit.record(
        cur,
        actor=actor,
        entity="incident",
        entity_id=str(incident_id),
        field="created",
        old=None,
        new=title,
        at=at,
    )
    _event(
        cur, incident_id, at, actor, "created", f"{actor_name(actor)} opened the incident: {title}"
    )
    for alert_id, version in alerts.items():
        link(cur, incident_id, alert_id, version=version, actor=actor, at=at)
    return incident_id


def link(cur, incident_id: int, alert_id: int, *, version: int, actor: Actor, at=None) -> int:
    """Put an alert in the incident (version-checked on the alert)."""
    at = at or datetime.now(UTC)
    _exists(cur, incident_id)
    new, changed = audit.update(
        cur,
        actions.ALERT,
        alert_id,
        expected_version=version,
        changes={"incident_id": incident_id},
        actor=actor,
    )
    if changed:
        title = cur.execute("SELECT title FROM alerts WHERE alert_id = ?", [alert_id]).fetchall()
        _event(cur, incident_id, at, actor, "linked", f"Alert {alert_id} added: {title[0][0]}")
        actions._event(cur, alert_id, at, actor, "incident", f"Added to incident {incident_id}.")
    return new


def unlink(cur, incident_id: int, alert_id: int, *, version: int, actor: Actor, at=None) -> int:
    at = at or datetime.now(UTC)
    new, changed = audit.update(
        cur,
        actions.ALERT,
        alert_id,
        expected_version=version,
        changes={"incident_id": None},
        actor=actor,
    )
    if changed:
        _event(cur, incident_id, at, actor, "unlinked", f"Alert {alert_id} removed.")
    return new


def update(
    cur: duckdb.DuckDBPyConnection,
    incident_id: int,
    changes: dict[str, Any],
    *,
    version: int,
    actor: Actor,
    at: datetime | None = None,
) -> int:
    """Edit the post-mortem fields, status or severity (version-checked, audited). Resolving
    stamps ``resolved_at``; reopening clears it."""
    at = at or datetime.now(UTC)
    changes = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in changes.items()}
    if changes.get("severity", "sev2") not in SEVERITIES:
        raise OpsError(f"severity must be one of {', '.join(SEVERITIES)}")
    if "status" in changes:
        if changes["status"] not in STATUSES:
            raise OpsError(f"status must be one of {', '.join(STATUSES)}")
        current = _exists(cur, incident_id)
        if changes["status"] == "resolved" and current["status"] != "resolved":
            changes["resolved_at"] = at
        elif changes["status"] != "resolved":
            changes["resolved_at"] = None
    if not changes.get("title", "x"):
        raise OpsError("the title cannot be empty")
    new, changed = audit.update(
        cur, INCIDENT, incident_id, expected_version=version, changes=changes, actor=actor
    )
    edited = [
        c.field.replace("_", " ") for c in changed if c.field not in ("status", "resolved_at")
    ]
    if edited:
        _event(cur, incident_id, at, actor, "edited", f"Updated {', '.join(edited)}.")
    for c in changed:
        if c.field == "status":
            _event(cur, incident_id, at, actor, "status", f"Status {c.old} → {c.new}.")
    return new


def _exists(cur, incident_id: int) -> dict[str, Any]:
    df = cur.execute("SELECT * FROM incidents WHERE incident_id = ?", [incident_id]).df()
    if df.empty:
        raise OpsError(f"incident {incident_id} does not exist")
    return df.iloc[0].to_dict()


INCIDENT_TEXT = ("title", "summary", "root_cause", "remediation", "follow_ups")
INCIDENT_PEOPLE = ("owner", "created_by", "actor", "assignee", "resolved_by")
inbox_text = ("title", "explanation", "subject", "link")  # as ops_core.alerts.inbox.ALERT_TEXT


def incident_list(cur: duckdb.DuckDBPyConnection, partner: str | None = None) -> pd.DataFrame:
    """Every incident, newest first, with its alert count and routes; ``partner``: those
    with an alert of that partner, counting only its alerts, masked."""
    df = cur.execute(
        "SELECT i.incident_id, i.title, i.severity, i.status, i.started_at, i.detected_at,"
        " i.resolved_at, i.owner, count(a.alert_id) AS alerts,"
        " list(DISTINCT a.rail_id) FILTER (WHERE a.rail_id IS NOT NULL) AS rails,"
        " list(DISTINCT a.partner_id) FILTER (WHERE a.partner_id IS NOT NULL) AS partners"
        " FROM incidents AS i LEFT JOIN alerts AS a ON a.incident_id = i.incident_id"
        " AND (CAST($partner AS VARCHAR) IS NULL OR a.partner_id = CAST($partner AS VARCHAR))"
        " GROUP BY ALL"
        " HAVING CAST($partner AS VARCHAR) IS NULL OR count(a.alert_id) > 0"
        " ORDER BY i.started_at DESC, i.incident_id DESC",
        {"partner": partner},
    ).df()
    if partner is None:
        return df
    return partner_view.load(cur, partner).frame(df, text=INCIDENT_TEXT, people=INCIDENT_PEOPLE)


def detail(cur: duckdb.DuckDBPyConnection, incident_id: int, partner: str | None = None) -> Detail:
    """The incident in full; ``partner``: only that partner's alerts (and their impact and
    events), masked; OpsError (not found) when it has none of that partner's alerts."""
    inc = _exists(cur, incident_id)
    alerts = cur.execute(
        "SELECT * FROM alerts WHERE incident_id = $i AND (CAST($partner AS VARCHAR) IS NULL"
        " OR partner_id = CAST($partner AS VARCHAR)) ORDER BY opened_at, alert_id",
        {"i": incident_id, "partner": partner},
    ).df()
    if partner is not None and alerts.empty:
        raise OpsError(f"incident {incident_id} does not exist in this view")
    ended = _ended(inc, alerts) if partner is None else _ended(inc, _all_alerts(cur, incident_id))
    impact = _impact(cur, inc, alerts, ended)
    d = Detail(
        incident=inc,
        alerts=alerts,
        timeline=_timeline(cur, incident_id, None if partner is None else list(alerts.alert_id)),
        impact=impact,
        rails=_distinct(alerts, "rail_id"),
        partners=_distinct(alerts, "partner_id"),
        clients=sorted(set(_distinct(alerts, "client_id")) | set(impact.client_id)),
        ended_at=ended,
    )
    return d if partner is None else _masked(partner_view.load(cur, partner), d)


def _all_alerts(cur: duckdb.DuckDBPyConnection, incident_id: int) -> pd.DataFrame:
    return cur.execute("SELECT * FROM alerts WHERE incident_id = ?", [incident_id]).df()


def _masked(view: partner_view.PartnerView, d: Detail) -> Detail:
    """An incident as a partner's screen-share shows it (see the module docstring)."""
    people = {
        *(d.incident.get(c) for c in INCIDENT_PEOPLE),
        *d.timeline.get("actor", ()),
        *d.alerts.get("assignee", ()),
    }
    people = {p for p in people if isinstance(p, str)}
    inc = dict(d.incident)
    for col in INCIDENT_TEXT:
        inc[col] = view.text(inc.get(col), people)
    for col in INCIDENT_PEOPLE:
        if col in inc:
            inc[col] = view.person(inc[col])
    alerts = view.frame(d.alerts, text=inbox_text, people=INCIDENT_PEOPLE, personal=people)
    return Detail(
        incident=inc,
        alerts=alerts,
        timeline=view.frame(d.timeline, text=("detail",), people=("actor",), personal=people),
        impact=view.frame(d.impact),
        rails=d.rails,
        partners=[view.partner],
        clients=sorted(set(view.frame(pd.DataFrame({"client_id": d.clients})).client_id)),
        ended_at=d.ended_at,
    )


def _distinct(df: pd.DataFrame, col: str) -> list[str]:
    return sorted({v for v in df[col] if isinstance(v, str)})


def _ended(inc: dict, alerts: pd.DataFrame) -> datetime | None:
    """When the impact ended: the last sighting of its last alert, once every linked alert is
    resolved (an evaluation at time t judges the data up to t); else None (still going)."""
    if alerts.empty or (alerts.status != "resolved").any():
        return None
    return pd.Timestamp(alerts.last_seen_at.max()).to_pydatetime()


def _impact(cur, inc: dict, alerts: pd.DataFrame, ended: datetime | None) -> pd.DataFrame:
    cols = ["client_id", "client", "currency", "payments", "pending", "amount_minor"]
    if alerts.empty:
        return pd.DataFrame(columns=cols)
    scopes = alerts[["rail_id", "partner_id", "client_id"]].drop_duplicates()
    end = ended or pd.Timestamp(alerts.last_seen_at.max()).to_pydatetime()
    cur.register("incident_scopes", scopes)
    try:
        return sql.query(cur, "alerts/incident_impact", start=inc["started_at"], end=end).reindex(
            columns=cols
        )
    finally:
        cur.unregister("incident_scopes")


def _timeline(cur, incident_id: int, alert_ids: list[int] | None = None) -> pd.DataFrame:
    """The incident's events and its alerts' (``alert_ids``: only those alerts')."""
    return cur.execute(
        "SELECT event_at, actor, kind, detail, NULL::BIGINT AS alert_id FROM incident_events"
        " WHERE incident_id = $i"
        " UNION ALL"
        " SELECT e.event_at, e.actor, e.kind, 'Alert ' || e.alert_id || ': ' || e.detail,"
        " e.alert_id FROM alert_events AS e"
        " JOIN alerts AS a USING (alert_id) WHERE a.incident_id = $i AND e.kind <> 'incident'"
        " AND ($ids IS NULL OR list_contains($ids, e.alert_id))"
        " ORDER BY event_at, alert_id NULLS FIRST",
        {"i": incident_id, "ids": alert_ids},
    ).df()


# ---- the post-mortem ----
def _t(ts, tz: str) -> str:
    if ts is None or pd.isna(ts):
        return "–"
    t = pd.Timestamp(ts).tz_convert(tz)
    return f"{t:%Y-%m-%d %H:%M} {t.tzname()}"


def _duration(a, b) -> str:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return "–"
    minutes = int((pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def postmortem_markdown(d: Detail, names: dict[str, dict[str, str]], tz: str = "UTC") -> str:
    """The incident as a Markdown post-mortem. ``names``: {'rails'|'partners'|'clients':
    {id: name}} for readable lists; times in ``tz``."""
    i = d.incident
    lines = [
        f"# Incident {i['incident_id']}: {i['title']}",
        "",
        f"- **Severity:** {i['severity'].upper()} · **Status:** {i['status']}"
        f" · **Owner:** {i.get('owner') or 'unassigned'}",
        f"- **Started:** {_t(i['started_at'], tz)} · **Detected:** {_t(i['detected_at'], tz)}"
        f" (after {_duration(i['started_at'], i['detected_at'])})",
        f"- **Impact ended:** {_t(d.ended_at, tz)}"
        f" (lasted {_duration(i['started_at'], d.ended_at)})"
        f" · **Incident resolved:** {_t(i.get('resolved_at'), tz)}",
        "",
        "## Summary",
        "",
        i.get("summary") or "_To be written._",
        "",
        "## Impact",
        "",
        *_impact_lines(d),
        "",
        "## Affected",
        "",
        f"- **Rails:** {_names(d.rails, names.get('rails', {}))}",
        f"- **Partners:** {_names(d.partners, names.get('partners', {}))}",
        f"- **Clients:** {_names(d.clients, names.get('clients', {}))}",
        "",
        "## Timeline",
        "",
        "| Time | Who | What |",
        "|---|---|---|",
        *[
            f"| {_t(e.event_at, tz)} | {_cell(e.actor)} | {_cell(e.kind)}: {_cell(e.detail)} |"
            for e in d.timeline.itertuples()
        ],
        "",
        "## Alerts",
        "",
        "| Alert | Rule | Opened | Resolved | Explanation |",
        "|---|---|---|---|---|",
        *[
            f"| {a.alert_id} | {_cell(a.title)} | {_t(a.opened_at, tz)} | "
            f"{_t(a.resolved_at, tz)} | {_cell(a.explanation)} |"
            for a in d.alerts.itertuples()
        ],
        "",
        "## Root cause",
        "",
        i.get("root_cause") or "_To be written._",
        "",
        "## Remediation",
        "",
        i.get("remediation") or "_To be written._",
        "",
        "## Follow-ups",
        "",
        *_follow_ups(i.get("follow_ups")),
        "",
    ]
    return "\n".join(lines)


def _impact_lines(d: Detail) -> list[str]:
    totals = d.totals()
    if totals.empty:
        return ["- No failed, returned or stuck payments on the affected routes in the window."]
    out = [
        f"- **{int(r.payments):,} payments** failed, returned or stuck"
        f" ({int(r.pending):,} still pending): **{format_money(int(r.amount_minor), r.currency)}**"
        for r in totals.itertuples()
    ]
    top = d.impact.head(5)
    out += ["", "| Client | Payments | Amount |", "|---|---:|---:|"]
    out += [
        f"| {_cell(r.client)} | {int(r.payments):,} | {_money(r.amount_minor, r.currency)} |"
        for r in top.itertuples()
    ]
    return out


def _money(minor, currency: str) -> str:
    return format_money(int(minor), currency)


def _names(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(x, x) for x in ids) or "–"


def _follow_ups(text: str | None) -> list[str]:
    """One task item per line; '[x]' items stay done."""
    out = []
    for line in (text or "").splitlines():
        t = line.strip().lstrip("-*").strip()
        if not t:
            continue
        done = t.lower().startswith("[x]")
        t = t[3:].strip() if t.startswith(("[ ]", "[x]", "[X]")) else t
        out.append(f"- [{'x' if done else ' '}] {t}")
    return out or ["_None yet._"]
