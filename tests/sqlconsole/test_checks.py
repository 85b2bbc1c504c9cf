"""The parser guard: one SELECT over known tables and allowlisted functions, nothing else."""

import pytest
import sqlglot
from sqlglot import exp

from ops_core import sql
from ops_core.db import open_db
from ops_core.sqlconsole import Catalog, QueryRefused, check
from ops_core.sqlconsole.checks import limited

ALLOWED = [
    "SELECT 1",
    "SELECT 1;",
    "select count(*) from payments",
    "FROM payments SELECT status, count(*) GROUP BY ALL",
    "WITH f AS (SELECT * FROM payments WHERE status = 'failed') SELECT count(*) FROM f",
    "SELECT p.client_id, c.name FROM payments p JOIN clients c USING (client_id)",
    "SELECT rail_id FROM payments UNION SELECT rail_id FROM rails",
    "(SELECT 1)",
    "SELECT * FROM range(10) t(i)",
    "SELECT * FROM generate_series(1, 3)",
    "SELECT unnest([1, 2])",
    "SELECT * FROM payments, unnest([1, 2]) u(x)",
    "SELECT table_name FROM information_schema.tables",
    "SELECT * FROM main.payments",
    "SELECT CAST(1 AS INT), TRY_CAST('x' AS INT), EXTRACT(year FROM now()), 1::BIGINT",
    "SELECT coalesce(NULL, 1), if(true, 1, 2), approx_count_distinct(1), {'a': 1}, [1]",
    "SELECT date_trunc('day', created_at), count(*) FILTER (WHERE status = 'failed') "
    "FROM payments GROUP BY 1",
    "SELECT row_number() OVER (PARTITION BY rail_id ORDER BY created_at) FROM payments",
    "SELECT 1 /* ; DROP TABLE payments */",
    "SELECT 1 -- DROP TABLE payments",
    'WITH "/etc/passwd" AS (SELECT 1 AS x) SELECT * FROM "/etc/passwd"',  # a CTE, not a file
]


@pytest.mark.parametrize("text", ALLOWED)
def test_reading_queries_pass(text, catalog):
    checked = check(text, catalog)
    assert isinstance(checked.tree, exp.Query)
    assert not checked.transpiled


# Escape attempts (issue 8): each refused before anything runs, with a reason.
FILE = "/etc/passwd"
REFUSED = [
    # every file and URL reader
    (f"SELECT * FROM read_csv('{FILE}')", "table function read_csv()"),
    (f"SELECT * FROM read_csv_auto('{FILE}')", "table function read_csv_auto()"),
    (f"SELECT * FROM read_text('{FILE}')", "table function read_text()"),
    (f"SELECT * FROM read_blob('{FILE}')", "table function read_blob()"),
    (f"SELECT * FROM read_json('{FILE}')", "table function read_json()"),
    (f"SELECT * FROM read_json_auto('{FILE}')", "table function read_json_auto()"),
    (f"SELECT * FROM read_ndjson('{FILE}')", "table function read_ndjson()"),
    (f"SELECT * FROM read_parquet('{FILE}')", "table function read_parquet()"),
    (f"SELECT * FROM parquet_scan('{FILE}')", "table function parquet_scan()"),
    (f"SELECT * FROM sniff_csv('{FILE}')", "table function sniff_csv()"),
    ("SELECT * FROM glob('/etc/*')", "table function glob()"),
    (f"SELECT * FROM '{FILE}'", "Files and URLs cannot be read here"),
    (f'SELECT * FROM "{FILE}"', "Files and URLs cannot be read here"),
    ("SELECT * FROM 'https://example.com/x.csv'", "Files and URLs cannot be read here"),
    ("SELECT * FROM payments, 'clients.parquet'", "Files and URLs cannot be read here"),
    ("SELECT * FROM iceberg_scan('s3://b/t')", "table function iceberg_scan()"),
    ("SELECT * FROM delta_scan('s3://b/t')", "table function delta_scan()"),
    ("SELECT * FROM query_table('payments')", "table function query_table()"),
    ("SELECT * FROM query('SELECT 1')", "table function query()"),
    ("SELECT * FROM duckdb_settings()", "table function duckdb_settings()"),
    ("SELECT * FROM duckdb_secrets()", "table function duckdb_secrets()"),
    (f"SELECT read_text('{FILE}')", "function read_text() is not allowed"),
    (f"SELECT count(*) FROM (SELECT * FROM read_csv('{FILE}'))", "read_csv()"),
    (f"SELECT * FROM payments WHERE 1 IN (SELECT 1 FROM read_blob('{FILE}'))", "read_blob()"),
    (f"SELECT * FROM payments JOIN read_csv('{FILE}') ON true", "read_csv()"),
    (f"SELECT * FROM payments, LATERAL read_csv('{FILE}')", "read_csv()"),
    # writing files, attaching, exporting
    (f"COPY payments TO '{FILE}.csv'", "not COPY"),
    (f"COPY (SELECT 1) TO '{FILE}.csv'", "not COPY"),
    ("ATTACH '/tmp/other.duckdb' AS other", "not ATTACH"),
    ("DETACH other", "not DETACH"),
    ("EXPORT DATABASE '/tmp/dump'", "Could not read this"),
    ("IMPORT DATABASE '/tmp/dump'", "Could not read this"),
    ("SELECT * FROM other.main.payments", "Cannot read other.main.payments"),
    # settings and extensions
    ("SET enable_external_access = true", "not SET"),
    ("SET threads = 1", "not SET"),
    ("RESET lock_configuration", "not RESET"),
    ("PRAGMA enable_profiling", "not PRAGMA"),
    ("INSTALL httpfs", "not INSTALL"),
    ("LOAD httpfs", "not LOAD"),
    ("CALL pragma_version()", "not CALL"),
    ("CHECKPOINT", "not CHECKPOINT"),
    ("USE other", "not USE"),
    ("SELECT current_setting('threads')", "function current_setting() is not allowed"),
    ("SELECT nextval('saved_query_seq')", "function nextval() is not allowed"),
    ("SELECT setseed(0.5)", "function setseed() is not allowed"),
    ("SELECT write_log('x')", "function write_log() is not allowed"),
    ("SELECT no_such_function(1)", "function no_such_function() is not allowed"),
    # DDL and DML, also hidden in CTEs and subqueries
    ("DROP TABLE payments", "not DROP"),
    ("DELETE FROM payments", "not DELETE"),
    ("UPDATE payments SET status = 'failed'", "not UPDATE"),
    ("INSERT INTO payments SELECT * FROM payments", "not INSERT"),
    ("CREATE TABLE x AS SELECT 1", "not CREATE"),
    ("ALTER TABLE payments ADD COLUMN x INT", "not ALTER"),
    ("TRUNCATE payments", "not TRUNCATE"),
    ("SELECT * INTO copy_of FROM payments", "contains SELECT ... INTO"),
    ("WITH d AS (DELETE FROM payments RETURNING *) SELECT * FROM d", "contains DELETE"),
    ("WITH u AS (UPDATE payments SET status = 'x' RETURNING *) SELECT 1", "contains UPDATE"),
    ("BEGIN", "not TRANSACTION"),
    ("DESCRIBE payments", "not DESCRIBE"),
    ("SUMMARIZE payments", "not SUMMARIZE"),
    # more than one statement, however it is hidden
    ("SELECT 1; SELECT 2", "found 2"),
    ("SELECT 1; DROP TABLE payments", "found 2 (SELECT, DROP)"),
    ("SELECT 1; -- harmless?\n DROP TABLE payments", "found 2 (SELECT, DROP)"),
    ("SELECT 1 /* */; DROP TABLE payments", "found 2"),
    ("/* SELECT 1 */ DROP TABLE payments", "not DROP"),
    ("SELECT 1;\nATTACH '/tmp/x.duckdb'", "found 2 (SELECT, ATTACH)"),
    ("SELECT 1; COPY payments TO '/tmp/x.csv'", "found 2"),
    ("SELECT 1; SET threads = 1", "found 2 (SELECT, SET)"),
    # not a query at all
    ("", "Write a query first"),
    ("  -- only a comment", "found 0"),
    ("SELEC 1", "Could not read this"),
    ("SELECT * FROM nowhere", "There is no table nowhere"),
]


@pytest.mark.parametrize(("text", "reason"), REFUSED, ids=[t[:50] for t, _ in REFUSED])
def test_escape_attempts_are_refused(text, reason, catalog):
    with pytest.raises(QueryRefused, match=_literal(reason)):
        check(text, catalog)


@pytest.mark.parametrize(
    ("dialect", "text", "duckdb_has"),
    [
        ("postgres", "SELECT status::text FROM payments", "CAST(status AS TEXT)"),
        ("postgres", "SELECT DATE_TRUNC('month', created_at) FROM payments", "DATE_TRUNC('MONTH'"),
        ("snowflake", "SELECT IFF(amount_minor > 9, 'big', 'small') FROM payments", "CASE WHEN"),
        ("snowflake", "SELECT DATEADD(day, 1, created_at) FROM payments", "INTERVAL"),
        ("bigquery", "SELECT FORMAT_DATE('%Y-%m', DATE(created_at)) FROM `payments`", "STRFTIME("),
        ("bigquery", "SELECT COUNTIF(status = 'failed') FROM payments", "COUNT_IF(status"),
        ("tsql", "SELECT TOP 5 ISNULL(txn_type, 'n/a') FROM payments", "LIMIT 5"),
    ],
)  # fmt: skip
def test_other_dialects_are_transpiled_to_duckdb(dialect, text, duckdb_has, catalog):
    checked = check(text, catalog, dialect)
    assert checked.transpiled and duckdb_has in checked.sql
    assert sqlglot.parse_one(checked.sql, read="duckdb")


def test_a_part_that_cannot_be_translated_faithfully_is_refused(catalog):
    """sqlglot would drop TO_VARCHAR's format for DuckDB; the console says so instead."""
    with pytest.raises(QueryRefused, match="Could not translate this Snowflake SQL"):
        check("SELECT TO_VARCHAR(created_at, 'YYYY-MM') FROM payments", catalog, "snowflake")


def test_a_transpiled_query_is_checked_too(catalog):
    with pytest.raises(QueryRefused, match="read_csv"):
        check("SELECT * FROM read_csv('/etc/passwd')", catalog, "postgres")
    with pytest.raises(QueryRefused, match="Unknown SQL dialect"):
        check("SELECT 1", catalog, "cobol")


def test_the_row_limit_wraps_the_checked_tree(catalog):
    checked = check("SELECT * FROM payments ORDER BY amount_minor DESC LIMIT 500", catalog)
    assert limited(checked, 10) == (
        "SELECT * FROM (SELECT * FROM payments ORDER BY amount_minor DESC LIMIT 500) AS result "
        "LIMIT 11"
    )


def test_comments_never_reach_duckdb(catalog):
    checked = check("SELECT 1 AS one /* ; DROP TABLE payments */ -- more", catalog)
    assert "DROP" not in checked.sql and "DROP" not in limited(checked, 5)


def test_every_select_railyard_ships_passes():
    """The named SELECT statements in ops_core/sql are real queries over the real schema."""
    db = open_db(":memory:")
    cur = db.cursor()
    functions = frozenset(sql.query(cur, "sqlconsole/functions")["function_name"])
    db.close()
    trees = {n: sqlglot.parse_one(sql.statement(n), read="duckdb") for n in sql.all_statements()}
    selects = {
        n: t
        for n, t in trees.items()
        if isinstance(t, exp.Select) and not n.startswith("sqlconsole/")  # console internals
    }
    assert len(selects) > 20
    # Tables come from the statements themselves: this checks syntax and functions (some
    # statements read tables a module creates at run time).
    tables = frozenset(
        t.name.lower() for tree in selects.values() for t in tree.find_all(exp.Table)
    )
    for name in selects:
        check(sql.statement(name), Catalog(tables, functions))


def _literal(text: str) -> str:
    import re

    return re.escape(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_what_runs_checks_the_same_again(text, catalog):
    """The DuckDB text that runs is itself a query the checks accept, unchanged."""
    checked = check(text, catalog)
    assert check(checked.sql, catalog).sql == checked.sql
