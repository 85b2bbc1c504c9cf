"""Alerts: the inbox. Filter, open one alert (``?alert=ID``), acknowledge, assign, snooze,
resolve with a note, or put it in an incident. Every action is audited and version-checked.
In a partner's screen-share view: that partner's alerts only, masked, read only."""

import streamlit as st

from ops_core.alerts.inbox import VIEWS
from ui import access, chrome, data, fmt, urlstate
from ui import alerts as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
version = data.version()
views.flash()

st.title("Alerts")
scope = access.partner_scope()  # partner screen-share mode: that partner's alerts, masked
top = st.columns([5, 1])
top[0].caption(views.run_caption(views.latest_run(version), now, tz))
if access.can("edit_alerts") and top[1].button(
    "Evaluate now", icon=":material/refresh:", width="stretch"
):
    views.evaluate_now(now)

every = views.alert_list(version, scope)
rules = sorted(every.rule.unique())
f = st.columns([3, 2, 3])
view = f[0].segmented_control(
    "Show", list(VIEWS), default=urlstate.get_choice("view", list(VIEWS), "active")
)
view = view or "active"
severities = f[1].multiselect(
    "Severity",
    ["critical", "warning"],
    urlstate.get_list("severity", ["critical", "warning"]),
    placeholder="Any severity",
)
picked = f[2].multiselect("Rule", rules, urlstate.get_list("rules", rules), placeholder="Any rule")
shown = every[every.status.isin(VIEWS[view])]
if severities:
    shown = shown[shown.severity.isin(severities)]
if picked:
    shown = shown[shown.rule.isin(picked)]

active = every[every.status.isin(VIEWS["active"])]
m = st.columns(4)
m[0].metric("Open critical", int((active.severity == "critical").sum()))
m[1].metric("Open warning", int((active.severity == "warning").sum()))
m[2].metric("Acknowledged", int((every.status == "acknowledged").sum()))
m[3].metric("Snoozed", int((every.status == "snoozed").sum()))
views.alert_table(shown, tz)

raw = st.query_params.get("alert", "")
current = int(raw) if raw.isdigit() else None
if scope and current not in set(every.alert_id):
    current = None
options = [None, *shown.alert_id.tolist()]
if current is not None and current not in options:
    options.append(current)
labels = {r.alert_id: views.alert_label(r) for r in every.itertuples()}
alert_id = st.selectbox(
    "Open an alert",
    options,
    options.index(current),
    format_func=lambda a: "Pick an alert…" if a is None else labels.get(a, f"#{a}"),
)
urlstate.put(
    view="" if view == "active" else view,
    severity=severities,
    rules=picked,
    alert=str(alert_id) if alert_id else "",
)
if alert_id is None:
    st.stop()
detail = views.alert_detail(version, alert_id, scope)
if detail is None:
    st.error(
        f"Alert {alert_id} not found in this view." if scope else f"There is no alert {alert_id}."
    )
    st.stop()

a = detail.alert
seen = views.held("alert", alert_id, a["version"])
views.stale_warning("alert", alert_id, a["version"])
views.alert_header(a, tz)
links = st.columns(2)
with links[0]:
    views.affected_link(a["link"])
if not fmt.missing(a["incident_id"]):
    links[1].page_link(
        views.INCIDENTS_PAGE,
        label=f"Part of incident {int(a['incident_id'])}",
        icon=":material/crisis_alert:",
        query_params={"incident": str(int(a["incident_id"]))},
    )
if scope is None:  # a partner's screen-share only reads
    views.alert_actions(a, seen, now, access.current_user(), version)

st.subheader("Timeline")
views.events_table(detail.events, tz)
with st.expander("Audit trail (every saved field)"):
    views.audit_table(detail.audit, tz)
