"""SWIFT MT940 statements and MT942 interim reports (tags 20/25/28C/60/61/86/62/64/65).

Hand-written streaming parser (PARSERS.md says why not the PyPI ``mt-940`` package).
Per statement: mandatory tags are present and dates are real calendar dates (else the
file is rejected), and opening balance (60F/M) + movements (61) = closing balance
(62F/M) in minor units (else a control-mismatch warning, or a rejection when ``strict``:
controls.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, minor_units, text_lines
from ops_core.ingest.controls import Controls
from ops_core.ingest.records import StatementBalance, StatementLine

FORMAT = "mt940"
Mt940Record = StatementBalance | StatementLine | FileTotals

_TAG = re.compile(r"^:(\d\d[A-Z]?|NS):(.*)$")
_BLOCK_PREFIX = re.compile(r"^(\{\d:[^{}]*\})*\{4:")
KNOWN_TAGS = frozenset(
    {
        "20",
        "21",
        "25",
        "28",
        "28C",
        "60F",
        "60M",
        "61",
        "86",
        "62F",
        "62M",
        "64",
        "65",
        "13",
        "13D",
        "34F",
        "90C",
        "90D",
        "NS",
    }
)
_BALANCE = re.compile(r"^(?P<mark>[DC])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\d[\d,]*)$")
_LINE = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4}|\s{4})?(?P<mark>R?[DC]|E[DC])(?P<funds>[A-Z])?"
    r"(?P<amount>\d+(?:,\d*)?)(?P<type>[A-Z][A-Z0-9]{3})?(?P<cref>(?:(?!//).)*)"
    r"(?://(?P<bref>.*))?$"
)
_STRUCTURED_86 = re.compile(r"^\d{3}\?")


@dataclass
class _Tag:
    line: int
    name: str
    lines: list[str]

    @property
    def first(self) -> str:
        return self.lines[0].strip()

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines).strip()


@dataclass
class _Statement:
    tags: list[_Tag] = field(default_factory=list)


def _tags(source: Source, file: str) -> Iterator[_Tag | None]:
    """Tags with their continuation lines; None marks the end of a statement ('-')."""
    current: _Tag | None = None
    for line, raw in text_lines(source):
        text = _BLOCK_PREFIX.sub("", raw.rstrip())
        match = _TAG.match(text)
        if (
            match
            and current is not None
            and current.name == "86"
            and (match.group(1) not in KNOWN_TAGS)
        ):
            match = None  # a wrapped :86: line that happens to look like ":12:..."
        if match:
            if current:
                yield current
            current = _Tag(line, match.group(1), [match.group(2)])
        elif text.startswith("-") and text.strip("-}{5:").strip() == "":
            if current:
                yield current
            current = None
            yield None
        elif current is not None:
            current.lines.append(text)
        # else: bank preamble before the first tag ("ABNANL2A", ":940:", SOH): skipped
    if current:
        yield current


def _statements(source: Source, file: str) -> Iterator[list[_Tag]]:
    block: list[_Tag] = []
    for tag in _tags(source, file):
        if tag is not None and tag.name not in KNOWN_TAGS:
            raise FileRejected(
                file,
                f"unknown tag :{tag.name}:",
                line=tag.line,
                field="tag",
                expected="an MT940/MT942 tag",
            )
        if tag is None or (tag.name == "20" and block):
            if block:
                yield block
            block = [] if tag is None else [tag]
        else:
            block.append(tag)
    if block:
        yield block


def parse_mt940(source: Source, name: str, *, strict: bool = False) -> Iterator[Mt940Record]:
    """Stream an MT940/MT942 file: balances and statement lines, then totals."""
    counts = {"statements": 0, "lines": 0}
    controls = Controls(strict)
    for tags in _statements(source, name):
        counts["statements"] += 1
        for record in _statement(name, tags, controls):
            counts["lines"] += isinstance(record, StatementLine)
            yield record
    if not counts["statements"]:
        raise FileRejected(
            name,
            "no statement found",
            line=1,
            field=":20:",
            expected="an MT940 statement starting with :20:",
        )
    yield FileTotals(
        FORMAT, counts["lines"], counts, {}, controls.warnings(), control_ok=controls.ok
    )


def _find(file: str, tags: list[_Tag], names: tuple[str, ...], required: bool) -> _Tag | None:
    found = [t for t in tags if t.name in names]
    if required and not found:
        raise FileRejected(
            file,
            f"statement lacks :{names[0]}:",
            line=tags[0].line,
            field=f":{names[0]}:",
            expected="the mandatory SWIFT tags",
        )
    return found[0] if found else None


def _statement(file: str, tags: list[_Tag], controls: Controls) -> Iterator[Mt940Record]:
    if tags[0].name != "20":
        raise FileRejected(
            file,
            f"statement starts with :{tags[0].name}:",
            line=tags[0].line,
            field=":20:",
            expected=":20: transaction reference first",
        )
    interim = any(t.name in ("34F", "13D") for t in tags)
    account = _find(file, tags, ("25",), True).first  # type: ignore[union-attr]
    number = _find(file, tags, ("28C", "28"), True).first  # type: ignore[union-attr]
    statement_id = f"{tags[0].first}/{number}"
    opening = _find(file, tags, ("60F", "60M"), not interim)
    closing = _find(file, tags, ("62F", "62M"), not interim)
    open_bal = _balance(file, opening, account, statement_id) if opening else None
    currency = open_bal.currency if open_bal else _interim_currency(file, tags)
    total = open_bal.amount_minor if open_bal else 0
    if open_bal:
        yield open_bal
    for index, tag in enumerate(tags):
        if tag.name == "61":
            line = _line(file, tag, _details(tags, index), account, currency, statement_id)
            total += line.amount_minor
            yield line
    yield from _closing(file, tags, closing, account, statement_id, total, controls)


def _closing(
    file: str,
    tags: list[_Tag],
    closing: _Tag | None,
    account: str,
    statement_id: str,
    total: int,
    controls: Controls,
) -> Iterator[StatementBalance]:
    if closing is not None:
        close_bal = _balance(file, closing, account, statement_id)
        if close_bal.amount_minor != total:
            controls.mismatch(
                FileRejected(
                    file,
                    f"closing balance {close_bal.amount_minor} but opening "
                    f"+ movements = {total} (minor units)",
                    line=closing.line,
                    field=f":{closing.name}:",
                    expected=str(total),
                )
            )
        yield close_bal
    for tag in tags:
        if tag.name in ("64", "65"):
            yield _balance(file, tag, account, statement_id)


def _details(tags: list[_Tag], index: int) -> str:
    after = tags[index + 1] if index + 1 < len(tags) else None
    return after.text if after is not None and after.name == "86" else ""


def _interim_currency(file: str, tags: list[_Tag]) -> str:
    floor = _find(file, tags, ("34F",), True)
    assert floor is not None
    return floor.first[:3]


_DATES: dict[str, date] = {}  # a statement repeats a few dates thousands of times


def _date(file: str, tag: _Tag, text: str) -> date:
    known = _DATES.get(text)
    if known is not None:
        return known
    try:
        parsed = datetime.strptime(text, "%y%m%d").date()
    except ValueError:
        raise FileRejected(
            file,
            f"not a calendar date: {text!r}",
            line=tag.line,
            field=f":{tag.name}:",
            expected="YYMMDD",
        ) from None
    if len(_DATES) < 100_000:
        _DATES[text] = parsed
    return parsed


def _balance(file: str, tag: _Tag, account: str, statement_id: str) -> StatementBalance:
    match = _BALANCE.match(tag.first.replace(" ", ""))
    if match is None or match["amount"].count(",") != 1:
        raise FileRejected(
            file,
            f"malformed balance {tag.first!r}",
            line=tag.line,
            field=f":{tag.name}:",
            expected="D/C, YYMMDD, currency, 123,45",
        )
    amount = minor_units(
        match["amount"], match["ccy"], file=file, line=tag.line, field=f":{tag.name}:"
    )
    return StatementBalance(
        account=account, balance_type=tag.name,
        amount_minor=-amount if match["mark"] == "D" else amount, currency=match["ccy"],
        as_of=_date(file, tag, match["date"]), line=tag.line, statement_id=statement_id,
    )  # fmt: skip


def _line(
    file: str, tag: _Tag, details: str, account: str, currency: str, statement_id: str
) -> StatementLine:
    match = _LINE.match(tag.first)
    if match is None:
        raise FileRejected(
            file,
            f"malformed statement line {tag.first[:40]!r}",
            line=tag.line,
            field=":61:",
            expected="YYMMDD[MMDD]D/C amount type reference",
        )
    value_date = _date(file, tag, match["value"])
    _check_86(file, tag, details)
    amount = minor_units(match["amount"], currency, file=file, line=tag.line, field=":61:")
    debit = match["mark"] in ("D", "RC", "ED")
    return StatementLine(
        account=account, amount_minor=-amount if debit else amount, currency=currency,
        dc="debit" if debit else "credit", type_code=match["type"] or "",
        booking_date=_entry_date(match["entry"], value_date), value_date=value_date,
        bank_reference=(match["bref"] or "").strip(), customer_reference=match["cref"].strip(),
        text=" ".join([*(s.strip() for s in tag.lines[1:]), details]).strip(),
        line=tag.line, statement_id=statement_id, reversal=match["mark"].startswith("R"),
    )  # fmt: skip


@lru_cache(maxsize=8192)  # the same few (entry, value date) pairs, line after line
def _entry_date(entry: str | None, value_date: date) -> date | None:
    if not entry or not entry.strip():
        return None
    for year in (value_date.year, value_date.year + 1, value_date.year - 1):
        try:
            candidate = date(year, int(entry[:2]), int(entry[2:]))
        except ValueError:
            continue
        if abs((candidate - value_date).days) < 183:
            return candidate
    return None


def _check_86(file: str, tag: _Tag, details: str) -> None:
    """Structured (German GVC) details: every '?' must open a 2-digit subfield."""
    if _STRUCTURED_86.match(details) and re.search(r"\?(?!\d\d)", details):
        raise FileRejected(
            file,
            "structured :86: has a '?' that opens no subfield",
            line=tag.line + 1,
            field=":86:",
            expected="?NN subfields",
        )
