"""Field slicing and checks for NACHA records (positions are 1-based, inclusive: domain.md 2.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ops_core.errors import FileRejected
from ops_core.ingest._common import Source, text_lines
from ops_core.ingest.nacha_rules import BLOCKING_FACTOR, RECORD_LENGTH, check_digit


@dataclass(frozen=True)
class Rec:
    """One 94-character record and where it came from."""

    file: str
    line: int
    text: str

    def s(self, start: int, end: int) -> str:
        """Raw slice by 1-based inclusive positions."""
        return self.text[start - 1 : end]

    def alpha(self, start: int, end: int) -> str:
        return self.s(start, end).strip()

    def num(self, start: int, end: int, field: str, *, blank_ok: bool = False) -> int:
        raw = self.s(start, end)
        if blank_ok and not raw.strip():
            return 0
        if not (raw.isascii() and raw.isdigit()):
            raise self.reject(f"not numeric: {raw!r}", field, f"{end - start + 1} digits")
        return int(raw)

    def reject(
        self, message: str, field: str | None = None, expected: str | None = None
    ) -> FileRejected:
        return FileRejected(self.file, message, line=self.line, field=field, expected=expected)

    def expect(self, start: int, end: int, allowed: frozenset[str] | set[str], field: str) -> str:
        value = self.s(start, end)
        if value not in allowed:
            raise self.reject(
                f"{field} {value!r} is not allowed", field, ", ".join(sorted(allowed)[:12])
            )
        return value

    def routing(self, start: int, field: str = "Receiving DFI Identification") -> str:
        """8-digit DFI id at ``start`` plus its check digit; the check digit must verify."""
        first8 = f"{self.num(start, start + 7, field):08d}"
        digit = self.num(start + 8, start + 8, "Check Digit")
        if digit != check_digit(first8):
            raise self.reject(
                f"check digit {digit} does not match routing {first8}",
                "Check Digit",
                str(check_digit(first8)),
            )
        return f"{first8}{digit}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _check_characters(file: str, line: int, text: str) -> None:
    found = _CONTROL.search(text)
    if found:
        raise FileRejected(
            file,
            f"control character {found.group()!r} in record",
            line=line,
            expected="printable characters (domain.md 2.1)",
        )


def _split_fixed(file: str, text: str) -> Iterator[tuple[int, str]]:
    """A file with no line breaks: 94-char records back to back (record number as line).

    A final filler record cut short is accepted only when it completes the last block,
    as bank certification files (rubyritas return_fixedlength.txt) are written.
    """
    chunks = [text[i : i + RECORD_LENGTH] for i in range(0, len(text), RECORD_LENGTH)]
    tail = chunks[-1]
    if len(tail) != RECORD_LENGTH:
        if set(tail) != {"9"} or len(chunks) % BLOCKING_FACTOR:
            raise FileRejected(
                file,
                f"record is {len(text)} characters long: not a multiple of {RECORD_LENGTH}",
                line=1,
                expected="94-character records",
            )
        chunks[-1] = tail.ljust(RECORD_LENGTH, "9")
    yield from enumerate(chunks, start=1)


def _fit(file: str, line: int, text: str) -> str:
    """Pad records whose trailing blanks were trimmed; drop trailing blanks past 94."""
    if len(text) <= RECORD_LENGTH:
        return text.ljust(RECORD_LENGTH)
    if not text[RECORD_LENGTH:].strip():
        return text[:RECORD_LENGTH]
    raise FileRejected(
        file,
        f"record is {len(text)} characters long",
        line=line,
        expected=f"{RECORD_LENGTH} characters",
    )


def records(source: Source, file: str) -> Iterator[Rec | None]:
    """94-char records in order; ``None`` for a blank line."""
    for line, text in text_lines(source):
        if line == 1 and len(text) > RECORD_LENGTH and text[RECORD_LENGTH:].strip():
            for number, chunk in _split_fixed(file, text):
                _check_characters(file, number, chunk)
                yield Rec(file, number, chunk)
            continue
        if not text.strip():
            yield None
            continue
        _check_characters(file, line, text)
        yield Rec(file, line, _fit(file, line, text))
