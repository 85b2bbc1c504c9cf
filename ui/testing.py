"""Drive the whole app with Streamlit's AppTest (used by tests and benchmarks)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


class RouterOnly(PagesManager):
    """AppTest re-derives Streamlit's old 'pages/ folder' mode on every run, which would run a
    page script without app.py. The real server leaves that mode at the first st.navigation
    call (see ui.chrome.ensure_routed); AppTest runs go straight to the router."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def use_router() -> None:
    app_test_module.PagesManager = RouterOnly


def new_app(tz: str = "UTC", timeout: float = 60) -> AppTest:
    """A fresh AppTest of app.py with caches cleared; the database comes from RAILYARD_DB."""
    use_router()
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["tz"] = tz
    return at


def run_page(at: AppTest, page: str, **params) -> AppTest:
    """Open ``page`` (path relative to app.py) with URL query parameters, through the router.

    AppTest maps a page file to st.navigation's page only after a first run has registered
    the pages, so a fresh AppTest runs the default page once first.
    """
    if "_railyard_routed" not in at.session_state:
        at.run()
    at.switch_page(page)
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at
