"""Weekly KPIs: the CEO's one-page glance at an ISO week (UTC): each KPI this week, last week,
the change, its target and 12 weeks of history; the rows behind every number; the exports.
In a partner's screen-share view: that partner's rails, payments and breaks only; company-wide
KPIs (ACH return rates, disputes) are left out, and the exports are filtered the same way."""

import streamlit as st

from ops_core.kpis import SECTIONS, IsoWeek, last_complete
from ui import access, chrome, data, fmt, urlstate
from ui import kpis as views

chrome.ensure_routed(__file__)
now = data.now()
version = data.version()
ref = data.reference(version)
partner = access.partner_scope()  # partner screen-share: its rails and breaks only
rail_names = fmt.names(ref["rails"], "rail_id")
if partner is not None:
    rail_names = {r: n for r, n in rail_names.items() if r in views.partner_rails(partner)}

st.title("Weekly KPIs")
weeks = views.week_options(version, now)
default = last_complete(now).label
c1, c2 = st.columns([1.3, 2])
week = c1.selectbox(
    "ISO week (UTC)",
    weeks,
    index=weeks.index(
        urlstate.get_choice("week", weeks, default if default in weeks else weeks[0])
    ),
    format_func=lambda w: f"{w} · {IsoWeek.parse(w).span()}",
    help="Weeks run Monday 00:00 to Monday 00:00 UTC, whatever time zone the sidebar shows.",
)
rails = c2.multiselect(
    "Rails",
    list(rail_names),
    urlstate.get_list("rails", list(rail_names)),
    format_func=rail_names.get,
    placeholder="All rails",
)
urlstate.put(week=week, rails=rails)
selected = IsoWeek.parse(week)
st.caption(
    f"**{selected.label}: {selected.span()}**, an ISO week in UTC (Monday 00:00 to Monday 00:00)."
    f" Change = against {selected.shift(-1).label}. Targets: green on target, red off target,"
    " judged in each KPI's good direction. Hover a KPI's ? for its definition."
)
if selected.end > now:
    st.warning(
        f"{selected.label} is still in progress (data up to {fmt.local(now, 'UTC')}):"
        " its numbers are partial.",
        icon=":material/schedule:",
    )

report = views.report(version, week, tuple(rails), now, partner)
views.downloads(version, report)
summary = report.summary()

for section in SECTIONS:
    st.subheader(section)
    views.tiles(report, summary, section)
    if section == "Payments":
        views.rail_table(report, summary)
    if section == "Reconciliation":
        views.age_table(summary)
    views.drill(version, report, section, now, chrome.timezone())
