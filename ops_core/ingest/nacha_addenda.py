"""Addenda 98 (NOC) and 99 (return, dishonored, contested) decoding (domain.md 1.3, 1.4, 2.2)."""

from __future__ import annotations

from ops_core.ingest.nacha_fields import Rec
from ops_core.ingest.nacha_rules import (
    CHANGE_CODES,
    CONTESTED_CODES,
    DISHONORED_CODES,
    IAT_TRANSACTION_TYPES,
    RETURN_CODES,
)
from ops_core.ingest.records import AchNoc, AchReturn

ADDENDA_TYPES = frozenset({"02", "05", "98", "99"} | {f"{n}" for n in range(10, 19)})


def check_addenda(rec: Rec) -> str:
    """Validate the addenda type and any code it carries; return the type code."""
    kind = rec.expect(2, 3, ADDENDA_TYPES, "Addenda Type Code")
    if kind == "99":
        rec.expect(4, 6, RETURN_CODES, "Return Reason Code")
    elif kind == "98":
        rec.expect(4, 6, CHANGE_CODES, "Change Code")
    elif kind == "10":
        rec.expect(4, 6, IAT_TRANSACTION_TYPES, "Transaction Type Code")
    return kind


def noc(rec: Rec, entry_line: int, entry_trace: str) -> AchNoc:
    return AchNoc(
        line=rec.line,
        entry_line=entry_line,
        entry_trace_number=entry_trace,
        change_code=rec.s(4, 6),
        original_trace=rec.alpha(7, 21),
        original_rdfi=rec.alpha(28, 35),
        corrected_data=rec.alpha(36, 64),
        trace_number=rec.alpha(80, 94),
    )


def return_addenda(
    rec: Rec, entry_line: int, entry_trace: str, amount: int, currency: str
) -> AchReturn:
    code = rec.s(4, 6)
    common = {
        "line": rec.line, "entry_line": entry_line, "entry_trace_number": entry_trace,
        "return_code": code, "original_trace": rec.alpha(7, 21),
        "original_rdfi": rec.alpha(28, 35), "amount_minor": amount, "currency": currency,
        "trace_number": rec.alpha(80, 94),
    }  # fmt: skip
    if code in CONTESTED_CODES:
        return AchReturn(kind="contested", addenda_info="", **common, **_contested(rec))
    if code in DISHONORED_CODES:
        return AchReturn(
            kind="dishonored", addenda_info=rec.alpha(59, 79), **common, **_dishonored(rec)
        )
    return AchReturn(
        kind="return", addenda_info=rec.alpha(36, 79), date_of_death=rec.alpha(22, 27), **common
    )


def _dishonored(rec: Rec) -> dict[str, str]:
    return {
        "return_trace": rec.alpha(39, 53),
        "return_settlement_date": rec.alpha(54, 56),
        "return_reason_code": rec.alpha(57, 58),
    }


def _contested(rec: Rec) -> dict[str, str]:
    return {
        "return_trace": rec.alpha(39, 53),
        "return_settlement_date": rec.alpha(54, 56),
        "return_reason_code": rec.alpha(57, 58),
        "dishonored_return_trace": rec.alpha(59, 73),
        "dishonored_return_settlement_date": rec.alpha(74, 76),
        "dishonored_return_reason_code": rec.alpha(77, 78),
    }
