"""Ingest benchmark: our importers against the best Python library per format and DuckDB.

    python -m bench.ingest [--scale 1.0] [--formats nacha,bai2,...] [--repeat 3]

Files: moov-io/ach's 100k- and 500k-entry PPD files (../shared/samples, gunzipped), and a
large BAI2, camt.053, pacs.002, MT940, card settlement CSV, USDC explorer CSV, USDC Transfer
log JSON and ledger export CSV generated here (the demo writers; no large public ones exist).
For each file, in one run: our parser alone, our
``load_file`` into a fresh in-memory DuckDB (parse + checks + insert; for the ledger, the
rollup catch-up its batch then runs is timed on its own and reported too), the best library
(carta-ach for NACHA, bai2 for BAI2, mt-940 for MT940, lxml and xmltodict for camt, lxml
for pacs.002, pandas for the CSVs; for the logs the standard json module, orjson and
msgspec, each decoding the whole document to dicts and lists, nothing checked or kept;
requirements-bench.txt), and DuckDB's own ``read_csv`` materialising a
CSV of the same size; each of those is the fastest of ``--repeat`` runs (the parser alone
runs once, last). Each file is measured in a fresh interpreter. Targets (issue 3): every
format at least as fast as the best library; NACHA, BAI2, MT940 and CSV within 3x DuckDB's
read_csv bytes/s ("load vs library" >= 1, "load vs DuckDB" >= 0.33). Results go to stdout
and bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import multiprocessing
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from ops_core import derived
from ops_core.db import open_db
from ops_core.ingest import demo_rails, demo_statements
from ops_core.ingest.formats import parser_for
from ops_core.ingest.loader import load_file
from ops_core.ingest.usdc import USDC_CONTRACTS

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = (
    Path(os.environ.get("RAILYARD_SAMPLES", ROOT.parent / "shared" / "samples"))
    / "ach/moov-io_ach/test/testdata/large-files"
)
RESULTS = Path(__file__).parent / "results"
ACH = "entries.ach.gz"
DAY = date(2026, 11, 19)


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(make: Callable[[], Callable[[], object]], repeat: int) -> float:
    """The fastest of ``repeat`` runs (each from a fresh ``make()``): on two cores shared
    with other sessions a single wall-clock sample mostly measures the neighbours."""
    return min(timed(make()) for _ in range(repeat))


# --- inputs -----------------------------------------------------------------------------


def moov(name: str, folder: Path) -> Path:
    path = folder / name.removesuffix(".gz")
    path.write_bytes(gzip.decompress((SAMPLES / name).read_bytes()))
    return path


def items(n: int, seed: int) -> list[demo_statements.Item]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        credit = rng.random() < 0.45
        out.append(
            demo_statements.Item(
                credit, rng.randint(100, 5_000_000), "143" if credit else "452",
                f"LB{i:010d}", f"0710000{i:08d}", f"Client {i % 97} PPD Receiver {i % 1013}",
            )
        )  # fmt: skip
    return out


def big_bai2(folder: Path, target: int) -> Path:
    """One account, one day, ~target bytes of 16 records (about 80 bytes each)."""
    account = demo_statements.Account("Lakeshore Bank", "071000013", "4410072819", "USD")
    data, _ = demo_statements.bai2_file(
        account, DAY, items(target // 80, 1), 10**11, datetime(2026, 11, 20, 6, tzinfo=UTC)
    )
    path = folder / "large.bai2"
    path.write_bytes(data)
    return path


def big_camt(folder: Path, target: int) -> Path:
    """One camt.053.001.08 statement of ~target bytes (about 900 bytes an entry)."""
    account = demo_statements.Account("Nordhavn Bank", "NRDHDKKK", "DK5000400440116243", "EUR")
    entries = [
        demo_statements.Item(i.credit, i.amount_minor, "PMNT/ICDT/ESCT", i.bank_reference,
                             f"RY20261119{n:012d}", i.text)
        for n, i in enumerate(items(target // 900, 2))
    ]  # fmt: skip
    data, _ = demo_statements.camt053_file(
        account, DAY, entries, 10**11, datetime(2026, 11, 20, 5, tzinfo=UTC)
    )
    path = folder / "large_camt053.xml"
    path.write_bytes(data)
    return path


def big_mt940(folder: Path, target: int) -> Path:
    """Daily MT940 statements of 1,000 lines each, chained balances, ~target bytes."""
    rng, balance, parts, day, size = random.Random(3), 10**9, [], DAY, 0
    while size < target:
        lines = [rng.randint(-500_000, 500_000) or 1 for _ in range(1000)]
        closing = balance + sum(lines)
        text = [f":20:STMT{day:%Y%m%d}", ":25:NL91ABNA0417164300", f":28C:{len(parts) + 1:05d}/1",
                f":60F:{_mt_balance(balance, day)}"]  # fmt: skip
        for n, amount in enumerate(lines):
            mark = "C" if amount > 0 else "D"
            text.append(
                f":61:{day:%y%m%d}{day:%m%d}{mark}{_mt_amount(abs(amount))}NTRFREF{n}//B{n}"
            )
            text.append(f":86:/EREF/RY{day:%Y%m%d}{n:08d}/NAME/Receiver {n % 1013}")
        text += [f":62F:{_mt_balance(closing, day)}", "-"]
        chunk = "\r\n".join(text) + "\r\n"
        parts.append(chunk)
        size += len(chunk)
        balance, day = closing, day - timedelta(days=1)
    path = folder / "large.sta"
    path.write_text("".join(parts))
    return path


def _mt_amount(minor: int) -> str:
    return f"{minor // 100},{minor % 100:02d}"


def _mt_balance(minor: int, day: date) -> str:
    return f"{'C' if minor >= 0 else 'D'}{day:%y%m%d}EUR{_mt_amount(abs(minor))}"


def big_pacs002(folder: Path, target: int) -> Path:
    """One pacs.002.001.10 report of ~target bytes (about 200 bytes a status), 2 % rejected."""
    at = datetime(2026, 11, 19, 14, tzinfo=UTC)
    statuses = [
        demo_rails.Status(f"RY20261119{n:012d}", f"{n:08x}-0000-4000-8000-{n:012x}",
                          "RJCT" if n % 50 == 0 else "ACSC", "AC04" if n % 50 == 0 else "",
                          at + timedelta(milliseconds=n))
        for n in range(target // 200)
    ]  # fmt: skip
    path = folder / "large_pacs002.xml"
    path.write_bytes(demo_rails.pacs002_file("RTPSTS20261119", "RY20261119", at, statuses))
    return path


def _hex(n: int, width: int) -> str:
    return f"0x{(n * 0x9E3779B97F4A7C15) % (1 << (4 * width)):0{width}x}"


def big_usdc_logs(folder: Path, target: int) -> Path:
    """An eth_getLogs result of ~target bytes (about 600 bytes a Transfer log)."""
    rng, at = random.Random(5), datetime(2026, 11, 19, tzinfo=UTC)
    transfers = [
        demo_rails.Transfer(_hex(n // 2, 64), n % 2, _hex(n % 5003 + 1, 40),
                            rng.randint(1, 10**10), at + timedelta(seconds=n))
        for n in range(target // 600)
    ]  # fmt: skip
    path = folder / "large_usdc_logs.json"
    path.write_bytes(demo_rails.usdc_logs_file("ethereum", transfers))
    return path


def big_usdc_csv(folder: Path, target: int) -> Path:
    """An Etherscan-style token transfer export (every field quoted) of ~target bytes."""
    rng = random.Random(6)
    lines = [
        '"Transaction Hash","Blockno","UnixTimestamp","DateTime (UTC)","From","To",'
        '"TokenValue","USDValueDayOfTx","ContractAddress","TokenName","TokenSymbol"'
    ]
    for n in range(target // 290):
        stamp = 1_763_510_400 + n
        lines.append(
            f'"{_hex(n // 2, 64)}","{21_000_000 + n // 12}","{stamp}",'
            f'"{datetime.fromtimestamp(stamp, UTC):%Y-%m-%d %H:%M:%S}","{demo_rails.TREASURY}",'
            f'"{_hex(n % 5003 + 1, 40)}","{rng.randint(1, 10**7):,}.{rng.randint(0, 999999):06d}",'
            f'"$1.00","{USDC_CONTRACTS["ethereum"]}","USDC","USDC"'
        )
    path = folder / "large_usdc.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def big_card_csv(folder: Path, target: int) -> Path:
    """Our canonical card settlement layout, ~target bytes (about 95 bytes a row)."""
    rng = random.Random(4)
    rows = []
    for n in range(target // 95):
        kind = "OCT" if rng.random() < 0.85 else "AFT"
        amount = rng.randint(100, 2_000_000)
        fee, interchange = demo_rails.card_fees(kind, amount)
        rows.append(demo_rails.CardRow(f"{n:015d}", kind, amount, fee, interchange))
    path = folder / "large_card.csv"
    path.write_bytes(demo_rails.card_csv_file("VISA", DAY, rows))
    return path


def big_ledger(folder: Path, target: int) -> Path:
    """A ledger export (LEDGER_FORMAT.md) of ~target bytes (about 170 bytes a row), with
    retries, failures, returns and pending payments, written by DuckDB."""
    path = folder / "large_ledger.csv"
    con = duckdb.connect()
    con.execute(
        f"""COPY (
        WITH r AS (SELECT range + 1 AS n, CAST(hash(range) % 1000000007 AS BIGINT) AS h
                   FROM range({target // 170}))
        SELECT n AS payment_id,
            CASE WHEN n % 20 = 0 THEN n - 1 ELSE n END AS original_payment_id,
            CASE WHEN n % 20 = 0 THEN 2 ELSE 1 END AS attempt_no,
            'client_' || (h % 40) AS client_id,
            list_value('ACH', 'RTP', 'FEDNOW', 'VISA_DIRECT')[1 + h % 4] AS rail_id,
            'partner_' || (h % 7) AS partner_id,
            CASE WHEN h % 3 = 0 THEN 'pull' ELSE 'push' END AS direction,
            CASE WHEN h % 3 = 0 THEN 'debit' ELSE 'credit' END AS dc,
            'PPD' AS txn_type,
            100 + h % 5000000 AS amount_minor, 'USD' AS currency,
            strftime(TIMESTAMP '2026-11-01' + to_seconds(n * 2), '%Y-%m-%dT%H:%M:%SZ')
                AS created_at,
            CASE WHEN n % 97 = 0 THEN NULL ELSE strftime(TIMESTAMP '2026-11-01'
                + to_seconds(n * 2 + 1), '%Y-%m-%dT%H:%M:%SZ') END AS final_at,
            CASE WHEN n % 97 = 0 THEN 'pending' WHEN n % 53 = 0 THEN 'returned'
                WHEN n % 20 = 19 THEN 'failed' ELSE 'completed' END AS status,
            CASE WHEN n % 53 = 0 AND n % 97 <> 0 THEN strftime(TIMESTAMP '2026-11-03'
                + to_seconds(n * 2), '%Y-%m-%dT%H:%M:%SZ') END AS returned_at,
            CASE WHEN (n % 20 = 19 OR n % 53 = 0) AND n % 97 <> 0 THEN 'bench' END
                AS code_scheme,
            CASE WHEN (n % 20 = 19 OR n % 53 = 0) AND n % 97 <> 0 THEN 'X1' END AS code,
            'Receiver ' || (h % 1013) AS counterparty_name
        FROM r) TO '{path}' (HEADER)"""
    )
    con.close()
    return path


def same_size_csv(folder: Path, size: int) -> Path:
    """A plain CSV of about ``size`` bytes for DuckDB's read_csv (ledger-like rows)."""
    path = folder / f"duckdb_{size}.csv"
    row = "2026-11-19,VISA,000000000012345,OCT,1234.56,USD,1.48,0.00,-1236.04,VISA20261119\n"
    header = "date,network,txn_id,txn_type,amount,currency,fee,interchange,net,batch\n"
    path.write_text(header + row * (size // len(row)))
    return path


# --- what is timed ----------------------------------------------------------------------


def ours_parse(path: Path, fmt: str) -> Callable[[], object] | None:
    if fmt.startswith("ledger"):
        return None  # a bulk loader: no parser of its own (load_file is the measure)
    data = path.read_bytes()
    return lambda: sum(1 for _ in parser_for(fmt)(data, path.name))


def ours_load(path: Path, fmt: str) -> Callable[[], object]:
    """load_file into a fresh in-memory database (opened and migrated before the clock)."""
    data = path.read_bytes()
    db = open_db(":memory:")

    def run() -> None:
        try:
            result = load_file(db, data, name=path.name, format=fmt, actor="bench")
            assert result.control_ok, result.warnings[:3]
        finally:
            db.close()

    return run


def ours_catch_up(path: Path, fmt: str) -> Callable[[], object]:
    """After a ledger load (untimed): the rollup catch-up it left for its batch (derived.py),
    which the Import page and the drop-folder CLI run once after their last file."""
    db = open_db(":memory:")
    load_file(db, path.read_bytes(), name=path.name, format=fmt, actor="bench")

    def run() -> None:
        try:
            assert derived.catch_up(db)
        finally:
            db.close()

    return run


def duckdb_read_csv(path: Path) -> Callable[[], object]:
    def run() -> None:
        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')")
        con.close()

    return run


def libraries(path: Path, fmt: str) -> dict[str, Callable[[], object]]:
    """The best Python library (or two) for the format, each parsing the same file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    data = path.read_bytes()
    if fmt == "nacha":
        from ach.parser import Parser  # carta-ach

        return {"carta-ach 0.4.5": lambda: Parser(text).as_dict()}
    if fmt == "bai2":
        from bai2 import bai2

        return {"bai2 0.15.0": lambda: bai2.parse_from_string(text, check_integrity=True)}
    if fmt == "mt940":
        import mt940

        return {"mt-940 5.1.1": lambda: mt940.parse(data)}
    if fmt == "iso20022" and "pacs" in path.name:
        return {"lxml 6.1.3 iterparse": lambda: lxml_pacs(data)}
    if fmt == "usdc_logs":
        import msgspec
        import orjson

        return {
            "json (stdlib)": lambda: json.loads(data),
            f"orjson {orjson.__version__}": lambda: orjson.loads(data),
            f"msgspec {msgspec.__version__}": lambda: msgspec.json.decode(data),
        }
    if fmt == "iso20022":
        return {
            "lxml 6.1.3 iterparse": lambda: lxml_camt(data),
            "xmltodict": lambda: xmltodict_camt(data),
        }
    if fmt in ("card_csv", "ledger_csv", "usdc_csv"):
        import pandas as pd

        return {"pandas.read_csv": lambda: pd.read_csv(path, dtype=str)}
    raise ValueError(fmt)


CAMT_FIELDS = ("Amt", "CdtDbtInd", "Sts/Cd", "BookgDt/Dt", "ValDt/Dt", "AcctSvcrRef", "NtryRef",
               "NtryDtls/TxDtls/Refs/EndToEndId")  # fmt: skip


def lxml_camt(data: bytes) -> int:
    """The same entry fields with lxml's C iterparse (entities off, no network)."""
    import io

    from lxml import etree

    ns = "{urn:iso:std:iso:20022:tech:xsd:camt.053.001.08}"
    paths = ["/".join(ns + p for p in f.split("/")) for f in CAMT_FIELDS]
    n = 0
    for _, elem in etree.iterparse(io.BytesIO(data), tag=f"{ns}Ntry", resolve_entities=False,
                                   no_network=True, huge_tree=False):  # fmt: skip
        row = [elem.findtext(p) for p in paths]
        row.append(elem.find(paths[0]).get("Ccy"))
        n += 1
        elem.clear()
    return n


def lxml_pacs(data: bytes) -> int:
    """Each status's fields (the same the parser reads) with lxml's C iterparse."""
    import io

    from lxml import etree

    ns = "{urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10}"
    paths = [ns + p for p in ("OrgnlEndToEndId", "OrgnlUETR", "TxSts", "AccptncDtTm")]
    reason = f"{ns}StsRsnInf/{ns}Rsn/{ns}Cd"
    n = 0
    for _, elem in etree.iterparse(io.BytesIO(data), tag=f"{ns}TxInfAndSts",
                                   resolve_entities=False, no_network=True):  # fmt: skip
        [elem.findtext(p) for p in paths]
        elem.findtext(reason)
        n += 1
        elem.clear()
    return n


def xmltodict_camt(data: bytes) -> int:
    import xmltodict

    doc = xmltodict.parse(data, disable_entities=True)
    return len(doc["Document"]["BkToCstmrStmt"]["Stmt"]["Ntry"])


# --- the run ----------------------------------------------------------------------------


def measure(label: str, path: Path, fmt: str, folder: Path, repeat: int = 1) -> dict:
    size = path.stat().st_size
    row: dict = {"file": label, "format": fmt, "bytes": size, "repeat": repeat}
    row["ours_load_s"] = best(lambda: ours_load(path, fmt), repeat)
    if fmt.startswith("ledger"):
        row["ours_catch_up_s"] = best(lambda: ours_catch_up(path, fmt), repeat)
    row["libraries"] = {
        name: best(lambda fn=fn: fn, repeat) for name, fn in libraries(path, fmt).items()
    }
    csv_path = same_size_csv(folder, size)
    row["duckdb_read_csv_s"] = best(lambda: duckdb_read_csv(csv_path), repeat)
    csv_path.unlink()
    # Last, once: the streaming parser alone is slow and only informative, and the millions
    # of small objects it leaves behind slowed whatever was measured after it.
    parse = ours_parse(path, fmt)
    row["ours_parse_s"] = timed(parse) if parse else None
    return row


def mbps(size: int, seconds: float) -> float:
    return size / seconds / 1e6


def report(rows: list[dict]) -> str:
    """Markdown: throughput of each step; our load_file (what a user gets: the fast path
    where it applies, every check, the insert) against the best library's parse alone
    and against DuckDB's read_csv on a CSV of the same size (the targets)."""
    lines = [
        "| file | size | ours: parser alone | ours: `load_file` | best library (parse only) | "
        "DuckDB `read_csv` | load vs library | load vs DuckDB |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        size, parse, load = r["bytes"], r["ours_parse_s"], r["ours_load_s"]
        name, lib = min(r["libraries"].items(), key=lambda kv: kv[1])
        duck = r["duckdb_read_csv_s"]
        ours = f"{parse:.2f} s ({mbps(size, parse):.1f} MB/s)" if parse else "–"
        lines.append(
            f"| {r['file']} | {size / 1e6:.1f} MB | {ours} "
            f"| {load:.2f} s ({mbps(size, load):.1f} MB/s) "
            f"| {name}: {lib:.2f} s ({mbps(size, lib):.1f} MB/s) "
            f"| {duck:.2f} s ({mbps(size, duck):.0f} MB/s) "
            f"| {lib / load:.2f}x | {duck / load:.2f}x |"
        )
    for r in rows:
        if r.get("ours_catch_up_s"):
            load, up = r["ours_load_s"], r["ours_catch_up_s"]
            lines.append(
                f"\n{r['file']}: the rollup catch-up after it (once per batch of files) "
                f"{up:.2f} s; load and catch-up together {load + up:.2f} s"
            )
    return "\n".join(lines)


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem = next(
        int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )  # fmt: skip
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "ram_mib": mem, "python": platform.python_version(),
        "duckdb": duckdb.__version__, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": os.getloadavg(),
    }  # fmt: skip


def inputs(folder: Path, target: int) -> list[tuple[str, Callable[[], Path], str]]:
    """(label, how to make the file, format) for every benchmarked file."""
    return [
        ("moov PPD 100k entries", lambda: moov(f"PPD-200-batches-100000-{ACH}", folder), "nacha"),
        ("moov PPD 500k entries", lambda: moov(f"PPD-2500-batches-500000-{ACH}", folder), "nacha"),
        ("generated BAI2", lambda: big_bai2(folder, target), "bai2"),
        ("generated camt.053", lambda: big_camt(folder, target), "iso20022"),
        ("generated pacs.002", lambda: big_pacs002(folder, int(target * 0.6)), "iso20022"),
        ("generated MT940", lambda: big_mt940(folder, int(target * 0.4)), "mt940"),
        ("generated card CSV", lambda: big_card_csv(folder, target), "card_csv"),
        ("generated USDC explorer CSV", lambda: big_usdc_csv(folder, target), "usdc_csv"),
        ("generated USDC Transfer logs", lambda: big_usdc_logs(folder, target), "usdc_logs"),
        ("generated ledger CSV", lambda: big_ledger(folder, target), "ledger_csv"),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="size of generated files")
    parser.add_argument(
        "--formats", default="", help="comma-separated formats to run (default: all), e.g. nacha"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement, the fastest counts"
    )
    args = parser.parse_args(argv)
    target = int(50_000_000 * args.scale)
    wanted = {f.strip() for f in args.formats.split(",") if f.strip()}
    with tempfile.TemporaryDirectory(prefix="railyard_bench_") as tmp:
        folder = Path(tmp)
        rows = []
        for label, make, fmt in inputs(folder, target):
            if wanted and fmt not in wanted:
                continue
            path = make()
            # each file in a fresh interpreter: what one file's measurements leave behind
            # (the parser alone's millions of small objects, DuckDB's allocations) slowed
            # the next file's load by up to a third in one process
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                rows.append(pool.submit(measure, label, path, fmt, folder, args.repeat).result())
            print(f"{label}: {json.dumps(rows[-1])}", flush=True)
            path.unlink()
    result = {"machine": machine(), "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    name = "ingest.json" if not wanted else f"ingest-{'-'.join(sorted(wanted))}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["machine"]))
    print(report(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
