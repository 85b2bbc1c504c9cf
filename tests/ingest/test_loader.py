"""The loader: load twice = load once, rejected files write nothing, the CLI exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops_core.db import Database, open_db
from ops_core.errors import FileRejected
from ops_core.ingest.__main__ import main
from ops_core.ingest.loader import display_name, load_file
from tests.ingest.conftest import sample

REPO = Path(__file__).resolve().parents[2]
RETURN_WEB = "ach/moov-io_ach/test/testdata/return-WEB.ach"
BAD_BAI2 = "bai2/venturehacks_bai2/test/data/invalid_checksum_eod.bai2"
TABLES = (
    "source_files",
    "ach_entries",
    "ach_returns",
    "ach_nocs",
    "bank_statement_lines",
    "bank_balances",
    "iso_payment_messages",
    "iso_status_reports",
    "card_settlements",
    "chain_transfers",
)


@pytest.fixture(params=["memory", "file"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    database = open_db(":memory:" if request.param == "memory" else tmp_path / "t.duckdb")
    yield database
    database.close()


def counts(db: Database) -> dict[str, int]:
    cur = db.cursor()
    return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_load_twice_equals_load_once(samples, db: Database) -> None:
    first = load_file(db, sample(RETURN_WEB), name="return-WEB.ach", actor="ops")
    after_one = counts(db)
    second = load_file(db, sample(RETURN_WEB).read_bytes(), name="copy.ach", actor="ops")
    assert (first.already_loaded, second.already_loaded) == (False, True)
    assert second.file_id == first.file_id and second.rows == first.rows == 4
    assert counts(db) == after_one
    assert after_one["ach_entries"] == 2 and after_one["ach_returns"] == 2


def test_rows_keep_provenance_and_minor_units(samples, db: Database) -> None:
    result = load_file(db, sample(RETURN_WEB), name="return-WEB.ach", actor="ops")
    rows = (
        db.cursor()
        .execute(
            "SELECT source_file_id, source_line, return_code, amount_minor, currency"
            " FROM ach_returns ORDER BY source_line"
        )
        .fetchall()
    )
    assert rows == [
        (result.file_id, 4, "R01", 12354, "USD"),
        (result.file_id, 8, "R03", 4565, "USD"),
    ]


def test_rejected_file_writes_nothing(samples, db: Database) -> None:
    before = counts(db)
    with pytest.raises(FileRejected, match="Account Control Total"):
        load_file(db, sample(BAD_BAI2), name="invalid_checksum_eod.bai2", actor="ops")
    assert counts(db) == before


def test_rejection_midway_rolls_back_rows_already_written(db: Database) -> None:
    ok = (
        b":20:A\n:25:ACC\n:28C:1/1\n:60F:C240101EUR1,00\n:61:240101C1,00NTRFX\n"
        b":62F:C240101EUR2,00\n-\n"
    )
    bad = ok + ok.replace(b"EUR2,00", b"EUR9,00").replace(b":20:A", b":20:B")
    with pytest.raises(FileRejected):
        load_file(db, bad, name="two.sta", actor="ops", strict=True)
    assert counts(db)["bank_statement_lines"] == 0 and counts(db)["source_files"] == 0


def test_xml_provenance(samples, db: Database) -> None:
    load_file(
        db, sample("iso20022/genkgo_camt/test/data/camt053.v8.xml"), name="c.xml", actor="ops"
    )
    paths = [
        r[0] for r in db.cursor().execute("SELECT xml_path FROM bank_statement_lines").fetchall()
    ]
    assert paths == ["/Document/BkToCstmrStmt/Stmt/Ntry"]


def test_size_limit_and_empty_file(db: Database) -> None:
    with pytest.raises(FileRejected, match="upload limit"):
        load_file(db, b"x" * 11, name="big.ach", actor="ops", max_bytes=10)
    with pytest.raises(FileRejected, match="empty"):
        load_file(db, b"  \n", name="empty.ach", actor="ops")


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../etc/passwd", "passwd"), ("C:\\bank\\x.bai2", "x.bai2"), ("a\x00b\n.ach", "ab.ach"),
    ("", "unnamed"),
])  # fmt: skip
def test_names_are_display_text_only(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


def test_unknown_format_is_rejected(db: Database) -> None:
    with pytest.raises(FileRejected, match="cannot tell the file format"):
        load_file(db, b"hello world\n", name="notes.txt", actor="ops")


def test_cli_exit_codes(samples, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = str(tmp_path / "cli.duckdb")
    assert main(["--db", database, "--actor", "t", str(sample(RETURN_WEB))]) == 0
    assert main(["--db", database, "--actor", "t", str(sample(RETURN_WEB))]) == 0
    assert main(["--db", database, str(sample(RETURN_WEB)), str(sample(BAD_BAI2))]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("loaded return-WEB.ach: format=nacha rows=4")
    assert out[1].startswith("already loaded return-WEB.ach")
    assert out[3].startswith("REJECTED invalid_checksum_eod.bai2, line 15")


def test_cli_as_a_module(samples, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ops_core.ingest",
            "--db",
            str(tmp_path / "m.duckdb"),
            str(sample(BAD_BAI2)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and proc.stdout.startswith("REJECTED")


@settings(max_examples=25, deadline=None)
@given(position=st.floats(0, 1), replacement=st.binary(max_size=4), strict=st.booleans())
def test_loading_a_mutated_file_twice_equals_loading_it_once(
    position: float, replacement: bytes, strict: bool
) -> None:
    original = sample(RETURN_WEB).read_bytes() if sample(RETURN_WEB).exists() else b""
    if not original:
        return
    cut = int(position * (len(original) - 1))
    data = original[:cut] + replacement + original[cut + 1 :]
    db = open_db(":memory:")
    try:
        outcomes = []
        for _ in range(2):
            try:
                result = load_file(db, data, name="m.ach", actor="ops", strict=strict)
                outcomes.append(("loaded", result.already_loaded, result.file_id))
            except FileRejected:
                outcomes.append(("rejected",))
            outcomes.append(counts(db))
        if outcomes[0][0] == "loaded":
            assert outcomes[2] == ("loaded", True, outcomes[0][2])
        else:
            assert outcomes[2] == ("rejected",) and outcomes[1]["source_files"] == 0
        assert outcomes[1] == outcomes[3]
    finally:
        db.close()


def test_strict_cli_rejects_a_flagged_file(samples, tmp_path: Path, capsys) -> None:
    flagged = sample("ach/moov-io_ach/test/testdata/moov-ids.ach")
    database = str(tmp_path / "s.duckdb")
    assert main(["--db", database, "--strict", str(flagged)]) == 1
    assert main(["--db", database, str(flagged)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("REJECTED moov-ids.ach, line 10, field Entry Hash")
    assert out[1].startswith("loaded moov-ids.ach: format=nacha") and "CONTROLS-MISMATCH" in out[1]
    assert out[2].startswith("  warning: control mismatch: line 10, field Entry Hash")


def test_a_load_bumps_the_data_version(samples, db: Database) -> None:
    before = db.cursor().execute("SELECT version FROM data_version").fetchone()[0]
    load_file(db, sample(RETURN_WEB), name="r.ach", actor="ops")
    load_file(db, sample(RETURN_WEB), name="r.ach", actor="ops")  # already loaded: no bump
    assert db.cursor().execute("SELECT version FROM data_version").fetchone()[0] == before + 1
