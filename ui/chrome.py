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


ROUTED = "_railyard_routed"


def mark_routed() -> None:
    """Called by app.py on every run, before the page runs."""
    st.session_state[ROUTED] = True


def ensure_routed() -> None:
    """Run the page through app.py's router, never on its own.

    Streamlit keeps its old multipage mode for apps with a ``pages/`` folder until the first
    ``st.navigation`` call of the process; a fresh server whose first request is a deep link
    (/rail-health?...) would run that page script without the router (no page config, no
    sidebar). Switching the flag off and re-running sends this and every later run through
    app.py, which resolves the same URL to the same page.
    """
    if st.session_state.get(ROUTED):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


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
