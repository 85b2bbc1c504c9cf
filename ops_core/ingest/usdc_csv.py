"""Block-explorer (Etherscan-style) token transfer CSV exports of USDC.

Column names differ between explorer pages, so each field accepts a few aliases. The
export has no log index: the ordinal of the transfer within its transaction in the
file is used instead, and the file says so in its warnings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, minor_units, open_binary
from ops_core.ingest.records import ChainTransfer
from ops_core.ingest.usdc import _ADDRESS, _HASH, CURRENCY, USDC_CONTRACTS

FORMAT = "usdc_csv"
ALIASES: dict[str, tuple[str, ...]] = {
    "tx_hash": ("Transaction Hash", "Txhash", "Txn Hash"),
    "block": ("Blockno", "Block Number", "Block"),
    "time": ("UnixTimestamp", "Unix Timestamp"),
    "from": ("From", "From Address"),
    "to": ("To", "To Address"),
    "quantity": ("TokenValue", "Quantity", "Value", "Amount"),
    "contract": ("ContractAddress", "Contract Address", "Token Contract"),
    "chain": ("Chain", "Network"),
}
REQUIRED = ("tx_hash", "block", "time", "from", "to", "quantity")
WARNING = "explorer CSV has no logIndex: ordinal within the transaction used"


def _columns(header: list[str], name: str) -> dict[str, int]:
    cells = [c.strip() for c in header]
    found: dict[str, int] = {}
    for field, names in ALIASES.items():
        for alias in names:
            if alias in cells:
                found[field] = cells.index(alias)
                break
    missing = [ALIASES[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise FileRejected(
            name,
            f"header lacks {', '.join(missing)}",
            line=1,
            field="header",
            expected="an explorer token-transfer export",
        )
    return found


def parse_usdc_csv(
    source: Source, name: str, chain: str = "ethereum", *, strict: bool = False
) -> Iterator[ChainTransfer | FileTotals]:
    """Transfers from an explorer CSV export (no control totals: ``strict`` changes nothing)."""
    ordinals: dict[str, int] = {}
    total = rows = 0
    with open_binary(source) as stream:
        reader = csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
        try:
            cols = _columns(next(reader, []), name)
            for raw in reader:
                if not any(c.strip() for c in raw):
                    continue
                transfer = _row(raw, cols, chain, name, reader.line_num, ordinals)
                rows, total = rows + 1, total + transfer.amount_minor
                yield transfer
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileRejected(
                name, f"unreadable CSV: {exc}", line=reader.line_num, expected="UTF-8 CSV"
            ) from None
    if not rows:
        raise FileRejected(name, "no transfers", line=1, expected="at least one row")
    yield FileTotals(
        FORMAT,
        rows,
        {"transfers": rows},
        {"USDC": total},
        (WARNING,),
    )


def _cell(raw: list[str], cols: dict[str, int], field: str, name: str, line: int) -> str:
    index = cols.get(field)
    if index is None:
        return ""
    if index >= len(raw):
        raise FileRejected(
            name,
            f"row has {len(raw)} cells",
            line=line,
            field=ALIASES[field][0],
            expected=f"at least {index + 1}",
        )
    return raw[index].strip().strip('"')


def _row(
    raw: list[str], cols: dict[str, int], chain: str, name: str, line: int, ordinals: dict[str, int]
) -> ChainTransfer:
    def cell(field: str) -> str:
        return _cell(raw, cols, field, name, line)

    chain = (cell("chain") or chain).lower()
    contract = (cell("contract") or USDC_CONTRACTS.get(chain, "")).lower()
    if USDC_CONTRACTS.get(chain) != contract:
        raise FileRejected(
            name,
            f"contract {contract!r} is not USDC on {chain}",
            line=line,
            field="ContractAddress",
            expected=USDC_CONTRACTS.get(chain, "?"),
        )
    tx_hash, sender, receiver = cell("tx_hash").lower(), cell("from").lower(), cell("to").lower()
    for field, value, pattern in (
        ("Transaction Hash", tx_hash, _HASH),
        ("From", sender, _ADDRESS),
        ("To", receiver, _ADDRESS),
    ):
        if not pattern.fullmatch(value):
            raise FileRejected(
                name, f"bad {field} {value!r}", line=line, field=field, expected="0x-prefixed hex"
            )
    block, stamp = cell("block"), cell("time")
    if not (block.isdigit() and stamp.isdigit() and len(stamp) <= 11 and len(block) <= 18):
        raise FileRejected(
            name,
            "block number and timestamp must be integers",
            line=line,
            field="Blockno",
            expected="digits",
        )
    amount = minor_units(
        cell("quantity").replace(",", ""), CURRENCY, file=name, line=line, field="TokenValue"
    )
    ordinal = ordinals.get(tx_hash, 0)
    ordinals[tx_hash] = ordinal + 1
    return ChainTransfer(
        chain=chain, tx_hash=tx_hash, log_index=ordinal, block_number=int(block),
        contract=contract, from_address=sender, to_address=receiver, amount_minor=amount,
        currency=CURRENCY, removed=False,
        block_time=datetime.fromtimestamp(int(stamp), tz=UTC), line=line,
    )  # fmt: skip
