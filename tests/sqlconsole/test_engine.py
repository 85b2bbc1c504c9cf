"""The connection guard and the limits: queries run on a locked, read-only snapshot."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ops_core import rollups
from ops_core.db import Database, open_db
from ops_core.sqlconsole import (
    LOCKED_SETTINGS,
    Console,
    QueryFailed,
    QueryRefused,
    QueryStopped,
    verify_locked,
)

FILE = "/etc/passwd"


def test_a_query_runs_and_returns_rows(console):
    result = console.run("SELECT status, count(*) AS n FROM payments GROUP BY ALL ORDER BY n")
    assert result.frame.to_dict("list") == {"status": ["failed", "completed"], "n": [10, 40]}
    assert not result.truncated and not result.transpiled and result.elapsed_ms >= 0


@pytest.mark.parametrize(
    ("rows", "shown", "truncated"), [(7, 7, True), (50, 50, False), (99, 50, False)]
)
def test_the_row_limit_caps_the_result_and_says_so(console, rows, shown, truncated):
    result = console.run("SELECT * FROM payments ORDER BY payment_id", rows=rows)
    assert len(result.frame) == shown and result.truncated is truncated
    assert result.frame.payment_id.tolist() == list(range(1, shown + 1))  # order kept


def test_the_time_limit_interrupts_a_long_query(console):
    with pytest.raises(QueryStopped, match="Stopped after 1 s, the time limit"):
        console.run("SELECT max(md5(i::VARCHAR)) FROM range(1000000000000) t(i)", seconds=1)
    assert console.run("SELECT 1 AS ok").frame.ok.tolist() == [1]  # the console still works


def test_another_dialect_runs_transpiled(console):
    result = console.run(
        "SELECT TOP 3 payment_id, ISNULL(txn_type, 'n/a') AS t FROM payments ORDER BY 1",
        dialect="tsql",
    )
    assert result.transpiled and "COALESCE(txn_type, 'n/a')" in result.sql
    assert result.frame.t.tolist() == ["n/a"] * 3


def test_a_wrong_column_is_a_clear_failure(console):
    with pytest.raises(QueryFailed, match='Referenced column "nope" not found'):
        console.run("SELECT nope FROM payments")


def test_the_connection_is_locked_read_only_and_private(console, small_db):
    snap = console.snapshot()
    assert verify_locked(snap.conn) == LOCKED_SETTINGS
    assert snap.path.parent != Path(small_db.path).parent
    cur = small_db.cursor()
    assert cur.execute("SELECT count(*) FROM duckdb_databases()").fetchone()[0] >= 1
    attached = {r[0] for r in cur.execute("SELECT path FROM duckdb_databases()").fetchall()}
    assert str(snap.path) not in attached  # the live instance does not keep the copy attached


def test_python_objects_are_out_of_reach(console):
    """DuckDB's Python client would scan a DataFrame named in FROM from the caller's frame."""
    secret_frame = pd.DataFrame({"secret": ["root:x:0:0"]})
    cur = console.snapshot().conn.cursor()
    with pytest.raises(duckdb.CatalogException, match="secret_frame does not exist"):
        cur.execute("SELECT * FROM secret_frame")
    cur.close()
    assert not secret_frame.empty


def _dangerous(tmp: Path) -> list[tuple[str, type, str]]:
    """(SQL run with no parser check, the error, a fragment of its message)."""
    refused, denied, locked, ro = (
        QueryRefused,
        "operations are disabled",
        "has been locked",
        "read-only",
    )
    return [
        (f"SELECT * FROM read_csv('{FILE}')", refused, denied),
        (f"SELECT * FROM read_csv_auto('{FILE}')", refused, denied),
        (f"SELECT * FROM read_text('{FILE}')", refused, denied),
        (f"SELECT * FROM read_blob('{FILE}')", refused, denied),
        (f"SELECT * FROM read_json('{FILE}')", refused, denied),
        (f"SELECT * FROM read_parquet('{FILE}')", refused, denied),
        (f"SELECT * FROM sniff_csv('{FILE}')", refused, denied),
        ("SELECT * FROM glob('/etc/*')", refused, denied),
        ("SELECT * FROM read_csv('https://example.com/x.csv')", refused, denied),
        (f"SELECT * FROM '{FILE}'", QueryFailed, "does not exist"),  # no replacement scans
        (f"COPY payments TO '{tmp}/out.csv'", refused, denied),
        (f"SELECT 1; COPY (SELECT 1) TO '{tmp}/out.csv'", refused, denied),
        (f"EXPORT DATABASE '{tmp}/dump'", refused, denied),
        (f"ATTACH '{tmp}/other.duckdb' AS other", refused, denied),
        ("ATTACH ':memory:' AS m", refused, ro),
        ("SET enable_external_access = true", refused, locked),
        ("SET threads = 1", refused, locked),
        ("SET memory_limit = '100GB'", refused, locked),
        ("SET allowed_directories = ['/etc']", refused, locked),
        ("RESET lock_configuration", refused, locked),
        ("PRAGMA threads = 1", refused, locked),
        ("INSTALL httpfs", refused, denied),
        ("LOAD httpfs", refused, "disabled"),
        (f"LOAD '{tmp}/evil.duckdb_extension'", refused, "disabled"),
        ("CREATE TABLE x AS SELECT 1", refused, ro),
        ("DROP TABLE payments", refused, ro),
        ("DELETE FROM payments", refused, ro),
        ("UPDATE payments SET status = 'failed'", refused, ro),
        ("SELECT 1; DROP TABLE payments", refused, ro),
    ]


def test_escapes_that_skip_the_parser_are_stopped_by_the_connection(console, small_db, tmp_path):
    tmp_path = tmp_path / "targets"
    tmp_path.mkdir()
    for text, error, fragment in _dangerous(tmp_path):
        with pytest.raises(error, match=fragment) as caught:
            console.execute_unchecked(text)
        assert "root:" not in str(caught.value), text
    assert list(tmp_path.iterdir()) == []  # nothing was written
    live = small_db.cursor().execute("SELECT count(*) FROM payments").fetchone()[0]
    assert live == 50  # and the live data is untouched


def test_escapes_through_the_console_are_refused_first(console, tmp_path):
    tmp_path = tmp_path / "targets"
    tmp_path.mkdir()
    for text, _, _ in _dangerous(tmp_path):
        with pytest.raises(QueryRefused):
            console.run(text)
    assert list(tmp_path.iterdir()) == []


def test_a_new_snapshot_follows_a_data_change(console, small_db):
    first = console.snapshot()
    assert console.snapshot() is first  # same data version: same copy
    with small_db.transaction() as cur:
        cur.execute("DELETE FROM payments WHERE payment_id > 10")
        rollups.bump_version(cur)
    assert console.run("SELECT count(*) AS n FROM payments").frame.n.tolist() == [10]
    second = console.snapshot()
    assert second is not first and second.version == first.version + 1
    assert console.snapshot(refresh=True) is not second


def test_old_snapshots_are_removed(console, small_db):
    paths = [console.snapshot(refresh=True).path for _ in range(4)]
    assert [p.exists() for p in paths] == [False, False, True, True]
    console.close()
    assert not any(p.exists() for p in paths)


def test_the_schema_lists_tables_and_columns(console):
    schema = console.schema()
    payments = schema[schema.table_name == "payments"]
    assert {"payment_id", "status", "amount_minor"} <= set(payments.column_name)
    assert "saved_queries" in set(schema.table_name)


def test_a_read_only_database_can_be_queried(tmp_path):
    path = tmp_path / "ro.duckdb"
    open_db(path).close()
    db = Database(path, read_only=True)
    console = Console(db)
    try:
        assert console.run("SELECT count(*) AS n FROM payments").frame.n.tolist() == [0]
    finally:
        console.close()
        db.close()
