"""ISO 20022 samples (camt.052/053/054, pacs.002/004/008), genkgo snapshots, unsafe XML."""

from __future__ import annotations

import json
import re

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals
from ops_core.ingest.iso20022 import SUPPORTED, parse_iso20022
from ops_core.ingest.records import PaymentMessage, PaymentStatus, StatementLine
from tests.ingest.conftest import SAMPLES, sample
from tests.ingest.sample_index import files, statuses

GENKGO = "iso20022/genkgo_camt/test/data/"
WIRE = "iso20022/moov-io_wire20022/pkg/models/"
# pacs.002 skeletons with no status at all: schema-valid (OrgnlGrpInfAndSts and
# TxInfAndSts are both optional), so recorded with a note and nothing to reconcile.
EMPTY_STATUS = {
    "iso20022/moov-io_fednow20022/tests/testdata/fednow_incoming.xml",
    "iso20022/moov-io_iso20022/test/testdata/valid_pacs_v11.xml",
}


def kind_of(rel: str) -> str | None:
    """The message type a sample carries, from the README's 'auto: ns=...' summary."""
    found = re.search(r"auto: ns=([^;|]+)", README_ROWS.get(rel, ""))
    kinds = {ns.strip()[:8] for ns in found.group(1).split(",")} - {"head.001"} if found else set()
    return kinds.pop() if len(kinds) == 1 and kinds <= SUPPORTED else None


README_ROWS = {
    m.group(1): m.group(0)
    for m in re.finditer(
        r"^\| `([^`]+)` .*$", (SAMPLES / "README.md").read_text() if SAMPLES.exists() else "", re.M
    )
}


OURS = [rel for rel in files("iso20022/", "VALID") if kind_of(rel)]


def parse(rel: str) -> list:
    return list(parse_iso20022(sample(rel), rel.rsplit("/", 1)[-1]))


def test_enough_samples_selected(samples) -> None:
    assert len(OURS) > 60


@pytest.mark.parametrize("rel", OURS)
def test_valid_camt_and_pacs_samples_parse(samples, rel: str) -> None:
    records = parse(rel)
    assert isinstance(records[-1], FileTotals)  # Fedwire gap/totals reports carry no entries
    assert all(getattr(r, "xml_path", "/").startswith("/") for r in records[:-1])


@pytest.mark.parametrize("rel", sorted(EMPTY_STATUS))
def test_status_report_without_status_loads_with_a_note(samples, rel: str) -> None:
    records = parse(rel)
    assert len(records) == 1 and records[0].control_ok
    assert records[0].warnings[0].endswith("status report carries no status (no TxSts or GrpSts)")


@pytest.mark.parametrize("rel", files("iso20022/", "NEGATIVE"))
def test_negative_samples(samples, rel: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert str(err.value).startswith(rel.rsplit("/", 1)[-1] + ", ")


def test_other_iso_messages_are_refused_by_name(samples) -> None:
    with pytest.raises(FileRejected, match=r"unsupported ISO 20022 message type pain\.001"):
        parse("iso20022/moov-io_iso20022/test/testdata/sepa_payment_naujas_1.xml")


def _genkgo_entries(rel: str) -> list[tuple[int, str, str]]:
    snapshot = json.loads(sample(rel.replace(".xml", ".json")).read_text())
    return [
        (
            int(e["getAmount"]["getAmount"]),
            e["getAmount"]["getCurrency"]["getCode"],
            e["getCreditDebitIndicator"],
        )
        for e in snapshot["getEntries"]
    ]


@pytest.mark.parametrize(
    "name",
    [
        "camt053.v2.minimal.xml",
        "camt053.v3.xml",
        "camt053.v4.xml",
        "camt053.v8.xml",
        "camt053.v2.five.decimals.xml",
        "camt054.v2.xml",
        "camt054.v8.xml",
        "camt052.v6.xml",
    ],
)
def test_entries_match_genkgo_snapshot(samples, name: str) -> None:
    lines = [r for r in parse(GENKGO + name) if isinstance(r, StatementLine)]
    ours = [
        (abs(r.amount_minor), r.currency, "CRDT" if r.dc == "credit" else "DBIT") for r in lines
    ]
    theirs = [(abs(a), c, d) for a, c, d in _genkgo_entries(GENKGO + name)]
    assert ours == theirs


def test_rtp_pacs008_values(samples) -> None:
    (msg,) = [
        r
        for r in parse("iso20022/moov-io_rtp20022/pkg/rtp/test/testdata/pacs008.xml")
        if isinstance(r, PaymentMessage)
    ]
    assert (msg.msg_id, msg.amount_minor, msg.currency, str(msg.settlement_date)) == (
        "M20230713234567891T1BOTS02083825666",
        4615449,
        "USD",
        "2023-07-13",
    )


@pytest.mark.parametrize(("rel", "status", "reason"), [
    ("iso20022/moov-io_rtp20022/pkg/rtp/test/testdata/pacs002.RJCT.xml", "RJCT", "AC03"),
    (WIRE + "FedwireFundsPaymentStatus/swiftSample/CustomerCreditTransfer_Scenario2_Step2_pacs.002",
     "RJCT", "E433"),
    ("iso20022/moov-io_fednow20022/testdata/fednow-sample-message-outgoing-pacs002.xml",
     "ACSC", ""),
])  # fmt: skip
def test_pacs002_status_and_reason(samples, rel: str, status: str, reason: str) -> None:
    (st,) = [r for r in parse(rel) if isinstance(r, PaymentStatus)]
    assert (st.status, st.reason_code) == (status, reason)


@pytest.mark.parametrize(("name", "reason"), [
    ("FedwireFundsAcknowledgement_Scenario2_Step4_pacs.004", "DUPL"),
    ("PaymentReturn_Scenario3_Step4_pacs.004", "FOCR"),
    ("PaymentReturn_Scenario4_Step2_pacs.004", "AC04"),
    ("PaymentReturn_Scenario5_Step3_pacs.004", "MD06"),
])  # fmt: skip
def test_pacs004_return_reasons(samples, name: str, reason: str) -> None:
    (ret,) = [
        r
        for r in parse(WIRE + "PaymentReturn/swiftSample/" + name)
        if isinstance(r, PaymentMessage)
    ]
    assert (ret.message_type, ret.return_reason, ret.currency) == ("pacs.004", reason, "USD")


def test_camt054_return_reason(samples) -> None:
    rel = (
        "iso20022/moov-io_iso20022/test/testdata/camt054-returns_p_ch5109000000250092291_"
        "1110097606_0_2020112500512470.xml"
    )
    (line,) = [r for r in parse(rel) if isinstance(r, StatementLine)]
    assert line.return_reason == "AC01"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&lol2;</Document>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&x;</Document>"""


@pytest.mark.parametrize("payload", [BOMB, XXE], ids=["billion-laughs", "xxe"])
def test_unsafe_xml_is_refused(payload: bytes) -> None:
    with pytest.raises(FileRejected, match="refused unsafe XML"):
        list(parse_iso20022(payload, "evil.xml"))


def test_txs_summary_mismatch_is_flagged_or_rejected_when_strict() -> None:
    ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
    xml = f"""<Document xmlns="{ns}"><BkToCstmrStmt><GrpHdr><MsgId>1</MsgId></GrpHdr>
    <Stmt><Id>S1</Id><Acct><Id><IBAN>NL00BANK0123456789</IBAN></Id></Acct>
    <TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries></TtlNtries></TxsSummry>
    <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts></Ntry>
    </Stmt></BkToCstmrStmt></Document>""".encode()
    totals = list(parse_iso20022(xml, "s.xml"))[-1]
    assert not totals.control_ok and totals.kind == "camt.053.001.08"
    assert totals.warnings == (
        "control mismatch: /Document/BkToCstmrStmt/Stmt, field TtlNtries/NbOfNtries: "
        "TtlNtries/NbOfNtries says 2, the entries add up to 1 (expected 1)",
    )
    with pytest.raises(FileRejected) as err:
        list(parse_iso20022(xml, "s.xml", strict=True))
    assert err.value.path == "/Document/BkToCstmrStmt/Stmt" and "NbOfNtries" in str(err.value)


def test_readme_index_loaded(samples) -> None:
    assert len(statuses()) > 400
