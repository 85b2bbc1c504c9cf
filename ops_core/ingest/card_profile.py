"""Column-mapping profiles: map a processor's settlement CSV onto our layout without code.

A profile is a small JSON file (see profiles/ and CARD_SETTLEMENT_FORMAT.md):
``columns`` maps our column -> source column, ``constants`` fixes a column's value,
``date_format`` is a strptime format, ``decimal_separator`` is "." or ",",
``costs_sign`` says whether the source writes fees/interchange as "positive" or
"negative" numbers, and ``header_row`` / ``record_prefix`` pick the rows of a
multi-section report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ops_core.errors import ConfigError

PROFILE_DIR = Path(__file__).with_name("profiles")
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


def profile_from_dict(data: dict[str, Any]) -> Profile:
    columns = dict(data.get("columns", {}))
    constants = {k: str(v) for k, v in dict(data.get("constants", {})).items()}
    unknown = (set(columns) | set(constants)) - set(OUR_COLUMNS)
    missing = REQUIRED - set(columns) - set(constants)
    if unknown or missing:
        raise ConfigError(
            f"profile {data.get('name')!r}: unknown columns {sorted(unknown)}, "
            f"missing {sorted(missing)}"
        )
    if data.get("decimal_separator", ".") not in (".", ","):
        raise ConfigError("decimal_separator must be '.' or ','")
    if data.get("costs_sign", "positive") not in ("positive", "negative"):
        raise ConfigError("costs_sign must be 'positive' or 'negative'")
    return Profile(
        name=str(data.get("name", "unnamed")), columns=columns, constants=constants,
        date_format=data.get("date_format", "%Y-%m-%d"),
        decimal_separator=data.get("decimal_separator", "."),
        costs_sign=data.get("costs_sign", "positive"), delimiter=data.get("delimiter", ","),
        header_row=tuple(data.get("header_row", ())), record_prefix=data.get("record_prefix", ""),
    )  # fmt: skip


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
        raise ConfigError(f"cannot read card settlement profile {name_or_path}: {exc}") from exc
