"""BAI2 samples by README status, and venturehacks/bai2's asserted values."""

from __future__ import annotations

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest.bai2 import parse_bai2
from ops_core.ingest.records import StatementLine
from tests.ingest.conftest import sample
from tests.ingest.sample_index import files

VH = "bai2/venturehacks_bai2/test/data/"
MOOV = "bai2/moov-io_bai2/test/testdata/"
# VALID for moov-io/bai2, which checks no totals. Their account trailers disagree with
# the records but the group trailer does not add them up either (it says 4 accounts for
# 5, 16 records for 114): the sender's totalling is broken, so they load flagged.
FLAGGED = {
    MOOV + "sample4-continuations-newline-delimited.txt": (22, "Account Control Total"),
    MOOV + "sample5-issue113.txt": (22, "Account Control Total"),
}
# VALID in the README, which calls its "16,,115" (an empty type code shifting every
# field) arguably malformed: a structural error, rejected.
STRUCTURAL = {
    "bai2/kenwilcox_BankFileParsers/BankFileParsers.Example/BAI-sample.txt": (5, "Type Code")
}


def parse(rel: str, *, strict: bool = False) -> list:
    return list(parse_bai2(sample(rel), rel.rsplit("/", 1)[-1], strict=strict))


@pytest.mark.parametrize(
    "rel",
    [f for f in files("bai2/", "VALID") if f not in STRUCTURAL]
    + [VH + "eod_with_slash_in_text.bai2"],
)
def test_valid_samples_parse(samples, rel: str) -> None:
    records = parse(rel)
    assert records[-1].counts["groups"] >= 1
    assert records[-1].control_ok == (rel not in FLAGGED)


@pytest.mark.parametrize("rel", sorted(FLAGGED))
def test_broken_trailers_load_flagged_and_strict_rejects(samples, rel: str) -> None:
    line, field = FLAGGED[rel]
    totals = parse(rel)[-1]
    assert totals.warnings[0].startswith(f"control mismatch: line {line}, field {field}: ")
    assert len(totals.warnings) == 9 and totals.counts["transactions"] > 0
    with pytest.raises(FileRejected) as err:
        parse(rel, strict=True)
    assert (err.value.line, err.value.field) == (line, field)


def test_empty_type_code_is_structural(samples) -> None:
    ((rel, (line, field)),) = STRUCTURAL.items()
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert (err.value.line, err.value.field) == (line, field)


@pytest.mark.parametrize(
    ("rel", "field", "message"),
    [
        # Both NEGATIVE for a corroborated mismatch: 49, 98 and 99 agree with each other,
        # the records do not (a changed amount; a lost 88 record): controls.py.
        (VH + "invalid_checksum_eod.bai2", "Account Control Total", "says 8325983"),
        (VH + "daily_with_missing_continuation.bai2", "Number of Records", "says 7"),
        (
            "bai2/moov-io_bai2/test/testdata/errors/sample-parseError.txt",
            "Record Code",
            "unsupported record type 00",
        ),
    ],
)
def test_negative_samples(samples, rel: str, field: str, message: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert err.value.field == field and message in str(err.value)
    assert str(err.value).startswith(rel.rsplit("/", 1)[-1] + ", line ")


@pytest.mark.parametrize(
    ("name", "type_code", "amount"), [("daily.bai2", "174", 25001), ("eod.bai2", "195", 8325982)]
)
def test_venturehacks_transactions(samples, name: str, type_code: str, amount: int) -> None:
    records = parse(VH + name)
    (line,) = [r for r in records if isinstance(r, StatementLine)]
    assert (line.type_code, line.amount_minor, line.dc) == (type_code, amount, "credit")
    assert records[-1].counts == {"groups": 1, "accounts": 1, "transactions": 1}


def test_venturehacks_originator_and_text(samples) -> None:
    text = sample(VH + "daily.bai2").read_text()
    assert text.splitlines()[1].split(",")[2] == "121140399"
    (line,) = [r for r in parse(VH + "eod.bai2") if isinstance(r, StatementLine)]
    assert line.currency == "USD" and len(line.text) > 100  # ten 88 records of wire text


def test_moov_sample2_balances_and_funds_types(samples) -> None:
    records = parse("bai2/moov-io_bai2/test/testdata/sample2.txt")
    assert records[-1].counts == {"groups": 4, "accounts": 5, "transactions": 4}
    assert records[-1].amounts == {"control_total": 345450000}
    assert records[0].balance_type == "010" and records[0].amount_minor == 4350000


def test_several_records_per_line(samples) -> None:
    records = parse("bai2/moov-io_bai2/test/testdata/sample3.txt")
    assert records[-1].counts["transactions"] == 26
