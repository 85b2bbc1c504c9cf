"""Every sample of ../shared/samples by its README status, loaded end to end.

The policy (ops_core/ingest/controls.py, PARSERS.md): VALID files load, arithmetic control
mismatches flag the file (control_ok = false, one warning each) unless strict; NEGATIVE
and FRAGMENT files are rejected with the file, the line or XML path, and nothing is
written. The exceptions are listed here by name, each with its reason.
"""

from __future__ import annotations

import gzip
import re

import pytest

from ops_core.db import Database, open_db
from ops_core.errors import FileRejected
from ops_core.ingest.iso20022 import SUPPORTED
from ops_core.ingest.loader import load_file
from tests.ingest import test_bai2, test_mt940, test_nacha
from tests.ingest.conftest import SAMPLES, sample
from tests.ingest.sample_index import statuses

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
# VALID samples whose controls disagree without corroboration: loaded flagged.
FLAGGED = {*test_nacha.FLAGGED, *test_bai2.FLAGGED, *test_mt940.FLAGGED}
# VALID in the README but structurally broken: rejected (see the modules named).
STRUCTURAL = {*test_bai2.STRUCTURAL, *test_mt940.STRUCTURAL}
VIPPS = "processor_reports/vippsas_vipps-developers@569feab0f992/settlements/"
# VALID files of formats Railyard does not ingest: Vipps' own XML and Nets OCR giro.
OTHER_FORMATS = {
    VIPPS + "ocr/OCRV20170114.sample.txt",
    VIPPS + "xml/Example-Gross.xml",
    VIPPS + "xml/Example-Net.xml",
    VIPPS + "xml/Vipps-oppgjørsrapport-16655-2018-09-23.xml",
}
# VALID-WITH-OPTION: accepted by the peer only with a relaxation flag.
WITH_OPTION = {
    # moov: Validate() fails on the file control's Batch Count only -> flagged here
    "ach/moov-io_ach/test/testdata/20110805A.ach": "flagged",
    # moov needs a charset hint; we decode per line (UTF-8, else Windows-1252)
    "ach/moov-io_ach/test/testdata/extended-ascii.ach": "loads",
    # R97 is not a NACHA return code: a code outside the rule table is structural
    "ach/moov-io_ach/test/testdata/return-PPD-custom-reason-code.ach": "rejected",
    # blank Immediate Destination: a missing mandatory field
    "ach/moov-io_ach/test/testdata/skip-validation.ach": "rejected",
    # '/' inside 88 text: read without an option (BAI2 text runs to the end of the record)
    "bai2/venturehacks_bai2/test/data/eod_with_slash_in_text.bai2": "loads",
}
LARGE_VALID = [
    "ach/moov-io_ach/test/testdata/large-files/PPD-200-batches-100000-entries.ach.gz",
    "ach/moov-io_ach/test/testdata/large-files/CCD+addenda05-200-batches-100000-entries.ach.gz",
]  # the 500k-entry file is loaded by bench/ingest.py
_NS = re.compile(r"auto: ns=([^;|]+)")


def iso_kinds(rel: str) -> set[str]:
    """Message types a sample carries, from the README's 'auto: ns=' summary."""
    row = next((r for r in _readme_rows() if r.startswith(f"| `{rel}` ")), "")
    found = _NS.search(row)
    return {ns.strip()[:8] for ns in found.group(1).split(",")} - {"head.001"} if found else set()


def _readme_rows() -> list[str]:
    readme = SAMPLES / "README.md"
    return readme.read_text().splitlines() if readme.exists() else []


def out_of_scope(rel: str) -> bool:
    """ISO 20022 messages other than camt.052/053/054 and pacs.002/004/008, and the
    processor formats with no parser: refused by name, not silently skipped."""
    if rel in OTHER_FORMATS:
        return True
    return rel.startswith("iso20022/") and not (iso_kinds(rel) & SUPPORTED)


def by_status(*wanted: str) -> list[str]:
    return sorted(
        rel for rel, status in statuses().items() if status in wanted and not rel.endswith(".gz")
    )


LOADS = [r for r in by_status("VALID") if r not in STRUCTURAL and not out_of_scope(r)]
REJECTED = sorted(
    set(by_status("NEGATIVE", "FRAGMENT"))
    | STRUCTURAL
    | {r for r in by_status("VALID") if out_of_scope(r)}
)


@pytest.fixture(scope="module")
def db() -> Database:
    database = open_db(":memory:")
    yield database
    database.close()


def counts(db: Database) -> dict[str, int]:
    cur = db.cursor()
    return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def name_of(rel: str) -> str:
    return rel.rsplit("/", 1)[-1]


def test_every_loadable_sample_is_covered(samples) -> None:
    covered = set(LOADS) | set(REJECTED) | set(WITH_OPTION)
    loadable = set(by_status("VALID", "NEGATIVE", "FRAGMENT", "VALID-WITH-OPTION"))
    assert covered == loadable and len(loadable) > 380
    assert not set(LOADS) & set(REJECTED)
    assert len(LOADS) > 160 and FLAGGED <= set(LOADS) | set(WITH_OPTION)


@pytest.mark.parametrize("rel", LOADS)
def test_valid_sample_loads(samples, db: Database, rel: str) -> None:
    result = load_file(db, sample(rel), name=name_of(rel), actor="test")
    assert result.control_ok == (rel not in FLAGGED)
    assert all(w.startswith("control mismatch: ") for w in result.warnings) or result.control_ok
    stored = (
        db.cursor()
        .execute(
            "SELECT control_ok, row_count FROM source_files WHERE file_id = ?", [result.file_id]
        )
        .fetchone()
    )
    assert stored == (result.control_ok, result.rows)


@pytest.mark.parametrize("rel", sorted(FLAGGED))
def test_flagged_sample_is_rejected_when_strict(samples, rel: str) -> None:
    strict_db = open_db(":memory:")
    try:
        with pytest.raises(FileRejected) as err:
            load_file(strict_db, sample(rel), name=name_of(rel), actor="test", strict=True)
        assert err.value.line is not None and err.value.field
        assert counts(strict_db)["source_files"] == 0
    finally:
        strict_db.close()


@pytest.mark.parametrize("rel", REJECTED)
def test_negative_sample_is_rejected_and_nothing_written(samples, db: Database, rel: str) -> None:
    before = counts(db)
    with pytest.raises(FileRejected) as err:
        load_file(db, sample(rel), name=name_of(rel), actor="test")
    assert str(err.value).startswith(name_of(rel) + ", ")
    assert err.value.line is not None or err.value.path
    assert counts(db) == before


@pytest.mark.parametrize(("rel", "outcome"), sorted(WITH_OPTION.items()))
def test_valid_with_option_sample(samples, db: Database, rel: str, outcome: str) -> None:
    if outcome == "rejected":
        with pytest.raises(FileRejected):
            load_file(db, sample(rel), name=name_of(rel), actor="test")
        return
    result = load_file(db, sample(rel), name=name_of(rel), actor="test")
    assert result.control_ok == (outcome == "loads")


@pytest.mark.parametrize("rel", LARGE_VALID, ids=["PPD-100k", "CCD+addenda-100k"])
def test_large_moov_files_load(samples, db: Database, rel: str) -> None:
    data = gzip.decompress(sample(rel).read_bytes())
    result = load_file(db, data, name=name_of(rel).removesuffix(".gz"), actor="test")
    assert result.control_ok and result.totals["counts"]["entries"] in (100_000, 100_199)


def test_out_of_scope_iso_messages_are_refused_by_type(samples, db: Database) -> None:
    rel = "iso20022/moov-io_rtp20022/pkg/rtp/test/testdata/camt056.refund.xml"
    with pytest.raises(FileRejected, match=r"unsupported ISO 20022 message type\(s\): camt\.056"):
        load_file(db, sample(rel), name=name_of(rel), actor="test")
