"""CSV files read through a column-mapping profile (card_profile.py): the shared reader.

``MappedReader`` finds the header (the first row, or the row a multi-section report's
``header_row`` names), checks the profile's source columns are there, and yields each
data row as ``(line, {our column: text})``. ``parse_mapped_csv`` sends the rows to the
profile's target: card settlements (card_csv.py) or bank statement lines (below).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, minor_units, open_binary
from ops_core.ingest.card_profile import STATEMENT, Profile
from ops_core.ingest.records import StatementLine

FORMAT = "csv"
MAX_FIELD = 1 << 16


class MappedReader:
    """Rows of a CSV as ``(line, values)``, mapped through ``profile``; FileRejected on a
    missing header or column, an over-long field, or bytes that are not UTF-8 CSV."""

    def __init__(self, stream: Any, name: str, profile: Profile) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
        self.reader = csv.reader(text, delimiter=profile.delimiter)
        self.name, self.profile = name, profile

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            header = self._header()
            for raw in self.reader:
                values = self._row(raw, header)
                if values is not None:
                    yield self.reader.line_num, values
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileRejected(
                self.name, f"unreadable CSV: {exc}", line=self.reader.line_num,
                expected="UTF-8 CSV",
            ) from None  # fmt: skip

    def _header(self) -> dict[str, int]:
        prof, reader = self.profile, self.reader
        for raw in reader:
            cells = [c.strip() for c in raw]
            if prof.header_row and tuple(cells[: len(prof.header_row)]) != prof.header_row:
                continue
            missing = [src for src in prof.columns.values() if src not in cells]
            if missing:
                raise FileRejected(
                    self.name,
                    f"header lacks {', '.join(missing)}",
                    line=reader.line_num,
                    field="header",
                    expected=f"the {prof.name} columns",
                )
            return {cell: i for i, cell in enumerate(cells)}
        raise FileRejected(
            self.name,
            "no header row found",
            line=reader.line_num or 1,
            field="header",
            expected=f"the {prof.name} header",
        )

    def _row(self, raw: list[str], header: dict[str, int]) -> dict[str, str] | None:
        prof, line = self.profile, self.reader.line_num
        if not any(cell.strip() for cell in raw):
            return None
        if prof.record_prefix and (not raw or raw[0].strip() != prof.record_prefix):
            return None
        if any(len(cell) > MAX_FIELD for cell in raw):
            raise FileRejected(
                self.name, "field too long", line=line, expected=f"< {MAX_FIELD} chars"
            )
        values = dict(prof.constants)
        for ours, theirs in prof.columns.items():
            index = header[theirs]
            if index >= len(raw):
                raise FileRejected(
                    self.name,
                    f"row has {len(raw)} cells",
                    line=line,
                    field=theirs,
                    expected=f"at least {index + 1}",
                )
            values[ours] = raw[index].strip()
        return values


def money(values: dict[str, str], key: str, prof: Profile, name: str, line: int) -> int:
    """A mapped amount (blank = 0) in minor units of the row's currency."""
    text = values.get(key, "") or "0"
    if prof.thousands_separator:
        text = text.replace(prof.thousands_separator, "")
    if prof.decimal_separator == ",":
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        raise FileRejected(
            name,
            f"{text!r} has a ',' but the profile's decimal separator is '.'",
            line=line,
            field=key,
            expected="digits and '.'",
        )
    return minor_units(text, values["currency"], file=name, line=line, field=key)


def parse_date(text: str, prof: Profile, name: str, line: int, field: str) -> date:
    try:
        return datetime.strptime(text, prof.date_format).date()
    except ValueError:
        raise FileRejected(
            name, f"not a date: {text!r}", line=line, field=field, expected=prof.date_format
        ) from None


def parse_mapped_csv(
    source: Source, name: str, profile: Profile, *, strict: bool = False
) -> Iterator[Any]:
    """A CSV mapped by ``profile`` into its target's records, then FileTotals."""
    if profile.target == STATEMENT:
        yield from parse_statement_csv(source, name, profile)
        return
    from ops_core.ingest.card_csv import parse_card_csv  # card_csv imports this module

    yield from parse_card_csv(source, name, profile, strict=strict)


def parse_statement_csv(
    source: Source, name: str, profile: Profile
) -> Iterator[StatementLine | FileTotals]:
    """A bank's CSV statement export, mapped to bank statement lines."""
    amounts: dict[str, int] = {}
    rows = 0
    with open_binary(source) as stream:
        reader = MappedReader(stream, name, profile)
        for line, values in reader:
            record = statement_line(values, profile, name, line)
            rows += 1
            key = f"{record.dc}_{record.currency}"
            amounts[key] = amounts.get(key, 0) + abs(record.amount_minor)
            yield record
    if not rows:
        raise FileRejected(
            name,
            "no statement lines",
            line=reader.line_num or 1,
            expected=f"rows in the {profile.name} layout",
        )
    yield FileTotals(
        FORMAT,
        rows,
        {"lines": rows},
        amounts,
        kind=f"profile {profile.name} -> bank statement lines",
    )


def statement_line(values: dict[str, str], prof: Profile, name: str, line: int) -> StatementLine:
    values["currency"] = values["currency"].strip().upper()
    if not values.get("account"):
        raise FileRejected(
            name,
            "account is blank",
            line=line,
            field=prof.columns.get("account", "account"),
            expected="an account",
        )
    dc, amount = _signed(values, prof, name, line)
    value_date = values.get("value_date", "")
    return StatementLine(
        account=values["account"],
        amount_minor=amount,
        currency=values["currency"],
        dc=dc,
        type_code=values.get("type_code", ""),
        booking_date=parse_date(values["booking_date"], prof, name, line, "booking_date"),
        value_date=parse_date(value_date, prof, name, line, "value_date") if value_date else None,
        bank_reference=values.get("bank_reference", ""),
        customer_reference=values.get("customer_reference", ""),
        text=values.get("text", ""),
        line=line,
        statement_id=values.get("statement_id", ""),
        status=values.get("status", "") or "BOOK",
        end_to_end_id=values.get("end_to_end_id", ""),
    )


def _signed(values: dict[str, str], prof: Profile, name: str, line: int) -> tuple[str, int]:
    """('credit' | 'debit', signed minor units) from amount (+ dc), or credit/debit columns."""
    if "amount" in values:
        amount = money(values, "amount", prof, name, line)
        if "dc" not in values:
            return ("debit" if amount < 0 else "credit"), amount
        marker = values["dc"].strip().upper()
        for dc, sign in (("credit", 1), ("debit", -1)):
            if marker in prof.dc_values[dc]:
                return dc, sign * abs(amount)
        allowed = ", ".join(prof.dc_values["credit"] + prof.dc_values["debit"])
        raise FileRejected(
            name,
            f"credit/debit marker {values['dc']!r} is not known",
            line=line,
            field=prof.columns.get("dc", "dc"),
            expected=allowed,
        )
    credit = abs(money(values, "credit", prof, name, line))
    debit = abs(money(values, "debit", prof, name, line))
    if bool(credit) == bool(debit):
        found = "both a credit and a debit" if credit else "neither a credit nor a debit"
        raise FileRejected(
            name,
            f"the row has {found}",
            line=line,
            field=prof.columns.get("credit", "credit"),
            expected="an amount in exactly one of the credit and debit columns",
        )
    return ("credit", credit) if credit else ("debit", -debit)
