"""USDC transfers: raw ERC-20 Transfer logs (eth_getLogs JSON) and explorer CSV exports.

domain.md 8.1 (contract allowlist per chain, 6 decimals) and 8.3 (log fields; key is
(chain, transactionHash, logIndex)). USDC base units are already minor units (10^-6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, open_binary
from ops_core.ingest.records import ChainTransfer

FORMAT = "usdc_logs"
CURRENCY = "USDC"
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
# domain.md 8.1: native USDC per chain (EVM only; compared lower-case).
USDC_CONTRACTS: dict[str, str] = {
    "ethereum": "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48",
    "base": "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913",
    "arbitrum": "0xaf88d065e77c8cc2239327c5edb3a432268e5831",
    "optimism": "0x0b2c639c533813f4aa9d7837caf62653d097ff85",
    "polygon": "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359",
    "avalanche": "0xb97ef9ef8734c71904d8002f8b6bc66dd9c48a6e",
    "ethereum-sepolia": "0x1c7d4b196cb0c7b01d743fbc6116a902379c7238",
    "base-sepolia": "0x036cbd53842c5426634e7929541ec2318f3dcf7e",
    "arbitrum-sepolia": "0x75faf114eafb1bdbe2f0316df893fd58ce46aa4d",
}
_HASH = re.compile(r"0x[0-9a-f]{64}")  # fullmatch: "$" would let a final line break through
_ADDRESS = re.compile(r"0x[0-9a-f]{40}")


def _reject(name: str, message: str, path: str, field: str, expected: str) -> FileRejected:
    return FileRejected(name, message, path=path, field=field, expected=expected)


def _logs(data: Any, name: str) -> tuple[str, list[Any]]:
    """(chain, logs) from a bare list, a JSON-RPC response, or {"chain", "logs"|"result"}."""
    chain = "ethereum"
    if isinstance(data, dict):
        chain = str(data.get("chain", chain)).lower()
        data = data.get("result", data.get("logs"))
    if not isinstance(data, list):
        raise _reject(name, "no log list found", "$", "result", "a JSON array of logs")
    if chain not in USDC_CONTRACTS:
        raise _reject(
            name, f"unknown chain {chain!r}", "$.chain", "chain", ", ".join(USDC_CONTRACTS)
        )
    return chain, data


def _int(value: Any, name: str, path: str, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and re.fullmatch(r"0x[0-9a-fA-F]{1,64}", value):
        return int(value, 16)
    raise _reject(name, f"{field} {value!r} is not a number", path, field, "0x-hex or integer")


def _bounded(value: Any, name: str, path: str, field: str, bits: int) -> int:
    """_int below 2^bits: what the column holds (log_index INTEGER, block_number BIGINT)."""
    number = _int(value, name, path, field)
    if number >= 2**bits:
        raise _reject(name, f"{field} {value!r} out of range", path, field, f"< 2^{bits}")
    return number


def _address_topic(topic: Any, name: str, path: str, field: str) -> str:
    if not isinstance(topic, str) or not re.fullmatch(r"0x0{24}[0-9a-fA-F]{40}", topic):
        raise _reject(
            name,
            f"{field} topic {topic!r} is not a padded address",
            path,
            field,
            "0x + 24 zeros + 40 hex digits",
        )
    return "0x" + topic[-40:].lower()


def transfer_from_log(log: Any, chain: str, name: str, index: int) -> ChainTransfer:
    path = f"$[{index}]"
    if not isinstance(log, dict):
        raise _reject(name, "log is not an object", path, "log", "an eth_getLogs entry")
    contract = str(log.get("address", "")).lower()
    if contract != USDC_CONTRACTS[chain]:
        raise _reject(
            name,
            f"contract {contract} is not USDC on {chain}",
            path,
            "address",
            USDC_CONTRACTS[chain],
        )
    topics = log.get("topics")
    if not isinstance(topics, list) or len(topics) != 3 or str(topics[0]).lower() != TRANSFER_TOPIC:
        raise _reject(
            name, "not an ERC-20 Transfer log", path, "topics", f"[{TRANSFER_TOPIC}, from, to]"
        )
    tx_hash = str(log.get("transactionHash", "")).lower()
    if not _HASH.fullmatch(tx_hash):
        raise _reject(
            name, f"bad transaction hash {tx_hash!r}", path, "transactionHash", "0x + 64 hex digits"
        )
    _max_amount(log.get("data"), name, path)
    removed = log.get("removed", False)
    if not isinstance(removed, bool):
        raise _reject(name, f"removed {removed!r}", path, "removed", "true or false")
    return ChainTransfer(
        chain=chain, tx_hash=tx_hash,
        log_index=_bounded(log.get("logIndex"), name, path, "logIndex", 31),
        block_number=_bounded(log.get("blockNumber"), name, path, "blockNumber", 63),
        contract=contract,
        from_address=_address_topic(topics[1], name, path, "topics[1]"),
        to_address=_address_topic(topics[2], name, path, "topics[2]"),
        amount_minor=_int(log.get("data"), name, path, "data"), currency=CURRENCY,
        removed=removed, block_time=_block_time(log.get("blockTimestamp"), name, path),
    )  # fmt: skip


def _max_amount(data: Any, name: str, path: str) -> None:
    """uint256 on chain, but no real USDC amount reaches 2^63 base units (BIGINT)."""
    if _int(data, name, path, "data") >= 2**63:
        raise _reject(name, "transfer value out of range", path, "data", "< 2^63 base units")


def _block_time(value: Any, name: str, path: str) -> datetime | None:
    if value is None:
        return None
    seconds = _int(value, name, path, "blockTimestamp")
    if seconds > 10**11:
        raise _reject(
            name,
            f"blockTimestamp {value!r} out of range",
            path,
            "blockTimestamp",
            "seconds since 1970",
        )
    return datetime.fromtimestamp(seconds, tz=UTC)


def parse_usdc_logs(
    source: Source, name: str, *, strict: bool = False
) -> Iterator[ChainTransfer | FileTotals]:
    """Transfers from an eth_getLogs result (the whole document is read: JSON is not
    line-oriented; the loader's size limit bounds it). Logs carry no control totals, so
    ``strict`` changes nothing."""
    with open_binary(source) as stream:
        try:
            data = json.load(stream)
        except (ValueError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            raise FileRejected(
                name, f"not JSON: {exc}", line=line, expected="an eth_getLogs result"
            ) from None
    chain, logs = _logs(data, name)
    seen: set[tuple[str, int]] = set()
    total = 0
    for index, log in enumerate(logs):
        transfer = transfer_from_log(log, chain, name, index)
        key = (transfer.tx_hash, transfer.log_index)
        if key in seen:
            raise _reject(name, f"duplicate log {key}", f"$[{index}]", "logIndex", "unique")
        seen.add(key)
        total += 0 if transfer.removed else transfer.amount_minor
        yield transfer
    yield FileTotals(
        FORMAT, len(logs), {"transfers": len(logs)}, {"USDC": total}, kind=f"chain {chain}"
    )
