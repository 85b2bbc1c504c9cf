"""Saved column-mapping profiles for generic CSV imports: bundled files plus the ones people
save (table ``ingest_profiles``, migration 012), so a new bank's or processor's CSV maps
onto bank_statement_lines or card_settlements without code.

A file is loaded with one by its format id ``csv:<profile name>`` (loader, CLI, Import
page). Bundled profiles (card_profile.PROFILE_DIR) win over a saved one of the same
name, and a saved profile may not take a bundled name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from ops_core import audit
from ops_core.access import actor_name
from ops_core.errors import ConfigError, FileRejected
from ops_core.ingest.card_profile import Profile, bundled_names, load_profile, profile_from_dict

NAME = re.compile(r"[a-z0-9_]{1,64}")
ENTITY = "ingest_profile"


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    target: str
    source: str  # 'bundled' | 'saved'
    description: str


def resolve(cur: duckdb.DuckDBPyConnection, name: str) -> Profile:
    """The profile called ``name``: bundled first, then saved; FileRejected if neither."""
    if name in bundled_names():
        return load_profile(name)
    row = cur.execute("SELECT definition FROM ingest_profiles WHERE name = ?", [name]).fetchone()
    if row is None:
        raise FileRejected(
            "(format)", f"no CSV profile called {name!r}", field="format",
            expected=", ".join(p.name for p in list_profiles(cur)) or "a saved profile",
        )  # fmt: skip
    return profile_from_dict(json.loads(row[0]))


def list_profiles(cur: duckdb.DuckDBPyConnection) -> list[ProfileInfo]:
    """Every profile a file can be loaded with, bundled ones first."""
    out = []
    for name in bundled_names():
        prof = load_profile(name)
        out.append(ProfileInfo(name, prof.target, "bundled", prof.description))
    rows = cur.execute(
        "SELECT name, target, definition FROM ingest_profiles ORDER BY name"
    ).fetchall()
    for name, target, definition in rows:
        description = str(json.loads(definition).get("description", ""))
        out.append(ProfileInfo(name, target, "saved", description))
    return out


def save_profile(cur: duckdb.DuckDBPyConnection, data: dict[str, Any], *, actor: Any) -> Profile:
    """Validate and save (or replace) a profile; the change goes to audit_log.

    ConfigError names what is wrong: a bad name, a bundled name, an unknown target or
    column, a missing required column."""
    profile = profile_from_dict(data)
    if not NAME.fullmatch(profile.name):
        raise ConfigError(
            f"profile name {profile.name!r}: use 1 to 64 lower-case letters, digits or _"
        )
    if profile.name in bundled_names():
        raise ConfigError(f"{profile.name!r} is a bundled profile: pick another name")
    definition = json.dumps(profile.to_dict(), sort_keys=True)
    old = cur.execute(
        "SELECT definition FROM ingest_profiles WHERE name = ?", [profile.name]
    ).fetchone()
    now = datetime.now(UTC)
    if old is None:
        cur.execute(
            "INSERT INTO ingest_profiles (name, target, definition, saved_at, saved_by)"
            " VALUES (?, ?, ?, ?, ?)",
            [profile.name, profile.target, definition, now, actor_name(actor)],
        )
    elif old[0] != definition:
        cur.execute(
            "UPDATE ingest_profiles SET target = ?, definition = ?, saved_at = ?, saved_by = ?,"
            " version = version + 1 WHERE name = ?",
            [profile.target, definition, now, actor_name(actor), profile.name],
        )
    if old is None or old[0] != definition:
        audit.record(
            cur, actor=actor, entity=ENTITY, entity_id=profile.name, field="definition",
            old=old[0] if old else None, new=definition, at=now,
        )  # fmt: skip
    return profile


def parse_profile_json(text: str) -> dict[str, Any]:
    """A profile typed or pasted as JSON; ConfigError naming the problem."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("a profile is a JSON object ({...})")
    return data
