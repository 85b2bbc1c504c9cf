"""pacs.008 credit transfers, pacs.004 returns and pacs.002 status reports (domain.md 4.2-4.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element

from ops_core.ingest.controls import Controls
from ops_core.ingest.iso_common import Ctx
from ops_core.ingest.records import PaymentMessage, PaymentStatus


@dataclass
class Group:
    """GrpHdr facts that transactions inherit, and the declared control totals."""

    msg_id: str = ""
    settlement_date: date | None = None
    created_at: datetime | None = None
    group_status: Element | None = None
    group_status_path: str = ""
    declared_count: int | None = None
    declared_total: tuple[int, str] | None = None
    count: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    original_msg_id: str = ""
    statuses: int = 0


def group_header(ctx: Ctx, hdr: Element, group: Group) -> None:
    group.msg_id = ctx.required(hdr, "MsgId")
    count = ctx.text(hdr, "NbOfTxs")
    if count:
        if not count.isdigit():
            raise ctx.reject(f"NbOfTxs {count!r}", "NbOfTxs", "a count")
        group.declared_count = int(count)
    for path in ("TtlIntrBkSttlmAmt", "TtlRtrdIntrBkSttlmAmt"):
        if hdr.find(ctx.q(path)) is not None:
            group.declared_total = ctx.amount(hdr, path)
    group.settlement_date = ctx.when(hdr, "IntrBkSttlmDt")
    group.created_at = ctx.timestamp(hdr, "CreDtTm")


def _count(group: Group, amount: int, currency: str) -> None:
    group.count += 1
    group.totals[currency] = group.totals.get(currency, 0) + amount


def credit_transfer(ctx: Ctx, tx: Element, group: Group) -> PaymentMessage:
    amount, currency = ctx.amount(tx, "IntrBkSttlmAmt")
    _count(group, amount, currency)
    return PaymentMessage(
        message_type="pacs.008", xml_path=ctx.path, msg_id=group.msg_id,
        end_to_end_id=ctx.required(tx, "PmtId/EndToEndId"), tx_id=ctx.text(tx, "PmtId/TxId"),
        uetr=ctx.text(tx, "PmtId/UETR"), amount_minor=amount, currency=currency,
        settlement_date=ctx.when(tx, "IntrBkSttlmDt") or group.settlement_date,
        debtor=ctx.text(tx, "Dbtr/Nm"), creditor=ctx.text(tx, "Cdtr/Nm"),
    )  # fmt: skip


def payment_return(ctx: Ctx, tx: Element, group: Group) -> PaymentMessage:
    amount, currency = ctx.amount(tx, "RtrdIntrBkSttlmAmt")
    _count(group, amount, currency)
    reason = ctx.text(tx, "RtrRsnInf/Rsn/Cd") or ctx.text(tx, "RtrRsnInf/Rsn/Prtry")
    if not reason:
        raise ctx.reject("return without a reason", "RtrRsnInf/Rsn/Cd", "a return reason code")
    return PaymentMessage(
        message_type="pacs.004", xml_path=ctx.path, msg_id=group.msg_id,
        end_to_end_id=ctx.text(tx, "RtrId"), tx_id=ctx.text(tx, "OrgnlTxId"),
        uetr=ctx.text(tx, "OrgnlUETR"), amount_minor=amount, currency=currency,
        settlement_date=ctx.when(tx, "IntrBkSttlmDt") or group.settlement_date,
        debtor=ctx.text(tx, "RtrChain/Dbtr/Pty/Nm"), creditor=ctx.text(tx, "RtrChain/Cdtr/Pty/Nm"),
        return_reason=reason, original_end_to_end_id=ctx.text(tx, "OrgnlEndToEndId"),
    )  # fmt: skip


def status(ctx: Ctx, node: Element, group: Group) -> PaymentStatus:
    """A TxInfAndSts, or an OrgnlGrpInfAndSts group status (path tells which)."""
    is_tx = ctx.path.rsplit("/", 1)[-1].startswith("TxInfAndSts")
    code = ctx.text(node, "TxSts" if is_tx else "GrpSts")
    if len(code) != 4 or not code.isalpha() or not code.isupper():
        raise ctx.reject(
            f"status {code!r}",
            "TxSts" if is_tx else "GrpSts",
            "an ISO 20022 status code such as ACSC or RJCT",
        )
    group.statuses += 1
    return PaymentStatus(
        xml_path=ctx.path, msg_id=group.msg_id,
        original_msg_id=ctx.text(node, "OrgnlGrpInf/OrgnlMsgId") or group.original_msg_id,
        original_end_to_end_id=ctx.text(node, "OrgnlEndToEndId"),
        original_tx_id=ctx.text(node, "OrgnlTxId"), original_uetr=ctx.text(node, "OrgnlUETR"),
        status=code,
        reason_code=ctx.text(node, "StsRsnInf/Rsn/Cd") or ctx.text(node, "StsRsnInf/Rsn/Prtry"),
        created_at=group.created_at,
    )  # fmt: skip


def check_group(ctx: Ctx, group: Group, controls: Controls) -> None:
    """GrpHdr NbOfTxs and total amount against the transactions: control mismatches."""
    if group.declared_count is not None and group.declared_count != group.count:
        controls.mismatch(
            ctx.reject(
                f"NbOfTxs says {group.declared_count}, the message has {group.count}",
                "GrpHdr/NbOfTxs",
                str(group.count),
            )
        )
    if group.declared_total is not None:
        amount, currency = group.declared_total
        if group.totals.get(currency, 0) != amount or len(group.totals) > 1:
            controls.mismatch(
                ctx.reject(
                    f"total settlement amount says {amount} {currency} (minor units), "
                    f"the transactions add up to {group.totals}",
                    "GrpHdr",
                    "the sum of the transactions",
                )
            )
