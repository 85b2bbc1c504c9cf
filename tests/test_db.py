import duckdb
import pytest

from ops_core import config
from ops_core.db import migration_files, once_more_on_conflict, open_db


def test_migrations_apply_once(empty_db):
    cur = empty_db.cursor()
    applied = cur.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()
    assert [a[0] for a in applied] == [f.stem for f in migration_files()]
    assert empty_db.migrate() == []  # second run: nothing to do


def test_transaction_rolls_back_on_error(empty_db):
    with pytest.raises(duckdb.ConstraintException), empty_db.transaction() as cur:
        cur.execute("INSERT INTO partners VALUES ('P1', 'Bank', 'bank', 'US')")
        cur.execute("INSERT INTO partners VALUES ('P1', 'Dup', 'bank', 'US')")
    assert empty_db.cursor().execute("SELECT count(*) FROM partners").fetchone()[0] == 0


def test_money_is_never_float(empty_db):
    """Minor-unit columns are integers (or exact DECIMAL for FX-converted figures), and no
    column that holds an amount is a float (STYLE.md)."""
    cols = (
        empty_db.cursor()
        .execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE column_name LIKE '%amount%' OR column_name LIKE '%\\_minor' ESCAPE '\\'"
        )
        .fetchall()
    )
    assert cols
    minor = {c: t for c, t in cols if c.endswith("_minor")}
    assert all(t in ("BIGINT", "HUGEINT") or t.startswith("DECIMAL") for t in minor.values()), minor
    floats = {c: t for c, t in cols if t in ("DOUBLE", "FLOAT", "REAL")}
    assert not floats, floats


def test_timestamps_are_utc_instants(empty_db):
    types = dict(
        empty_db.cursor()
        .execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE data_type LIKE 'TIMESTAMP%'"
        )
        .fetchall()
    )
    assert set(types.values()) == {"TIMESTAMP WITH TIME ZONE"}, types


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("x.duckdb", "y.duckdb", "x.duckdb"),
        (None, "y.duckdb", "y.duckdb"),
        (None, None, str(config.DEFAULT_DB)),
    ],
)
def test_one_place_says_where_the_database_is(monkeypatch, explicit, env, expected):
    if env:
        monkeypatch.setenv(config.DB_ENV, env)
    else:
        monkeypatch.delenv(config.DB_ENV, raising=False)
    assert str(config.db_path(explicit)) == expected


def test_read_only_database_refuses_writes(tmp_path):
    path = tmp_path / "ro.duckdb"
    open_db(path).close()
    ro = open_db(path, read_only=True)
    with pytest.raises(duckdb.Error):
        ro.cursor().execute("INSERT INTO partners VALUES ('P', 'B', 'bank', 'US')")
    ro.close()


def test_a_write_that_loses_a_conflict_is_tried_once_more(empty_db):
    """once_more_on_conflict: a transaction that conflicts with a commit made meanwhile (on
    data_version, as a load's would be) rolls back and runs again; twice lost, it raises."""
    calls = []

    def bump(interfere: bool) -> int:
        calls.append(interfere)
        with empty_db.transaction() as cur:
            version = cur.execute("SELECT version FROM data_version").fetchone()[0]
            if interfere:
                with empty_db.transaction() as other:  # commits after ours began
                    other.execute("UPDATE data_version SET version = version + 1")
            cur.execute("UPDATE data_version SET version = version + 1")
            return version + 1

    assert once_more_on_conflict(lambda: bump(interfere=not calls)) == 2
    assert calls == [True, False]
    assert empty_db.cursor().execute("SELECT version FROM data_version").fetchone() == (2,)
    calls.clear()
    with pytest.raises(duckdb.TransactionException):
        once_more_on_conflict(lambda: bump(interfere=True))
    assert calls == [True, True]
