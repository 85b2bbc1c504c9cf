"""Import page sections: load uploaded bytes, show each file's outcome, the history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ops_core.ingest.formats import format_choices
from ops_core.ingest.imports import AUTO, ImportOutcome, import_bytes, summarise
from ops_core.ingest.imports import history as import_history
from ui import data, fmt

RESULTS = "import_results"


def format_options() -> dict[str, str]:
    """Format id -> label for the per-file selectbox, auto-detection first."""
    return {AUTO: "auto-detect", **format_choices()}


def load(name: str, content: bytes, fmt_id: str, *, actor: str, strict: bool) -> ImportOutcome:
    """Load one uploaded file's bytes (the name is display text only, never a path)."""
    outcome = import_bytes(
        data.database(), content, name, format=fmt_id, actor=actor, strict=strict
    )
    if outcome.status == "loaded":
        st.cache_data.clear()  # the loader bumped the data version; drop stale reads now
    return outcome


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
