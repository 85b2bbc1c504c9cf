"""Reconciliation: how much of the ledger matches what banks, networks and chains say, by rail,
partner and day; the open breaks by category and age; SLAs at risk; the unmatched amount;
the balance tie-out per bank account and day. ``?start=&end=&rails=`` reopen the same view.
In a partner's screen-share view: its rails, payments, breaks and accounts only, masked."""

import streamlit as st

from ops_core.recon import views
from ui import access, chrome, data, fmt, urlstate
from ui import recon as ui

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
today = fmt.pd_local_date(now, tz)
ref = data.reference(data.version())
partner = access.partner_scope()  # partner screen-share: its rails and accounts only, masked
rail_names = fmt.names(ref["rails"], "rail_id")
partner_names = fmt.names(ref["partners"], "partner_id")
if partner is not None:
    mine = ui.partner_rails(data.version(), partner)
    rail_names = {r: n for r, n in rail_names.items() if r in mine}
    partner_names = {partner: partner_names[partner]}

st.title("Reconciliation")
ui.flash()
top = st.columns([3, 1.2, 1.2, 1])
rails = urlstate.pick_many(top[0], "Rails", "rails", rail_names, "All rails")
start, end = urlstate.pick_dates(
    top[1], top[2], today, days_back=10, start_label="From (ledger final day)"
)
urlstate.put(rails=rails, start=start.isoformat(), end=end.isoformat())
if access.can("edit_breaks"):  # a run opens and closes breaks
    with top[3]:
        st.write("")
        if st.button("Run now", icon=":material/sync:", width="stretch"):
            with st.spinner("Reconciling…"):
                ui.run_now(access.current_user())
if end < start:
    st.error("'To' is before 'From'.")
    st.stop()

s = ui.summary(data.version(), start, end, now, partner)
ui.last_run_caption(s, tz, partner)
ui.kpis(s, rails)
ledger = s.ledger[s.ledger.rail_id.isin(rails)] if rails else s.ledger
open_breaks = s.open_breaks[s.open_breaks.rail_id.isin(rails)] if rails else s.open_breaks

st.subheader("Match rate")
st.caption(
    "Matched ÷ judged ledger items (matched, in a break, or resolved). Items still inside "
    "their rail's settlement window are in flight and not judged; failed payments with no "
    "movement and days no statement covers are shown apart."
)
left, right = st.columns(2)
with left:
    st.markdown("**By rail**")
    ui.rate_by_rail_chart(views.match_rates(ledger, ["rail_id"]), rail_names)
with right:
    st.markdown("**By day**")
    ui.rate_by_day_chart(views.match_rates(ledger, ["rail_id", "day"]), rail_names)
with st.expander("By rail and partner", expanded=False):
    ui.rate_table(views.match_rates(ledger, ["rail_id", "partner_id"]), "partner_id", partner_names)

st.subheader("Open breaks by category and age")
ui.category_age(views.by_category_and_age(open_breaks))

left, right = st.columns([3, 2])
with left:
    st.subheader("SLA breached or at risk")
    risky = open_breaks[open_breaks.sla_state.isin(["breached", "at_risk"])]
    risky = risky.sort_values(["sla_due_at", "severity_rank"]).head(15)
    ui.break_links(risky, tz)
    if len(risky):
        st.page_link(
            ui.QUEUE_PAGE,
            label="All open breaks in the queue →",
            query_params={"sort": "sla_due_at"},
        )
with right:
    st.subheader("Unmatched amount")
    amounts = views.unmatched_amount(open_breaks)
    if amounts.empty:
        st.success("Nothing unmatched.")
    else:
        st.dataframe(
            amounts.assign(
                amount=fmt.money_column(amounts, False, "exposure_minor"),
                usd=[fmt.money(v, "USD", False) for v in amounts.exposure_usd_minor],
            )[["currency", "breaks", "amount", "usd"]],
            hide_index=True,
            width="stretch",
        )

st.subheader("Balance tie-out")
st.caption(
    "Per bank account and statement day: opening balance + the ledger's movements against the "
    "bank's closing balance. Item breaks explain their part; anything left is unexplained "
    "(a break of its own, highlighted)."
)
ui.balances_table(s.balances)
