"""Routing: success, latency and cost per route; a what-if per policy; routing rules."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from ops_core.routing import GRAINS, MAX_PERIOD, POLICIES, Policy, RouteFilters, headline
from ui import access, chrome, data, urlstate
from ui import routing as views

chrome.ensure_routed(__file__)
version = data.version()
st.title("Routing")
if not views.built(version):
    st.info(
        "The routing rollups are not built for this database yet. Build them with "
        "`python -m ops_core.routing --db <database>` (the loader does it at load time)."
    )
    st.stop()

partner = access.partner_scope()  # partner screen-share: its routes only
opts = views.options(version, partner)
now = data.now()
today = now.astimezone(UTC).date()
r1 = st.columns([1.1, 1.1, 2.4, 1.4])
start, end = urlstate.pick_dates(
    r1[0], r1[1], today, days_back=13, start_label="From (UTC)", end_label="To (UTC)"
)
rails = urlstate.pick_many(r1[2], "Rails", "rails", opts["rails"], "All rails")
currencies = urlstate.pick_many(
    r1[3], "Payout currency", "cur", opts["currencies"], "All currencies"
)
r2 = st.columns([2.4, 2.4, 1.2])
bands = urlstate.pick_many(r2[0], "Amount band", "bands", opts["bands"], "All amounts")
urgencies = urlstate.pick_many(
    r2[1], "Urgency (service)", "urg", opts["urgencies"], "Instant, same day and next day"
)
grain = r2[2].radio(
    "Grain",
    GRAINS,
    GRAINS.index(urlstate.get_choice("grain", list(GRAINS), "day")),
    horizontal=True,
)
urlstate.put(
    start=start.isoformat(),
    end=end.isoformat(),
    rails=rails,
    cur=currencies,
    bands=bands,
    urg=urgencies,
    grain=grain,
)
if end < start:
    st.error("'To' is before 'From'.")
    st.stop()

f = RouteFilters(
    start, end, tuple(rails), tuple(currencies), tuple(bands), tuple(urgencies), partner
)
table = views.route_table(version, f)
views.tiles(headline(table))

st.subheader("Routes")
views.routes(table)

st.subheader("Over time")
metric = st.radio(
    "Metric",
    list(views.METRICS),
    list(views.METRICS).index(urlstate.get_choice("metric", list(views.METRICS), "success")),
    format_func=views.METRICS.get,
    horizontal=True,
    label_visibility="collapsed",
)
urlstate.put(metric=metric)
views.series_chart(views.route_series(version, f, grain), metric)
if partner is not None:
    # The what-if re-routes payments among every partner's routes: not for a partner's eyes.
    st.caption("The routing what-if and recommendations are not shown in a partner view.")
    st.stop()

st.subheader("What-if")
w1 = st.columns([2.6, 1.2, 1.2])
kind = w1[0].radio(
    "Policy",
    list(POLICIES),
    list(POLICIES).index(urlstate.get_choice("policy", list(POLICIES), "cheapest")),
    format_func=POLICIES.get,
    horizontal=True,
)
bar = w1[1].selectbox(
    "Success bar",
    list(views.SUCCESS_BARS),
    list(views.SUCCESS_BARS).index(urlstate.get_choice("bar", list(views.SUCCESS_BARS), "0")),
    format_func=views.SUCCESS_BARS.get,
)
p95 = w1[2].selectbox(
    "Latency bar",
    list(views.P95_BARS),
    list(views.P95_BARS).index(urlstate.get_choice("p95", list(views.P95_BARS), "none")),
    format_func=lambda k: views.P95_BARS[k][0],
)
urlstate.put(policy=kind, bar=bar if bar != "0" else "", p95=p95 if p95 != "none" else "")

period_end = min(datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC), now)
period_start = max(datetime.combine(start, time(), tzinfo=UTC), period_end - MAX_PERIOD)
policy = Policy(kind, float(bar) / 100, views.P95_BARS[p95][1])
st.caption(
    f"Every payment first created from {period_start:%Y-%m-%d %H:%M} to "
    f"{period_end:%Y-%m-%d %H:%M} UTC (at most {MAX_PERIOD.days} days; the filters above do "
    "not apply), re-routed under the policy among the routes that can take it: same "
    "instrument and currency, push or pull offered, amount within limits, fast enough for "
    "its urgency given cut-offs and banking days, and meeting the bars. Expected cost, "
    "success and time of both routes come from the fee schedule and each route's record."
)
result = views.simulate(version, period_start, period_end, policy)
views.whatif(result)

st.subheader("Recommendations")
views.recommendations(result, POLICIES[kind], period_start.date(), period_end.date())
