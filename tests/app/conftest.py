"""AppTest runs the real app script (through its router) against a private demo copy."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from ui import testing


@pytest.fixture
def app(demo_copy, monkeypatch):
    """A fresh AppTest of the whole app on a private demo copy; caches cleared (pdstools)."""
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    at = testing.new_app(tz="UTC")
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def run_page(at: AppTest, page: str, **params) -> AppTest:
    testing.run_page(at, page, **params)
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.selectbox(key="tz").value == "UTC", "the page ran without the router"
    return at
