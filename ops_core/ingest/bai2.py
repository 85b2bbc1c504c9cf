"""BAI2 balance-and-transaction reports: 01/02/03/16/49/88/98/99 (domain.md 3, Appendix A).

Hand-written streaming parser (PARSERS.md says why not the PyPI ``bai2`` package). Checks
record order, type codes, and the account (49), group (98) and file (99) control totals
and record counts; a mismatch is a warning unless the group trailer corroborates an
account trailer the records contradict, or ``strict`` (controls.py). Amounts carry no
decimal point: they already are minor units of the account's (or group's, default USD)
currency.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source
from ops_core.ingest.bai2_records import Logical, classify, logical_records
from ops_core.ingest.controls import Controls
from ops_core.ingest.records import StatementBalance, StatementLine

FORMAT = "bai2"
Bai2Record = StatementBalance | StatementLine | FileTotals
EXTRA_FIELDS = {"S": 3, "V": 2}  # funds type -> extra fields (D: 1 + 2 * count)
UPPER = "group trailer (98)"


class Fields:
    """Comma-separated fields read left to right; the last (text) may hold commas."""

    def __init__(self, file: str, rec: Logical) -> None:
        self.file, self.rec = file, rec
        self.items = rec.body.rstrip().removesuffix("/").split(",")
        self.pos = 0

    def next(self, name: str) -> str:
        value = self.items[self.pos].strip() if self.pos < len(self.items) else ""
        self.pos += 1
        return value

    def rest(self) -> str:
        text = ",".join(self.items[self.pos :]).strip()
        return text.removesuffix("/").rstrip()

    def done(self) -> bool:
        return self.pos >= len(self.items)

    def reject(self, message: str, name: str, expected: str | None = None) -> FileRejected:
        return FileRejected(self.file, message, line=self.rec.line, field=name, expected=expected)

    def amount(self, name: str, *, blank_ok: bool = True) -> int:
        raw = self.next(name)
        body = raw[1:] if raw[:1] in "+-" else raw
        if not body and blank_ok:
            return 0
        if not (body.isascii() and body.isdigit()):
            raise self.reject(f"not an amount: {raw!r}", name, "digits, optional sign")
        return int(raw)

    def as_of(self, name: str) -> date:
        raw = self.next(name)
        try:
            return datetime.strptime(raw, "%y%m%d").date()
        except ValueError:
            raise self.reject(f"not a date: {raw!r}", name, "YYMMDD") from None

    def type_code(self, name: str = "Type Code") -> tuple[str, str, str]:
        code = self.next(name)
        kind = classify(code)
        if kind is None:
            raise self.reject(f"unknown type code {code!r}", name, "a BAI2 Appendix A code")
        return code, kind[0], kind[1]

    def skip_funds(self) -> None:
        funds = self.next("Funds Type").upper()
        if funds not in {"", "0", "1", "2", "S", "V", "D", "Z"}:
            raise self.reject(
                f"unknown funds type {funds!r}", "Funds Type", "0, 1, 2, S, V, D or Z"
            )
        if funds == "D":
            count = self.amount("Number of Distributions")
            self.pos += 2 * count
        self.pos += EXTRA_FIELDS.get(funds, 0)


@dataclass
class _Account:
    line: int
    number: str
    currency: str
    total: int = 0
    records: int = 1


@dataclass
class _Group:
    line: int
    currency: str
    as_of: date
    total: int = 0
    records: int = 1  # computed: 02 (+ its 88s), the accounts' records, then 98
    accounts: int = 0
    account: _Account | None = None
    declared_total: int = 0  # sum of the account trailers' declared figures
    declared_records: int = 0
    account_records: int = 0  # computed, to swap for the declared ones
    pending: dict[str, list[FileRejected]] = field(default_factory=dict)


@dataclass
class _File:
    name: str
    header: bool = False
    done: bool = False
    total: int = 0
    records: int = 0
    groups: int = 0
    lines: int = 0
    group: _Group | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"accounts": 0, "transactions": 0})
    controls: Controls = field(default_factory=Controls)


def parse_bai2(source: Source, name: str, *, strict: bool = False) -> Iterator[Bai2Record]:
    """Stream a BAI2 file: balances (03 status codes), transactions (16), then totals."""
    state = _File(name, controls=Controls(strict))
    for rec in logical_records(name, source):
        state.records += 1 + rec.continuations
        if state.done:
            raise _reject(state, rec, "data after the file trailer (99)", "nothing")
        yield from _dispatch(state, rec)
    if not state.done:
        raise FileRejected(
            name,
            "file ends without a file trailer (99)",
            line=state.lines or 1,
            field="Record Code",
            expected="99",
        )
    yield FileTotals(
        FORMAT,
        state.records,
        {"groups": state.groups, **state.counts},
        {"control_total": state.total},
        state.controls.warnings(),
        control_ok=state.controls.ok,
    )


def _reject(state: _File, rec: Logical, message: str, expected: str) -> FileRejected:
    return FileRejected(state.name, message, line=rec.line, field="Record Code", expected=expected)


def _dispatch(state: _File, rec: Logical) -> Iterator[Bai2Record]:
    state.lines = rec.line
    wanted = _expected_codes(state)
    if rec.code not in wanted:
        raise _reject(state, rec, f"record {rec.code} out of order", " or ".join(wanted))
    fields = Fields(state.name, rec)
    if rec.code == "01":
        _file_header(state, fields)
    elif rec.code == "02":
        state.group = _group_header(fields)
        state.group.records += rec.continuations
    elif rec.code == "03":
        yield from _account_header(state, fields)
    elif rec.code == "16":
        yield _detail(state, fields)
    elif rec.code == "49":
        _account_trailer(state, fields)
    else:
        _group_or_file_trailer(state, fields)


def _expected_codes(state: _File) -> tuple[str, ...]:
    if not state.header:
        return ("01",)
    group = state.group
    if group is None:
        return ("02", "99")
    if group.account is None:
        return ("03", "98")
    return ("16", "49")


def _file_header(state: _File, f: Fields) -> None:
    for name in ("Sender Identification", "Receiver Identification"):
        f.next(name)
    f.as_of("File Creation Date")
    for name in (
        "File Creation Time",
        "File Identification Number",
        "Physical Record Length",
        "Block Size",
    ):
        f.next(name)
    if f.next("Version Number") != "2":
        raise f.reject("only BAI version 2 is supported", "Version Number", "2")
    state.header = True


def _group_header(f: Fields) -> _Group:
    f.next("Ultimate Receiver Identification")
    f.next("Originator Identification")
    status = f.next("Group Status")
    if status not in {"1", "2", "3", "4"}:
        raise f.reject(f"group status {status!r}", "Group Status", "1, 2, 3 or 4")
    as_of = f.as_of("As-of-Date")
    f.next("As-of-Time")
    currency = f.next("Currency Code") or "USD"
    return _Group(f.rec.line, currency.upper(), as_of)


def _account_header(state: _File, f: Fields) -> Iterator[StatementBalance]:
    group = state.group
    assert group is not None
    number = f.next("Customer Account Number")
    account = _Account(f.rec.line, number, (f.next("Currency Code") or group.currency).upper())
    account.records += f.rec.continuations
    group.account = account
    state.counts["accounts"] += 1
    while not f.done():
        code = f.next("Type Code")
        if not code and f.done():
            break
        if not code:  # an empty type-code group ",,,," (Goldman Sachs files)
            f.pos += 3
            continue
        f.pos -= 1
        yield from _summary(f, account, group.as_of)


def _summary(f: Fields, account: _Account, as_of: date) -> Iterator[StatementBalance]:
    code, txn, _level = f.type_code()
    amount = f.amount("Amount")
    account.total += amount
    f.next("Item Count")
    f.skip_funds()
    if txn == "NA":
        yield StatementBalance(
            account.number, code, amount, account.currency, as_of, line=f.rec.line
        )


def _detail(state: _File, f: Fields) -> StatementLine:
    group = state.group
    assert group is not None and group.account is not None
    account = group.account
    code, txn, level = f.type_code()
    if txn == "NA" or level == "Summary":
        raise f.reject(
            f"type code {code} is a {level.lower()} code, not a detail code",
            "Type Code",
            "a detail type code (Appendix A)",
        )
    amount = f.amount("Amount")
    account.total += amount
    account.records += 1 + f.rec.continuations
    f.skip_funds()
    bank_ref, customer_ref = f.next("Bank Reference Number"), f.next("Customer Reference")
    state.counts["transactions"] += 1
    signed = -amount if txn == "DB" else amount
    return StatementLine(
        account=account.number, amount_minor=signed, currency=account.currency,
        dc="debit" if txn == "DB" else "credit", type_code=code, booking_date=group.as_of,
        value_date=None, bank_reference=bank_ref, customer_reference=customer_ref,
        text=f.rest(), line=f.rec.line,
    )  # fmt: skip


def _account_trailer(state: _File, f: Fields) -> None:
    """49: its figures against the account's records; a mismatch waits for the 98."""
    group = state.group
    assert group is not None and group.account is not None
    account = group.account
    account.records += 1 + f.rec.continuations
    declared_total = f.amount("Account Control Total", blank_ok=False)
    declared_records = f.amount("Number of Records", blank_ok=False)
    for name, declared, computed in (
        ("Account Control Total", declared_total, account.total),
        ("Number of Records", declared_records, account.records),
    ):
        if declared != computed:
            error = _mismatch(f, name, declared, computed)
            state.controls.defer(error, group.pending.setdefault(name, []))
    group.declared_total += declared_total
    group.declared_records += declared_records
    group.account_records += account.records
    group.total += account.total
    group.records += account.records
    group.accounts += 1
    group.account = None


def _group_or_file_trailer(state: _File, f: Fields) -> None:
    if f.rec.code == "98":
        _group_trailer(state, f)
        return
    _check(state, f, "File Control Total", f.amount("File Control Total", blank_ok=False),
           state.total)  # fmt: skip
    _check(state, f, "Number of Groups", f.amount("Number of Groups"), state.groups)
    _check(state, f, "Number of Records", f.amount("Number of Records"), state.records)
    state.done = True


def _group_trailer(state: _File, f: Fields) -> None:
    """98: judge the account trailers' mismatches (corroborated when this trailer adds up
    their declared figures), then check the group's own figures against the records."""
    group = state.group
    assert group is not None
    group.records += 1 + f.rec.continuations
    declared_total = f.amount("Group Control Total", blank_ok=False)
    declared_accounts = f.amount("Number of Accounts")
    declared_records = f.amount("Number of Records")
    rolled_records = group.records - group.account_records + group.declared_records
    judge, pending = state.controls.judge, group.pending
    judge(pending.get("Account Control Total", []), declared_total == group.declared_total, UPPER)
    judge(pending.get("Number of Records", []), declared_records == rolled_records, UPPER)
    _check(state, f, "Group Control Total", declared_total, group.total)
    _check(state, f, "Number of Accounts", declared_accounts, group.accounts)
    _check(state, f, "Number of Records", declared_records, group.records)
    state.total += group.total
    state.groups += 1
    state.group = None


def _mismatch(f: Fields, name: str, declared: int, computed: int) -> FileRejected:
    return f.reject(
        f"{name} says {declared}, the records add up to {computed}", name, str(computed)
    )


def _check(state: _File, f: Fields, name: str, declared: int, computed: int) -> None:
    if declared != computed:
        state.controls.mismatch(_mismatch(f, name, declared, computed))
