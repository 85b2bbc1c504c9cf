"""Column-mapping profiles for card dispute (chargeback) reports (DISPUTE_REPORT_FORMAT.md).

The same idea as the card settlement profiles (card_profile.py, csv_profiles.py): a small
JSON object maps a processor's report onto our layout, so a new processor needs a profile,
not code. Bundled profiles live in ``dispute_profiles/*.json`` (``canonical`` is our own
layout); people save theirs in ``dispute_report_profiles`` (migration 021) with
``save_profile``, audited. A file is loaded with one as format ``dispute_csv:<name>``.

Keys: ``columns`` (our column -> source column), ``constants`` (our column -> fixed value),
``date_format`` (strptime), ``decimal_separator`` ("." or ","), ``thousands_separator``,
``delimiter``, ``amount_unit`` ("major": a decimal in the currency's unit, or "minor":
integer minor units), ``stage_values`` / ``network_values`` / ``outcome_values`` (the
source's words -> ours, added to the built-in aliases), ``header_row`` / ``record_prefix``
(multi-section reports, as card profiles) and ``description``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ops_core import audit
from ops_core.access import User, actor_name
from ops_core.errors import ConfigError, FileRejected
from ops_core.ingest.card_profile import check_csv_options

PROFILE_DIR = Path(__file__).with_name("dispute_profiles")
ENTITY = "dispute_report_profile"
NAME = re.compile(r"[a-z0-9_]{1,64}")
COLUMNS = (
    "network", "dispute_id", "network_txn_id", "arn", "reason_code", "stage", "amount",
    "currency", "dispute_date", "stage_date", "network_due_date", "transaction_date",
    "txn_type", "card_last4", "merchant_id", "merchant_name", "outcome", "report_date",
)  # fmt: skip
REQUIRED = frozenset(
    {"network", "dispute_id", "network_txn_id", "reason_code", "stage", "amount", "currency",
     "dispute_date"}
)  # fmt: skip
VALUE_MAPS = ("stage_values", "network_values", "outcome_values")


@dataclass(frozen=True)
class DisputeProfile:
    """A dispute report mapping. Shares its reader options with card profiles, so
    ``mapped_csv.MappedReader`` and ``mapped_csv.money`` read it as they read those."""

    name: str
    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str = ""
    delimiter: str = ","
    amount_unit: str = "major"
    header_row: tuple[str, ...] = ()
    record_prefix: str = ""
    stage_values: dict[str, str] = field(default_factory=dict)
    network_values: dict[str, str] = field(default_factory=dict)
    outcome_values: dict[str, str] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        data["columns"] = dict(self.columns)
        for key in ("constants", *VALUE_MAPS):
            if getattr(self, key):
                data[key] = dict(getattr(self, key))
        if self.header_row:
            data["header_row"] = list(self.header_row)
        if self.record_prefix:
            data["record_prefix"] = self.record_prefix
        data |= {"date_format": self.date_format, "decimal_separator": self.decimal_separator,
                 "thousands_separator": self.thousands_separator, "delimiter": self.delimiter,
                 "amount_unit": self.amount_unit}  # fmt: skip
        return data


def profile_from_dict(data: Any) -> DisputeProfile:
    """A checked profile; ConfigError naming what is wrong."""
    if not isinstance(data, dict):
        raise ConfigError("a dispute report profile is a JSON object")
    name = str(data.get("name", "unnamed"))
    columns = {str(k): str(v) for k, v in dict(data.get("columns", {})).items()}
    constants = {str(k): str(v) for k, v in dict(data.get("constants", {})).items()}
    unknown = (set(columns) | set(constants)) - set(COLUMNS)
    missing = REQUIRED - set(columns) - set(constants)
    if unknown or missing:
        raise ConfigError(
            f"dispute profile {name!r}: unknown columns {sorted(unknown)},"
            f" missing {sorted(missing)}"
        )
    _check_options(data)
    maps = {key: _value_map(data.get(key), key) for key in VALUE_MAPS}
    return DisputeProfile(
        name=name, columns=columns, constants=constants,
        date_format=str(data.get("date_format", "%Y-%m-%d")),
        decimal_separator=data.get("decimal_separator", "."),
        thousands_separator=data.get("thousands_separator", ""),
        delimiter=data.get("delimiter", ","), amount_unit=data.get("amount_unit", "major"),
        header_row=tuple(data.get("header_row", ())), record_prefix=data.get("record_prefix", ""),
        description=str(data.get("description", "")), **maps,
    )  # fmt: skip


def _check_options(data: dict[str, Any]) -> None:
    check_csv_options(data)
    if data.get("amount_unit", "major") not in ("major", "minor"):
        raise ConfigError("amount_unit must be 'major' (a decimal) or 'minor' (integer cents)")


def _value_map(raw: Any, key: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f'{key} must be an object {{"their word": "ours"}}')
    return {word_key(k): str(v).strip().lower() for k, v in raw.items()}


def word_key(word: object) -> str:
    """How a source's word is compared: case, spaces and dashes do not matter."""
    return str(word).strip().lower().replace("-", "_").replace(" ", "_")


def bundled_names() -> list[str]:
    return sorted(path.stem for path in PROFILE_DIR.glob("*.json"))


def load_profile(name: str) -> DisputeProfile:
    """A bundled profile by name ('canonical', 'northbeam_chargebacks')."""
    if not NAME.fullmatch(name):
        raise ConfigError(f"bad dispute profile name {name!r}")
    path = PROFILE_DIR / f"{name}.json"
    try:
        return profile_from_dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read dispute report profile {name}: {exc}") from exc


def resolve(cur: duckdb.DuckDBPyConnection, name: str) -> DisputeProfile:
    """The profile called ``name``: bundled first, then saved; FileRejected if neither."""
    if name in bundled_names():
        return load_profile(name)
    row = cur.execute(
        "SELECT definition FROM dispute_report_profiles WHERE name = ?", [name]
    ).fetchone()
    if row is None:
        known = bundled_names() + saved_names(cur)
        raise FileRejected(
            "(format)", f"no dispute report profile called {name!r}", field="format",
            expected=", ".join(f"dispute_csv:{n}" for n in known),
        )  # fmt: skip
    return profile_from_dict(json.loads(row[0]))


def saved_names(cur: duckdb.DuckDBPyConnection) -> list[str]:
    rows = cur.execute("SELECT name FROM dispute_report_profiles ORDER BY name").fetchall()
    return [r[0] for r in rows]


def save_profile(
    cur: duckdb.DuckDBPyConnection, data: dict[str, Any], *, actor: str | User
) -> DisputeProfile:
    """Validate and save (or replace) a profile; the change goes to audit_log (a ``User``
    actor needs a role that may edit: PermissionDenied otherwise)."""
    profile = profile_from_dict(data)
    if not NAME.fullmatch(profile.name):
        raise ConfigError(
            f"profile name {profile.name!r}: use 1 to 64 lower-case letters, digits or _"
        )
    if profile.name in bundled_names():
        raise ConfigError(f"{profile.name!r} is a bundled profile: pick another name")
    definition = json.dumps(profile.to_dict(), sort_keys=True)
    old = cur.execute(
        "SELECT definition FROM dispute_report_profiles WHERE name = ?", [profile.name]
    ).fetchone()
    if old is not None and old[0] == definition:
        return profile
    now = datetime.now(UTC)
    audit.record(
        cur, actor=actor, entity=ENTITY, entity_id=profile.name, field="definition",
        old=old[0] if old else None, new=definition, at=now,
    )  # fmt: skip
    if old is None:
        cur.execute(
            "INSERT INTO dispute_report_profiles (name, definition, saved_at, saved_by)"
            " VALUES (?, ?, ?, ?)",
            [profile.name, definition, now, actor_name(actor)],
        )
    else:
        cur.execute(
            "UPDATE dispute_report_profiles SET definition = ?, saved_at = ?, saved_by = ?,"
            " version = version + 1 WHERE name = ?",
            [definition, now, actor_name(actor), profile.name],
        )
    return profile
