"""Card settlement CSV (canonical layout and the Vipps profile) and USDC transfers."""

from __future__ import annotations

import json

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest.card_csv import parse_card_csv
from ops_core.ingest.records import CardSettlement, ChainTransfer
from ops_core.ingest.usdc import TRANSFER_TOPIC, USDC_CONTRACTS, parse_usdc_logs
from ops_core.ingest.usdc_csv import parse_usdc_csv
from tests.ingest.conftest import sample

VIPPS = (
    "processor_reports/vippsas_vipps-developers@569feab0f992/settlements/csv/settlement-report.csv"
)
HEADER = (
    b"settlement_date,network,network_txn_id,txn_type,amount,currency,fee,interchange,net,"
    b"batch_id\n"
)


def test_canonical_layout_rows() -> None:
    data = HEADER + (
        b"2026-03-02,VISA,381234,OCT,100.00,USD,0.25,0.10,-100.35,B1\n"
        b"2026-03-02,MASTERCARD,MC99,AFT,50.00,USD,0.50,0.20,49.30,B1\n"
    )
    rows = [r for r in parse_card_csv(data, "visa.csv") if isinstance(r, CardSettlement)]
    assert [(r.txn_type, r.amount_minor, r.fee_minor, r.net_minor) for r in rows] == [
        ("OCT", 10000, 25, -10035),
        ("AFT", 5000, 50, 4930),
    ]


def test_a_net_that_does_not_add_up_is_a_control_mismatch() -> None:
    row = b"2026-03-02,VISA,1,OCT,100.00,USD,0.25,0.10,-100.00,B1\n"
    totals = list(parse_card_csv(HEADER + row, "visa.csv"))[-1]
    assert not totals.control_ok
    assert totals.warnings == (
        "control mismatch: line 2, field net: net -10000 does not equal the amount after fee "
        "and interchange (-10035, minor units) (expected -10035)",
    )
    with pytest.raises(FileRejected) as err:
        list(parse_card_csv(HEADER + row, "visa.csv", strict=True))
    assert (err.value.line, err.value.field) == (2, "net")


@pytest.mark.parametrize(("row", "field"), [
    (b"2026-13-02,VISA,1,OCT,100.00,USD,0,0,-100.00,B1\n", "settlement_date"),
    (b"2026-03-02,VISA,1,OCT,100.001,USD,0,0,-100.00,B1\n", "amount"),
    (b"2026-03-02,VISA,1,OCT,1,00,USD,0,0,-1.00,B1\n", "amount"),
])  # fmt: skip
def test_canonical_layout_rejections(row: bytes, field: str) -> None:
    with pytest.raises(FileRejected) as err:
        list(parse_card_csv(HEADER + row, "visa.csv"))
    assert err.value.line == 2 and err.value.field == field


def test_vipps_report_maps_through_profile(samples) -> None:
    records = list(parse_card_csv(sample(VIPPS), "settlement-report.csv", "vipps_settlement"))
    rows = [r for r in records if isinstance(r, CardSettlement)]
    assert len(rows) == 7 and rows[0].line == 9
    assert (rows[0].amount_minor, rows[0].fee_minor, rows[0].net_minor) == (225800, 835, 224965)
    assert sum(r.amount_minor for r in rows) == 1651171  # the report's Gross 16511.71
    assert records[-1].amounts == {"net_NOK": 1645062}


def _log(index: int, value: int = 1_500_000, **over: object) -> dict:
    log = {
        "address": USDC_CONTRACTS["ethereum"],
        "topics": [TRANSFER_TOPIC, "0x" + "0" * 24 + "a" * 40, "0x" + "0" * 24 + "b" * 40],
        "data": hex(value),
        "blockNumber": "0x10",
        "transactionHash": "0x" + "c" * 64,
        "logIndex": hex(index),
        "removed": False,
    }
    log.update(over)
    return log


def test_usdc_logs_keyed_by_tx_and_log_index() -> None:
    data = json.dumps({"jsonrpc": "2.0", "id": 1, "result": [_log(1), _log(2, 250)]}).encode()
    records = list(parse_usdc_logs(data, "logs.json"))
    transfers = [r for r in records if isinstance(r, ChainTransfer)]
    assert [(t.log_index, t.amount_minor, t.from_address[:4]) for t in transfers] == [
        (1, 1_500_000, "0xaa"),
        (2, 250, "0xaa"),
    ]
    assert records[-1].amounts == {"USDC": 1_500_250}


@pytest.mark.parametrize(("log", "field"), [
    (_log(1, address="0xff970a61a04b1ca14834a43f5de4533ebddb5cc8"), "address"),
    (_log(1, topics=["0x8c5be1e5" + "0" * 56, "0x" + "0" * 64, "0x" + "0" * 64]), "topics"),
    (_log(1, logIndex="zz"), "logIndex"),
    (_log(1, data="0x" + "f" * 64), "data"),
    (_log(2**31), "logIndex"),  # the column is an INTEGER
    (_log(1, blockNumber=hex(2**63)), "blockNumber"),  # a BIGINT
    (_log(1, transactionHash="0x" + "c" * 64 + "\n"), "transactionHash"),
])  # fmt: skip
def test_usdc_log_rejections(log: dict, field: str) -> None:
    with pytest.raises(FileRejected) as err:
        list(parse_usdc_logs(json.dumps([log]).encode(), "logs.json"))
    assert err.value.field == field and err.value.path == "$[0]"


def test_duplicate_log_is_rejected() -> None:
    with pytest.raises(FileRejected, match="duplicate"):
        list(parse_usdc_logs(json.dumps([_log(1), _log(1)]).encode(), "logs.json"))


def test_explorer_csv() -> None:
    data = (
        b'"Transaction Hash","Blockno","UnixTimestamp","DateTime (UTC)","From","To",'
        b'"TokenValue","ContractAddress"\n'
        b'"0x'
        + b"d" * 64
        + b'","19000000","1700000000","2023-11-14 22:13:20","0x'
        + b"a" * 40
        + b'","0x'
        + b"b" * 40
        + b'","1,234.5","'
        + USDC_CONTRACTS["ethereum"].encode()
        + b'"\n'
    )
    records = list(parse_usdc_csv(data, "export.csv"))
    (transfer,) = [r for r in records if isinstance(r, ChainTransfer)]
    assert (transfer.amount_minor, transfer.log_index, transfer.line) == (1_234_500_000, 0, 2)
    assert "no logIndex" in records[-1].warnings[0]
