"""SQL console sections: the snapshot, the schema browser, saved queries, running and results."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ops_core import sqlconsole
from ops_core.errors import OpsError
from ops_core.sqlconsole import DIALECTS, Console, Result, Snapshot
from ui import access, data, fmt, urlstate

# Session keys: the last result, the editor's widgets, a message that survives a rerun.
RESULT, FLASH = "sql_result", "sql_flash"
TEXT, DIALECT, ROWS, SECONDS = "sql_text", "sql_dialect", "sql_rows", "sql_secs"
EXAMPLE = """-- Payment attempts by rail and status over the last day of data
SELECT rail_id, status, currency, count(*) AS attempts, sum(amount_minor) AS amount_minor
FROM payments
WHERE created_at >= (SELECT max(created_at) FROM payments) - INTERVAL 1 DAY
GROUP BY ALL
ORDER BY rail_id, attempts DESC"""


def console() -> Console:
    return _console(data.database().path)


@st.cache_resource(show_spinner=False)
def _console(path: str) -> Console:
    """One console (and snapshot) per database and process; closed when the cache clears."""
    return Console(data.database())


def snapshot(refresh: bool = False) -> Snapshot:
    with st.spinner("Copying the data for the console (once per data change)…"):
        return console().snapshot(refresh=refresh)


@st.cache_data(show_spinner=False)
def schema(snapshot_path: str) -> pd.DataFrame:
    return console().schema()


@st.cache_data(show_spinner=False)
def saved_queries(data_version_: int) -> pd.DataFrame:
    return sqlconsole.list_saved(data.cursor())


def init_state(saved: pd.DataFrame) -> None:
    """The editor starts from the URL: ?saved=ID, or ?sql=...&dialect=..., or an example."""
    if TEXT in st.session_state:
        return
    st.session_state[DIALECT] = urlstate.get_choice("dialect", list(DIALECTS), "duckdb")
    st.session_state[ROWS] = sqlconsole.DEFAULT_ROWS
    st.session_state[SECONDS] = sqlconsole.DEFAULT_SECONDS
    st.session_state[TEXT] = st.query_params.get("sql") or EXAMPLE
    raw = st.query_params.get("saved", "")
    match = saved[saved["query_id"].astype(str) == raw] if raw else saved.iloc[0:0]
    if len(match):
        st.session_state[TEXT] = match["sql_text"].iloc[0]
        st.session_state[DIALECT] = match["dialect"].iloc[0]


def schema_browser(columns: pd.DataFrame) -> None:
    """Pick a table to see its columns, or find a column across every table."""
    tables = sorted(columns["table_name"].unique())
    default = tables.index("payments") if "payments" in tables else 0
    table = st.selectbox(f"Tables ({len(tables)})", tables, index=default, key="sql_table")
    needle = st.text_input("Find a column", key="sql_find", placeholder="partner_id, status…")
    if needle:
        hit = columns[columns["column_name"].str.contains(needle, case=False, regex=False)]
        shown = hit[["table_name", "column_name", "data_type"]]
        labels = {"table_name": "Table", "column_name": "Column", "data_type": "Type"}
        st.caption(f"{len(hit)} column{'s' if len(hit) != 1 else ''} named like “{needle}”")
    else:
        shown = columns.loc[columns["table_name"] == table, ["column_name", "data_type"]]
        labels = {"column_name": "Column", "data_type": "Type"}
        kind = columns.loc[columns["table_name"] == table, "table_type"].iloc[0]
        st.caption(f"{'View' if kind == 'VIEW' else 'Table'} `{table}`: {len(shown)} columns")
    st.dataframe(shown.rename(columns=labels), hide_index=True, width="stretch", height=430)


def saved_picker(saved: pd.DataFrame) -> None:
    if saved.empty:
        st.caption("No saved queries yet.")
        return
    labels = {int(r.query_id): f"{r.name} · {r.owner}" for r in saved.itertuples()}
    st.selectbox(
        "Open a saved query",
        list(labels),
        index=None,
        format_func=labels.get,
        key="sql_saved",
        placeholder="Saved queries…",
        on_change=_open_saved,
        args=(saved,),
    )


def _open_saved(saved: pd.DataFrame) -> None:
    chosen = st.session_state.get("sql_saved")
    row = saved[saved["query_id"] == chosen]
    if len(row):
        st.session_state[TEXT] = row["sql_text"].iloc[0]
        st.session_state[DIALECT] = row["dialect"].iloc[0]
        st.session_state.pop(RESULT, None)
        urlstate.put(saved=str(chosen), sql=None, dialect=row["dialect"].iloc[0])


def run(text: str, dialect: str, rows: int, seconds: int) -> None:
    """Run the query; keep its result (or the reason it did not run) for later reruns."""
    try:
        with st.spinner("Running…"):
            st.session_state[RESULT] = console().run(
                text, dialect=dialect, rows=rows, seconds=seconds
            )
    except OpsError as exc:
        st.session_state[RESULT] = exc
    urlstate.put(sql=text, dialect=dialect, saved=None)


def show_result(tz: str) -> None:
    outcome = st.session_state.get(RESULT)
    if isinstance(outcome, sqlconsole.QueryStopped):
        st.warning(str(outcome), icon=":material/timer_off:")
    elif isinstance(outcome, sqlconsole.QueryRefused):
        st.error(f"**Refused.** {outcome}", icon=":material/block:")
    elif isinstance(outcome, OpsError):
        st.error(str(outcome), icon=":material/error:")
    elif isinstance(outcome, Result):
        _result(outcome, tz)


def _result(result: Result, tz: str) -> None:
    if result.transpiled:
        st.markdown(f"**Transpiled from {DIALECTS[result.dialect]} to DuckDB** (this ran):")
        st.code(result.sql, language="sql")
    else:
        with st.expander("SQL as run"):
            st.code(result.sql, language="sql")
    rows = len(result.frame)
    more = (
        f" · only the first {result.row_limit:,}: more rows exist (raise the row limit)"
        if result.truncated
        else ""
    )
    st.caption(
        f"{rows:,} row{'s' if rows != 1 else ''} in {fmt.duration(result.elapsed_ms)}{more}"
        f" · times shown in {tz} (queries run in UTC; so does the CSV)"
    )
    st.dataframe(_local_times(result.frame, tz), width="stretch", hide_index=True)
    st.download_button(
        "Download CSV",
        result.frame.to_csv(index=False).encode(),
        file_name="railyard-query.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def save_form(text: str, dialect: str) -> None:
    """Save the editor's query under a name (operators and admins)."""
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash, icon=":material/bookmark_added:")
    with st.expander("Save this query"), st.form("sql_save", clear_on_submit=True, border=False):
        name = st.text_input("Name", max_chars=sqlconsole.MAX_NAME, key="sql_save_name")
        if not st.form_submit_button("Save query"):
            return
    try:
        with data.database().transaction() as cur:
            sqlconsole.save(
                cur, name=name, sql_text=text, dialect=dialect, actor=access.current_user()
            )
    except OpsError as exc:
        st.error(str(exc))
        return
    saved_queries.clear()
    st.session_state[FLASH] = f"Saved as {name.strip()!r}: open it from the saved queries."
    st.rerun()


def _local_times(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Instants in the viewer's zone for display (the CSV keeps UTC)."""
    shown = frame.copy()
    for col in shown.columns:
        if isinstance(shown[col].dtype, pd.DatetimeTZDtype):
            shown[col] = shown[col].dt.tz_convert(tz)
    return shown
