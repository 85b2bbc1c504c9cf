"""The one database per process, and cached reads keyed on the data version."""

from __future__ import annotations

import os
from datetime import date, datetime

import pandas as pd
import streamlit as st

from ops_core import derived, health, rail_health, sql
from ops_core.config import db_path
from ops_core.db import Database, open_db
from ops_core.rollups import data_version


def database() -> Database:
    """The database $RAILYARD_DB names (default data/railyard.duckdb)."""
    return _open(str(db_path(os.environ.get("RAILYARD_DB"))))


@st.cache_resource
def _open(path: str) -> Database:
    """Opened once per process and path (STYLE.md); every run takes its own cursor."""
    return open_db(path)


def cursor():
    return database().cursor()


def version() -> int:
    """The data version the page's caches key on, after catching up the rollups if a ledger
    load left them behind (derived.py; the first page after a load pays for it, once)."""
    db = database()
    cur = db.cursor()
    version_, behind = derived.version_and_mark(cur)
    if behind is None:
        return version_
    with st.spinner("Updating the rollups with the newly loaded ledger payments…"):
        derived.catch_up(db)
    return data_version(cur)


def now() -> datetime:
    return health.data_now(cursor())


@st.cache_data(show_spinner=False)
def reference(data_version_: int) -> dict[str, pd.DataFrame]:
    cur = cursor()
    return {
        "rails": cur.execute("SELECT * FROM rails ORDER BY rail_id").df(),
        "partners": cur.execute("SELECT * FROM partners ORDER BY name").df(),
        "clients": cur.execute("SELECT * FROM clients ORDER BY name").df(),
    }


@st.cache_data(show_spinner=False)
def tiles(
    data_version_: int, day: date, tz: str, now_: datetime, partner: str | None = None
) -> pd.DataFrame:
    return health.rail_tiles(cursor(), day, tz, now_, partner)


@st.cache_data(show_spinner=False)
def stuck(data_version_: int, now_: datetime, partner: str | None = None) -> pd.DataFrame:
    return health.stuck_now(cursor(), now_, partner)


@st.cache_data(show_spinner=False)
def named(data_version_: int, name: str, **params) -> pd.DataFrame:
    """Any named statement, cached on its parameters and the data version."""
    return sql.query(cursor(), name, **params)


@st.cache_data(show_spinner=False)
def everything(data_version_: int, partner: str | None = None) -> dict[str, list[str]]:
    return health.everything(cursor(), partner)


@st.cache_data(show_spinner=False)
def rail_series(data_version_: int, f: rail_health.Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    every = everything(data_version_, f.partner)
    return rail_health.series(cursor(), f, every), rail_health.latency(cursor(), f, every)


@st.cache_data(show_spinner=False)
def rail_codes(data_version_: int, f: rail_health.Filters) -> pd.DataFrame:
    return rail_health.codes(cursor(), f, everything(data_version_, f.partner))


@st.cache_data(show_spinner=False)
def rail_breakdown(data_version_: int, f: rail_health.Filters, by: str) -> pd.DataFrame:
    return rail_health.breakdown(cursor(), f, everything(data_version_, f.partner), by)


@st.cache_data(show_spinner=False)
def rail_payments(data_version_: int, f: rail_health.Filters) -> pd.DataFrame:
    return rail_health.payments(cursor(), f, everything(data_version_, f.partner))
