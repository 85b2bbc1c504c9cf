"""NACHA ACH files: forward entries, returns (addenda 99) and NOCs (addenda 98).

Hand-written streaming parser (see PARSERS.md for why no PyPI package is used). Rules
follow domain.md section 2: 94-character records, record order 1 (5 6 7* 8)+ 9, batch
and file control totals (entry/addenda count, entry hash = sum of RDFI 8-digit ids mod
10^10, debit and credit totals), block count = ceil(records / 10), optional '9' filler.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ops_core.ingest import nacha_addenda as addenda
from ops_core.ingest._common import FileTotals, Source
from ops_core.ingest.controls import Controls
from ops_core.ingest.nacha_batch import MANDATORY, Batch, PendingEntry, read_batch_header
from ops_core.ingest.nacha_fields import Rec, records
from ops_core.ingest.nacha_rules import BLOCKING_FACTOR, FILLER
from ops_core.ingest.records import AchEntry, AchNoc, AchReturn

FORMAT = "nacha"
HASH_MODULUS = 10**10
AchRecord = AchEntry | AchReturn | AchNoc | FileTotals


@dataclass
class _FileState:
    name: str
    header_seen: bool = False
    control_seen: bool = False
    batch: Batch | None = None
    entry: PendingEntry | None = None
    records: int = 0
    batches: list[Batch] = field(default_factory=list)
    last_line: int = 0
    blank_line: int | None = None
    block_count: int = 0
    control_line: int = 0
    controls: Controls = field(default_factory=Controls)


def parse_nacha(source: Source, name: str, *, strict: bool = False) -> Iterator[AchRecord]:
    """Stream a NACHA file: entries, returns and NOCs, then its FileTotals.

    Control mismatches follow controls.py: warnings unless corroborated or ``strict``."""
    state = _FileState(name, controls=Controls(strict))
    for rec in records(source, name):
        if rec is None:
            state.blank_line = state.blank_line or state.last_line + 1
            continue
        _check_no_gap(state, rec)
        state.last_line, state.records = rec.line, state.records + 1
        yield from _dispatch(state, rec)
    if not state.control_seen:
        raise Rec(name, state.last_line, "").reject(
            "file ends without a File Control (9) record", "Record Type Code", "9"
        )
    yield _totals(state)


def _check_no_gap(state: _FileState, rec: Rec) -> None:
    if state.blank_line is not None and rec.text != FILLER:
        raise Rec(state.name, state.blank_line, "").reject(
            "blank line inside the file", "Record Type Code", "a 94-character record"
        )


def _dispatch(state: _FileState, rec: Rec) -> Iterator[AchRecord]:
    kind = rec.s(1, 1)
    if state.control_seen:
        if rec.text != FILLER:
            raise rec.reject(
                "data after the File Control record", "Record Type Code", "only '9' filler records"
            )
        return
    if not state.header_seen:
        _file_header(state, rec)
    elif kind == "5":
        _open_batch(state, rec)
    elif kind in ("6", "7"):
        yield from _entry_or_addenda(state, rec, kind)
    elif kind == "8":
        yield from _close_batch(state, rec)
    elif kind == "9":
        _file_control(state, rec)
    else:
        raise rec.reject(f"unknown record type {kind!r}", "Record Type Code", "1, 5, 6, 7, 8, 9")


def _file_header(state: _FileState, rec: Rec) -> None:
    if rec.s(1, 1) != "1":
        raise rec.reject(
            "file does not start with a File Header (1) record", "Record Type Code", "1"
        )
    rec.num(2, 3, "Priority Code")  # '01' by the rules; real bank exports also send '00'
    for start, name in ((4, "Immediate Destination"), (14, "Immediate Origin")):
        if not rec.alpha(start, start + 9).isdigit():
            raise rec.reject(
                f"{name} {rec.s(start, start + 9)!r} is not a routing number",
                name,
                "' ' + 9 digits, or 10 digits",
            )
    rec.num(24, 29, "File Creation Date")
    rec.expect(35, 37, {"094"}, "Record Size")
    rec.expect(38, 39, {"10"}, "Blocking Factor")
    rec.expect(40, 40, {"1"}, "Format Code")
    state.header_seen = True


def _open_batch(state: _FileState, rec: Rec) -> None:
    if state.batch is not None:
        raise rec.reject("batch header inside an open batch", "Record Type Code", "8")
    state.batch = read_batch_header(rec)


def _entry_or_addenda(state: _FileState, rec: Rec, kind: str) -> Iterator[AchRecord]:
    batch = state.batch
    if batch is None:
        raise rec.reject(f"record type {kind} outside a batch", "Record Type Code", "5 first")
    if kind == "6":
        yield from _finish_entry(state)
        state.entry = batch.read_entry(rec)
        return
    if state.entry is None:
        raise rec.reject("addenda record without an entry", "Record Type Code", "6 first")
    state.entry.add_addenda(rec, addenda.check_addenda(rec))
    batch.entry_addenda_count += 1


def _finish_entry(state: _FileState) -> Iterator[AchRecord]:
    entry, state.entry = state.entry, None
    if entry is None or state.batch is None:
        return
    yield from entry.emit(state.batch)


def _close_batch(state: _FileState, rec: Rec) -> Iterator[AchRecord]:
    batch = state.batch
    if batch is None:
        raise rec.reject("batch control without a batch header", "Record Type Code", "5 first")
    yield from _finish_entry(state)
    batch.check_control(rec, state.controls)
    state.batches.append(batch)
    state.batch = None


def _file_control(state: _FileState, rec: Rec) -> None:
    if state.batch is not None:
        raise rec.reject("file control inside an open batch", "Record Type Code", "8 first")
    batches = state.batches
    width = 20 if batches and all(b.is_adv for b in batches) else 12
    _check_total(state, rec, (2, 7), "Batch Count", len(batches))
    positions = [(14, 21), (22, 31), (32, 31 + width), (32 + width, 31 + 2 * width)]
    for (start, end), name in zip(positions, Batch.CONTROL_FIELDS, strict=True):
        modulus = HASH_MODULUS if name == "Entry Hash" else None
        computed = sum(b.computed()[name] for b in batches)
        declared = _check_total(state, rec, (start, end), name, computed, modulus)
        rolled = sum(b.declared[name] for b in batches)
        pending = [e for b in batches for e in b.pending.get(name, [])]
        corroborated = declared == (rolled % modulus if modulus else rolled)
        state.controls.judge(pending, corroborated, "File Control")
    state.control_seen = True
    state.block_count = rec.num(8, 13, "Block Count")
    if state.block_count == 0 and batches:
        raise rec.reject("Block Count is zero: the field was not filled in", "Block Count", ">= 1")
    state.control_line = rec.line


def _check_total(
    state: _FileState,
    rec: Rec,
    span: tuple[int, int],
    name: str,
    computed: int,
    modulus: int | None = None,
) -> int:
    declared = rec.num(span[0], span[1], name)
    computed = computed % modulus if modulus else computed
    if declared == 0 and computed and name in MANDATORY:
        raise rec.reject(f"{name} is zero: the field was not filled in", name, str(computed))
    if declared != computed:
        state.controls.mismatch(
            rec.reject(
                f"{name} says {declared}, the records add up to {computed}", name, str(computed)
            )
        )
    return declared


def _totals(state: _FileState) -> FileTotals:
    blocks = -(-state.records // BLOCKING_FACTOR)
    if state.block_count != blocks:
        state.controls.mismatch(
            Rec(state.name, state.control_line, "").reject(
                f"Block Count {state.block_count} but the file has {state.records} records",
                "Block Count",
                str(blocks),
            )
        )
    batches = state.batches
    counts = {
        "batches": len(batches),
        "entries": sum(b.entries for b in batches),
        "addenda": sum(b.entry_addenda_count - b.entries for b in batches),
        "returns": sum(b.returns for b in batches),
        "nocs": sum(b.nocs for b in batches),
    }
    amounts = {
        "debit_USD": sum(b.debit for b in batches),
        "credit_USD": sum(b.credit for b in batches),
    }
    controls = state.controls
    return FileTotals(
        FORMAT, state.records, counts, amounts, controls.warnings(), control_ok=controls.ok
    )
