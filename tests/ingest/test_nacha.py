"""NACHA: every sample by its README status, and the values the source projects assert."""

from __future__ import annotations

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals
from ops_core.ingest.nacha import parse_nacha
from ops_core.ingest.records import AchEntry, AchNoc, AchReturn
from tests.ingest.conftest import sample
from tests.ingest.sample_index import files

# VALID for moov-io/ach's Read (which does not check the file control record) but whose
# file control disagrees with the batch controls, which do match their entries: the
# sender's roll-up is wrong, the records are verified. Loaded flagged (controls.py);
# strict=True rejects them. file -> (line, field) of the first mismatch.
FLAGGED = {
    "ach/moov-io_ach/test/testdata/flattenADVBatchesMultipleBatchHeaders.ach":
        (22, "Total Credit Entry Dollar Amount"),
    "ach/moov-io_ach/test/testdata/moov-ids.ach": (10, "Entry Hash"),
    "ach/moov-io_ach/test/testdata/nonascii-utf8.ach": (17, "Entry/Addenda Count"),
    "ach/moov-io_ach/test/testdata/nonascii.ach": (17, "Entry/Addenda Count"),
    "ach/moov-io_ach/test/testdata/shr-credit.ach": (32, "Batch Count"),
    "ach/moov-io_ach/test/testdata/txp-debit.ach": (6, "Block Count"),
    "ach/moov-io_achgateway/internal/pipeline/testdata/duplicate-trace.ach": (5, "Entry Hash"),
    # VALID-WITH-OPTION: moov's Validate() says FileCalculatedControlEquality(BatchCount)
    "ach/moov-io_ach/test/testdata/20110805A.ach": (93, "Batch Count"),
}  # fmt: skip
VALID = files("ach/", "VALID")


def parse(rel: str, *, strict: bool = False) -> list[object]:
    return list(parse_nacha(sample(rel), rel.rsplit("/", 1)[-1], strict=strict))


def of(records: list[object], kind: type) -> list:
    return [r for r in records if isinstance(r, kind)]


@pytest.mark.parametrize("rel", VALID)
def test_valid_samples_parse_and_balance(samples, rel: str) -> None:
    records = parse(rel)
    totals = records[-1]
    assert isinstance(totals, FileTotals)
    assert totals.control_ok == (rel not in FLAGGED)
    entries = of(records, AchEntry)
    assert totals.counts["entries"] == len(entries) > 0
    debit = sum(e.amount_minor for e in entries if e.dc == "debit")
    assert totals.amounts["debit_USD"] == debit


@pytest.mark.parametrize("rel", sorted(FLAGGED))
def test_wrong_roll_ups_load_flagged_and_strict_rejects(samples, rel: str) -> None:
    line, field = FLAGGED[rel]
    totals = parse(rel)[-1]
    assert not totals.control_ok
    assert totals.warnings[0].startswith(f"control mismatch: line {line}, field {field}: ")
    with pytest.raises(FileRejected) as err:
        parse(rel, strict=True)
    assert (err.value.line, err.value.field) == (line, field)


@pytest.mark.parametrize("rel", files("ach/", "NEGATIVE") + files("ach/", "FRAGMENT"))
def test_negative_and_fragment_samples_are_rejected(samples, rel: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert str(err.value).startswith(rel.rsplit("/", 1)[-1])
    assert err.value.line is not None


@pytest.mark.parametrize(
    ("rel", "field"),
    [
        ("ach/moov-io_ach/test/testdata/return-PPD-custom-reason-code.ach", "Return Reason Code"),
        ("ach/moov-io_ach/test/testdata/skip-validation.ach", "Immediate Destination"),
    ],
)
def test_valid_with_option_samples_are_rejected_by_default(samples, rel: str, field: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert err.value.field == field


def test_extended_ascii_is_read_as_utf8(samples) -> None:
    # moov needs an option only because it sniffs the encoding from the first 1 KB;
    # we decode each line (UTF-8, else Windows-1252), so the 'ż' is one character.
    records = parse("ach/moov-io_ach/test/testdata/extended-ascii.ach")
    assert any("Au\u017ctin" in e.individual_name for e in of(records, AchEntry))


def test_return_web_r01_r03(samples) -> None:
    records = parse("ach/moov-io_ach/test/testdata/return-WEB.ach")
    returns = of(records, AchReturn)
    assert [r.return_code for r in returns] == ["R01", "R03"]
    assert [r.amount_minor for r in returns] == [12354, 4565]
    assert {e.category for e in of(records, AchEntry)} == {"return"}
    assert records[-1].counts["batches"] == 2


def test_rubyritas_return_noc_fields(samples) -> None:
    records = parse("ach/rubyritas_ach/spec/ach/fixtures/return_noc.txt")
    entries, nocs, returns = of(records, AchEntry), of(records, AchNoc), of(records, AchReturn)
    assert len(entries) == 3 and records[-1].counts["batches"] == 3
    cor = entries[0]
    assert (
        cor.sec_code,
        cor.transaction_code,
        cor.rdfi_routing,
        cor.account,
        cor.amount_minor,
    ) == ("COR", "21", "121140399", "3300911569", 0)
    assert (nocs[0].change_code, nocs[0].original_trace, nocs[0].corrected_data) == (
        "C05",
        "992222220280489",
        "32",
    )
    assert (
        entries[1].amount_minor,
        returns[0].return_code,
        returns[0].original_trace,
        returns[0].addenda_info,
    ) == (2536, "R07", "992222220280393", "INVALID")
    assert returns[1].return_code == "R03"


def test_fixed_length_twin_matches_return_noc(samples) -> None:
    fixed = parse("ach/rubyritas_ach/spec/ach/fixtures/return_fixedlength.txt")
    lined = parse("ach/rubyritas_ach/spec/ach/fixtures/return_noc.txt")
    strip = [(type(r).__name__, getattr(r, "amount_minor", None)) for r in fixed]
    assert strip == [(type(r).__name__, getattr(r, "amount_minor", None)) for r in lined]


def test_cor_example_c01(samples) -> None:
    records = parse("ach/moov-io_ach/test/testdata/cor-example.ach")
    nocs = of(records, AchNoc)
    assert len(nocs) == 1 and not of(records, AchReturn)
    assert (nocs[0].change_code, nocs[0].corrected_data) == ("C01", "1918171614")


def test_contested_addenda_fields(samples) -> None:
    (ret,) = of(parse("ach/moov-io_ach/test/testdata/contested_addenda.txt"), AchReturn)
    assert ret.kind == "contested" and ret.return_code == "R72"
    assert (ret.original_trace, ret.original_rdfi, ret.return_trace) == (
        "123456780000069",
        "75639218",
        "756392180000001",
    )
    assert (ret.return_settlement_date, ret.return_reason_code) == ("067", "01")
    assert (
        ret.dishonored_return_trace,
        ret.dishonored_return_settlement_date,
        ret.dishonored_return_reason_code,
    ) == ("123456780000070", "218", "68")
    assert ret.trace_number == "364275034310088"


def test_dishonored_and_contested_on_one_entry(samples) -> None:
    returns = of(parse("ach/moov-io_ach/examples/testdata/contested-return.ach"), AchReturn)
    assert [(r.return_code, r.kind) for r in returns] == [
        ("R07", "return"),
        ("R68", "dishonored"),
        ("R71", "contested"),
    ]


def test_achkit_reference_entry(samples) -> None:
    records = parse("ach/achkit_achkit/reference.ach")
    first = of(records, AchEntry)[0]
    assert (first.amount_minor, first.individual_name) == (124050, "JANE DOE")
    assert records[-1].amounts == {"debit_USD": 124050, "credit_USD": 124050}


def test_line_and_field_in_messages() -> None:
    bad = (
        (
            b"101 231380104 1210428821906240000A094101Federal Reserve Bank   My Bank Name"
            b"                   \n"
        )
        + b"5225"
        + b"X" * 90
        + b"\n"
    )
    with pytest.raises(FileRejected) as err:
        list(parse_nacha(bad, "upload.ach"))
    assert err.value.line == 2 and "upload.ach, line 2" in str(err.value)


BATCH = (
    b"101 231380104 1210428821906240000A094101Federal Reserve Bank   My Bank Name"
    b"                   \n"
    b"5225Name on Account                     231380104 PPDREG.SALARY      190625"
    b"   1121042880000001\n"
    b"62723138010412345678         0100000000               Receiver Account Name"
    b"   0121042880000001\n"
)
BATCH_CONTROL = (
    b"82250000010023138010{debit}000000000000231380104                          121042880000001\n"
)
FILE_CONTROL = (
    b"9000001000001000000010023138010{debit}000000000000                                       \n"
)


def _file(batch_debit: bytes, file_debit: bytes) -> bytes:
    return (
        BATCH
        + BATCH_CONTROL.replace(b"{debit}", batch_debit)
        + FILE_CONTROL.replace(b"{debit}", file_debit)
    )


def test_the_built_file_is_consistent() -> None:
    totals = list(parse_nacha(_file(b"000100000000", b"000100000000"), "ok.ach"))[-1]
    assert totals.control_ok and totals.amounts["debit_USD"] == 100000000


def test_corroborated_batch_mismatch_is_rejected_even_leniently() -> None:
    # batch and file control both say 1,000,001.00; the entry says 1,000,000.00: the
    # trailers agree with each other, the record does not -> altered after totalling.
    data = _file(b"000100000100", b"000100000100")
    with pytest.raises(FileRejected, match="File Control adds up the declared") as err:
        list(parse_nacha(data, "altered.ach"))
    assert (err.value.line, err.value.field) == (4, "Total Debit Entry Dollar Amount")


def test_uncorroborated_batch_mismatch_loads_flagged() -> None:
    # the file control matches the entry, the batch control does not: the sender's
    # trailers contradict each other, so they say nothing about the record.
    totals = list(parse_nacha(_file(b"000100000100", b"000100000000"), "odd.ach"))[-1]
    assert not totals.control_ok
    assert [w.split(":")[1] for w in totals.warnings] == [
        " line 4, field Total Debit Entry Dollar Amount"
    ]


def test_zero_mandatory_control_field_is_structural() -> None:
    data = _file(b"000100000000", b"000100000000").replace(
        b"900000100000100000001", b"900000100000100000000"
    )
    with pytest.raises(FileRejected, match="not filled in") as err:
        list(parse_nacha(data, "zero.ach"))
    assert err.value.field == "Entry/Addenda Count"
