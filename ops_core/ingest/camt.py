"""camt.052 / camt.053 / camt.054 statement content (domain.md 4.1, 4.3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from ops_core.ingest.controls import Controls
from ops_core.ingest.iso_common import Ctx, Flat
from ops_core.ingest.records import StatementBalance, StatementLine

CONTAINERS = frozenset({"Stmt", "Ntfctn", "Rpt"})
TX = "NtryDtls/TxDtls"  # the transaction details of an entry (the first, as find() reads)


@dataclass
class Statement:
    """What is known of the Stmt/Ntfctn/Rpt being read (Id and Acct come before Ntry)."""

    statement_id: str = ""
    account: str = ""
    entries: int = 0
    net: int = 0
    gross: int = 0
    declared_count: int | None = None
    declared_sum: int | None = None
    declared_net: int | None = None


def account_id(ctx: Ctx, acct: Element) -> str:
    return ctx.text(acct, "Id/IBAN") or ctx.text(acct, "Id/Othr/Id") or ctx.text(acct, "Id")


def balance(ctx: Ctx, bal: Element, stmt: Statement) -> StatementBalance:
    code = ctx.text(bal, "Tp/CdOrPrtry/Cd") or ctx.text(bal, "Tp/CdOrPrtry/Prtry")
    amount, currency = ctx.amount(bal, "Amt")
    sign = -1 if ctx.indicator(bal) == "DBIT" else 1
    return StatementBalance(
        stmt.account,
        code or "UNKNOWN",
        sign * amount,
        currency,
        ctx.when(bal, "Dt"),
        xml_path=ctx.path,
        statement_id=stmt.statement_id,
    )


def summary(ctx: Ctx, node: Element, stmt: Statement) -> None:
    """TxsSummry/TtlNtries: the control totals checked when the statement ends."""
    count = ctx.text(node, "TtlNtries/NbOfNtries")
    if count:
        if not count.isdigit():
            raise ctx.reject(f"NbOfNtries {count!r}", "TtlNtries/NbOfNtries", "a count")
        stmt.declared_count = int(count)
    total = node.find(ctx.q("TtlNtries/Sum"))
    if total is not None and (total.text or "").strip():
        stmt.declared_sum = _decimal_minor(ctx, (total.text or "").strip())
    net = node.find(ctx.q("TtlNtries/TtlNetNtry"))
    if net is not None:
        amount = _decimal_minor(ctx, ctx.required(net, "Amt"))
        stmt.declared_net = -amount if ctx.indicator(net) == "DBIT" else amount


def _decimal_minor(ctx: Ctx, text: str) -> int:
    """Sums carry no currency: compare them in 10^-5 units (ISO allows 5 decimals)."""
    try:
        return int(Decimal(text).scaleb(5))
    except InvalidOperation:
        raise ctx.reject(f"not a decimal: {text!r}", "TtlNtries", "a decimal") from None


def entry(ctx: Ctx, ntry: Element, stmt: Statement) -> StatementLine:
    flat = Flat(ntry, ctx.ns)  # one walk of the entry, then dictionary lookups
    amount, currency = ctx.amount(flat, "Amt")
    dc = ctx.indicator(flat)
    status = ctx.text(flat, "Sts/Cd") or ctx.text(flat, "Sts/Prtry") or ctx.text(flat, "Sts")
    if not status:
        raise ctx.reject("missing entry status", "Sts", "BOOK, PDNG, INFO or FUTR")
    raw = flat.find("Amt")
    text = raw.text.strip() if raw is not None and raw.text else "0"
    units = _decimal_minor(ctx, text)
    stmt.entries += 1
    stmt.gross += units
    stmt.net += units * (1 if dc == "CRDT" else -1)
    return StatementLine(
        account=stmt.account, amount_minor=amount if dc == "CRDT" else -amount,
        currency=currency, dc="credit" if dc == "CRDT" else "debit",
        type_code=_bank_code(ctx, flat), booking_date=ctx.when(flat, "BookgDt"),
        value_date=ctx.when(flat, "ValDt"), bank_reference=ctx.text(flat, "AcctSvcrRef"),
        customer_reference=ctx.text(flat, "NtryRef"), text=_text(ctx, flat),
        xml_path=ctx.path, statement_id=stmt.statement_id, status=status,
        end_to_end_id=ctx.text(flat, f"{TX}/Refs/EndToEndId"),
        return_reason=ctx.text(flat, f"{TX}/RtrInf/Rsn/Cd"),
        reversal=ctx.text(flat, "RvslInd").lower() == "true",
    )  # fmt: skip


def _bank_code(ctx: Ctx, ntry: Flat) -> str:
    parts = [ctx.text(ntry, f"BkTxCd/Domn/{p}") for p in ("Cd", "Fmly/Cd", "Fmly/SubFmlyCd")]
    return "/".join(p for p in parts if p) or ctx.text(ntry, "BkTxCd/Prtry/Cd")


def _text(ctx: Ctx, ntry: Flat) -> str:
    return (
        ctx.text(ntry, "AddtlNtryInf")
        or ctx.text(ntry, f"{TX}/RmtInf/Ustrd")
        or ctx.text(ntry, f"{TX}/AddtlTxInf")
    )


def check_totals(ctx: Ctx, stmt: Statement, controls: Controls) -> None:
    """A TxsSummry that disagrees with the entries: a control mismatch (controls.py)."""
    checks = [
        ("TtlNtries/NbOfNtries", stmt.declared_count, stmt.entries),
        ("TtlNtries/Sum", stmt.declared_sum, stmt.gross),
        ("TtlNtries/TtlNetNtry", stmt.declared_net, stmt.net),
    ]
    for name, declared, computed in checks:
        if declared is not None and declared != computed:
            scale = 0 if name.endswith("NbOfNtries") else -5
            said, found = Decimal(declared).scaleb(scale), Decimal(computed).scaleb(scale)
            message = f"{name} says {said}, the entries add up to {found}"
            controls.mismatch(ctx.reject(message, name, str(found)))
