"""Import page sections: load uploaded bytes, show each file's outcome, the history."""

from __future__ import annotations

import json
from dataclasses import asdict

import pandas as pd
import streamlit as st

from ops_core import derived
from ops_core.errors import ConfigError, OpsError
from ops_core.ingest.csv_profiles import list_profiles, parse_profile_json, save_profile
from ops_core.ingest.formats import GENERIC_CSV, format_choices
from ops_core.ingest.imports import AUTO, ImportOutcome, import_bytes, summarise
from ops_core.ingest.imports import history as import_history
from ui import data, fmt

RESULTS = "import_results"
TARGET_LABELS = {"bank_statement_lines": "bank statement", "card_settlements": "card settlement"}
EXAMPLE_PROFILE = {
    "name": "my_bank_csv",
    "target": "bank_statement_lines",
    "columns": {"account": "Account", "booking_date": "Date", "amount": "Amount",
                "text": "Description", "bank_reference": "Reference"},
    "constants": {"currency": "USD"},
    "date_format": "%Y-%m-%d",
}  # fmt: skip


def format_options() -> dict[str, str]:
    """Format id -> label for the per-file selectbox, auto-detection first."""
    return {AUTO: "auto-detect", **format_choices()}


@st.cache_data(show_spinner=False)
def profiles(data_version_: int) -> pd.DataFrame:
    """Every saved CSV mapping (bundled and saved): name, target, source, description."""
    rows = [asdict(p) for p in list_profiles(data.cursor())]
    return pd.DataFrame(rows, columns=["name", "target", "source", "description"])


def profile_labels(df: pd.DataFrame) -> dict[str, str]:
    """Profile name -> 'name (bank statement, saved)' for the mapping selectbox."""
    return {
        r.name: f"{r.name} ({TARGET_LABELS.get(r.target, r.target)}, {r.source})"
        for r in df.itertuples()
    }


def chosen_format(fmt_id: str, profile: str | None) -> str:
    """The loader's format id: a generic CSV carries its profile (csv:<profile>)."""
    return f"{GENERIC_CSV}:{profile}" if fmt_id == GENERIC_CSV and profile else fmt_id


def save_mapping(text: str, actor: str) -> str:
    """Save a pasted profile; '' when saved, else what is wrong with it."""
    try:
        with data.database().transaction() as cur:
            profile = save_profile(cur, parse_profile_json(text), actor=actor)
    except (ConfigError, OpsError) as exc:
        return str(exc)
    st.cache_data.clear()
    st.session_state[SAVED] = profile.name
    return ""


SAVED = "saved_profile"


def mappings_section(df: pd.DataFrame, actor: str) -> None:
    """The saved CSV mappings, and a form to save one (CARD_SETTLEMENT_FORMAT.md)."""
    saved = st.session_state.pop(SAVED, "")
    with st.expander(f"CSV mappings ({len(df)})", expanded=bool(saved)):
        if saved:
            st.success(f"Saved mapping **{saved}**: pick it for a file under *Generic CSV*.")
        st.caption(
            "A mapping (profile) names which column of a bank's or processor's CSV holds each "
            "of our fields, so the file loads as bank statement lines or card settlements. "
            "Pick *Generic CSV* as a file's format, then its mapping."
        )
        shown = df.assign(target=[TARGET_LABELS.get(t, t) for t in df.target])
        st.dataframe(shown, hide_index=True, width="stretch")
        with st.form("save-mapping", clear_on_submit=False):
            text = st.text_area(
                "Mapping (JSON)", value=json.dumps(EXAMPLE_PROFILE, indent=2), height=260,
                help="Keys: name, target (bank_statement_lines or card_settlements), columns "
                "(our field -> your column), constants, date_format, decimal_separator, "
                "thousands_separator, delimiter, dc_values, header_row, record_prefix.",
            )  # fmt: skip
            if st.form_submit_button("Save mapping"):
                error = save_mapping(text, actor)
                if error:
                    st.error(f"Not saved: {error}")
                else:
                    st.rerun()  # the new mapping joins the lists above


def load(name: str, content: bytes, fmt_id: str, *, actor: str, strict: bool) -> ImportOutcome:
    """Load one uploaded file's bytes (the name is display text only, never a path)."""
    outcome = import_bytes(
        data.database(), content, name, format=fmt_id, actor=actor, strict=strict
    )
    if outcome.status == "loaded":
        st.cache_data.clear()  # the loader bumped the data version; drop stale reads now
    return outcome


def catch_up() -> None:
    """After a batch: rebuild the rollups the batch's ledger files left behind, once."""
    if derived.catch_up(data.database()):
        st.cache_data.clear()


@st.cache_data(show_spinner=False)
def history(data_version_: int, limit: int = 500) -> pd.DataFrame:
    return import_history(data.cursor(), limit)


def outcome(result: ImportOutcome) -> None:
    """One file's result: what loaded (rows, totals, warnings) or why it was refused."""
    if result.status == "rejected":
        st.error(f"**{result.name}** was rejected, nothing was written.\n\n{result.error}")
        return
    if result.status == "already loaded":
        st.info(
            f"**{result.name}** is already loaded (same SHA-256 `{result.sha256[:12]}`): "
            "nothing to do."
        )
    elif result.control_ok:
        st.success(f"**{result.name}** loaded: {result.rows:,} rows as {result.format}.")
    else:
        st.warning(
            f"**{result.name}** loaded, {result.rows:,} rows as {result.format}, but its "
            "control totals disagree with its records: it is flagged as untrusted."
        )
    cols = st.columns([1, 1, 4])
    cols[0].metric("Rows", f"{result.rows:,}")
    cols[1].metric("Warnings", f"{len(result.warnings):,}")
    cols[2].markdown(f"**Totals**  \n{summarise(result.totals) or '–'}")
    if result.warnings:
        with st.expander(f"Warnings ({len(result.warnings)})", expanded=not result.control_ok):
            st.code("\n".join(result.warnings), language=None, wrap_lines=True)


def history_table(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.caption("No file loaded yet.")
        return
    shown = pd.DataFrame(
        {
            f"Loaded ({tz})": [fmt.local(t, tz) for t in df.loaded_at],
            "File": df.original_name,
            "Format": df.format,
            "Rows": df.row_count,
            "Controls": ["ok" if ok else "MISMATCH" for ok in df.control_ok],
            "Warnings": df.warning_count,
            "Totals": df.totals,
            "SHA-256": [s[:12] for s in df.sha256],
            "Loaded by": df.loaded_by,
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "Rows": st.column_config.NumberColumn(format="localized"),
            "Totals": st.column_config.TextColumn(width="large"),
        },
    )
