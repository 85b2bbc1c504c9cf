"""Rail and chain files of the demo: pacs.002 status reports (RTP, FedNow), card push
settlement reports (CARD_SETTLEMENT_FORMAT.md) and USDC Transfer logs (eth_getLogs JSON).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from ops_core.ingest.usdc import TRANSFER_TOPIC, USDC_CONTRACTS

# A fictional treasury wallet the demo's USDC payouts are sent from.
TREASURY = "0x5ca1ab1e0000000000000000000000000000da7a"
BLOCK_ZERO = (21_000_000, 1_730_000_000)  # (block, unix time) anchor; ~12 s per block


@dataclass(frozen=True)
class Status:
    """One pacs.002 TxInfAndSts: the rail's verdict on a payment we sent."""

    end_to_end_id: str
    uetr: str
    status: str  # ACSC, RJCT
    reason: str  # ISO reason code when RJCT
    at: datetime


def pacs002_file(
    msg_id: str, original_msg_id: str, created: datetime, items: Sequence[Status]
) -> bytes:
    """A pacs.002.001.10 report of many statuses (one TxInfAndSts each)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">\n'
        f"<FIToFIPmtStsRpt><GrpHdr><MsgId>{escape(msg_id)}</MsgId>"
        f"<CreDtTm>{created:%Y-%m-%dT%H:%M:%SZ}</CreDtTm></GrpHdr>\n"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{escape(original_msg_id)}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>\n"
    )
    body = [_status(s) for s in items]
    return (head + "".join(body) + "</FIToFIPmtStsRpt>\n</Document>\n").encode()


def _status(s: Status) -> str:
    reason = f"<StsRsnInf><Rsn><Cd>{escape(s.reason)}</Cd></Rsn></StsRsnInf>" if s.reason else ""
    return (
        f"<TxInfAndSts><OrgnlEndToEndId>{escape(s.end_to_end_id)}</OrgnlEndToEndId>"
        f"<OrgnlUETR>{escape(s.uetr)}</OrgnlUETR><TxSts>{s.status}</TxSts>{reason}"
        f"<AccptncDtTm>{s.at:%Y-%m-%dT%H:%M:%S}Z</AccptncDtTm></TxInfAndSts>\n"
    )


@dataclass(frozen=True)
class CardRow:
    network_txn_id: str
    txn_type: str  # OCT | AFT
    amount_minor: int
    fee_minor: int
    interchange_minor: int


def card_fees(txn_type: str, amount_minor: int) -> tuple[int, int]:
    """(fee, interchange) in cents: a flat 25c + 0.10% processing fee; an AFT pays 0.80%
    interchange, an OCT none (demo rates, not a network's price list)."""
    fee = 25 + amount_minor * 10 // 10_000
    interchange = amount_minor * 80 // 10_000 if txn_type == "AFT" else 0
    return fee, interchange


def card_csv_file(network: str, settlement_day: date, rows: Sequence[CardRow]) -> bytes:
    """Our canonical settlement layout: net = amount - costs in, -(amount + costs) out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["settlement_date", "network", "network_txn_id", "txn_type", "amount", "currency",
         "fee", "interchange", "net", "batch_id"]
    )  # fmt: skip
    batch = f"{network[:4]}{settlement_day:%Y%m%d}"
    for r in rows:
        costs = r.fee_minor + r.interchange_minor
        net = r.amount_minor - costs if r.txn_type == "AFT" else -(r.amount_minor + costs)
        writer.writerow(
            [f"{settlement_day:%Y-%m-%d}", network, r.network_txn_id, r.txn_type,
             _cents(r.amount_minor), "USD", _cents(r.fee_minor), _cents(r.interchange_minor),
             _cents(net), batch]
        )  # fmt: skip
    return out.getvalue().encode()


def _cents(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2).quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Transfer:
    tx_hash: str
    log_index: int
    to_address: str
    amount_minor: int  # USDC base units (10^-6)
    at: datetime


def usdc_logs_file(chain: str, transfers: Sequence[Transfer]) -> bytes:
    """An eth_getLogs-style result for the USDC contract: one Transfer log each."""
    contract = USDC_CONTRACTS[chain]
    logs = []
    for t in transfers:
        seconds = int(t.at.timestamp())
        logs.append({
            "address": contract,
            "topics": [TRANSFER_TOPIC, _topic(TREASURY), _topic(t.to_address)],
            "data": f"0x{t.amount_minor:064x}",
            "blockNumber": hex(block_at(seconds)),
            "blockTimestamp": hex(seconds),
            "transactionHash": t.tx_hash,
            "logIndex": hex(t.log_index),
            "removed": False,
        })  # fmt: skip
    return (json.dumps({"chain": chain, "result": logs}, indent=1) + "\n").encode()


def block_at(unix_seconds: int) -> int:
    return BLOCK_ZERO[0] + (unix_seconds - BLOCK_ZERO[1]) // 12


def _topic(address: str) -> str:
    return "0x" + "0" * 24 + address.lower().removeprefix("0x")
