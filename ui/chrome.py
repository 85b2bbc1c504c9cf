"""What every page shares: the sidebar (viewer's time zone, data freshness, user)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import streamlit as st

from ui import access, data, fmt

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


def ensure_routed(page_file: str | None = None) -> None:
    """Run the page through app.py's router, never on its own.

    Streamlit keeps its old multipage mode for apps with a ``pages/`` folder until the first
    ``st.navigation`` call of the process, so a fresh server whose first request is a deep
    link (/rail-health?...) runs that page script without the router (no page config, no
    sidebar). Switching the flag off and switching to this same page (with its query
    parameters) sends this and every later run through app.py.
    """
    if st.session_state.get(ROUTED):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    if page_file is None:
        st.rerun()
    page = Path(page_file).resolve().relative_to(Path(__file__).resolve().parents[1])
    st.switch_page(str(page), query_params=st.query_params.to_dict())


DEMO_ACTOR = "demo operator"

# Tiles hold three figures side by side: a smaller metric font keeps "98.7%" whole.
STYLE = """
<style>
[data-testid="stColumn"] [data-testid="stHorizontalBlock"] [data-testid="stMetricValue"] {
  font-size: 1.45rem;
}
</style>
"""


def actor() -> str:
    """Who is signed in: recorded in every audit entry. Writes should pass the User itself
    (``ui.access.current_user()``) as ``actor=``, so ops_core checks the role too."""
    return access.current_user().name


def sidebar() -> None:
    st.html(STYLE)
    with st.sidebar:
        zones = list(dict.fromkeys([browser_zone(), *COMMON_ZONES]))
        if "tz" not in st.session_state:
            st.session_state.tz = zones[0]
        st.selectbox("Time zone", zones, key="tz", help="Times are stored in UTC and shown here.")
        st.caption(f"Data as of {fmt.local(data.now(), timezone())}")
        if access.partner_scope() is None:  # a screen-share does not show our file paths
            st.caption(f"Database: `{data.database().path}`")
        access.sidebar()


def timezone() -> str:
    return st.session_state.get("tz") or browser_zone()
