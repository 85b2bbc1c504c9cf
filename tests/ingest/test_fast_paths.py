"""The fast paths (fast_nacha.py, fast_bai2.py, fast_mt940.py, fast_card.py, fast_camt.py,
fast_usdc.py)
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

from tests.ingest.both_ways import same_both_ways, took_fast_path
from tests.ingest.conftest import SAMPLES

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


def test_a_card_csv_with_millions_takes_the_fast_path() -> None:
    """Amounts of a million and more (up to the 12 integer digits the SQL takes)."""
    data = CARD_HEADER + (
        b"2026-03-02,VISA,381234,OCT,1500000.00,USD,0.25,0.10,-1500000.35,B1\n"
        b"2026-03-02,VISA,381235,AFT,999999999999.99,USD,0,0,999999999999.99,B1\n"
    )
    assert took_fast_path(data, "card_csv")
    result = same_both_ways(data, "card_csv")
    assert result[2]["amounts"] == {"net_USD": -150000035 + 99999999999999}


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


USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"  # on ethereum, domain.md 8.1
USDC_HEADER = (
    b'"Transaction Hash","Blockno","UnixTimestamp","DateTime (UTC)","From","To",'
    b'"TokenValue","USDValueDayOfTx","ContractAddress","TokenName"\n'
)


def _usdc_row(n: int, tx: int, amount: str, contract: str = USDC) -> bytes:
    return (
        f'"0x{tx:064x}","{19_000_000 + n}","{1_700_000_000 + n}","2023-11-14 22:13:20",'
        f'"0x{n:040x}","0x{n + 1:040x}","{amount}","$1.00","{contract}","USDC"\n'
    ).encode()


USDC_ROWS = [
    _usdc_row(1, 7, "1,234.5"),
    _usdc_row(2, 7, "0.000001"),  # a second transfer of one transaction: ordinal 1
    b"\n",
    _usdc_row(3, 9, "12", contract=USDC.upper().replace("0X", "0x")),
    b'" ",,,,,,,,,\n',  # every cell blank: skipped
    _usdc_row(4, 7, "999999999999.999999"),
]


def test_a_plain_explorer_csv_takes_the_fast_path_and_loads_the_same() -> None:
    data = USDC_HEADER + b"".join(USDC_ROWS)
    assert took_fast_path(data, "usdc_csv")
    result = same_both_ways(data, "usdc_csv")
    assert result[0] == "loaded" and result[1] == 4
    assert result[2]["amounts"] == {"USDC": 1_234_500_000 + 1 + 12_000_000 + 999999999999999999}
    # the third transfer of transaction 7 (block 19000004): ordinal 2, on line 7
    assert any(
        r.startswith("(7, ") and ", 2, 19000004, " in r for r in result[5]["chain_transfers"]
    )


def test_a_large_explorer_csv_loads_the_same_either_way() -> None:
    rows = [_usdc_row(n, n // 3, f"{n}.{n % 1000:03d}") for n in range(150_000)]
    data = USDC_HEADER + b"".join(rows)
    assert took_fast_path(data, "usdc_csv")
    assert same_both_ways(data, "usdc_csv")[1] == 150_000


@pytest.mark.parametrize("change", [
    (b"1,234.5", b"1,234.5000001"), (b"1,234.5", b"1e3"), (b"1,234.5", b"-5"),
    (b'"0x' + b"0" * 62 + b'07"', b'"0x' + b"0" * 62 + b'0G"'), (b"19000001", b"19O00001"),
    (b'"TokenName"\n', b'"TokenName"\r'), (b"$1.00", b'$1."00'), (b"2023", b"2\xc3\xa9"),
    (b'"USDC"\n', b'"USDC","x"\n'), (b"ContractAddress", b"Contract"), (USDC.encode(), b"0x1"),
    (b"\n\n", b"\n  \n"), (b"1,234.5", b"1234567890123.5"), (b"12", b" 12 "),
    (b'"12"', b'"\t12\x1f"'), (b"$1.00", b"$1\x00.00"), (b'"USDC"\n', b'"US\x01DC"\n'),
    (b"Transaction Hash", b"Txhash"), (b'"1700000001"', b'"17000000010000"'),
    (b'"1,234.5"', b'"1,234.5"""'), (b'"0x' + b"0" * 39 + b'1"', b'"""0x' + b"0" * 39 + b'1"'),
])  # fmt: skip
def test_explorer_csvs_the_fast_path_declines_load_the_same_either_way(
    change: tuple[bytes, bytes],
) -> None:
    data = (USDC_HEADER + b"".join(USDC_ROWS)).replace(*change, 1)
    same_both_ways(data, "usdc_csv")


@MUTATE
@given(data=st.data())
def test_mutated_explorer_csvs_load_the_same_either_way(data: st.DataObject) -> None:
    original = bytearray(USDC_HEADER + b"".join(USDC_ROWS))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b'0123456789abcdefxX .,-"\n'))
    same_both_ways(bytes(original), "usdc_csv")


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


# 16 records (with their 88s) and their amounts as written: the common layout _split reads
# with numpy, and every way out of it (to the SQL split, or to the parser for the file)
BAI2_DETAILS = [
    ("16,143,100,0,REF1,CREF1,Plain text", 100),
    ("16,452,200,Z,REF2,CREF2,Text, with, commas", 200),
    ("16,143,+300,1,R,C,Signed/", 300),
    ("16,452,-5,2,R,C,neg", -5),
    ("16,143,,0,R,C,blank amount", 0),
    ("16,143,+,0,R,C,plus only", 0),
    ("16,143,-,z,R,C,minus only, lower z", 0),
    ("16,143,7, ,R,C,space funds", 7),
    ("16,143,9,V,261119,1200,R,C,value dated", 9),
    ("16,452,10,S,1,2,3,R,C,split availability", 10),
    ("16,143,11,D,1,0,5,R,C,distributed", 11),
    ("16,143,12,0,R,C,text/\n88,more text", 12),
    ("16,143,13,0,R,C/\n88,text after a slash", 13),
    ("16,143,14,0, R ,C,spaced reference", 14),
    ("16,143,15,0,R,C, leading space", 15),
    ("16,143,16,0,R,C,trailing space ", 16),
    ("16,143,17,0,R,C,two slashes//", 17),
    ("16,143,18,0,R,C", 18),
    ("16,143,19,0,R,C,", 19),
    ("16,143,20,0,,,", 20),
    ("16,143,000000000000000021,0,R,C,eighteen digits", 21),
    ("16,143,22,0,R,C,x /", 22),
    ("16,143,23,0,R,C,/", 23),
    ("16,143,24,0,R,C,text / more", 24),
]
BAI2_UNREADABLE = [
    ("16,143,1234567890123456789,0,R,C,nineteen digits", 0),
    ("16,143,12a,0,R,C,bad amount", 12),
    ("16,010,1,0,R,C,a status code", 1),
    ("16,14,1,0,R,C,short code", 1),
    ("16,143,1,X,R,C,unknown funds type", 1),
]


def bai2_with(details: list[tuple[str, int]], *, crlf: bool = False) -> bytes:
    """One account's BAI2 file around these 16 records, its control totals right."""
    records = [line for text, _ in details for line in text.split("\n")]
    total = sum(amount for _, amount in details)
    count = len(records) + 2
    lines = [
        "01,SENDER,RAILYARD,261120,0600,1,,,2/", "02,RAILYARD,SENDER,1,261119,2400,USD,2/",
        "03,4410072819,USD,010,0,,/", *records, f"49,{total},{count}/",
        f"98,{total},1,{count + 2}/", f"99,{total},1,{count + 4}/",
    ]  # fmt: skip
    return ("\r\n" if crlf else "\n").join(lines).encode() + b"\n"


def bai2_split(data: bytes):
    from ops_core.ingest import fast_bai2

    lines = fast_bai2._lines(data)
    return fast_bai2._split(lines, fast_bai2._layout(lines))


@pytest.mark.parametrize("crlf", [False, True])
def test_bai2_16s_split_by_numpy_and_by_sql_load_the_same(crlf: bool) -> None:
    data = bai2_with(BAI2_DETAILS * 3, crlf=crlf)
    split = bai2_split(data)
    assert 0 < split.common.sum() < len(split.common)  # both ways in one file
    assert took_fast_path(data, "bai2")
    result = same_both_ways(data, "bai2")
    assert result[0] == "loaded" and result[1] == 3 * len(BAI2_DETAILS) + 1  # and a balance


@pytest.mark.parametrize("detail", BAI2_DETAILS + BAI2_UNREADABLE, ids=lambda d: d[0])
def test_each_bai2_16_variant_loads_the_same_either_way(detail: tuple[str, int]) -> None:
    data = bai2_with([BAI2_DETAILS[0], detail, BAI2_DETAILS[1]])
    same_both_ways(data, "bai2")
    if detail in BAI2_UNREADABLE:
        assert not took_fast_path(data, "bai2")


@MUTATE
@given(data=st.data())
def test_mutated_bai2_16s_load_the_same_either_way(data: st.DataObject) -> None:
    """Changes inside the 16 records numpy splits (and the ones it leaves to SQL)."""
    original = bytearray(bai2_with(BAI2_DETAILS))
    first = original.index(b"\n16,") + 1
    last = original.index(b"\n49,")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(first, last - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 ,/+-VSDZz8\n"))
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


# :61: lines (a "\n" starts a continuation line), the :86: after them (None: none) and the
# signed amount in cents: the common layout _split reads with numpy, and every way out of it
MT940_LINES = [
    ("2611191119D2504,77NTRFREF0//B0", "/EREF/X/NAME/Receiver 0", -250477),
    ("2611191119C1214,29NTRFREF1//B1", "plain", 121429),
    ("261119C100,NTRFNONREF", None, 10000),
    ("261119RC5,5NMSCREF//BANK REF", "", -550),
    ("261119RD7,NTRF", "x", 700),
    ("261119ED1,01NCHG", "fee", -101),
    ("261119EC2,00NCHG", "fee back", 200),
    ("2611191119CR300,00NTRFREF", "funds letter", 30000),
    ("2611191119C300,00", "no type", 30000),
    ("2611191119C300,00 REF", "leading space", 30000),
    ("2611191119C300,00NTRFREF //BREF", "space before //", 30000),
    ("2611191119C300,00NTRF// BREF", "space after //", 30000),
    ("2611191119C300,00NTRF//B//C", "two //", 30000),
    ("2611191119C300,00NTRF///B", "three /", 30000),
    ("2611190101C1,00NTRF", "next year", 100),
    ("2601051230D1,00NTRF", "last year", -100),
    ("2611190631C1,00NTRF", "no such entry date", 100),
    ("2611191119C1,00NTRF", "166?00GUTSCHRIFT?20REF", 100),
    ("2611191119C1,00NTRF", "/EREF/X\nmore text", 100),
    ("2611191119C1,00NTRFREF\nSUPPLEMENTARY", "y", 100),
    ("2611191119C1,5NTRF", "one decimal", 150),
    ("2611191119C1NTRF", "no comma", 100),
    ("261119    C1,00NTRF", "blank entry date", 100),
    ("991231C1,00NTRF", "last century", 100),
    ("2611191119C123456789012345,NTRF", "fifteen digits", 12345678901234500),
    ("2611191119C1,00NTRF", "  spaced text  ", 100),
    ("2611191119C1,00NTRF" + "LONGREFERENCE" * 4 + "//B", "a line past 48 bytes", 100),
]
MT940_UNREADABLE = [
    ("2611191119C1234567890123456,00NTRF", "sixteen digits", 0),
    ("2611191119C1,001NTRF", "three decimals", 100),
    ("270229C1,00NTRF", "no such value date", 100),
    ("2611191119X1,00NTRF", "no mark", 100),
]


def mt940_with(lines: list[tuple[str, str | None, int]], *, crlf: bool = True) -> bytes:
    """One statement around these :61: lines (and :86:), its balances adding up."""
    closing = 10**7 + sum(amount for *_, amount in lines)
    mark = "C" if closing >= 0 else "D"
    body = [":20:STMT1", ":25:NL91ABNA0417164300", ":28C:00001/1", ":60F:C261118EUR100000,00"]
    for line, detail, _ in lines:
        body.append(f":61:{line}")
        if detail is not None:
            body.append(f":86:{detail}")
    whole, cents = divmod(abs(closing), 100)
    body += [f":62F:{mark}261119EUR{whole},{cents:02d}", "-"]
    text = "\n".join(body) + "\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode()


@pytest.mark.parametrize("crlf", [False, True])
def test_mt940_lines_split_by_numpy_and_by_sql_load_the_same(crlf: bool) -> None:
    from ops_core.ingest import fast_mt940

    data = mt940_with(MT940_LINES * 2, crlf=crlf)
    lines = fast_mt940._lines(data)
    statements = fast_mt940._statements(fast_mt940.BulkJob(data, "f", 1), lines)
    split = fast_mt940._tables(lines, statements)[2]
    assert 0 < split.common.sum() < len(split.common)  # both ways in one file
    assert took_fast_path(data, "mt940")
    result = same_both_ways(data, "mt940")
    assert result[0] == "loaded" and result[2]["counts"]["lines"] == 2 * len(MT940_LINES)


@pytest.mark.parametrize("line", MT940_LINES + MT940_UNREADABLE, ids=lambda v: f"{v[0]} {v[1]}")
def test_each_mt940_line_variant_loads_the_same_either_way(line: tuple) -> None:
    data = mt940_with([MT940_LINES[0], line, MT940_LINES[1]])
    same_both_ways(data, "mt940")
    if line in MT940_UNREADABLE:
        assert not took_fast_path(data, "mt940")


@MUTATE
@given(data=st.data())
def test_mutated_mt940_lines_load_the_same_either_way(data: st.DataObject) -> None:
    """Changes inside the :61: and :86: lines numpy splits (and the ones left to SQL)."""
    original = bytearray(mt940_with(MT940_LINES))
    first = original.index(b":61:")
    last = original.index(b":62F:")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(first, last - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 ,/:-CDRENT?\n"))
    same_both_ways(bytes(original), "mt940", strict=data.draw(st.booleans()))


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
    (b'camt.053.001.08">', b'camt.053.001.08&amp;x">'),  # quoted into the XSLT
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


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast paths' numpy splits cut into three slices on three threads, however few
    records and cores (``byteviews.chunked``); large files take this path in production."""
    from ops_core.ingest import byteviews

    monkeypatch.setattr(byteviews, "CHUNK_MIN", 1)
    monkeypatch.setattr(byteviews, "THREADS", 3)


@pytest.mark.parametrize("crlf", [False, True])
def test_mt940_lines_split_on_threads_load_the_same(small_chunks, crlf: bool) -> None:
    from ops_core.ingest import fast_mt940

    data = mt940_with(MT940_LINES * 2, crlf=crlf)
    lines = fast_mt940._lines(data)
    statements = fast_mt940._statements(fast_mt940.BulkJob(data, "f", 1), lines)
    split = fast_mt940._tables(lines, statements)[2]
    assert len(split.table.to_batches()) == 3  # one piece per thread, in order
    assert split.table["line"].to_pylist() == sorted(split.table["line"].to_pylist())
    assert 0 < split.common.sum() < len(split.common)
    result = same_both_ways(data, "mt940")
    assert result[0] == "loaded" and result[2]["counts"]["lines"] == 2 * len(MT940_LINES)


def test_a_large_generated_mt940_split_on_threads_loads_the_same(small_chunks, tmp_path) -> None:
    from bench.ingest import big_mt940

    data = big_mt940(tmp_path, 200_000).read_bytes()
    assert took_fast_path(data, "mt940")
    assert same_both_ways(data, "mt940")[0] == "loaded"


@pytest.mark.parametrize("crlf", [False, True])
def test_bai2_16s_split_on_threads_load_the_same(small_chunks, crlf: bool) -> None:
    data = bai2_with(BAI2_DETAILS * 3, crlf=crlf)
    split = bai2_split(data)
    assert len(split.table.to_batches()) == 3
    assert 0 < split.common.sum() < len(split.common)
    result = same_both_ways(data, "bai2")
    assert result[0] == "loaded" and result[1] == 3 * len(BAI2_DETAILS) + 1


@MUTATE
@given(data=st.data())
def test_mutated_mt940_lines_split_on_threads_load_the_same(data: st.DataObject) -> None:
    from ops_core.ingest import byteviews

    original = bytearray(mt940_with(MT940_LINES * 2))
    first, last = original.index(b":61:"), original.index(b":62F:")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(first, last - 1))
        original[at] = data.draw(st.sampled_from(b"0123456789 ,/:-CDRN?\n"))
    saved = byteviews.CHUNK_MIN, byteviews.THREADS
    byteviews.CHUNK_MIN, byteviews.THREADS = 1, 3
    try:
        same_both_ways(bytes(original), "mt940")
    finally:
        byteviews.CHUNK_MIN, byteviews.THREADS = saved


THREADED_NACHA = [
    "ach/moov-io_ach/test/testdata/return-WEB.ach",
    "ach/moov-io_ach/examples/testdata/contested-return.ach",
    "ach/rubyritas_ach/spec/ach/fixtures/return_noc.txt",
]


@pytest.mark.parametrize("rel", THREADED_NACHA)
def test_nacha_entry_fields_split_on_threads_load_the_same(small_chunks, rel: str) -> None:
    data = (SAMPLES / rel).read_bytes()
    assert took_fast_path(data, "nacha")
    assert same_both_ways(data, "nacha")[0] == "loaded"
