"""The Import page in AppTest (which cannot upload: the history it renders, and the
ui.ingest helpers driven with bytes directly)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ops_core import derived
from ops_core.db import open_db
from ops_core.ingest.imports import ImportOutcome
from ops_core.ingest.loader import load_file
from tests.app.conftest import run_page
from tests.conftest import SAMPLES

CLEAN = SAMPLES / "ach/moov-io_ach/test/testdata/return-WEB.ach"
FLAGGED = SAMPLES / "ach/moov-io_ach/test/testdata/moov-ids.ach"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not present")


def preload(db_path: Path) -> None:
    db = open_db(db_path)
    try:
        for path in (CLEAN, FLAGGED):
            load_file(db, path, name=path.name, actor="test loader")
    finally:
        db.close()


def test_the_page_shows_the_import_history_newest_first(app, demo_copy):
    preload(demo_copy)
    at = run_page(app, "pages/import_files.py")
    assert at.title[0].value == "Import"
    history = at.dataframe[-1].value
    mine = history[history["Loaded by"] == "test loader"]
    assert list(mine.File) == ["moov-ids.ach", "return-WEB.ach"]  # newest first
    assert list(mine.Controls) == ["MISMATCH", "ok"]
    web = mine[mine.File == "return-WEB.ach"].iloc[0]
    assert web.Format == "nacha" and web.Rows == 4 and len(web["SHA-256"]) == 12
    assert "2 returns" in web.Totals and "debit 123.54 USD" in web.Totals
    assert history.columns[0] == "Loaded (UTC)"


@pytest.fixture
def ui_db(demo_copy, monkeypatch):
    """ui.data's database() pointed at a private demo copy, outside a page run."""
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield demo_copy
    st.cache_resource.clear()


def test_load_helper_loads_then_says_already_loaded(ui_db):
    from ui import ingest as views

    first = views.load("return-WEB.ach", CLEAN.read_bytes(), "auto", actor="ops", strict=False)
    again = views.load("copy.ach", CLEAN.read_bytes(), "auto", actor="ops", strict=False)
    assert (first.status, first.rows, first.format) == ("loaded", 4, "nacha")
    assert (again.status, again.sha256) == ("already loaded", first.sha256)
    history = views.history(0)
    assert history.iloc[0].original_name == "return-WEB.ach"


def test_a_ledger_upload_is_caught_up_by_the_batch_end_or_the_next_page(ui_db):
    """The loader marks the rollups behind; the Import page's batch end, or else the next
    page's data version, rebuilds them (ops_core.derived)."""
    from ui import data
    from ui import ingest as views

    def ledger(first_id: int) -> bytes:
        rows = [
            f"{first_id + n},acme,RTP,lakeshore,push,credit,5.00,USD,"
            f"2026-11-20T10:0{n}:00Z,2026-11-20T10:0{n}:02Z,completed"
            for n in range(3)
        ]
        header = "payment_id,client_id,rail_id,partner_id,direction,dc,amount,currency,"
        header += "created_at,final_at,status"
        return ("\n".join([header, *rows]) + "\n").encode()

    hourly = "SELECT sum(attempts) FROM rollup_hourly"
    before = data.cursor().execute(hourly).fetchone()[0]
    for first_id, catch_up in ((9_000_000_001, views.catch_up), (9_000_000_101, data.version)):
        assert views.load("l.csv", ledger(first_id), "auto", actor="ops", strict=False).rows == 3
        assert derived.behind_since(data.cursor()) is not None
        assert data.cursor().execute(hourly).fetchone()[0] == before
        catch_up()
        assert derived.behind_since(data.cursor()) is None
        before += 3
        assert data.cursor().execute(hourly).fetchone()[0] == before


def test_load_helper_reports_where_a_file_is_wrong(ui_db):
    from ui import ingest as views

    flagged = FLAGGED.read_bytes()
    strict = views.load("moov-ids.ach", flagged, "auto", actor="ops", strict=True)
    assert (strict.status, strict.line, strict.field) == ("rejected", 10, "Entry Hash")
    assert strict.error.startswith("moov-ids.ach, line 10, field Entry Hash")
    lenient = views.load("moov-ids.ach", flagged, "auto", actor="ops", strict=False)
    assert lenient.status == "loaded" and not lenient.control_ok
    forced = views.load("notes.txt", CLEAN.read_bytes(), "bai2", actor="ops", strict=False)
    assert (forced.status, forced.line, forced.field) == ("rejected", 1, "Record Code")
    assert views.format_options()["auto"] == "auto-detect"
    assert "card_csv:vipps_settlement" in views.format_options()


def _render(status: str, control_ok: bool = True, warnings: tuple[str, ...] = ()) -> AppTest:
    def script(status: str, control_ok: bool, warnings: tuple[str, ...]) -> None:
        from ops_core.ingest.imports import ImportOutcome
        from ui import ingest as views

        views.outcome(
            ImportOutcome(
                name="f.ach", status=status, format="nacha", rows=4, control_ok=control_ok,
                warnings=warnings, sha256="ab" * 32, error="f.ach, line 3, field Amount: bad",
                totals={"counts": {"entries": 2}, "amounts": {"debit_USD": 12354}},
            )
        )  # fmt: skip

    at = AppTest.from_function(script, args=(status, control_ok, warnings))
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("outcome", "shown"),
    [
        (("loaded",), "success"),
        (("loaded", False, ("control mismatch: line 10, field Entry Hash: ...",)), "warning"),
        (("already loaded",), "info"),
        (("rejected",), "error"),
    ],
)
def test_each_outcome_reads_as_what_happened(outcome: tuple, shown: str):
    at = _render(*outcome)
    (box,) = getattr(at, shown)
    assert "f.ach" in box.value
    if outcome[0] == "rejected":
        assert "line 3, field Amount" in box.value and not at.metric
    else:
        assert [m.value for m in at.metric] == [
            "4",
            str(len(outcome[2]) if len(outcome) > 2 else 0),
        ]
    if outcome[0] == "already loaded":
        assert "abababababab" in box.value


def test_outcome_dataclass_ok_flag():
    assert ImportOutcome("a", "rejected").ok is False
    assert ImportOutcome("a", "already loaded").ok is True
