"""Which parser reads which file: the registry and auto-detection from the first bytes.

Three kinds of reader: a streaming parser (records, then FileTotals) for every bank, rail
and chain format; a fast path tried before some of them (it returns None when it cannot
vouch for the file, and the parser then runs); and bulk loaders that stage the file in
DuckDB and write with SQL (the ledger export). ``plan_for`` says which apply to a format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import duckdb

from ops_core.errors import FileRejected
from ops_core.ingest import dispute_profile
from ops_core.ingest.bai2 import parse_bai2
from ops_core.ingest.bulk import BulkLoader, FastPath
from ops_core.ingest.card_csv import parse_card_csv
from ops_core.ingest.card_profile import CARD, PROFILE_DIR, load_profile
from ops_core.ingest.csv_profiles import resolve
from ops_core.ingest.dispute_csv import FORMAT as DISPUTE_CSV
from ops_core.ingest.dispute_csv import load_dispute_report
from ops_core.ingest.fast_bai2 import fast_bai2
from ops_core.ingest.fast_card import fast_card
from ops_core.ingest.fast_iso import fast_iso20022
from ops_core.ingest.fast_mt940 import fast_mt940
from ops_core.ingest.fast_nacha import fast_nacha
from ops_core.ingest.fast_usdc import fast_usdc_csv
from ops_core.ingest.fast_usdc_logs import fast_usdc_logs
from ops_core.ingest.iso20022 import parse_iso20022
from ops_core.ingest.ledger import fast_ledger_csv, load_ledger_csv, load_ledger_parquet
from ops_core.ingest.mapped_csv import parse_mapped_csv
from ops_core.ingest.mt940 import parse_mt940
from ops_core.ingest.nacha import parse_nacha
from ops_core.ingest.usdc import parse_usdc_logs
from ops_core.ingest.usdc_csv import parse_usdc_csv

Parser = Callable[..., Iterator[Any]]  # (source, name, *, strict=False) -> records, FileTotals
PARSERS: dict[str, Parser] = {
    "nacha": parse_nacha,
    "bai2": parse_bai2,
    "iso20022": parse_iso20022,
    "mt940": parse_mt940,
    "card_csv": parse_card_csv,
    "usdc_logs": parse_usdc_logs,
    "usdc_csv": parse_usdc_csv,
}
BULK: dict[str, BulkLoader] = {
    "ledger_csv": load_ledger_csv,
    "ledger_parquet": load_ledger_parquet,
}
FAST: dict[str, FastPath] = {
    "nacha": fast_nacha,
    "bai2": fast_bai2,
    "mt940": fast_mt940,
    "card_csv": fast_card,
    "iso20022": fast_iso20022,
    "usdc_csv": fast_usdc_csv,
    "usdc_logs": fast_usdc_logs,
    "ledger_csv": fast_ledger_csv,
}
GENERIC_CSV = "csv"
_NACHA = re.compile(rb"^1\d\d[ 0-9A-Za-z]{20}\d{6}.{5}094")
_LEDGER_COLUMNS = (b"payment_id", b"rail_id")


FORMAT_LABELS: dict[str, str] = {
    "nacha": "NACHA ACH",
    "bai2": "BAI2 statement",
    "iso20022": "ISO 20022 XML (camt.052/053/054, pacs.002/004/008)",
    "mt940": "SWIFT MT940/MT942",
    "card_csv": "Card settlement CSV (Railyard layout)",
    "usdc_logs": "USDC Transfer logs (eth_getLogs JSON)",
    "usdc_csv": "USDC explorer CSV export",
    "ledger_csv": "Ledger export CSV (Railyard layout)",
    "ledger_parquet": "Ledger export Parquet (Railyard layout)",
    GENERIC_CSV: "Generic CSV (saved mapping)",
    DISPUTE_CSV: "Card dispute report CSV (Railyard layout; opens and advances cases)",
}


@dataclass(frozen=True)
class Plan:
    """How a format is loaded: a bulk loader or a parser, either with an optional fast path
    (tried first; None, or a duckdb.Error and a rollback, leaves the file to the other)."""

    parse: Parser | None = None
    bulk: BulkLoader | None = None
    fast: FastPath | None = None


def plan_for(fmt: str, cur: duckdb.DuckDBPyConnection) -> Plan:
    """The reader(s) for a format id; ``csv:<profile>`` looks the profile up with ``cur``."""
    base, _, profile = fmt.partition(":")
    if base == DISPUTE_CSV:  # a bulk reader: writes the rows, then opens/advances the cases
        found = dispute_profile.resolve(cur, profile or "canonical")
        return Plan(bulk=partial(load_dispute_report, profile=found))
    if base in BULK:
        if profile:
            raise FileRejected("(format)", f"{base} takes no profile", field="format")
        return Plan(bulk=BULK[base], fast=FAST.get(base))
    if base == GENERIC_CSV:
        if not profile:
            raise FileRejected(
                "(format)", "a generic CSV needs a saved mapping profile", field="format",
                expected="csv:<profile name>",
            )  # fmt: skip
        return Plan(parse=partial(parse_mapped_csv, profile=resolve(cur, profile)))
    return Plan(parse=parser_for(fmt), fast=FAST.get(fmt))


def format_choices() -> dict[str, str]:
    """Every format a user can pick (card CSV once per bundled profile) -> its label."""
    choices = dict(FORMAT_LABELS)
    for path in sorted(PROFILE_DIR.glob("*.json")):
        if path.stem != "canonical" and load_profile(path).target == CARD:
            choices[f"card_csv:{path.stem}"] = f"Card settlement CSV, profile {path.stem}"
    for name in dispute_profile.bundled_names():
        if name != "canonical":
            choices[f"{DISPUTE_CSV}:{name}"] = f"Card dispute report CSV, profile {name}"
    return choices


def parser_for(fmt: str) -> Parser:
    """'nacha', 'bai2', ... or 'card_csv:<profile>' for a card report mapped by a profile."""
    base, _, profile = fmt.partition(":")
    if base not in PARSERS:
        raise FileRejected(
            "(format)",
            f"unknown format {fmt!r}",
            field="format",
            expected=", ".join(sorted([*PARSERS, *BULK, f"{GENERIC_CSV}:<profile>"])),
        )
    if profile:
        if base != "card_csv":
            raise FileRejected("(format)", f"{base} takes no profile", field="format")
        return partial(parse_card_csv, profile=profile)
    return PARSERS[base]


def detect_format(head: bytes, name: str) -> str:
    """Guess the format from the first few KB; FileRejected when nothing fits."""
    if head.startswith(b"PAR1"):
        return "ledger_parquet"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    first = text.split(b"\n", 1)[0]
    if text.startswith(b"{\\rtf"):
        raise FileRejected(
            name,
            "an RTF (word-processor) document, not a bank file",
            line=1,
            field="format",
            expected="the file exactly as the bank sent it (plain text), not a saved copy",
        )
    if text.startswith(b"<"):
        return "iso20022"
    if text[:1] in (b"[", b"{") and not text.startswith(b"{1:"):
        return "usdc_logs"
    if _NACHA.match(text):
        return "nacha"
    if text.startswith(b"01,"):
        return "bai2"
    # CSV headers before MT940: a CSV full of times ("10:20:05") holds ":20:"
    if all(column in first for column in _LEDGER_COLUMNS):
        return "ledger_csv"
    if b"dispute_id" in first and b"reason_code" in first:
        return DISPUTE_CSV
    if b"network_txn_id" in first and b"settlement_date" in first:
        return "card_csv"
    if b":20:" in text or text.startswith(b"{1:"):
        return "mt940"
    if any(alias in first for alias in (b"Txhash", b"Transaction Hash", b"Txn Hash")):
        return "usdc_csv"
    profile = _profile_with_header(text)
    if profile:
        return f"card_csv:{profile}"
    raise FileRejected(
        name,
        "cannot tell the file format",
        line=1,
        field="format",
        expected="NACHA, BAI2, ISO 20022 XML, MT940, card settlement CSV, "
        "USDC logs JSON or explorer CSV, a ledger export (or pass format=, e.g. "
        "csv:<profile> for a CSV with a saved mapping)",
    )


def _profile_with_header(text: bytes) -> str | None:
    """A bundled multi-section profile whose header row starts one of the first lines."""
    lines = [line.strip() for line in text.splitlines()[:40]]
    for path in sorted(PROFILE_DIR.glob("*.json")):
        profile = load_profile(path)
        if not profile.header_row or profile.target != CARD:
            continue
        delimiter = profile.delimiter.encode()
        start = delimiter.join(cell.encode() for cell in profile.header_row)
        if any(line.startswith(start + delimiter) for line in lines):
            return path.stem
    return None
