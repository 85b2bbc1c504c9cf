"""Which parser reads which file: the registry and auto-detection from the first bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from ops_core.errors import FileRejected
from ops_core.ingest.bai2 import parse_bai2
from ops_core.ingest.card_csv import parse_card_csv
from ops_core.ingest.card_profile import PROFILE_DIR, load_profile
from ops_core.ingest.iso20022 import parse_iso20022
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
_NACHA = re.compile(rb"^1\d\d[ 0-9A-Za-z]{20}\d{6}.{5}094")


FORMAT_LABELS: dict[str, str] = {
    "nacha": "NACHA ACH",
    "bai2": "BAI2 statement",
    "iso20022": "ISO 20022 XML (camt.052/053/054, pacs.002/004/008)",
    "mt940": "SWIFT MT940/MT942",
    "card_csv": "Card settlement CSV (Railyard layout)",
    "usdc_logs": "USDC Transfer logs (eth_getLogs JSON)",
    "usdc_csv": "USDC explorer CSV export",
}


def format_choices() -> dict[str, str]:
    """Every format a user can pick (card CSV once per bundled profile) -> its label."""
    choices = dict(FORMAT_LABELS)
    for path in sorted(PROFILE_DIR.glob("*.json")):
        if path.stem != "canonical":
            choices[f"card_csv:{path.stem}"] = f"Card settlement CSV, profile {path.stem}"
    return choices


def parser_for(fmt: str) -> Parser:
    """'nacha', 'bai2', ... or 'card_csv:<profile>' for a card report mapped by a profile."""
    base, _, profile = fmt.partition(":")
    if base not in PARSERS:
        raise FileRejected(
            "(format)",
            f"unknown format {fmt!r}",
            field="format",
            expected=", ".join(sorted(PARSERS)),
        )
    if profile:
        if base != "card_csv":
            raise FileRejected("(format)", f"{base} takes no profile", field="format")
        return partial(parse_card_csv, profile=profile)
    return PARSERS[base]


def detect_format(head: bytes, name: str) -> str:
    """Guess the format from the first few KB; FileRejected when nothing fits."""
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
    if b":20:" in text or text.startswith(b"{1:"):
        return "mt940"
    if b"network_txn_id" in first and b"settlement_date" in first:
        return "card_csv"
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
        "USDC logs JSON or explorer CSV (or pass format=)",
    )


def _profile_with_header(text: bytes) -> str | None:
    """A bundled multi-section profile whose header row starts one of the first lines."""
    lines = [line.strip() for line in text.splitlines()[:40]]
    for path in sorted(PROFILE_DIR.glob("*.json")):
        profile = load_profile(path)
        if not profile.header_row:
            continue
        delimiter = profile.delimiter.encode()
        start = delimiter.join(cell.encode() for cell in profile.header_row)
        if any(line.startswith(start + delimiter) for line in lines):
            return path.stem
    return None
