"""Overview: the morning screen. One tile per rail for a day against its baseline."""

import streamlit as st

from ops_core.health import default_day, thresholds
from ui import access, chrome, data, fmt, urlstate
from ui import overview_views as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
today = fmt.pd_local_date(now, tz)
opening_day = default_day(now, tz)

st.title("Overview")
left, right = st.columns([1, 3])
day = left.date_input(
    "Day", value=urlstate.get_date("day", opening_day), max_value=today, format="YYYY-MM-DD"
)
urlstate.put(day=day.isoformat() if day != opening_day else "")
partial = " (so far today)" if day == today else ""
right.caption(
    f"Figures for {day:%A %d %b %Y}{partial}, {tz}. Baselines: volume against the same "
    "weekday and hours over the last 4 weeks; success rate and p95 latency against the "
    "previous 7 days. Data as of " + fmt.local(now, tz) + "."
)

version = data.version()
partner = access.partner_scope()  # partner screen-share: that partner's rails only, masked
tiles = data.tiles(version, day, tz, now, partner)
views.attention(tiles, data.stuck(version, now, partner), tz)
views.rail_tiles(tiles, day, thresholds()["min_volume"].amber)
