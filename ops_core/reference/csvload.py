"""Reading reference CSVs: the header must match exactly and every error names the file and line.

Rule tables are data (STYLE.md "Rule tables ... are data with an effective_from and a source");
this module is the one place that turns such a CSV into checked rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ops_core.errors import ConfigError

REFERENCE_DIR = Path(__file__).resolve().parent

_BOOLS = {"true": True, "false": False}


class _Reader(Protocol):
    """What this module needs of ``csv.reader``."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...


@dataclass(frozen=True)
class CsvRow:
    """One data row of a reference CSV, with where it came from (for error messages)."""

    file: Path
    line: int
    values: dict[str, str]

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.file}, line {self.line}: {message}")

    def text(self, field: str) -> str | None:
        """The field's text, or None when empty."""
        return self.values[field] or None

    def required(self, field: str) -> str:
        value = self.values[field]
        if not value.strip():
            raise self.error(f"field {field} is empty")
        if value != value.strip():
            raise self.error(f"field {field} has leading or trailing spaces: {value!r}")
        return value

    def boolean(self, field: str) -> bool:
        value = self.required(field)
        if value not in _BOOLS:
            raise self.error(f"field {field} is {value!r} (expected true or false)")
        return _BOOLS[value]

    def iso_date(self, field: str) -> date:
        value = self.required(field)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(f"field {field} is {value!r} (expected a date YYYY-MM-DD)") from None


def read_rows(path: Path, columns: Sequence[str]) -> list[CsvRow]:
    """All data rows of a UTF-8 CSV whose header is exactly ``columns``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(_rows(path, csv.reader(f), tuple(columns)))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 ({exc})") from exc
    except csv.Error as exc:
        raise ConfigError(f"{path}: malformed CSV ({exc})") from exc


def _rows(path: Path, reader: _Reader, columns: tuple[str, ...]) -> Iterator[CsvRow]:
    header = next(iter(reader), None)
    if header is None or tuple(header) != columns:
        raise ConfigError(f"{path}, line 1: header is {header} (expected {list(columns)})")
    for fields in reader:
        line = reader.line_num  # the last physical line of this record
        if not any(fields):
            continue  # blank line
        if len(fields) != len(columns):
            raise ConfigError(
                f"{path}, line {line}: {len(fields)} fields (expected {len(columns)})"
            )
        yield CsvRow(path, line, dict(zip(columns, fields, strict=True)))
