"""The fast paths (fast_nacha.py, fast_bai2.py, fast_mt940.py, fast_card.py, fast_camt.py)
accept exactly what the parsers accept and write exactly the same rows: every sample, the
large moov file, large generated files and mutated files are loaded both ways and compared
(outcome, message, totals, warnings and every table)."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core.db import open_db
from ops_core.errors import FileRejected
from ops_core.ingest import formats
from ops_core.ingest.loader import load_file
from tests.ingest.conftest import SAMPLES

TABLES = (
    "ach_entries", "ach_returns", "ach_nocs", "card_settlements", "bank_statement_lines",
    "bank_balances", "source_files",
)  # fmt: skip
NACHA_SAMPLES = sorted(
    str(p.relative_to(SAMPLES))
    for p in (SAMPLES / "ach").rglob("*")
    if p.is_file() and p.suffix not in (".gz", ".rtf", ".md", ".expected")
) if (SAMPLES / "ach").is_dir() else []  # fmt: skip
LARGE = "ach/moov-io_ach/test/testdata/large-files/PPD-200-batches-100000-entries.ach.gz"
SEEDS = [
    "ach/moov-io_ach/test/testdata/return-WEB.ach",
    "ach/moov-io_ach/test/testdata/ppd-debit.ach",
    "ach/rubyritas_ach/spec/ach/fixtures/return_noc.txt",
]


def outcome(data: bytes, fmt: str, *, fast: bool, strict: bool = False) -> tuple:
    """What loading does, with or without the fast path: the error, or what was written."""
    saved = dict(formats.FAST)
    if not fast:
        formats.FAST.clear()
    db = open_db(":memory:")
    try:
        result = load_file(db, data, name="f", format=fmt, actor="t", strict=strict)
    except FileRejected as exc:
        return ("rejected", str(exc))
    finally:
        formats.FAST.clear()
        formats.FAST.update(saved)
    cur = db.cursor()
    tables = {t: sorted(map(repr, cur.execute(_dump(t)).fetchall())) for t in TABLES}
    db.close()
    return ("loaded", result.rows, result.totals, result.warnings, result.control_ok, tables)


def _dump(table: str) -> str:
    """Every column but the ones that differ between two loads of the same file."""
    skip = "loaded_at, file_id" if table == "source_files" else "source_file_id"
    return f"SELECT * EXCLUDE ({skip}) FROM {table}"


def took_fast_path(data: bytes, fmt: str) -> bool:
    """Whether the fast path vouched for the file (run on a scratch database)."""
    from ops_core.ingest.bulk import BulkJob

    db = open_db(":memory:")
    try:
        with db.transaction() as cur:
            file_id = cur.execute(
                "INSERT INTO source_files (sha256, original_name, format, size_bytes, row_count,"
                " totals, loaded_at, loaded_by) VALUES ('x', 'f', ?, 0, 0, '{}', now(), 't')"
                " RETURNING file_id",
                [fmt],
            ).fetchone()[0]
            return formats.FAST[fmt](cur, BulkJob(data, "f", file_id)) is not None
    finally:
        db.close()


def same_both_ways(data: bytes, fmt: str, strict: bool = False) -> tuple:
    fast = outcome(data, fmt, fast=True, strict=strict)
    slow = outcome(data, fmt, fast=False, strict=strict)
    assert fast == slow
    return fast


@pytest.mark.parametrize("rel", NACHA_SAMPLES)
@pytest.mark.parametrize("strict", [False, True])
def test_every_nacha_sample_loads_the_same_either_way(rel: str, strict: bool) -> None:
    same_both_ways((SAMPLES / rel).read_bytes(), "nacha", strict)


def test_the_fast_path_takes_most_regular_samples(samples) -> None:
    taken = [rel for rel in NACHA_SAMPLES if took_fast_path((SAMPLES / rel).read_bytes(), "nacha")]
    assert len(taken) >= 40, len(taken)
    assert "ach/moov-io_ach/test/testdata/return-WEB.ach" in taken


def test_the_large_moov_file_loads_the_same_either_way(samples) -> None:
    data = gzip.decompress((SAMPLES / LARGE).read_bytes())
    assert took_fast_path(data, "nacha")
    result = same_both_ways(data, "nacha")
    assert result[0] == "loaded" and result[1] == 100_199


MUTATE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("rel", SEEDS)
@MUTATE
@given(data=st.data())
def test_mutated_nacha_files_load_the_same_either_way(rel: str, data: st.DataObject) -> None:
    """Characters changed in place keep a file regular (the fast path reads it), so this
    drives every vectorised check against the parser's."""
    path = SAMPLES / rel
    if not path.exists():
        pytest.skip("samples not present")
    original = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        if original[at] not in (10, 13):
            original[at] = data.draw(st.sampled_from(b"0123456789 9RCAZ-"))
    same_both_ways(bytes(original), "nacha", strict=data.draw(st.booleans()))


def test_a_missing_last_line_break_and_crlf_still_take_the_fast_path(samples) -> None:
    data = (SAMPLES / SEEDS[0]).read_bytes()
    for variant in (data.rstrip(b"\n"), data.replace(b"\n", b"\r\n")):
        assert took_fast_path(variant, "nacha")
        assert same_both_ways(variant, "nacha")[0] == "loaded"


def test_irregular_files_fall_back_to_the_parser(samples, tmp_path: Path) -> None:
    data = (SAMPLES / SEEDS[0]).read_bytes()
    lines = data.split(b"\n")
    for variant in (
        b"\n".join([*lines[:3], b"", *lines[3:]]),  # a blank line
        b"".join(lines),  # no line breaks at all
        b"\n".join([*lines[:-1], lines[-1].rstrip()]),  # trailing blanks trimmed
    ):
        assert not took_fast_path(variant, "nacha")
        same_both_ways(variant, "nacha")


CARD_HEADER = (
    b"settlement_date,network,network_txn_id,txn_type,amount,currency,fee,interchange,net,"
    b"batch_id\n"
)
CARD_ROWS = [
    b"2026-03-02,VISA,381234,OCT,100.00,USD,0.25,0.10,-100.35,B1\n",
    b"2026-03-02,mastercard,MC99,aft,50.00,usd,0.50,0.20,49.30,B1\n",
    b"2026-03-03,VISA, 77 ,OCT,12,JPY,,,-12,\n",
    b"\n",
    b"2026-03-03,VISA,78,REFUND,5.00,EUR,0,0,1.00,B2\n",
    b" , ,,,,,,,,\n",
]


def test_a_plain_card_csv_takes_the_fast_path_and_loads_the_same(samples) -> None:
    data = CARD_HEADER + b"".join(CARD_ROWS)
    assert took_fast_path(data, "card_csv")
    result = same_both_ways(data, "card_csv")
    assert result[0] == "loaded" and result[1] == 4
    assert result[2]["amounts"] == {"net_USD": -10035 + 4930, "net_JPY": -12, "net_EUR": 100}


@pytest.mark.parametrize("change", [
    (b"100.00", b"100.001"), (b"2026-03-02,VISA", b"2026-3-2,VISA"), (b"-100.35", b"-100.00"),
    (b"381234", b'"381234"'), (b"USD", b"XXX"), (b"B1\n", b"B1\r"), (b"VISA", b"VIS\xc3\x84"),
    (b"50.00", b"1,00"), (b"12,JPY", b"12.5,JPY"), (b"batch_id\n", b"batch\n"),
    (b"B2\n", b"B2,extra\n"), (b"B2\n", b""), (b"\n\n", b"\n  \n"),
])  # fmt: skip
@pytest.mark.parametrize("strict", [False, True])
def test_card_csvs_the_fast_path_declines_load_the_same_either_way(
    change: tuple[bytes, bytes], strict: bool
) -> None:
    data = (CARD_HEADER + b"".join(CARD_ROWS)).replace(*change, 1)
    same_both_ways(data, "card_csv", strict)


@MUTATE
@given(data=st.data())
def test_mutated_card_csvs_load_the_same_either_way(data: st.DataObject) -> None:
    original = bytearray(CARD_HEADER + b"".join(CARD_ROWS))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 .,-AXU\n"))
    same_both_ways(bytes(original), "card_csv", strict=data.draw(st.booleans()))


BAI2_SAMPLES = sorted(
    str(p.relative_to(SAMPLES)) for p in (SAMPLES / "bai2").rglob("*")
    if p.is_file() and p.suffix not in (".gz", ".md", ".go", ".py", ".json")
) if (SAMPLES / "bai2").is_dir() else []  # fmt: skip
BAI2_SEEDS = [
    "bai2/moov-io_bai2/test/testdata/sample1.txt",
    "bai2/venturehacks_bai2/test/data/eod_with_slash_in_text.bai2",
]


@pytest.mark.parametrize("rel", BAI2_SAMPLES)
@pytest.mark.parametrize("strict", [False, True])
def test_every_bai2_sample_loads_the_same_either_way(rel: str, strict: bool) -> None:
    same_both_ways((SAMPLES / rel).read_bytes(), "bai2", strict)


def test_the_bai2_fast_path_takes_regular_samples(samples) -> None:
    taken = [rel for rel in BAI2_SAMPLES if took_fast_path((SAMPLES / rel).read_bytes(), "bai2")]
    assert len(taken) >= 5, taken


def test_a_large_generated_bai2_loads_the_same_either_way() -> None:
    from ops_core.ingest import demo_statements

    account = demo_statements.Account("Lakeshore Bank", "071000013", "4410072819", "USD")
    items = [
        demo_statements.Item(n % 3 == 0, 100 + n, "143" if n % 3 == 0 else "452", f"LB{n:08d}",
                             f"0710{n:011d}", f"Receiver {n}, PPD / ref {n}")
        for n in range(3000)
    ]  # fmt: skip
    data, _ = demo_statements.bai2_file(
        account, date(2026, 11, 19), items, 10**9, datetime(2026, 11, 20, 6, tzinfo=UTC)
    )
    assert took_fast_path(data, "bai2")
    assert same_both_ways(data, "bai2")[1] == 3000 + 2  # lines and the two balances


@pytest.mark.parametrize("rel", BAI2_SEEDS)
@MUTATE
@given(data=st.data())
def test_mutated_bai2_files_load_the_same_either_way(rel: str, data: st.DataObject) -> None:
    path = SAMPLES / rel
    if not path.exists():
        pytest.skip("samples not present")
    original = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 ,/+-8\n"))
    same_both_ways(bytes(original), "bai2", strict=data.draw(st.booleans()))


MT940_SAMPLES = sorted(
    str(p.relative_to(SAMPLES)) for p in (SAMPLES / "mt940").rglob("*")
    if p.is_file() and p.suffix in (".sta", ".txt", ".940", ".mt940", ".swi", "")
) if (SAMPLES / "mt940").is_dir() else []  # fmt: skip
MT940_SEEDS = [
    "mt940/wolph_mt940/mt940_tests/jejik/generic.sta",
    "mt940/wolph_mt940/mt940_tests/citi/mt940.txt",
]


@pytest.mark.parametrize("rel", MT940_SAMPLES)
@pytest.mark.parametrize("strict", [False, True])
def test_every_mt940_sample_loads_the_same_either_way(rel: str, strict: bool) -> None:
    same_both_ways((SAMPLES / rel).read_bytes(), "mt940", strict)


def test_a_large_generated_mt940_loads_the_same_either_way(tmp_path: Path) -> None:
    from bench.ingest import big_mt940

    data = big_mt940(tmp_path, 300_000).read_bytes()
    assert took_fast_path(data, "mt940")
    result = same_both_ways(data, "mt940")
    assert result[0] == "loaded" and result[2]["counts"]["lines"] > 3000


@pytest.mark.parametrize("rel", MT940_SEEDS)
@MUTATE
@given(data=st.data())
def test_mutated_mt940_files_load_the_same_either_way(rel: str, data: st.DataObject) -> None:
    path = SAMPLES / rel
    if not path.exists():
        pytest.skip("samples not present")
    original = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 ,/:-CDRN?\n"))
    same_both_ways(bytes(original), "mt940", strict=data.draw(st.booleans()))


def test_mutated_generated_mt940_loads_the_same_either_way(tmp_path: Path) -> None:
    """Changes inside the lines the SQL reads (dates, marks, amounts, references)."""
    from bench.ingest import big_mt940

    base = bytearray(big_mt940(tmp_path, 3_000).read_bytes())
    rng = __import__("random").Random(5)
    for _ in range(60):
        data = bytearray(base)
        at = rng.randrange(len(data))
        data[at] = rng.choice(b"0123456789 ,/:-CDRN?E")
        same_both_ways(bytes(data), "mt940", strict=rng.random() < 0.5)


CAMT_SAMPLES = sorted(
    str(p.relative_to(SAMPLES)) for p in (SAMPLES / "iso20022").rglob("*.xml")
    if b"camt.05" in p.read_bytes()[:4096]
) if (SAMPLES / "iso20022").is_dir() else []  # fmt: skip


@pytest.mark.parametrize("rel", CAMT_SAMPLES)
@pytest.mark.parametrize("strict", [False, True])
def test_every_camt_sample_loads_the_same_either_way(rel: str, strict: bool) -> None:
    same_both_ways((SAMPLES / rel).read_bytes(), "iso20022", strict)


def test_the_camt_fast_path_takes_most_samples(samples) -> None:
    taken = [r for r in CAMT_SAMPLES if took_fast_path((SAMPLES / r).read_bytes(), "iso20022")]
    assert len(taken) >= 35, len(taken)


def _camt(entries: int, *, pretty: bool = False) -> bytes:
    from bench.ingest import big_camt

    with __import__("tempfile").TemporaryDirectory() as tmp:
        data = big_camt(Path(tmp), entries * 900).read_bytes()
    if pretty:
        from lxml import etree

        data = etree.tostring(etree.fromstring(data), pretty_print=True, xml_declaration=True,
                              encoding="UTF-8")  # fmt: skip
    return data


@pytest.mark.parametrize("pretty", [False, True])
def test_a_generated_camt053_takes_the_fast_path_and_loads_the_same(pretty: bool) -> None:
    data = _camt(400, pretty=pretty)
    assert took_fast_path(data, "iso20022")
    result = same_both_ways(data, "iso20022")
    assert result[0] == "loaded" and result[2]["counts"] == {"balances": 2, "entries": 400}


@pytest.mark.parametrize("change", [
    (b"<Cd>BOOK</Cd>", b"<Cd> BOOK </Cd>"), (b">4744.87<", b">4744.870<"),
    (b">4744.87<", b">4744.875<"), (b">4744.87<", b">4744,87<"), (b'Ccy="EUR"', b'Ccy="eur"'),
    (b'Ccy="EUR"', b'Ccy="XXX"'),
    (b"<Dt>2026-11-19</Dt></BookgDt>", b"<Dt>20261119</Dt></BookgDt>"),
    (b"<Dt>2026-11-19</Dt></ValDt>", b"<DtTm>2026-11-19T10:00:00</DtTm></ValDt>"),
    (b"<NtryRef>LB0000000001</NtryRef>", b"<NtryRef>LB\tX</NtryRef>"),
    (b"<NtryRef>LB0000000001</NtryRef>", b"<NtryRef>LB&#10;X</NtryRef>"),
    (b"<NtryRef>LB0000000001</NtryRef>", b"<NtryRef>\xc2\xa0LB1</NtryRef>"),
    (b"<NtryRef>LB0000000001</NtryRef>", b"<NtryRef>LB<!-- c -->1</NtryRef>"),
    (b"<CdtDbtInd>DBIT</CdtDbtInd><Sts>", b"<CdtDbtInd>DEBIT</CdtDbtInd><Sts>"),
    (b"<Sts><Cd>BOOK</Cd></Sts>", b"<Sts>BOOK</Sts>"), (b"<Sts><Cd>BOOK</Cd></Sts>", b""),
    (b"<NbOfNtries>400</NbOfNtries>", b"<NbOfNtries>401</NbOfNtries>"),
    (b"</Ntry>\n</Stmt>", b"</Ntry>\n<Id>late</Id></Stmt>"),
    (b"</Ntry>\n</Stmt>", b"</Ntry>\n</Stmt><Stmt><Id>2</Id></Stmt>"),
    (b"<Document ", b'<!DOCTYPE d [<!ENTITY x "y">]><Document '),
    (b"<Ntry><NtryRef>", b"<Ntry><RvslInd>true</RvslInd><NtryRef>"),
    (b"<Ntry><NtryRef>", b"<Ntry><AddtlNtryInf> note </AddtlNtryInf><NtryRef>"),
    (b"</Refs>", b"</Refs><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>"),
])  # fmt: skip
@pytest.mark.parametrize("strict", [False, True])
def test_camt_variants_load_the_same_either_way(change: tuple[bytes, bytes], strict: bool) -> None:
    data = _camt(400)
    assert change[0] in data, change
    same_both_ways(data.replace(*change, 1), "iso20022", strict)


def test_mutated_generated_camt_loads_the_same_either_way() -> None:
    """Characters changed anywhere: in values, tags, attributes and the totals."""
    base = _camt(30)
    rng = __import__("random").Random(7)
    for _ in range(60):
        data = bytearray(base)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.choice(b"0123456789 .,-<>/ACDEIKT\n")
        same_both_ways(bytes(data), "iso20022", strict=rng.random() < 0.5)
