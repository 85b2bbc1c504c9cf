"""Rail Health: one or all rails over time, codes, breakdowns and the payments behind them."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from ops_core.access import masking
from ops_core.rail_health import GRAINS, STATUSES, Filters
from ui import access, charts, chrome, data, fmt, urlstate
from ui import health_views as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
today = fmt.pd_local_date(now, tz)
ref = data.reference(data.version())
rail_names = fmt.names(ref["rails"], "rail_id")
partner_names = fmt.names(ref["partners"], "partner_id")
client_names = fmt.names(ref["clients"], "client_id")
partner = access.partner_scope()
if partner is not None:  # partner screen-share: its rails, itself, clients by pseudonym
    scope = data.everything(data.version(), partner)
    rail_names = {r: rail_names[r] for r in scope["rails"]}
    partner_names = {partner: partner_names.get(partner, partner)}
    alias = masking.client_map(client_names)
    client_ids = {alias[c]: c for c in client_names}  # pseudonym -> id, kept off the page
    client_names = {a: a for a in sorted(client_ids)}

st.title("Rail Health")
r1 = st.columns([3, 1.2, 1.2, 1])
rails = urlstate.pick_many(r1[0], "Rails", "rails", rail_names, "All rails")
start, end = urlstate.pick_dates(r1[1], r1[2], today, days_back=6)
default_grain = "hour" if (end - start).days <= 14 else "day"
grain = r1[3].radio(
    "Grain",
    GRAINS,
    GRAINS.index(urlstate.get_choice("grain", list(GRAINS), default_grain)),
    horizontal=True,
)
r2 = st.columns(2)
partners = urlstate.pick_many(r2[0], "Partners", "partners", partner_names, "All partners")
clients = urlstate.pick_many(r2[1], "Clients", "clients", client_names, "All clients")
urlstate.put(
    rails=rails,
    start=start.isoformat(),
    end=end.isoformat(),
    grain=grain,
    partners=partners,
    clients=clients,
)
if end < start:
    st.error("'To' is before 'From'.")
    st.stop()

zone = ZoneInfo(tz)
f = Filters(
    start=datetime.combine(start, time(), tzinfo=zone),
    end=min(datetime.combine(end + timedelta(days=1), time(), tzinfo=zone), now),
    rails=tuple(rails),
    partners=tuple(partners),
    clients=tuple(clients),
    grain=grain,
    tz=tz,
    partner=partner,
)
if partner is not None:
    f = Filters(**{**f.__dict__, "clients": tuple(client_ids[c] for c in clients)})
version = data.version()
series, latency = data.rail_series(version, f)
views.headline(series, latency)
st.plotly_chart(charts.volume_success(series), width="stretch")
if clients:
    st.caption("Latency is kept per rail and partner, not per client: it shows all clients.")
st.plotly_chart(charts.latency(latency), width="stretch")
views.anomaly_table(series, latency, tz)

left, right = st.columns(2)
with left:
    views.codes(data.rail_codes(version, f))
with right:
    views.breakdowns(
        data.rail_breakdown(version, f, "partner"), data.rail_breakdown(version, f, "client")
    )

st.subheader("Payments")
show = st.toggle(
    "Show the payments behind this view",
    value="status" in st.query_params
    or "codes" in st.query_params
    or "payments" in st.query_params,
)
if show:
    d1, d2 = st.columns(2)
    statuses = d1.multiselect(
        "Status", STATUSES, urlstate.get_list("status", list(STATUSES)), placeholder="Any status"
    )
    codes = d2.text_input("Codes (comma-separated)", st.query_params.get("codes", ""))
    code_list = [c.strip() for c in codes.split(",") if c.strip()]
    urlstate.put(payments="1", status=statuses, codes=code_list)
    drill = Filters(
        **{**f.__dict__, "statuses": tuple(statuses or STATUSES), "codes": tuple(code_list)}
    )
    views.payments(data.rail_payments(version, drill), tz)
else:
    urlstate.put(payments="", status=[], codes=[])
