"""Column-mapping profiles: map a bank's or processor's CSV onto our tables without code.

A profile is a small JSON object (bundled ones in profiles/, saved ones in the
``ingest_profiles`` table: csv_profiles.py; CARD_SETTLEMENT_FORMAT.md, "Profiles"):
``target`` is the table the rows become (``card_settlements``, the default, or
``bank_statement_lines``), ``columns`` maps our column -> source column, ``constants``
fixes a column's value, ``date_format`` is a strptime format, ``decimal_separator`` is
"." or ",", ``thousands_separator`` is dropped from amounts, ``costs_sign`` says whether
the source writes card fees/interchange as "positive" or "negative" numbers,
``dc_values`` names the source's credit and debit markers, and ``header_row`` /
``record_prefix`` pick the rows of a multi-section report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ops_core.errors import ConfigError

PROFILE_DIR = Path(__file__).with_name("profiles")
CARD = "card_settlements"
STATEMENT = "bank_statement_lines"
OUR_COLUMNS = (
    "settlement_date",
    "network",
    "network_txn_id",
    "txn_type",
    "amount",
    "currency",
    "fee",
    "interchange",
    "net",
    "batch_id",
)
REQUIRED = frozenset(
    {"settlement_date", "network", "network_txn_id", "txn_type", "amount", "currency", "net"}
)
# bank_statement_lines: a signed `amount`, an unsigned one with a `dc` column, or separate
# `credit` and `debit` columns (one of them filled per row), as bank CSV exports come.
STATEMENT_COLUMNS = (
    "account", "amount", "credit", "debit", "dc", "currency", "booking_date", "value_date",
    "type_code", "bank_reference", "customer_reference", "text", "end_to_end_id",
    "statement_id", "status",
)  # fmt: skip
STATEMENT_REQUIRED = frozenset({"account", "currency", "booking_date"})
TARGETS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    CARD: (OUR_COLUMNS, REQUIRED),
    STATEMENT: (STATEMENT_COLUMNS, STATEMENT_REQUIRED),
}
DEFAULT_DC_VALUES = {"credit": ("C", "CR", "CRDT", "CREDIT"), "debit": ("D", "DR", "DBIT", "DEBIT")}


@dataclass(frozen=True)
class Profile:
    name: str
    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    costs_sign: str = "positive"
    delimiter: str = ","
    header_row: tuple[str, ...] = ()
    record_prefix: str = ""
    target: str = CARD
    thousands_separator: str = ""
    dc_values: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DC_VALUES))
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (what is saved and shown)."""
        data: dict[str, Any] = {"name": self.name, "target": self.target}
        if self.description:
            data["description"] = self.description
        data["columns"] = dict(self.columns)
        if self.constants:
            data["constants"] = dict(self.constants)
        if self.header_row:
            data["header_row"] = list(self.header_row)
        if self.record_prefix:
            data["record_prefix"] = self.record_prefix
        data |= {"date_format": self.date_format, "decimal_separator": self.decimal_separator,
                 "delimiter": self.delimiter}  # fmt: skip
        if self.thousands_separator:
            data["thousands_separator"] = self.thousands_separator
        if self.target == CARD:
            data["costs_sign"] = self.costs_sign
        elif self.dc_values != DEFAULT_DC_VALUES:
            data["dc_values"] = {k: list(v) for k, v in self.dc_values.items()}
        return data


def profile_from_dict(data: dict[str, Any]) -> Profile:
    if not isinstance(data, dict):
        raise ConfigError("a profile is a JSON object")
    target = str(data.get("target", CARD))
    if target not in TARGETS:
        raise ConfigError(f"profile target must be one of {', '.join(TARGETS)}, not {target!r}")
    ours, required = TARGETS[target]
    columns = {str(k): str(v) for k, v in dict(data.get("columns", {})).items()}
    constants = {str(k): str(v) for k, v in dict(data.get("constants", {})).items()}
    unknown = (set(columns) | set(constants)) - set(ours)
    missing = required - set(columns) - set(constants)
    if unknown or missing:
        raise ConfigError(
            f"profile {data.get('name')!r}: unknown columns {sorted(unknown)}, "
            f"missing {sorted(missing)}"
        )
    if target == STATEMENT:
        _check_statement_amounts(set(columns) | set(constants), data.get("name"))
    _check_options(data)
    return Profile(
        name=str(data.get("name", "unnamed")), columns=columns, constants=constants,
        date_format=data.get("date_format", "%Y-%m-%d"),
        decimal_separator=data.get("decimal_separator", "."),
        costs_sign=data.get("costs_sign", "positive"), delimiter=data.get("delimiter", ","),
        header_row=tuple(data.get("header_row", ())), record_prefix=data.get("record_prefix", ""),
        target=target, thousands_separator=data.get("thousands_separator", ""),
        dc_values=_dc_values(data.get("dc_values")), description=str(data.get("description", "")),
    )  # fmt: skip


def _check_statement_amounts(mapped: set[str], name: object) -> None:
    if "amount" in mapped and ({"credit", "debit"} & mapped):
        raise ConfigError(f"profile {name!r}: map either amount, or credit and debit, not both")
    if "amount" not in mapped and not {"credit", "debit"} <= mapped:
        raise ConfigError(f"profile {name!r}: map amount, or both credit and debit")


def _check_options(data: dict[str, Any]) -> None:
    check_csv_options(data)
    if data.get("costs_sign", "positive") not in ("positive", "negative"):
        raise ConfigError("costs_sign must be 'positive' or 'negative'")


def check_csv_options(data: dict[str, Any]) -> None:
    """The number and delimiter options every CSV mapping profile shares (card settlement,
    dispute reports)."""
    if data.get("decimal_separator", ".") not in (".", ","):
        raise ConfigError("decimal_separator must be '.' or ','")
    if data.get("thousands_separator", "") not in ("", ",", ".", " ", "'"):
        raise ConfigError("thousands_separator must be '', ',', '.', ' ' or \"'\"")
    if data.get("thousands_separator", "") == data.get("decimal_separator", "."):
        raise ConfigError("thousands_separator and decimal_separator must differ")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError("delimiter must be one character (not a quote or a line break)")


def _dc_values(raw: Any) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return dict(DEFAULT_DC_VALUES)
    if not isinstance(raw, dict) or set(raw) != {"credit", "debit"}:
        raise ConfigError('dc_values must be {"credit": [...], "debit": [...]}')
    values = {k: tuple(str(v).strip().upper() for v in raw[k]) for k in ("credit", "debit")}
    if set(values["credit"]) & set(values["debit"]):
        raise ConfigError("dc_values: a marker cannot mean both credit and debit")
    return values


def load_profile(name_or_path: str | Path) -> Profile:
    """A bundled profile by name ('canonical', 'vipps_settlement') or a JSON file path."""
    path = Path(name_or_path)
    if not path.suffix:
        if not str(name_or_path).replace("_", "").isalnum():
            raise ConfigError(f"bad profile name {name_or_path!r}")
        path = PROFILE_DIR / f"{name_or_path}.json"
    try:
        return profile_from_dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read CSV profile {name_or_path}: {exc}") from exc


def bundled_names() -> list[str]:
    """Profiles shipped in profiles/, by name."""
    return sorted(path.stem for path in PROFILE_DIR.glob("*.json"))
