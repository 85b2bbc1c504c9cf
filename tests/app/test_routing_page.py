"""The Routing page in AppTest: key numbers match ops_core, filters and policy live in the URL."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ops_core import routing
from ops_core.db import open_db
from tests.app.conftest import run_page
from ui import data, testing

PAGE = "pages/routing.py"
VIEW = {"start": "2026-11-07", "end": "2026-11-20"}


@pytest.fixture(scope="module")
def routing_db(demo_path, tmp_path_factory):
    """The demo database with routing's rollups built once for this module (read only after)."""
    path = tmp_path_factory.mktemp("routing_page") / "railyard.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    with db.transaction() as cur:
        routing.refresh(cur)
    db.close()
    return path


@pytest.fixture
def at(routing_db, monkeypatch):
    monkeypatch.setenv("RAILYARD_DB", str(routing_db))
    app = testing.new_app(tz="UTC")
    yield app
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def metric(at, label: str) -> str:
    return next(m for m in at.metric if m.label == label).value


def widget(elements, label: str):
    return next(e for e in elements if e.label == label)


def expected(**filters):
    """The same figures straight from ops_core, on the database the app has open."""
    cur = data.database().cursor()
    f = routing.RouteFilters(date(2026, 11, 7), date(2026, 11, 20), **filters)
    table = routing.route_table(cur, f)
    period = (datetime(2026, 11, 7, tzinfo=UTC), datetime(2026, 11, 20, 18, 30, tzinfo=UTC))
    result = routing.simulate(cur, *period, routing.Policy("cheapest"))
    return routing.headline(table), result.totals


def test_page_shows_the_routes_and_the_what_if_of_ops_core(at):
    run_page(at, PAGE, **VIEW)
    head, totals = expected()
    assert metric(at, "Payments") == f"{head['payments']:,}"
    assert metric(at, "Success rate") == f"{head['success_rate'] * 100:.2f}%"
    assert metric(at, "Payments simulated") == f"{totals['payments']:,}"
    assert metric(at, "Would change route") == f"{totals['moved']:,}"
    routes, moves = at.dataframe[0].value, at.dataframe[1].value
    assert routes.payments.sum() == head["payments"]
    assert "ACH · MERIDIAN · next_day" in set(moves["to"])
    assert [h.value for h in at.subheader] == [
        "Routes",
        "Over time",
        "What-if",
        "Recommendations",
    ]


def test_filters_come_from_the_url(at):
    run_page(at, PAGE, **VIEW, rails="ACH", bands="small,medium", urg="same_day")
    routes = at.dataframe[0].value
    assert set(routes.route.str.split(" · ").str[0]) == {"ACH"}
    assert set(routes.band) == {"small", "medium"} and set(routes.service) == {"same_day"}
    head, _ = expected(rails=("ACH",), bands=("small", "medium"), services=("same_day",))
    assert metric(at, "Payments") == f"{head['payments']:,}"


def test_changing_the_policy_updates_the_url_and_the_what_if(at):
    run_page(at, PAGE, **VIEW)
    cheapest = metric(at, "Would change route")
    widget(at.radio, "Policy").set_value("fastest").run()
    assert not at.exception
    assert at.query_params["policy"] == "fastest"
    assert metric(at, "Would change route") != cheapest
    assert "RTP · LAKESHORE · instant" in set(at.dataframe[1].value["to"])
    widget(at.selectbox, "Success bar").set_value("99").run()
    assert at.query_params["bar"] == "99"
    assert any("keep their actual route" in c.value for c in at.caption)


def test_a_reversed_period_is_an_error(at):
    run_page(at, PAGE, start="2026-11-20", end="2026-11-07")
    assert [e.value for e in at.error] == ["'To' is before 'From'."]


def test_without_rollups_the_page_says_how_to_build_them(app, demo_copy):
    db = open_db(demo_copy)
    with db.transaction() as cur:  # as on a database loaded before routing existed
        cur.execute("DELETE FROM rollup_routes")
        cur.execute("DELETE FROM rollup_route_latency")
    db.close()
    run_page(app, PAGE)
    assert any("python -m ops_core.routing" in i.value for i in app.info)
