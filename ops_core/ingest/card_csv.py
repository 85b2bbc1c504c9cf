"""Card push settlement CSV (Visa Direct / Mastercard Move), mapped through a profile.

No public spec exists for these reports, so CARD_SETTLEMENT_FORMAT.md defines our
layout; card_profile.py maps a processor's report onto it. Each row's net is checked:
money in (AFT, SALE): net = amount - fee - interchange; money out (OCT):
net = -(amount + fee + interchange). Other types are loaded without that check. A row
that fails it is a control mismatch: a warning, or a rejection when ``strict``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, minor_units, open_binary
from ops_core.ingest.card_profile import Profile, load_profile
from ops_core.ingest.controls import Controls
from ops_core.ingest.records import CardSettlement

FORMAT = "card_csv"
MONEY_IN = frozenset({"AFT", "SALE", "CAPTURE"})
MONEY_OUT = frozenset({"OCT"})
MAX_FIELD = 1 << 16


def parse_card_csv(
    source: Source, name: str, profile: Profile | str = "canonical", *, strict: bool = False
) -> Iterator[CardSettlement | FileTotals]:
    """Stream settlement rows mapped through ``profile``, then totals per currency."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    controls = Controls(strict)
    amounts: dict[str, int] = {}
    rows = 0
    with open_binary(source) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(text, delimiter=prof.delimiter)
        try:
            header = _header(reader, prof, name)
            for raw in reader:
                record = _row(raw, header, prof, name, reader.line_num, controls)
                if record is None:
                    continue
                rows += 1
                key = f"net_{record.currency}"
                amounts[key] = amounts.get(key, 0) + record.net_minor
                yield record
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileRejected(
                name, f"unreadable CSV: {exc}", line=reader.line_num, expected="UTF-8 CSV"
            ) from None
    if not rows:
        raise FileRejected(
            name,
            "no settlement rows",
            line=reader.line_num or 1,
            expected=f"rows in the {prof.name} layout",
        )
    yield FileTotals(
        FORMAT,
        rows,
        {"rows": rows},
        amounts,
        controls.warnings(),
        control_ok=controls.ok,
        kind=f"profile {prof.name}",
    )


def _header(reader: Any, prof: Profile, name: str) -> dict[str, int]:
    for raw in reader:
        cells = [c.strip() for c in raw]
        if prof.header_row and tuple(cells[: len(prof.header_row)]) != prof.header_row:
            continue
        missing = [src for src in prof.columns.values() if src not in cells]
        if missing:
            raise FileRejected(
                name,
                f"header lacks {', '.join(missing)}",
                line=reader.line_num,
                field="header",
                expected=f"the {prof.name} columns",
            )
        return {cell: i for i, cell in enumerate(cells)}
    raise FileRejected(
        name,
        "no header row found",
        line=reader.line_num or 1,
        field="header",
        expected=f"the {prof.name} header",
    )


def _row(
    raw: list[str], header: dict[str, int], prof: Profile, name: str, line: int, controls: Controls
) -> CardSettlement | None:
    if not any(cell.strip() for cell in raw):
        return None
    if prof.record_prefix and (not raw or raw[0].strip() != prof.record_prefix):
        return None
    if any(len(cell) > MAX_FIELD for cell in raw):
        raise FileRejected(name, "field too long", line=line, expected=f"< {MAX_FIELD} chars")
    values = dict(prof.constants)
    for ours, theirs in prof.columns.items():
        index = header[theirs]
        if index >= len(raw):
            raise FileRejected(
                name,
                f"row has {len(raw)} cells",
                line=line,
                field=theirs,
                expected=f"at least {index + 1}",
            )
        values[ours] = raw[index].strip()
    return _record(values, prof, name, line, controls)


def _money(values: dict[str, str], key: str, prof: Profile, name: str, line: int) -> int:
    text = values.get(key, "") or "0"
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


def _record(
    values: dict[str, str], prof: Profile, name: str, line: int, controls: Controls
) -> CardSettlement:
    values["currency"] = values["currency"].upper()
    amount = _money(values, "amount", prof, name, line)
    fee, inter = (_money(values, k, prof, name, line) for k in ("fee", "interchange"))
    if prof.costs_sign == "negative":
        fee, inter = -fee, -inter
    net = _money(values, "net", prof, name, line)
    txn_type = values["txn_type"].upper()
    _check_net(txn_type, amount, fee, inter, net, name, line, controls)
    return CardSettlement(
        line=line, settlement_date=_date(values["settlement_date"], prof, name, line),
        network=values["network"].upper(), network_txn_id=values["network_txn_id"],
        txn_type=txn_type, amount_minor=amount, currency=values["currency"], fee_minor=fee,
        interchange_minor=inter, net_minor=net, batch_id=values.get("batch_id", ""),
    )  # fmt: skip


def _check_net(
    txn_type: str,
    amount: int,
    fee: int,
    inter: int,
    net: int,
    name: str,
    line: int,
    controls: Controls,
) -> None:
    if txn_type in MONEY_IN:
        expected = amount - fee - inter
    elif txn_type in MONEY_OUT:
        expected = -(amount + fee + inter)
    else:
        return
    if net != expected:
        controls.mismatch(
            FileRejected(
                name,
                f"net {net} does not equal the amount after fee and "
                f"interchange ({expected}, minor units)",
                line=line,
                field="net",
                expected=str(expected),
            )
        )


def _date(text: str, prof: Profile, name: str, line: int) -> date:
    try:
        return datetime.strptime(text, prof.date_format).date()
    except ValueError:
        raise FileRejected(
            name,
            f"not a date: {text!r}",
            line=line,
            field="settlement_date",
            expected=prof.date_format,
        ) from None
