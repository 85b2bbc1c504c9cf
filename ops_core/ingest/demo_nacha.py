"""NACHA files the demo's ODFIs send back: returns (addenda 99) and NOCs (addenda 98).

Layouts follow domain.md 2.2 (the same positions ``nacha_fields`` reads): 94-character
records, one batch per (client, SEC code), batch and file controls with entry hash, and
'9' filler to a multiple of 10 records. Names are folded to ASCII, as NACHA requires.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ops_core.ingest.nacha_rules import BLOCKING_FACTOR, FILLER, RECORD_LENGTH, check_digit

FED = " 011000015"  # the Federal Reserve's routing number, as immediate origin
HASH_MODULUS = 10**10


@dataclass(frozen=True)
class Odfi:
    """The demo partner bank that originated the entries and now relays returns."""

    partner_id: str
    name: str
    dfi8: str  # the 8-digit prefix the demo's trace numbers carry

    @property
    def routing(self) -> str:
        return f"{self.dfi8}{check_digit(self.dfi8)}"


@dataclass(frozen=True)
class ReturnItem:
    """One entry to send back: a return (code R..) or a notification of change (C..)."""

    payment_id: int
    client_id: str
    client_name: str
    sec: str
    dc: str  # direction of the original entry: 'credit' (push) or 'debit' (pull)
    amount_minor: int  # 0 for a NOC
    code: str
    original_trace: str
    name: str
    account: str
    corrected_data: str = ""  # NOC only


def ascii_text(text: str, width: int) -> str:
    """NACHA is upper-case ASCII: fold accents ('Müller' -> 'MULLER'), pad or cut."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.upper()[:width].ljust(width)


def receiver_dfi(payment_id: int) -> str:
    """A stable fictional 8-digit RDFI id for the receiver's bank."""
    return f"{(zlib.crc32(f'rdfi:{payment_id}'.encode()) % 90_000_000) + 10_000_000:08d}"


def company_id(client_id: str) -> str:
    return f"1{zlib.crc32(client_id.encode()) % 10**9:09d}"


def ach_file(
    odfi: Odfi, items: Sequence[ReturnItem], day: date, created: datetime, file_id: str
) -> bytes:
    """A return or NOC file: file header, one batch per (client, SEC), file control, filler."""
    records = [_file_header(odfi, created, file_id)]
    batches: dict[tuple[str, str], list[ReturnItem]] = {}
    for item in items:
        batches.setdefault((item.client_id, _sec(item)), []).append(item)
    totals = [0, 0, 0, 0]  # entry/addenda count, entry hash, debit, credit
    for number, ((_, sec), batch) in enumerate(sorted(batches.items()), start=1):
        lines, sums = _batch(odfi, batch, sec, day, number)
        records += lines
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
    blocks = -(-(len(records) + 1) // BLOCKING_FACTOR)
    records.append(_file_control(len(batches), blocks, totals))
    records += [FILLER] * (blocks * BLOCKING_FACTOR - len(records))
    assert all(len(r) == RECORD_LENGTH for r in records), "a record is not 94 characters"
    return ("\n".join(records) + "\n").encode("ascii")


def _sec(item: ReturnItem) -> str:
    if item.code.startswith("C"):
        return "COR"
    # TEL is debit-only (domain.md 2.4): a demo TEL credit goes back in a PPD batch.
    return "PPD" if item.sec == "TEL" and item.dc == "credit" else item.sec


def _file_header(odfi: Odfi, created: datetime, file_id: str) -> str:
    return (
        f"101 {odfi.routing}{FED}{created:%y%m%d%H%M}A094101"
        f"{ascii_text('RAILYARD PAYMENTS', 23)}{ascii_text(odfi.name, 23)}{file_id[:8]:<8}"
    )


def _batch(
    odfi: Odfi, items: Sequence[ReturnItem], sec: str, day: date, number: int
) -> tuple[list[str], list[int]]:
    first = items[0]
    header = (
        f"5200{ascii_text(first.client_name, 16)}{'':20}{company_id(first.client_id)}{sec}"
        f"{'RETURN' if sec != 'COR' else 'NOC':<10}{day:%y%m%d}{day:%y%m%d}   1"
        f"{odfi.dfi8}{number:07d}"
    )
    lines, count, entry_hash, debit, credit = [header], 0, 0, 0, 0
    for seq, item in enumerate(items, start=1):
        entry, addenda = _entry(odfi, item, seq)
        lines += [entry, addenda]
        count += 2
        entry_hash += int(odfi.dfi8)
        if item.dc == "credit":  # a returned credit comes back as code 21 (a credit)
            credit += item.amount_minor
        else:
            debit += item.amount_minor
    control = (
        f"8200{count:06d}{entry_hash % HASH_MODULUS:010d}{debit:012d}{credit:012d}"
        f"{company_id(first.client_id)}{'':25}{odfi.dfi8}{number:07d}"
    )
    return [*lines, control], [count, entry_hash, debit, credit]


def _entry(odfi: Odfi, item: ReturnItem, seq: int) -> tuple[str, str]:
    """The entry (back to the ODFI, code 21 for a credit, 26 for a debit) and its addenda."""
    code = "21" if item.dc == "credit" else "26"
    rdfi = receiver_dfi(item.payment_id)
    trace = f"{rdfi}{seq:07d}"
    entry = (
        f"6{code}{odfi.routing}{item.account[:17]:<17}{item.amount_minor:010d}"
        f"{'RY' + str(item.payment_id):<15}{ascii_text(item.name, 22)}  1{trace}"
    )
    if item.code.startswith("C"):  # addenda 98 (domain.md 1.3)
        addenda = (
            f"798{item.code}{item.original_trace}{'':6}{rdfi}"
            f"{item.corrected_data[:29]:<29}{'':15}{trace}"
        )
    else:  # addenda 99 (domain.md 1.4)
        addenda = f"799{item.code}{item.original_trace}{'':6}{rdfi}{'':44}{trace}"
    return entry, addenda


def _file_control(batches: int, blocks: int, totals: Iterable[int]) -> str:
    count, entry_hash, debit, credit = totals
    return (
        f"9{batches:06d}{blocks:06d}{count:08d}{entry_hash % HASH_MODULUS:010d}"
        f"{debit:012d}{credit:012d}{'':39}"
    )
