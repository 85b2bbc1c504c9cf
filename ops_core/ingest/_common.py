"""Shared plumbing for the parsers: byte sources, line decoding, money, rejections.

Every parser takes a ``Source`` (bytes, a path, or a binary file object) and the file's
display name, streams it, and raises only ``FileRejected`` for bad input.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from ops_core.errors import FileRejected
from ops_core.money import EXPONENT

Source = bytes | str | os.PathLike[str] | BinaryIO

# ISO 4217 minor-unit exponents for currencies seen in bank files but not (yet) in
# ops_core.money.EXPONENT. Source: ISO 4217 list (SIX Group, "list one").
ISO_4217_EXTRA: dict[str, int] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CNY": 2, "CZK": 2, "DKK": 2, "HKD": 2, "NZD": 2,
    "PLN": 2, "RON": 2, "RUB": 2, "SEK": 2, "SGD": 2, "ZAR": 2, "ILS": 2, "THB": 2,
    "BGN": 2, "HRK": 2, "CLP": 0, "ISK": 0, "KRW": 0, "VND": 0, "BHD": 3, "KWD": 3,
    "OMR": 3, "JOD": 3, "TND": 3,
}  # fmt: skip


@dataclass(frozen=True)
class FileTotals:
    """The last record every parser yields: counts and control totals of the whole file.

    ``control_ok`` is False when a control total, count or balance disagreed with the
    records and the file was loaded anyway (controls.py: the policy); ``warnings`` then
    names each mismatch. ``kind`` says what the file is beyond its format (the ISO 20022
    message version, the card profile, the chain).
    """

    format: str
    record_count: int
    counts: dict[str, int] = field(default_factory=dict)
    amounts: dict[str, int] = field(default_factory=dict)  # minor units, keyed 'debit_USD' etc.
    warnings: tuple[str, ...] = ()
    control_ok: bool = True
    kind: str = ""


@contextmanager
def open_binary(source: Source) -> Iterator[BinaryIO]:
    """A binary stream over bytes, a path or an already-open file; closes only what it opened."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        yield source


def decode_line(raw: bytes) -> str:
    """UTF-8 if it decodes, else Windows-1252 (NACHA/MT940 files come in both)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def text_lines(source: Source) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its line ending), streamed."""
    with open_binary(source) as stream:
        for number, raw in enumerate(stream, start=1):
            yield number, decode_line(raw.rstrip(b"\r\n"))


def currency_exponent(currency: str) -> int | None:
    code = currency.upper()
    return EXPONENT.get(code, ISO_4217_EXTRA.get(code))


def minor_units(
    text: str,
    currency: str,
    *,
    file: str,
    line: int | None = None,
    path: str | None = None,
    field: str = "amount",
) -> int:
    """Exact decimal text ('1240.50', '1240,50') to integer minor units, or FileRejected."""
    places = currency_exponent(currency)
    if places is None:
        raise FileRejected(
            file,
            f"unknown currency {currency!r}",
            line=line,
            path=path,
            field=field,
            expected="an ISO 4217 code",
        )
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise FileRejected(
            file,
            f"not an amount: {text!r}",
            line=line,
            path=path,
            field=field,
            expected="a decimal number",
        ) from None
    scaled = value.scaleb(places)
    if not value.is_finite() or scaled != scaled.to_integral_value():
        raise FileRejected(
            file,
            f"{text!r} has more decimals than {currency} allows",
            line=line,
            path=path,
            field=field,
            expected=f"at most {places} decimals",
        )
    return int(scaled)


def digits(text: str, *, file: str, line: int, field: str, allow_blank: bool = False) -> int:
    """A zero-filled numeric field; blank only when allowed (then 0)."""
    if allow_blank and not text.strip():
        return 0
    if not text.isascii() or not text.isdigit():
        raise FileRejected(
            file, f"not numeric: {text!r}", line=line, field=field, expected=f"{len(text)} digits"
        )
    return int(text)
