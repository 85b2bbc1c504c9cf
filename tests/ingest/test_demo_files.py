"""The demo's external files: written from the ledger, loaded through the real importers,
with the injected discrepancies visible in the loaded rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops_core.calendars import add_banking_days
from ops_core.db import Database, open_db
from ops_core.demo.build import ROUTING
from ops_core.ingest import demo_files
from tests.conftest import AS_OF

DAYS = 7  # enough for every injected discrepancy (the furthest is 4+ days back)


@pytest.fixture(scope="module")
def loaded(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, dict]:
    import shutil

    folder = tmp_path_factory.mktemp("demo_files")
    shutil.copy(demo_path, folder / "railyard.duckdb")
    db = open_db(folder / "railyard.duckdb")
    summary = demo_files.write_and_load(db, folder / "demo", AS_OF, days=DAYS)
    yield db, summary
    db.close()


def one(db: Database, query: str, *params: object) -> tuple:
    return db.cursor().execute(query, list(params)).fetchone()


def discrepancy(summary: dict, kind: str) -> dict:
    (found,) = [d for d in summary["discrepancies"] if d["kind"] == kind]
    return found


def test_odfis_match_the_ledger_trace_numbers() -> None:
    assert {k: o.dfi8 for k, o in demo_files.ODFIS.items()} == ROUTING


def test_every_file_loads_with_controls_that_add_up(loaded) -> None:
    db, summary = loaded
    assert summary["flagged"] == [] and summary["files"] > 100 and summary["rows"] > 10_000
    files, ok = one(db, "SELECT count(*), bool_and(control_ok) FROM source_files")
    assert (files, ok) == (summary["files"], True)
    formats = {r[0] for r in db.cursor().execute("SELECT format FROM source_files").fetchall()}
    assert formats == {"nacha", "bai2", "iso20022", "card_csv", "usdc_logs"}


def test_every_ledger_return_is_in_a_return_file(loaded) -> None:
    db, _ = loaded
    ledger = one(
        db,
        "SELECT count(*), sum(amount_minor) FROM payments WHERE rail_id = 'ACH'"
        " AND status = 'returned' AND returned_at >= ? AND returned_at < ?",
        AS_OF - demo_files.timedelta(days=demo_files.RETURN_WINDOW_DAYS),
        AS_OF,
    )
    files = one(db, "SELECT count(*), sum(amount_minor) FROM ach_returns")
    assert files == ledger and ledger[0] > 500
    matched = one(
        db,
        "SELECT count(*) FROM ach_returns r JOIN payments p"
        " ON p.ach_trace_number = r.original_trace AND p.code = r.return_code",
    )
    assert matched == (ledger[0],)


def test_notifications_of_change(loaded) -> None:
    db, _ = loaded
    codes = [r[0] for r in db.cursor().execute("SELECT change_code FROM ach_nocs").fetchall()]
    assert sorted(codes) == ["C01", "C01", "C02", "C05", "C05"]


def test_fee_netted_from_one_bank_credit(loaded) -> None:
    db, summary = loaded
    d = discrepancy(summary, "amount_differs_by_fee")
    ledger, bank = one(
        db,
        "SELECT p.amount_minor, b.amount_minor FROM bank_statement_lines b"
        " JOIN payments p ON p.ach_trace_number = b.customer_reference"
        " WHERE p.payment_id = ? AND b.type_code = '143'",
        d["payment_id"],
    )
    assert bank == ledger - demo_files.FEE_MINOR


def test_late_settlement_is_on_a_later_statement(loaded) -> None:
    db, summary = loaded
    d = discrepancy(summary, "late_settlement")
    booked, settled = one(
        db,
        "SELECT b.booking_date, CAST(p.final_at AS DATE) FROM bank_statement_lines b"
        " JOIN payments p ON p.ach_trace_number = b.customer_reference"
        " WHERE p.payment_id = ? AND b.type_code IN ('143', '452')",
        d["payment_id"],
    )
    assert add_banking_days("US_FED", settled, 2) == booked


def test_unmatched_duplicate_rejected_and_missing_items(loaded) -> None:
    db, summary = loaded
    assert one(db, "SELECT count(*) FROM bank_statement_lines WHERE end_to_end_id = 'NOTPROVIDED'")
    dup = discrepancy(summary, "duplicate")
    txn = one(db, "SELECT network_txn_id FROM payments WHERE payment_id = ?", dup["payment_id"])
    assert one(db, "SELECT count(*) FROM card_settlements WHERE network_txn_id = ?", *txn) == (2,)
    rj = discrepancy(summary, "status_mismatch")
    status = one(
        db,
        "SELECT s.status, s.reason_code, p.status FROM iso_status_reports s"
        " JOIN payments p ON p.end_to_end_id = s.original_end_to_end_id WHERE p.payment_id = ?",
        rj["payment_id"],
    )
    assert status == ("RJCT", "AM04", "completed")
    gone = discrepancy(summary, "missing_on_chain")
    tx = one(db, "SELECT tx_hash FROM payments WHERE payment_id = ?", gone["payment_id"])
    assert one(db, "SELECT count(*) FROM chain_transfers WHERE tx_hash = ?", *tx) == (0,)


def test_statuses_and_card_rows_match_the_ledger_otherwise(loaded) -> None:
    db, _ = loaded
    statuses = one(
        db,
        "SELECT count(*) FILTER (WHERE (s.status = 'ACSC') = (p.status = 'completed'))"
        ", count(*) FROM iso_status_reports s"
        " JOIN payments p ON p.end_to_end_id = s.original_end_to_end_id",
    )
    assert statuses[1] - statuses[0] == 1 and statuses[1] > 1000  # the one injected RJCT
    nets = one(
        db,
        "SELECT count(*) FROM card_settlements c JOIN payments p USING (network_txn_id)"
        " WHERE c.amount_minor <> p.amount_minor",
    )
    assert nets == (0,)


def test_a_rebuild_replaces_the_demo_files(loaded, tmp_path: Path) -> None:
    db, summary = loaded
    again = demo_files.write_and_load(db, tmp_path / "again", AS_OF, days=DAYS)
    assert (again["files"], again["rows"]) == (summary["files"], summary["rows"])
    assert one(db, "SELECT count(*) FROM source_files") == (summary["files"],)
    assert (tmp_path / "again" / "discrepancies.json").exists()


def test_demo_dir_is_beside_the_database(tmp_path: Path) -> None:
    db = open_db(tmp_path / "data" / "railyard.duckdb")
    try:
        assert demo_files.demo_dir(db) == (tmp_path / "data" / "demo").resolve()
    finally:
        db.close()
