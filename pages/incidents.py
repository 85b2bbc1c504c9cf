"""Incidents: alerts grouped into one story, its impact, timeline and post-mortem, exported as
Markdown. ``?incident=ID`` reopens the same incident. In a partner's screen-share view: the
incidents with that partner's alerts, showing only those, masked, read only."""

import streamlit as st

from ops_core.alerts import incidents
from ui import access, chrome, data, fmt
from ui import alerts as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
version = data.version()
actor = access.current_user()
nm = views.names(version)
views.flash()

scope = access.partner_scope()  # partner screen-share mode: its incidents, masked
listing = views.incident_list(version, scope)
raw = st.query_params.get("incident", "")
incident_id = int(raw) if raw.isdigit() else None
detail = views.incident_detail(version, incident_id, scope) if incident_id else None
if detail is None:
    st.title("Incidents")
    if incident_id:
        where = " in this view" if scope else ""
        st.error(f"There is no incident {incident_id}{where}.")
    if listing.empty:
        st.info("No incidents yet. Open one from an alert, or group alerts below.")
    else:
        views.incident_table(listing, tz)
        labels = dict(zip(listing.incident_id, listing.title, strict=True))
        pick = st.selectbox(
            "Open an incident",
            [None, *labels],
            format_func=lambda i: "Pick an incident…" if i is None else f"#{i} {labels[i]}",
        )
        if pick is not None:
            st.query_params["incident"] = str(pick)
            st.rerun()
    if scope is None:
        views.new_incident_form(views.alert_list(version), actor)
    st.stop()

i = detail.incident
seen = views.held("incident", incident_id, i["version"])
st.page_link(views.INCIDENTS_PAGE, label="All incidents", icon=":material/arrow_back:")
views.incident_header(detail, nm, tz)
views.stale_warning("incident", incident_id, i["version"])
markdown = incidents.postmortem_markdown(detail, nm, tz)
st.download_button(
    "Download post-mortem (.md)",
    markdown,
    file_name=f"railyard-incident-{incident_id}-postmortem.md",
    mime="text/markdown",
    icon=":material/download:",
)
with st.expander("Preview the post-mortem", expanded=scope is not None):
    st.markdown(markdown)

st.subheader("Timeline")
views.events_table(detail.timeline, tz)

left, right = st.columns([3, 2])
with left:
    st.subheader("Post-mortem")
    if scope is None:
        views.postmortem_form(detail, seen, actor)
    else:  # a screen-share reads it, masked (the preview above); nothing to edit
        st.caption("Read only in a partner view: see the post-mortem preview above.")
with right:
    st.subheader("Alerts in this incident")
    for a in detail.alerts.itertuples():
        st.page_link(
            views.ALERTS_PAGE,
            label=f"#{a.alert_id} {a.title}",
            icon=":material/notifications:",
            query_params={"view": "all", "alert": str(a.alert_id)},
        )
    if scope is None:
        views.add_alert_form(detail, views.alert_list(version), actor)
    st.subheader("Impact by client")
    if detail.impact.empty:
        st.caption("No failed, returned or stuck payments on the affected routes.")
    else:
        show = detail.impact.assign(amount=fmt.money_column(detail.impact, compact=False))
        st.dataframe(
            show[["client", "payments", "pending", "amount"]],
            hide_index=True,
            width="stretch",
            height=fmt.table_height(show, 300),
        )
if scope is None:  # who typed what, unmasked: not for a partner's screen-share
    with st.expander("Audit trail (every saved field)"):
        views.audit_table(views.incident_audit(version, incident_id), tz)
st.caption(f"Opened by {i['created_by']} {fmt.local(i['created_at'], tz)} · version {i['version']}")
