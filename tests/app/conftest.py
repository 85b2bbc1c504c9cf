"""AppTest runs the real app script against a demo database chosen via RAILYARD_DB."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


class _RouterOnly(PagesManager):
    """AppTest re-derives Streamlit's old 'pages/ folder' mode on every run, which would run a
    page script without app.py. The real server leaves that mode at the first st.navigation
    call (see ui.chrome.ensure_routed); tests go straight to the router."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture
def app(demo_copy, monkeypatch):
    """A fresh AppTest of the whole app on a private demo copy; caches cleared (pdstools)."""
    monkeypatch.setattr(app_test_module, "PagesManager", _RouterOnly)
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["tz"] = "UTC"
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def run_page(at: AppTest, page: str, **params) -> AppTest:
    """Open ``page`` (path relative to app.py) with URL query parameters, through the router.

    AppTest maps a page file to st.navigation's page only after a first run has registered
    the pages, so a fresh AppTest runs the default page once first.
    """
    if "_railyard_routed" not in at.session_state:
        at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.selectbox(key="tz").value == "UTC", "the page ran without the router"
    return at
