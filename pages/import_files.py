"""Import: upload bank, rail and chain files; see what loaded, what was refused, and why."""

import streamlit as st

from ops_core.ingest.loader import MAX_UPLOAD_BYTES
from ui import access, chrome, data
from ui import ingest as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()

st.title("Import")
st.caption(
    "NACHA ACH (returns, NOCs), BAI2, ISO 20022 camt.052/053/054 and pacs.002/004/008, "
    "SWIFT MT940, card settlement CSV, card dispute (chargeback) reports, which open and "
    "advance dispute cases, USDC transfers, the ledger export (CSV or Parquet) and any CSV "
    "with a saved mapping. Each file loads whole or not at all; the same file twice "
    "is a no-op. A file whose control totals disagree with its records loads flagged, unless "
    f"strict. Up to {MAX_UPLOAD_BYTES // 2**20} MB a file."
)

can_import = access.can("import_files")  # ops_core refuses a load by anyone else too
if not can_import:
    access.denied("import_files")
uploads = can_import and st.file_uploader(
    "Files to load", accept_multiple_files=True, key="uploads", help="Drop one or many files."
)
options = views.format_options()
mappings = views.profiles(data.version())
mapping_labels = views.profile_labels(mappings)
if uploads:
    st.markdown("**Format** (detected from the content unless you pick one)")
    chosen = {}
    for up in uploads:
        name_col, fmt_col, map_col = st.columns([2, 2, 2])
        name_col.markdown(f"`{up.name}`  \n{up.size:,} bytes")
        fmt_id = fmt_col.selectbox(
            f"Format of {up.name}",
            list(options),
            format_func=options.get,
            key=f"fmt-{up.file_id}",
            label_visibility="collapsed",
        )
        profile = None
        if fmt_id == views.GENERIC_CSV:
            profile = map_col.selectbox(
                f"Mapping for {up.name}",
                list(mapping_labels),
                format_func=mapping_labels.get,
                key=f"map-{up.file_id}",
                label_visibility="collapsed",
            )
        chosen[up.file_id] = views.chosen_format(fmt_id, profile)
    strict = st.toggle(
        "Strict: reject a file whose control totals, counts or balances disagree",
        key="strict",
    )
    label = f"Load {len(uploads)} file{'s' if len(uploads) > 1 else ''}"
    if st.button(label, type="primary"):
        bar = st.progress(0.0, text="Loading…")
        results = []
        for i, up in enumerate(uploads, start=1):
            bar.progress((i - 1) / len(uploads), text=f"Loading {up.name} ({i} of {len(uploads)})")
            results.append(
                views.load(
                    up.name,
                    up.getvalue(),
                    chosen[up.file_id],
                    actor=access.current_user(),
                    strict=strict,
                )
            )
        bar.progress(1.0, text=f"Updating rollups after {len(uploads)} files…")
        views.catch_up()
        bar.progress(1.0, text=f"Done: {len(uploads)} of {len(uploads)} files")
        st.session_state[views.RESULTS] = results

for result in st.session_state.get(views.RESULTS, []):
    views.outcome(result)

views.mappings_section(mappings, access.current_user())

st.subheader("Import history")
history = views.history(data.version())
st.caption(f"{len(history):,} most recent files, newest first; times in {tz}.")
views.history_table(history, tz)
