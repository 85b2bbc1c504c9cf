"""Partner screen-share mode (issue 8): what a partner-scoped view may show.

- Clients become stable pseudonyms (``Client 4F2A``): an HMAC of the client id under a secret
  key, so the same client reads the same on every page and in every session, yet the page
  never carries anything that maps back to the id or the name.
- Account numbers and personal names are cut to their last four characters (``••••6789``).
- ``restrict_frame`` drops rows of other partners; ``mask_frame`` applies both rules to every
  known column of a DataFrame. Data-layer functions call them when a ``partner`` is given, so
  pages, tables and exports (CSV, .ics) all see the same masked data.

The key: ``$RAILYARD_PSEUDONYM_KEY`` when set, else a random key kept in
``data/.pseudonym_key`` (created on first use, readable by its owner only).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ops_core.config import REPO_ROOT

KEY_ENV = "RAILYARD_PSEUDONYM_KEY"
KEY_FILE = REPO_ROOT / "data" / ".pseudonym_key"
MASK = "••••"
VISIBLE = 4

# Columns holding a client id or a client's name: both become the pseudonym.
CLIENT_COLUMNS = ("client_id", "client", "client_name", "top_client")
# Columns holding account numbers or personal names: cut to their last four characters.
PERSONAL_COLUMNS = (
    "counterparty_name",
    "counterparty_account",
    "individual_name",
    "individual_id",
    "account_number",
    "account",
    "receiver_account",
    "receiver_name",
    "sender_name",
    "sender_account",
    "dfi_account",
    "iban",
    "pan",
    "card_number",
    "vpa",
)
PARTNER_COLUMNS = ("partner_id",)


@lru_cache(maxsize=1)
def _file_key(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return p.read_text().strip().encode()


def pseudonym_key() -> bytes:
    """The secret the pseudonyms are keyed on (see the module docstring)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    try:
        return _file_key(str(KEY_FILE))
    except FileExistsError:  # another process created it between exists() and open()
        _file_key.cache_clear()
        return _file_key(str(KEY_FILE))


def pseudonym(client_id: str, key: bytes | None = None) -> str:
    """``Client XXXX``: the same for the same client id and key; not reversible without the key."""
    digest = hmac.new(key or pseudonym_key(), str(client_id).encode(), hashlib.sha256).hexdigest()
    return f"Client {digest[:4].upper()}"


def last4(value: object) -> object:
    """An account number or personal name cut to its last four characters (None stays None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    text = str(value).strip()
    if not text:
        return text
    return MASK + text[-VISIBLE:] if len(text) > VISIBLE else MASK


def client_map(
    ids: Iterable[str], names: Mapping[str, str] | None = None, key: bytes | None = None
) -> dict[str, str]:
    """Every client id, and every client name when ``names`` (id -> name) is given, mapped to
    the client's pseudonym."""
    key = key or pseudonym_key()
    names = names or {}
    out: dict[str, str] = {}
    for cid in {*ids, *names}:
        alias = pseudonym(cid, key)
        out[str(cid)] = alias
        if cid in names:
            out[str(names[cid])] = alias
    return out


def mask_text(text: str, names: Mapping[str, str], key: bytes | None = None) -> str:
    """Free text (a case note, an .ics description) with every client name replaced by its
    pseudonym. ``names`` maps client id -> name."""
    key = key or pseudonym_key()
    for cid, name in sorted(names.items(), key=lambda kv: -len(kv[1])):
        text = text.replace(name, pseudonym(cid, key))
    return text


def mask_frame(
    df: pd.DataFrame, names: Mapping[str, str] | None = None, key: bytes | None = None
) -> pd.DataFrame:
    """A copy of ``df`` with client columns pseudonymised and personal columns cut to their
    last four characters. ``names`` (client id -> name) lets name columns be mapped too; a
    client value that is neither a known id nor a known name is pseudonymised as an id."""
    if df is None or (df.empty and not len(df.columns)):
        return df
    key = key or pseudonym_key()
    out = df.copy()
    known = client_map([], names, key)

    def alias(v: object) -> object:
        return v if v is None or _na(v) else known.get(str(v)) or pseudonym(str(v), key)

    ids = out["client_id"].map(alias) if "client_id" in out.columns else None
    for col in CLIENT_COLUMNS:
        if col not in out.columns:
            continue
        if ids is not None and col in ("client", "client_name"):
            out[col] = ids.where(out["client_id"].notna(), out[col].map(alias))
        else:
            out[col] = out[col].map(alias)
    for col in PERSONAL_COLUMNS:
        if col in out.columns:
            out[col] = out[col].map(last4)
    return out


def mask_record(
    record: Mapping[str, object], names: Mapping[str, str] | None = None, key: bytes | None = None
) -> dict[str, object]:
    """``mask_frame`` for one dict (e.g. a case header)."""
    frame = mask_frame(pd.DataFrame([dict(record)]), names, key)
    return {k: (None if _na(v) else v) for k, v in frame.iloc[0].to_dict().items()}


def restrict_frame(df: pd.DataFrame, partner: str | None, column: str = "partner_id"):
    """Rows of ``partner`` only (all rows when ``partner`` is None)."""
    if partner is None or column not in df.columns:
        return df
    return df[df[column] == partner].reset_index(drop=True)


def scoped(
    df: pd.DataFrame,
    partner: str | None,
    names: Mapping[str, str] | None = None,
    column: str = "partner_id",
) -> pd.DataFrame:
    """What a view scoped to ``partner`` may show of ``df``: its rows, masked. Unchanged when
    ``partner`` is None (the full view)."""
    if partner is None:
        return df
    return mask_frame(restrict_frame(df, partner, column), names)


def _na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
