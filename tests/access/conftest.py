"""AppTest of the whole app with local sign-in switched on (a users file in RAILYARD_USERS)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ops_core.access.passwords import hash_password
from ui import testing

USERS = """\
[users.ada]
role = "admin"
password = "{ada}"

[users.vic]
role = "viewer"
password = "{vic}"
"""


@pytest.fixture
def users_file(tmp_path):
    path = tmp_path / "users.toml"
    fast = {"n": 2**10}
    path.write_text(
        USERS.format(ada=hash_password("ada-pass", **fast), vic=hash_password("vic-pass", **fast))
    )
    return path


@pytest.fixture
def local_app(demo_copy, users_file, monkeypatch):
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    monkeypatch.setenv("RAILYARD_USERS", str(users_file))
    at = testing.new_app(tz="UTC")
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None
