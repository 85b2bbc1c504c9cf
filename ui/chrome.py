"""What every page shares: the sidebar (viewer's time zone, data freshness, user)."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from ui import data, fmt

COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "UTC",
    "Europe/London",
    "Europe/Copenhagen",
    "America/Mexico_City",
    "Asia/Kolkata",
]


def browser_zone() -> str:
    """The viewer's zone as the browser reports it (UTC when unknown, e.g. in tests)."""
    zone = getattr(st.context, "timezone", None)
    return zone if zone in available_timezones() else "UTC"


def sidebar() -> None:
    with st.sidebar:
        zones = list(dict.fromkeys([browser_zone(), *COMMON_ZONES]))
        if "tz" not in st.session_state:
            st.session_state.tz = zones[0]
        st.selectbox("Time zone", zones, key="tz", help="Times are stored in UTC and shown here.")
        st.caption(f"Data as of {fmt.local(data.now(), timezone())}")
        st.caption(f"Database: `{data.database().path}`")
        st.caption("Signed in as **demo operator**")


def timezone() -> str:
    return st.session_state.get("tz") or browser_zone()
