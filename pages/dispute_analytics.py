"""Dispute analytics: dispute and win rates by slice, per-client card dispute ratios, ACH
return rates against Nacha's thresholds (both methods), and patterns pointing upstream. In a
partner's screen-share view: its payments and the cases on them only, clients by pseudonym."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from ops_core.disputes.analytics import METHODS
from ui import access, chrome, data, urlstate
from ui import disputes as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
today = views.data_now_date(tz)

st.title("Dispute analytics")
c1, c2 = st.columns(2)
start, end = urlstate.pick_dates(c1, c2, today, days_back=89, start_label="Cases opened from")
urlstate.put(start=start.isoformat(), end=end.isoformat())
if end < start:
    st.error("'To' is before 'From'.")
    st.stop()
zone = ZoneInfo(tz)
partner = access.partner_scope()  # partner screen-share: its payments and cases, pseudonyms
bundle = views.analytics_bundle(
    data.version(),
    datetime.combine(start, time(), tzinfo=zone),
    min(datetime.combine(end + timedelta(days=1), time(), tzinfo=zone), now),
    partner,
)

st.subheader("Patterns pointing upstream")
if not bundle["findings"]:
    st.success("No client, reason or onboarding cohort stands out.")
for f in bundle["findings"]:
    (st.error if f.kind == "nacha" else st.warning)(f.message, icon=views.FINDING_ICON[f.kind])

st.subheader("ACH return rates against Nacha thresholds")
st.caption(
    "Debit entries only, 60-day lookback ending at the data's now (domain.md §1.2). "
    + " ".join(f"Method {k}: {v}." for k, v in METHODS.items())
)
views.return_rates(bundle["returns"])

st.subheader("Card dispute ratios, last 30 days")
st.caption(
    "Disputes opened over card payments, per client and network. Pulls (AFT) carry full "
    "dispute rights, pushes (OCT) only "
    + ("Visa 13.8" if partner in (None, "VISA") else "under the network's push rule")
    + " (domain.md §6.5)."
)
views.card_ratios(bundle["cards"])

st.subheader("Dispute rate and win rate")
st.caption(
    "Win rate = won ÷ (won + lost + expired); accepted cases were conceded on purpose. "
    "Lift = the slice's dispute rate over the portfolio's; ⚑ marks lift ≥ 2 with ≥ 5 cases."
)
views.rate_tabs(bundle["rates"], bundle["names"])
