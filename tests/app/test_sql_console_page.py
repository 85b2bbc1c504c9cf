"""The SQL console page in AppTest: runs a query, refuses a forbidden one, shows transpiled
SQL, and shows the save controls only to roles that may save."""

from __future__ import annotations

import duckdb
import pytest

from ops_core.access import Role, User
from tests.app.conftest import run_page

PAGE = "pages/sql_console.py"
BY_RAIL = "SELECT rail_id, count(*) AS n FROM payments GROUP BY ALL ORDER BY rail_id"


def as_user(at, user: User | None):
    if user is not None:
        at.session_state["user"] = user
    return at


def run_query(at, text: str, dialect: str | None = None):
    at.text_area(key="sql_text").input(text)
    if dialect:
        at.selectbox(key="sql_dialect").select(dialect)
    at.button[0].click()  # Run
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_query_runs_and_shows_results(app):
    at = run_page(app, PAGE)
    assert at.title[0].value == "SQL console"
    tables = at.selectbox(key="sql_table")  # the schema browser
    assert tables.value == "payments" and "dispute_cases" in tables.options
    assert "payment_id" in at.dataframe[0].value.Column.tolist()
    run_query(at, BY_RAIL)
    frame = at.dataframe[1].value
    assert frame.columns.tolist() == ["rail_id", "n"] and len(frame) == 9
    assert frame.n.sum() > 600_000  # every attempt of the demo
    assert any("9 rows in" in c.value for c in at.caption)
    assert at.get("download_button")
    assert at.query_params["sql"] == BY_RAIL  # a link reopens the query


def test_a_forbidden_query_shows_the_refusal(app):
    at = run_query(run_page(app, PAGE), "SELECT * FROM read_csv('/etc/passwd')")
    assert len(at.dataframe) == 1  # only the schema browser's
    assert "Refused" in at.error[0].value and "read_csv()" in at.error[0].value


def test_a_hidden_second_statement_is_refused(app):
    at = run_query(run_page(app, PAGE), "SELECT 1; -- fine?\nDROP TABLE payments")
    assert "Run one statement at a time" in at.error[0].value


def test_a_long_query_is_stopped_at_the_time_limit(app):
    at = run_page(app, PAGE)
    at.number_input(key="sql_secs").set_value(1)
    run_query(at, "SELECT max(md5(i::VARCHAR)) FROM range(1000000000000) t(i)")
    assert "Stopped after 1 s" in at.warning[0].value


def test_postgres_sql_is_shown_transpiled(app):
    at = run_query(
        run_page(app, PAGE),
        "SELECT status::text AS s, count(*) FROM payments GROUP BY 1 ORDER BY 1",
        dialect="postgres",
    )
    assert any("Transpiled from Postgres to DuckDB" in m.value for m in at.markdown)
    assert "CAST(status AS TEXT)" in at.code[0].value
    assert at.dataframe[1].value.s.tolist() == ["completed", "failed", "pending", "returned"]


@pytest.mark.parametrize(
    ("user", "sees_save"),
    [
        (User("vic", Role.VIEWER), False),
        (User("ola", Role.OPERATOR), True),
        (User("ada", Role.ADMIN), True),
        (None, True),  # the demo operator
    ],
)
def test_only_roles_that_may_save_see_the_save_controls(app, user, sees_save):
    at = run_page(as_user(app, user), PAGE)
    assert ("Save this query" in [e.label for e in at.expander]) is sees_save
    assert bool(at.get("form_submit_button")) is sees_save
    name = user.name if user else "demo operator"
    assert any(f"Signed in as **{name}**" in c.value for c in at.sidebar.caption)
    run_query(at, "SELECT 1 AS one")  # every role may read
    assert at.dataframe[1].value.one.tolist() == [1]


def test_an_operator_saves_a_query_under_their_name(app, demo_copy):
    at = run_page(as_user(app, User("ola", Role.OPERATOR)), PAGE)
    at.text_area(key="sql_text").input(BY_RAIL)
    at.text_input(key="sql_save_name").input("Attempts by rail")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception and "Saved as 'Attempts by rail'" in at.success[0].value
    assert at.selectbox(key="sql_saved").options == ["Attempts by rail · ola"]
    conn = _read(demo_copy, at)
    assert conn["saved"] == [("Attempts by rail", "ola", BY_RAIL)]
    assert conn["audit"] == [("ola", "created", "Attempts by rail")]


def test_a_partner_scoped_view_has_no_console(app):
    at = run_page(as_user(app, User("ola", Role.OPERATOR, partner="LAKESHORE")), PAGE)
    assert "not available in the partner view of LAKESHORE" in at.info[0].value
    assert not at.get("text_area")


def _read(path, at) -> dict:
    """Read the saved rows through the app's own database object (it holds the file)."""
    from ui import data

    cur = data.database().cursor()
    try:
        saved = cur.execute("SELECT name, owner, sql_text FROM saved_queries").fetchall()
        audit = cur.execute(
            "SELECT actor, field, new_value FROM audit_log WHERE entity = 'saved_query'"
        ).fetchall()
    except duckdb.Error as exc:  # pragma: no cover - diagnostic
        raise AssertionError(f"cannot read {path}: {exc}") from exc
    finally:
        cur.close()
    return {"saved": saved, "audit": audit}
