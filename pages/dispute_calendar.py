"""Dispute calendar: every open deadline on its day, this week's agenda, what is overdue or
due within 3 days, and the .ics export for the team's calendar."""

from datetime import date, timedelta

import streamlit as st

from ops_core.disputes import board
from ui import access, chrome, data, urlstate
from ui import disputes as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
today = views.data_now_date(tz)
version = data.version()
partner = access.partner_scope()  # partner screen-share: cases on its payments, masked

st.title("Dispute calendar")
month_text = st.query_params.get("month", f"{today:%Y-%m}")
try:
    first = date.fromisoformat(f"{month_text}-01")
except ValueError:
    first = today.replace(day=1)
everything = views.deadlines(
    version, today - timedelta(days=400), today + timedelta(days=400), today, partner
)
# A partner's view lists only its own networks (card networks are partners too).
network_options = [
    n for n in views.NETWORK_LABEL if partner is None or n in set(everything.network)
]
networks = st.multiselect(
    "Networks",
    network_options,
    urlstate.get_list("networks", network_options),
    format_func=views.NETWORK_LABEL.get,
    placeholder="All networks",
)
urlstate.put(networks=networks)
weeks = board.month_weeks(first.year, first.month)
if networks:
    everything = everything[everything.network.isin(networks)]
urgent = everything[everything.urgency.isin(["missed", "overdue", "due_soon"])]
monday, sunday = board.week_of(today)

cols = st.columns(5)
cols[0].metric(
    "Missed", int((everything.urgency == "missed").sum()), help="Network deadline passed"
)
cols[1].metric("Overdue", int((everything.urgency == "overdue").sum()), help="Team's date passed")
cols[2].metric("Due within 3 days", int((everything.urgency == "due_soon").sum()))
week = everything[(everything.internal_due >= monday) & (everything.internal_due <= sunday)]
cols[3].metric("Due this week", len(week))
cols[4].metric("Open cases", everything.case_id.nunique())

st.download_button(
    "Download deadlines (.ics)",
    data=views.ics_bytes(everything),
    file_name="railyard-dispute-deadlines.ics",
    mime="text/calendar",
    icon=":material/calendar_month:",
    help="Every open deadline on the team's due day, for Google Calendar, Outlook or Apple "
    "Calendar. Re-importing updates the same events.",
)

picked = urlstate.get_date("day", today) if "day" in st.query_params else None
if picked is not None:
    with st.container(border=True):
        views.agenda(everything[everything.internal_due == picked], tz, f"Due {picked:%A %d %B %Y}")
if not urgent.empty:
    with st.container(border=True):
        views.agenda(urgent, tz, "Overdue and due within 3 days")

month_tab, week_tab = st.tabs([f"Month: {first:%B %Y}", f"This week ({len(week)})"])
with month_tab:
    nav = st.columns([1, 1, 1, 4])
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    keep = {"networks": ",".join(networks)} if networks else {}
    nav[0].page_link(
        views.CALENDAR_PAGE,
        label=f"← {prev_month:%b %Y}",
        query_params={**keep, "month": f"{prev_month:%Y-%m}"},
    )
    nav[1].page_link(views.CALENDAR_PAGE, label="Today", query_params=keep)
    nav[2].page_link(
        views.CALENDAR_PAGE,
        label=f"{next_month:%b %Y} →",
        query_params={**keep, "month": f"{next_month:%Y-%m}"},
    )
    nav[3].markdown(f"### {first:%B %Y}")
    buffer = board.rules.settings().internal_buffer_banking_days
    st.caption(
        " · ".join(f"{views.URGENCY_ICON[k]} {v}" for k, v in views.URGENCY_LABEL.items())
        + " — each deadline of ours sits on the team's due day "
        f"({buffer} banking days before the processor's, which comes before the network's);"
        " hover a case for all three dates."
    )
    in_grid = everything[
        (everything.internal_due >= weeks[0][0]) & (everything.internal_due <= weeks[-1][-1])
    ]
    views.month_grid(in_grid, weeks, first.month, today)

with week_tab:
    views.agenda(
        week.sort_values(["internal_due", "case_id"]),
        tz,
        f"This week ({monday:%d %b} – {sunday:%d %b})",
    )
