"""One partner's screen-share view (issue 8): the names it may show and how it masks the rest.

``ops_core.access.masking`` masks known columns; this adds what free text needs (a break's
detail, a note, an alert's title): client names and ids become their pseudonyms
(``masking.mask_text``), the account numbers and personal names the caller knows of are cut
to their last four characters, and every other partner's name or id reads "another partner".
Data-layer functions build one with ``load(cur, partner)`` when a ``partner`` is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from ops_core.access import masking

OTHER_PARTNER = "another partner"
MIN_PERSONAL = 3  # shorter strings are not searched for in text (they would hit inside words)
# Who wrote an entry when it was no person: shown as is (ops_core.recon, ops_core.alerts).
SYSTEM_ACTORS = frozenset(
    {
        "engine",
        "ledger",
        "import",
        "bank / network",
        "reconciliation engine",
        "railyard",  # the alert engine (ops_core.alerts)
        "demo seed",
        "system",
    }
)


@dataclass(frozen=True)
class PartnerView:
    partner: str
    name: str
    rails: tuple[str, ...]  # the rails this partner carries (rail_partners)
    accounts: tuple[str, ...]  # its settlement accounts (recon_accounts)
    clients: Mapping[str, str]  # client id -> name (for pseudonyms)
    others: tuple[str, ...]  # other partners' ids and names, longest first
    key: bytes

    def text(self, value: object, personal: Iterable[object] = ()) -> object:
        """Free text as this view may show it (anything not a string is returned as is)."""
        if not isinstance(value, str) or not value:
            return value
        out = masking.mask_text(value, self.clients, self.key)
        for cid in self.clients:
            out = _sub_word(out, cid, masking.pseudonym(cid, self.key))
        own = {self.partner.lower(), self.name.lower()}  # e.g. a card network's "account"
        for secret in _longest_first({*self.accounts, *personal}):
            if secret.lower() in own or secret.lower() in SYSTEM_ACTORS:
                continue
            cut = str(masking.last4(secret))
            out = re.sub(re.escape(secret), lambda _m, cut=cut: cut, out, flags=re.I)
        for other in self.others:
            out = _sub_word(out, other, OTHER_PARTNER)
        return out

    def person(self, value: object) -> object:
        """A person's name cut to its last four characters; the engine's names stay."""
        if isinstance(value, str) and value.strip().lower() in SYSTEM_ACTORS:
            return value
        return masking.last4(value)

    def frame(
        self,
        df: pd.DataFrame,
        text: Sequence[str] = (),
        people: Sequence[str] = (),
        personal: Iterable[object] = (),
    ) -> pd.DataFrame:
        """``masking.mask_frame`` (client and personal columns) plus the ``text`` columns
        through ``text()`` and the ``people`` columns through ``person()``."""
        if df is None or df.empty:
            return df
        out = masking.mask_frame(df, self.clients, self.key)
        secrets = tuple(personal)
        for col in text:
            if col in out.columns:
                out[col] = [self.text(v, secrets) for v in out[col]]
        for col in people:
            if col in out.columns:
                out[col] = out[col].map(self.person)
        return out


def load(cur: duckdb.DuckDBPyConnection, partner: str) -> PartnerView:
    """The view of ``partner`` (raises ValueError for an unknown partner id)."""
    partners = dict(cur.execute("SELECT partner_id, name FROM partners").fetchall())
    if partner not in partners:
        raise ValueError(f"unknown partner {partner!r}")
    rails = cur.execute(
        "SELECT rail_id FROM rail_partners WHERE partner_id = ? ORDER BY rail_id", [partner]
    ).fetchall()
    accounts = cur.execute(
        "SELECT DISTINCT account FROM recon_accounts WHERE partner_id = ? ORDER BY account",
        [partner],
    ).fetchall()
    others = {str(v) for pid, name in partners.items() if pid != partner for v in (pid, name)}
    return PartnerView(
        partner=partner,
        name=partners[partner],
        rails=tuple(r[0] for r in rails),
        accounts=tuple(a[0] for a in accounts),
        clients=dict(cur.execute("SELECT client_id, name FROM clients").fetchall()),
        others=tuple(_longest_first(others)),
        key=masking.pseudonym_key(),
    )


def _longest_first(values: Iterable[object]) -> list[str]:
    keep = {str(v).strip() for v in values if isinstance(v, str)}
    return sorted((v for v in keep if len(v) >= MIN_PERSONAL), key=lambda v: (-len(v), v))


def _sub_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", lambda _m: replacement, text, flags=re.I)
