"""Rollups a ledger load leaves behind (ops_core.derived): marked in the load's transaction,
caught up once for a batch, to exactly what a full rebuild gives, by every reader's path."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ops_core import derived, rollups, routing
from ops_core.db import Database, open_db
from ops_core.ingest.__main__ import main as ingest_main
from ops_core.ingest.loader import load_file
from ops_core.recon import engine

HEADER = "payment_id,client_id,rail_id,partner_id,direction,dc,amount,currency,created_at,final_at,status"  # noqa: E501
MONDAY = (
    "1,acme,ACH,lakeshore,push,credit,12.50,USD,2026-11-16T10:00:00Z,2026-11-16T12:00:00Z,completed",
    "2,acme,RTP,lakeshore,push,credit,5.00,USD,2026-11-16T11:00:00Z,2026-11-16T11:00:02Z,failed",
)
SUNDAY = (
    "3,beta,ACH,meridian,pull,debit,1.00,USD,2026-11-15T09:00:00Z,,pending",
    "4,beta,RTP,meridian,push,credit,9.99,USD,2026-11-15T09:30:00Z,2026-11-15T09:30:01Z,completed",
)
DERIVED = ("rollup_hourly", "rollup_latency", "rollup_codes", "pending_payments",
           "rollup_routes", "rollup_route_latency")  # fmt: skip


def ledger(rows: tuple[str, ...]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def contents(db: Database) -> dict[str, list]:
    cur = db.cursor()
    return {t: sorted(map(repr, cur.execute(f"SELECT * FROM {t}").fetchall())) for t in DERIVED}


def test_a_batch_is_caught_up_once_to_what_a_full_rebuild_gives(empty_db: Database) -> None:
    load_file(empty_db, ledger(MONDAY), name="monday.csv", actor="ops")
    cur = empty_db.cursor()
    assert str(derived.behind_since(cur)) == "2026-11-16 10:00:00+00:00"
    load_file(empty_db, ledger(SUNDAY), name="sunday.csv", actor="ops")
    assert str(derived.behind_since(cur)) == "2026-11-15 09:00:00+00:00"  # the earlier wins
    assert all(not rows for rows in contents(empty_db).values())  # nothing rebuilt yet
    version = cur.execute("SELECT version FROM data_version").fetchone()[0]
    assert derived.catch_up(empty_db)
    assert derived.behind_since(cur) is None
    assert cur.execute("SELECT version FROM data_version").fetchone()[0] == version + 1
    caught_up = contents(empty_db)
    assert cur.execute("SELECT payment_id FROM pending_payments").fetchall() == [(3,)]
    assert sum(len(rows) for rows in caught_up.values()) > 6
    with empty_db.transaction() as tx:
        rollups.refresh(tx, None)
        routing.refresh(tx, None)
    assert contents(empty_db) == caught_up
    assert not derived.catch_up(empty_db)  # nothing behind: nothing done


def test_a_load_in_progress_makes_the_catch_up_wait_for_the_next_reader(
    empty_db: Database,
) -> None:
    load_file(empty_db, ledger(MONDAY), name="monday.csv", actor="ops")
    with empty_db.writing:  # as load_file holds it
        assert not derived.catch_up(empty_db)
    assert derived.behind_since(empty_db.cursor()) is not None
    assert derived.catch_up(empty_db)


def test_a_reconciliation_run_holds_off_the_catch_up(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs, loads and catch-ups take turns (Database.writing): a catch-up asked for during
    a run returns at once and leaves the mark."""
    load_file(empty_db, ledger(MONDAY), name="monday.csv", actor="ops")
    tried = []
    real = engine._run

    def run_and_try_a_catch_up(*args, **kwargs):
        tried.append(derived.catch_up(empty_db))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_run", run_and_try_a_catch_up)
    engine.run(empty_db)
    assert tried == [False] and derived.behind_since(empty_db.cursor()) is not None
    assert derived.catch_up(empty_db)


def test_a_writer_that_commits_meanwhile_leaves_the_mark(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A break edit bumps data_version while the catch-up runs: the catch-up rolls back."""
    load_file(empty_db, ledger(MONDAY), name="monday.csv", actor="ops")
    real = routing.refresh

    def refresh_while_someone_edits(cur: duckdb.DuckDBPyConnection, since, **kw) -> None:
        with empty_db.transaction() as other:
            rollups.bump_version(other)
        real(cur, since, **kw)

    monkeypatch.setattr(derived.routing, "refresh", refresh_while_someone_edits)
    assert not derived.catch_up(empty_db)
    assert derived.behind_since(empty_db.cursor()) is not None
    assert all(not rows for rows in contents(empty_db).values())  # rolled back
    monkeypatch.setattr(derived.routing, "refresh", real)
    assert derived.catch_up(empty_db)


def test_opening_the_database_catches_up(tmp_path: Path) -> None:
    path = tmp_path / "r.duckdb"
    db = open_db(path)
    load_file(db, ledger(MONDAY), name="monday.csv", actor="ops")
    db.close()
    reader = Database(path, read_only=True)  # a read-only open cannot, and does not
    assert derived.behind_since(reader.cursor()) is not None and not derived.catch_up(reader)
    reader.close()
    db = open_db(path)
    try:
        assert derived.behind_since(db.cursor()) is None
        hourly = db.cursor().execute("SELECT sum(attempts) FROM rollup_hourly").fetchone()
        assert hourly == (2,)
    finally:
        db.close()


def test_the_drop_folder_cli_catches_up_after_its_last_file(tmp_path: Path, capsys) -> None:
    files = []
    for name, rows in (("monday.csv", MONDAY), ("sunday.csv", SUNDAY)):
        files.append(tmp_path / name)
        files[-1].write_bytes(ledger(rows))
    path = tmp_path / "r.duckdb"
    assert ingest_main(["--db", str(path), *map(str, files)]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "rollups rebuilt from the loaded ledger payments"
    )
    db = Database(path, read_only=True)
    try:
        cur = db.cursor()
        assert derived.behind_since(cur) is None
        assert cur.execute("SELECT sum(attempts) FROM rollup_hourly").fetchone() == (4,)
    finally:
        db.close()
