"""BAI2 logical records: split physical lines, merge 88 continuations (domain.md 3.1).

A physical line may hold several records ("2/   02,..." in moov-io sample3); a record
ends with "/" unless it ends inside a 16 record's text. An 88 record continues the
previous record: after a "/" its fields follow on, inside text its text follows on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ops_core.errors import FileRejected
from ops_core.ingest._common import Source, text_lines

RECORD_CODES = frozenset({"01", "02", "03", "16", "49", "88", "98", "99"})
_SPLIT = re.compile(r"/\s+(?=(?:01|02|03|16|49|88|98|99),)")
_START = re.compile(r"^(\d\d),")
TYPE_CODES_CSV = Path(__file__).with_name("bai2_type_codes.csv")


@dataclass
class Logical:
    """One record with its 88 continuations merged in."""

    line: int
    code: str
    body: str  # everything after "NN,"
    continuations: int = 0

    def extend(self, body: str) -> None:
        if self.body.rstrip().endswith("/"):
            self.body = self.body.rstrip()[:-1] + "," + body
        else:  # inside text: the continuation's text follows on
            self.body = self.body + " " + body
        self.continuations += 1


def _pieces(file: str, source: Source) -> Iterator[tuple[int, str | None, str]]:
    """(line, record code or None for a bare text line, body)."""
    for line, text in text_lines(source):
        if not text.strip():
            continue
        for piece in _SPLIT.split(text.strip()):
            match = _START.match(piece)
            if match is None:
                yield line, None, piece
                continue
            if match.group(1) not in RECORD_CODES:
                raise FileRejected(
                    file,
                    f"unsupported record type {match.group(1)}",
                    line=line,
                    field="Record Code",
                    expected="01, 02, 03, 16, 49, 88, 98 or 99",
                )
            yield line, match.group(1), piece[3:]


def logical_records(file: str, source: Source) -> Iterator[Logical]:
    pending: Logical | None = None
    for line, code, body in _pieces(file, source):
        if code == "88" or (code is None and pending is not None and pending.code == "16"):
            if pending is None:
                raise FileRejected(
                    file,
                    "continuation (88) with nothing to continue",
                    line=line,
                    field="Record Code",
                    expected="01 first",
                )
            if code is None:  # a 16 text wrapped onto a bare line (moov-io sample3)
                pending.body += " " + body
            else:
                pending.extend(body)
            continue
        if code is None:
            raise FileRejected(
                file,
                f"line does not start with a record code: {body[:20]!r}",
                line=line,
                field="Record Code",
                expected="NN, e.g. 16,",
            )
        if pending is not None:
            yield pending
        pending = Logical(line, code, body)
    if pending is not None:
        yield pending


@cache
def type_codes() -> dict[str, tuple[str, str]]:
    """BAI2 Appendix A: code -> (txn 'CR'/'DB'/'NA'/'----', level)."""
    with TYPE_CODES_CSV.open(newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["code"]: (row["txn"], row["level"]) for row in rows}


def classify(code: str) -> tuple[str, str] | None:
    """(txn, level) for a type code; 900-999 are bilateral (domain.md 3.2)."""
    if len(code) != 3 or not code.isdigit():
        return None
    known = type_codes().get(code)
    if known or code < "900":
        return known
    if code < "920":
        return ("NA", "Status")
    return ("CR", "Detail") if code < "960" else ("DB", "Detail")
