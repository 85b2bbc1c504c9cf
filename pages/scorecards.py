"""Partner scorecards: one banking partner or network per rail, this period against the one
before, week by week: the screen shown on partner calls. ``?partner=ID&weeks=N``."""

import pandas as pd
import streamlit as st

from ui import access, chrome, data, fmt, urlstate
from ui import alerts as views

PERIODS = {"4": "Last 4 weeks", "8": "Last 8 weeks", "12": "Last 12 weeks"}

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
version = data.version()
nm = views.names(version)
partners = views.partner_list(version)
scope = access.current_user().partner  # partner screen-share mode shows only that partner
if scope:
    partners = partners[partners.partner_id == scope]
labels = dict(zip(partners.partner_id, partners.name, strict=True))
kinds = dict(zip(partners.partner_id, partners.kind, strict=True))

st.title("Partner scorecards")
c = st.columns([3, 2])
partner = c[0].selectbox(
    "Partner",
    list(labels),
    list(labels).index(urlstate.get_choice("partner", list(labels), next(iter(labels)))),
    format_func=lambda p: f"{labels[p]} ({kinds[p]})",
)
period = (
    c[1].segmented_control(
        "Period",
        list(PERIODS),
        default=urlstate.get_choice("weeks", list(PERIODS), "4"),
        format_func=PERIODS.get,
    )
    or "4"
)
urlstate.put(partner=partner, weeks=period)
weeks = int(period)

card = views.scorecard(version, partner, now, weeks, masked=scope is not None)
start = pd.Timestamp(now) - pd.Timedelta(weeks=weeks)
st.markdown(
    f"### {card.name}\n{fmt.local(start, tz, '%d %b %Y')} – {fmt.local(now, tz, '%d %b %Y')}, "
    + (
        f"compared with the {weeks} weeks before. "
        if card.compared
        else "not compared: the data does not reach back far enough. "
    )
    + "Rails: "
    + ", ".join(nm["rails"].get(r, r) for r in card.summary.rail_id)
)
if card.summary.empty:
    st.info("No payments with this partner in the period.")
    st.stop()
for r in card.summary.itertuples():
    views.rail_card(r, nm, weeks, card.breaks_available, card.compared)
if not card.breaks_available:
    st.caption(
        "Break rate appears here once reconciliation runs (it reads the reconciliation's breaks)."
    )

st.subheader("Week by week")
trend = card.trend
left, right = st.columns(2)
left.plotly_chart(
    views.trend_chart(trend, "success_rate", "Success rate", nm, "pct"), width="stretch"
)
right.plotly_chart(views.trend_chart(trend, "p95_ms", "p95 latency", nm, "s"), width="stretch")
left.plotly_chart(
    views.trend_chart(trend, "on_time", "Settled on time", nm, "pct"), width="stretch"
)
right.plotly_chart(views.trend_chart(trend, "payments", "Payments", nm, "n"), width="stretch")

st.subheader("Incidents")
inc = card.incidents
recent = inc[pd.to_datetime(inc.started_at, utc=True) >= start] if len(inc) else inc
st.caption(f"{len(recent)} incident(s) in the period, {len(inc)} in all.")
if len(inc):
    for r in inc.itertuples():
        st.page_link(
            views.INCIDENTS_PAGE,
            label=f"#{r.incident_id} {r.title} · {r.severity.upper()} · {r.status} · "
            f"{fmt.local(r.started_at, tz)}",
            icon=":material/crisis_alert:",
            query_params={"incident": str(r.incident_id)},
        )
st.caption(
    "Success rate: completed share of decided payments, retries counted once. p95 latency: "
    "created to final status. Settled on time: completed payments final within what the rail "
    "should take (ACH: settled by the next banking day; others: within twice the rail's typical "
    "time, e.g. 10 s for RTP and FedNow, 60 s for card push, 26 min for USDC). "
    f"Weeks end on {fmt.local(now, tz, '%A %H:%M')}."
)
