"""Streamlit glue for the Alerts, Incidents and Partner scorecards pages: cached reads, saves
that survive concurrent edits, and the renderers the three pages share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ops_core import alerts, audit, rollups
from ops_core.alerts import actions, inbox, incidents, scorecards
from ops_core.errors import OpsError
from ui import access, data, feedback, fmt

ALERTS_PAGE = "pages/alerts.py"
INCIDENTS_PAGE = "pages/incidents.py"
SCORECARDS_PAGE = "pages/scorecards.py"
# app paths alert links point at -> the page files st.page_link needs
LINK_PAGES = {
    "rail-health": "pages/rail_health.py",
    "disputes-calendar": "pages/dispute_calendar.py",
    "breaks": "pages/break_queue.py",
    "reconciliation": "pages/reconciliation.py",
    "alerts": ALERTS_PAGE,
    "incidents": INCIDENTS_PAGE,
}
FLASH = "_alerts_flash"
SEVERITY_BADGE = {"critical": ":red-badge[CRITICAL]", "warning": ":orange-badge[WARNING]"}
STATUS_BADGE = {
    "open": ":red-badge[open]",
    "acknowledged": ":blue-badge[acknowledged]",
    "snoozed": ":gray-badge[snoozed]",
    "resolved": ":green-badge[resolved]",
}
SEV_LABEL = {"sev1": "SEV1 (critical)", "sev2": "SEV2 (major)", "sev3": "SEV3 (minor)"}
INCIDENT_STATUS_BADGE = {
    "open": ":red-badge[open]",
    "mitigated": ":orange-badge[mitigated]",
    "resolved": ":green-badge[resolved]",
}


# ---- cached reads (keyed on the data version, STYLE.md) ----
# ``partner`` (ui.access.partner_scope()): that partner's screen-share view, filtered and
# masked in ops_core.
@st.cache_data(show_spinner=False)
def alert_list(data_version_: int, partner: str | None = None) -> pd.DataFrame:
    return inbox.alert_list(data.cursor(), partner)


@st.cache_data(show_spinner=False)
def alert_detail(
    data_version_: int, alert_id: int, partner: str | None = None
) -> inbox.AlertDetail | None:
    return inbox.alert_detail(data.cursor(), alert_id, partner)


@st.cache_data(show_spinner=False)
def latest_run(data_version_: int) -> dict | None:
    return inbox.latest_run(data.cursor())


@st.cache_data(show_spinner=False)
def incident_list(data_version_: int, partner: str | None = None) -> pd.DataFrame:
    return incidents.incident_list(data.cursor(), partner)


@st.cache_data(show_spinner=False)
def incident_detail(
    data_version_: int, incident_id: int, partner: str | None = None
) -> incidents.Detail | None:
    try:
        return incidents.detail(data.cursor(), incident_id, partner)
    except OpsError:
        return None


@st.cache_data(show_spinner=False)
def partner_list(data_version_: int) -> pd.DataFrame:
    return scorecards.partners(data.cursor())


@st.cache_data(show_spinner=False)
def scorecard(data_version_: int, partner_id: str, end: datetime, weeks: int, masked=False):
    return scorecards.scorecard(data.cursor(), partner_id, end, weeks, masked)


def names(version: int) -> dict[str, dict[str, str]]:
    ref = data.reference(version)
    return {
        "rails": {k: v.split(" (")[0] for k, v in fmt.names(ref["rails"], "rail_id").items()},
        "partners": fmt.names(ref["partners"], "partner_id"),
        "clients": fmt.names(ref["clients"], "client_id"),
    }


# ---- saves ----
def held(kind: str, key: int, current: int) -> int:
    """The version this session opened the row at: saves are checked against it, so a change
    someone else made meanwhile is refused (ConflictError), never overwritten."""
    name = f"_held_{kind}_{key}"
    if name not in st.session_state:
        st.session_state[name] = int(current)
    return st.session_state[name]


def stale_warning(kind: str, key: int, current: int) -> None:
    seen = held(kind, key, current)
    if seen != current:
        st.warning(
            f"Someone changed this {kind} after you opened it (you opened version {seen}, it is"
            f" now {current}). Your next save will be refused: reload first.",
            icon=":material/sync_problem:",
        )


def reload(kind: str, key: int) -> None:
    st.session_state.pop(f"_held_{kind}_{key}", None)
    st.cache_data.clear()


TABLES = {"alert": ("alerts", "alert_id"), "incident": ("incidents", "incident_id")}


def save(kind: str, key: int, action: Callable[[duckdb.DuckDBPyConnection], object], done: str):
    """Run one audited edit in a transaction; hold the row's new version (read in the same
    transaction, so it is ours); report a conflict or a refused action."""
    table, column = TABLES[kind]

    def write() -> int:
        with data.database().transaction() as cur:
            action(cur)
            rollups.bump_version(cur)
            query = f"SELECT version FROM {table} WHERE {column} = ?"
            return int(cur.execute(query, [key]).fetchone()[0])

    ok, new = feedback.attempt(FLASH, write)
    if ok:
        st.session_state[f"_held_{kind}_{key}"] = new
        feedback.done(FLASH, done)
    st.cache_data.clear()
    st.rerun()


def flash() -> None:
    feedback.show(FLASH)


def evaluate_now(now: datetime) -> None:
    if not access.can("edit_alerts"):
        st.session_state[FLASH] = ("error", "evaluating the rules needs the operator role")
        st.rerun()
    try:
        r = alerts.evaluate(data.database(), now)
    except OpsError as exc:
        st.session_state[FLASH] = ("error", str(exc))
    else:
        st.session_state[FLASH] = (
            "success",
            f"Evaluated at {now:%Y-%m-%d %H:%M} UTC: {r.firing} firing, {len(r.opened)} "
            f"opened, {len(r.resolved)} resolved.",
        )
    st.cache_data.clear()
    st.rerun()


# ---- alerts ----
def value_text(value, unit: str, currency: str | None = None) -> str:
    if fmt.missing(value):
        return "–"
    if unit == "pct":
        return f"{value:.2f}%" if abs(value) < 1 else f"{value:.1f}%"
    if unit == "ms":
        return fmt.duration(value)
    if unit == "minor_units" and currency:
        return fmt.money(value, currency, False)
    return f"{value:,.0f}"


def impact_text(count, amount, currency) -> str:
    if fmt.missing(count) or not count:
        return "–"
    money = f" · {fmt.money(amount, currency)}" if amount and isinstance(currency, str) else ""
    return f"{int(count):,}{money}"


def alert_table(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.info("No alerts in this view.", icon=":material/notifications_off:")
        return
    show = pd.DataFrame(
        {
            "#": df.alert_id,
            "severity": df.severity.str.upper(),
            "status": df.status,
            "alert": df.title,
            "impact": [
                impact_text(c, a, k)
                for c, a, k in zip(
                    df.impact_count, df.impact_amount_minor, df.currency, strict=True
                )
            ],
            "opened": [fmt.local(t, tz, "%d %b %H:%M") for t in df.opened_at],
            "last seen": [fmt.local(t, tz, "%d %b %H:%M") for t in df.last_seen_at],
            "assignee": df.assignee.fillna(""),
            "incident": [f"#{int(i)}" if pd.notna(i) else "" for i in df.incident_id],
        }
    )
    small = st.column_config.TextColumn(width="small")
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(show, 420),
        column_config={
            "#": st.column_config.NumberColumn(width=45),
            "severity": small,
            "status": small,
            "incident": small,
        },
    )


def alert_label(r) -> str:
    return f"#{r.alert_id} · {r.severity.upper()} · {r.status} · {r.title}"


def run_caption(run: dict | None, now: datetime, tz: str) -> str:
    if not run:
        return "The rules have not been evaluated on this database yet."
    waiting = "; ".join(alerts.RULES[r].title for r in sorted(run["skipped"]) if r in alerts.RULES)
    text = (
        f"Rules last evaluated at {fmt.local(run['evaluated_at'], tz)}, data as of "
        f"{fmt.local(now, tz)}. Alerts open when a rule fires and resolve themselves when it "
        "clears."
    )
    return text + (f" Waiting for their source tables: {waiting}." if waiting else "")


LINK_LABELS = {
    "breaks": "Open the breaks in the queue",
    "reconciliation": "Open reconciliation",
    "disputes-calendar": "Open the dispute calendar",
}


def affected_link(link: str) -> None:
    """The alert's link as an in-app page link (same tab, with its query parameters)."""
    parts = urlsplit(link)
    path = parts.path.strip("/")
    label = LINK_LABELS.get(path, "Open the affected payments")
    page = LINK_PAGES.get(path)
    if page is None:
        st.markdown(f"[{label}]({link})")
        return
    st.page_link(
        page,
        label=label,
        icon=":material/arrow_forward:",
        query_params=dict(parse_qsl(parts.query)),
    )


def alert_header(a: dict, tz: str) -> None:
    st.subheader(f"Alert {a['alert_id']}: {a['title']}")
    assignee = a["assignee"] if isinstance(a["assignee"], str) else "nobody"
    snooze = f" until {fmt.local(a['snoozed_until'], tz)}" if a["status"] == "snoozed" else ""
    st.markdown(
        f"{SEVERITY_BADGE[a['severity']]} {STATUS_BADGE[a['status']]}{snooze} · {a['rule']} · "
        f"opened {fmt.local(a['opened_at'], tz)} · last seen {fmt.local(a['last_seen_at'], tz)}"
        f" · assigned to **{assignee}**"
    )
    box = st.error if a["severity"] == "critical" and a["status"] != "resolved" else st.info
    box(a["explanation"], icon=":material/lightbulb:")
    cols = st.columns(4)
    unit, cur = a["unit"], a["currency"] if isinstance(a["currency"], str) else None
    cols[0].metric(f"Now ({a['metric']})", value_text(a["value"], unit, cur))
    cols[1].metric("Baseline", value_text(a["baseline"], unit, cur))
    cols[2].metric("Threshold", value_text(a["threshold"], unit, cur))
    cols[3].metric(
        "Impact so far",
        impact_text(a["impact_count"], a["impact_amount_minor"], cur),
        help="Payments affected while the alert was open (failed, stuck, exposed or returned,"
        " by rule) and their amount.",
    )
    if a["status"] == "resolved":
        st.success(
            f"Resolved {fmt.local(a['resolved_at'], tz)} by {a['resolved_by']}: {a['resolution']}",
            icon=":material/task_alt:",
        )


def events_table(df: pd.DataFrame, tz: str) -> None:
    show = pd.DataFrame(
        {
            "when": [fmt.local(t, tz, "%d %b %H:%M") for t in df.event_at],
            "who": df.actor,
            "what": df.kind,
            "detail": df.detail,
        }
    )
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(show, 360),
        column_config={"detail": st.column_config.TextColumn(width="large")},
    )


def audit_table(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.caption("No edits yet.")
        return
    show = df.assign(when=[fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in df.event_at])
    show = show[["when", "actor", "field", "old_value", "new_value"]].iloc[::-1]
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 320))


def alert_actions(a: dict, seen: int, now: datetime, actor, version: int) -> None:
    """Acknowledge, snooze, assign, resolve with a note, put in an incident (for roles that
    may edit alerts; ``actor`` is the signed-in User, checked again in ops_core)."""
    if not access.can("edit_alerts"):
        access.denied("edit_alerts")
        return
    aid = int(a["alert_id"])
    resolved = a["status"] == "resolved"
    if resolved:
        with st.form("incident"):
            _incident_form(a, seen, actor, version)
        return
    row = st.columns([1.2, 2, 2, 1])
    if row[0].button(
        "Acknowledge", icon=":material/done:", disabled=resolved or a["status"] == "acknowledged"
    ):
        save(
            "alert",
            aid,
            lambda c: actions.acknowledge(c, aid, version=seen, actor=actor),
            "Acknowledged.",
        )
    with row[1].form("snooze", border=False):
        hours = st.selectbox("Snooze for (hours)", actions.SNOOZE_HOURS, 1, disabled=resolved)
        if st.form_submit_button("Snooze", icon=":material/snooze:", disabled=resolved):
            save(
                "alert",
                aid,
                lambda c: actions.snooze(c, aid, hours, now=now, version=seen, actor=actor),
                f"Snoozed for {hours} h.",
            )
    with row[2].form("assign", border=False):
        who = st.text_input("Assignee", a["assignee"] if isinstance(a["assignee"], str) else "")
        if st.form_submit_button("Assign", icon=":material/person:"):
            save(
                "alert",
                aid,
                lambda c: actions.assign(c, aid, who, version=seen, actor=actor),
                f"Assigned to {who.strip() or 'nobody'}.",
            )
    if row[3].button("Reload", icon=":material/sync:"):
        reload("alert", aid)
        st.rerun()
    left, right = st.columns(2)
    with left.form("resolve", clear_on_submit=True):
        note = st.text_area(
            "Resolution note",
            disabled=resolved,
            placeholder="What fixed it, or why it needs no action",
        )
        if st.form_submit_button(
            "Resolve with note", icon=":material/task_alt:", disabled=resolved
        ):
            save(
                "alert",
                aid,
                lambda c: actions.resolve(c, aid, note, version=seen, actor=actor),
                "Resolved.",
            )
    with right.form("incident"):
        _incident_form(a, seen, actor, version)


def _incident_form(a: dict, seen: int, actor: str, version: int) -> None:
    aid = int(a["alert_id"])
    live = incident_list(version)
    live = live[live.status != "resolved"]
    choices = {0: "New incident…", **dict(zip(live.incident_id, live.title, strict=True))}
    target = st.selectbox(
        "Incident",
        list(choices),
        format_func=lambda i: choices[i] if i == 0 else f"#{i} {choices[i]}",
    )
    title = st.text_input("Title (for a new incident)", a["title"])
    if st.form_submit_button("Add to incident", icon=":material/crisis_alert:"):
        if target == 0:
            save(
                "alert",
                aid,
                lambda c: incidents.create(c, title, {aid: seen}, actor=actor),
                "Incident opened with this alert.",
            )
        else:
            save(
                "alert",
                aid,
                lambda c: incidents.link(c, int(target), aid, version=seen, actor=actor),
                f"Added to incident {target}.",
            )


# ---- incidents ----
def incident_header(d: incidents.Detail, nm: dict, tz: str) -> None:
    i = d.incident
    st.title(f"Incident {i['incident_id']}: {i['title']}")
    st.markdown(
        f"{INCIDENT_STATUS_BADGE[i['status']]} :violet-badge[{i['severity'].upper()}] · owner "
        f"**{i['owner'] or 'unassigned'}** · started {fmt.local(i['started_at'], tz)} · detected "
        f"{fmt.local(i['detected_at'], tz)} · impact ended {fmt.local(d.ended_at, tz)}"
    )
    totals = d.totals()
    cols = st.columns(4)
    cols[0].metric("Payments hit", f"{int(totals.payments.sum()):,}")
    cols[1].metric(
        "Amount",
        " + ".join(
            fmt.money(a, c) for a, c in zip(totals.amount_minor, totals.currency, strict=True)
        )
        or "–",
    )
    cols[2].metric("Time to detect", _span(i["started_at"], i["detected_at"]))
    cols[3].metric("Duration", _span(i["started_at"], d.ended_at))
    for label, ids, key in (
        ("Rails", d.rails, "rails"),
        ("Partners", d.partners, "partners"),
        ("Clients", d.clients, "clients"),
    ):
        chips = " ".join(f":gray-badge[{nm[key].get(x, x)}]" for x in ids) or "–"
        st.markdown(f"**{label}** {chips}")


def new_incident_form(alerts_df: pd.DataFrame, actor) -> None:
    """Group alerts (not yet in an incident) into a new one."""
    st.subheader("Open an incident")
    if not access.can("edit_alerts"):
        access.denied("edit_alerts")
        return
    free = alerts_df[alerts_df.incident_id.isna()]
    labels = {r.alert_id: alert_label(r) for r in free.itertuples()}
    with st.form("new_incident"):
        title = st.text_input("Title", placeholder="e.g. Lakeshore Bank RTP timeouts")
        severity = st.selectbox("Severity", incidents.SEVERITIES, 1, format_func=SEV_LABEL.get)
        picked = st.multiselect("Alerts", list(labels), format_func=labels.get)
        if st.form_submit_button("Open incident", icon=":material/crisis_alert:"):
            versions = {int(a): int(free.set_index("alert_id").version[a]) for a in picked}
            try:
                with data.database().transaction() as cur:
                    new = incidents.create(cur, title, versions, actor=actor, severity=severity)
                    rollups.bump_version(cur)
            except OpsError as exc:
                st.error(f"Not opened: {exc}", icon=":material/block:")
                return
            st.session_state[FLASH] = ("success", f"Incident {new} opened.")
            st.cache_data.clear()
            st.switch_page(INCIDENTS_PAGE, query_params={"incident": str(new)})


def postmortem_form(d: incidents.Detail, seen: int, actor) -> None:
    if not access.can("edit"):
        access.denied("edit")
        return
    i = d.incident
    iid = int(i["incident_id"])

    def text(v) -> str:
        return v if isinstance(v, str) else ""

    with st.form("postmortem"):
        c = st.columns([2.2, 1, 1.3])
        title = c[0].text_input("Title", i["title"])
        severity = c[1].selectbox(
            "Severity", incidents.SEVERITIES, incidents.SEVERITIES.index(i["severity"])
        )
        status = c[2].selectbox("Status", incidents.STATUSES, incidents.STATUSES.index(i["status"]))
        owner = st.text_input("Owner", text(i["owner"]))
        fields = {
            "summary": st.text_area("Summary", text(i["summary"]), height=110),
            "root_cause": st.text_area("Root cause", text(i["root_cause"]), height=110),
            "remediation": st.text_area("Remediation", text(i["remediation"]), height=110),
            "follow_ups": st.text_area(
                "Follow-ups (one per line; start with [x] when done)",
                text(i["follow_ups"]),
                height=130,
            ),
        }
        if st.form_submit_button("Save post-mortem", icon=":material/save:"):
            changes = {"title": title, "severity": severity, "status": status, "owner": owner}
            save(
                "incident",
                iid,
                lambda c: incidents.update(c, iid, changes | fields, version=seen, actor=actor),
                "Post-mortem saved.",
            )


def add_alert_form(d: incidents.Detail, alerts_df: pd.DataFrame, actor) -> None:
    iid = int(d.incident["incident_id"])
    free = alerts_df[alerts_df.incident_id.isna()]
    if free.empty or not access.can("edit_alerts"):
        return
    labels = {r.alert_id: alert_label(r) for r in free.itertuples()}
    with st.form("add_alert", border=False):
        pick = st.selectbox("Add an alert", list(labels), format_func=labels.get)
        if st.form_submit_button("Add alert", icon=":material/add_alert:"):
            v = int(free.set_index("alert_id").version[pick])
            save(
                "incident",
                iid,
                lambda c: incidents.link(c, iid, int(pick), version=v, actor=actor),
                f"Alert {pick} added.",
            )


@st.cache_data(show_spinner=False)
def incident_audit(data_version_: int, incident_id: int) -> pd.DataFrame:
    return audit.history(data.cursor(), "incident", incident_id)


def _span(a, b) -> str:
    if fmt.missing(a) or fmt.missing(b) or a is pd.NaT or b is pd.NaT:
        return "–"
    return fmt.duration((pd.Timestamp(b) - pd.Timestamp(a)).total_seconds() * 1000)


def incident_table(df: pd.DataFrame, tz: str) -> None:
    show = pd.DataFrame(
        {
            "#": df.incident_id,
            "incident": df.title,
            "severity": df.severity.str.upper(),
            "status": df.status,
            f"started ({tz})": [fmt.local(t, tz) for t in df.started_at],
            "resolved": [fmt.local(t, tz) for t in df.resolved_at],
            "alerts": df.alerts,
            "rails": [", ".join(r) for r in df.rails],
            "owner": df.owner.fillna(""),
        }
    )
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 300))


# ---- scorecards ----
def rail_card(r, nm: dict, weeks: int, breaks: bool, compared: bool) -> None:
    """One rail's figures for the period against the period before."""
    with st.container(border=True):
        st.markdown(f"#### {nm['rails'].get(r.rail_id, r.rail_id)}")
        c = st.columns(5 if breaks else 4)
        c[0].metric(
            "Payments",
            f"{r.payments_now:,}",
            fmt.change(r.payments_now, r.payments_before),
            help=f"Value {fmt.money(r.amount_minor_now, r.currency)}",
        )
        c[1].metric(
            "Success rate",
            fmt.pct(r.success_rate_now, 2),
            _pp(r.success_rate_now, r.success_rate_before),
            help="Completed share of decided payments (retries counted once).",
        )
        c[2].metric(
            "p95 latency",
            fmt.duration(r.p95_ms_now),
            fmt.change(r.p95_ms_now, r.p95_ms_before),
            delta_color="inverse",
            help="Created to final status, 95th percentile.",
        )
        c[3].metric(
            "Settled on time",
            fmt.pct(r.on_time_now, 1),
            _pp(r.on_time_now, r.on_time_before),
            help="Completed payments final within what the rail should take (see below).",
        )
        if breaks:
            c[4].metric(
                "Breaks / 1,000",
                "–" if fmt.missing(r.break_rate_now) else f"{r.break_rate_now:.2f}",
                delta_color="inverse",
            )
        before = f" ({r.alerts_before} in the {weeks} weeks before)" if compared else ""
        st.caption(f"{r.alerts_now} alert(s) in the last {weeks} weeks{before}.")


def _pp(now, before) -> str | None:
    if fmt.missing(now) or fmt.missing(before):
        return None
    return f"{(now - before) * 100:+.2f} pp"


TREND_LAYOUT = dict(
    height=260,
    margin=dict(l=10, r=10, t=40, b=10),
    hovermode="x unified",
    legend=dict(orientation="h", y=-0.2, x=0),
)


def trend_chart(trend: pd.DataFrame, column: str, title: str, nm: dict, kind: str) -> go.Figure:
    fig = go.Figure()
    for rail, g in trend.groupby("rail_id"):
        y = g[column] * 100 if kind == "pct" else g[column] / 1000 if kind == "s" else g[column]
        fig.add_scatter(
            x=g.week_ending, y=y, mode="lines+markers", name=nm["rails"].get(rail, rail)
        )
    unit = {"pct": "%", "s": "seconds (log)", "n": "payments"}[kind]
    fig.update_yaxes(title_text=unit, type="log" if kind == "s" else "linear")
    if kind == "pct" and len(trend):  # from 98% at least: a 0.05 pp wobble is not a cliff
        low = min(float(trend[column].min()) * 100, 98.0)
        fig.update_yaxes(range=[low - 0.2, 100.2])
    fig.update_layout(title=title, **TREND_LAYOUT)
    return fig
