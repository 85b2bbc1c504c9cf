"""SQL console: read-only SQL over a snapshot of Railyard's data, the schema beside the editor.
``?sql=...&dialect=...`` reopens a query; ``?saved=ID`` opens a saved one."""

import streamlit as st

from ops_core.sqlconsole import DIALECTS, MAX_ROWS, MAX_SECONDS
from ui import access, chrome, data, fmt
from ui import sqlconsole as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()

st.title("SQL console")
if not access.can("run_sql"):
    access.denied("run_sql")
    st.stop()

saved = views.saved_queries(data.version())
views.init_state(saved)
snap = views.snapshot()
st.caption(
    "Read-only SQL over a copy of Railyard's data taken "
    f"{fmt.local(snap.taken_at, tz, '%Y-%m-%d %H:%M:%S')} (data version {snap.version}; a new "
    "copy is taken when the data changes). One SELECT at a time: files, URLs, settings and "
    "the live database are out of reach. SQL written for Postgres, Snowflake, BigQuery and "
    "others is translated to DuckDB first."
)

browser, editor = st.columns([1.2, 3], gap="medium")
with browser:
    views.schema_browser(views.schema(str(snap.path)))
with editor:
    views.saved_picker(saved)
    opts = st.columns([2, 1, 1])
    dialect = opts[0].selectbox(
        "Written in", list(DIALECTS), format_func=DIALECTS.get, key=views.DIALECT
    )
    rows = opts[1].number_input("Row limit", 1, MAX_ROWS, step=100, key=views.ROWS)
    seconds = opts[2].number_input("Time limit (seconds)", 1, MAX_SECONDS, key=views.SECONDS)
    text = st.text_area("SQL", key=views.TEXT, height=240)
    buttons = st.columns([1, 4, 1.3])
    if buttons[0].button("Run", type="primary", icon=":material/play_arrow:", width="stretch"):
        views.run(text, dialect, int(rows), int(seconds))
    if buttons[2].button(
        "Copy again", icon=":material/refresh:", type="tertiary", help="Take a new copy now"
    ):
        views.snapshot(refresh=True)
        views.schema.clear()
        st.rerun()
    if access.can("save_query"):
        views.save_form(text, dialect)

views.show_result(tz)
