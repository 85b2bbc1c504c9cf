"""AppTest runs the real app script against a demo database chosen via RAILYARD_DB."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_copy, monkeypatch):
    """A fresh AppTest of the whole app on a private demo copy; caches cleared (pdstools)."""
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["tz"] = "UTC"
    yield at
    st.cache_resource.clear()


def run_page(at: AppTest, page: str, **params) -> AppTest:
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
