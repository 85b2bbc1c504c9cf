"""Break detail: what differs, side by side, with the ledger rows and the bank, network or
chain rows (file and line), candidate matches with scores, the timeline, notes, status and
assignee, and the audit trail. ``?break=ID`` reopens the same break (for screen-sharing). In a
partner's screen-share view only its breaks open (another's is not found), masked, read only."""

import streamlit as st

from ops_core.recon import views
from ui import access, chrome, data, fmt
from ui import recon as ui

chrome.ensure_routed(__file__)
tz = chrome.timezone()
user = access.current_user()  # the actor of edits: ops_core checks the role
partner = access.partner_scope()  # partner screen-share: its breaks only, masked, read only
version = data.version()
ui.flash()

raw = st.query_params.get("break", "")
break_id = int(raw) if raw.isdigit() else None
d = ui.detail(version, break_id, partner) if break_id is not None else None
if d is None:
    st.title("Break detail")
    if break_id is not None and partner is not None:  # another partner's break: not said
        st.error(f"Break {break_id} not found in this view.")
    elif break_id is not None:
        st.error(f"There is no break {break_id}.")
    st.caption("Open a break from the queue, or pick one of the newest open breaks:")
    newest = ui.queue(version, views.QueueFilter(), data.now(), partner)
    ui.break_links(newest.sort_values("break_id", ascending=False).head(20), tz)
    st.stop()

b = d.brk
seen = ui.held(break_id, b["version"])
ui.header(b, tz)
if seen != b["version"]:
    st.warning(
        f"Someone changed this break after you opened it (you opened version {seen}, it is now "
        f"{b['version']}). Your next save will be refused: reload first.",
        icon=":material/sync_problem:",
    )
if st.button("Reload", icon=":material/refresh:"):
    ui.reload(break_id)
    st.rerun()

st.subheader("What differs")
ui.compare_table(d)
if not d.balance.empty:
    ui.balances_table(d.balance)
st.subheader("Ledger")
ui.ledger_rows(d.ledger, tz)
st.subheader("Bank, network or chain")
ui.external_rows(d.external)
if b["category"] in ("missing_at_bank", "unknown_bank_item"):
    st.subheader("Candidate matches")
    ui.candidate_rows(d.candidates)

st.subheader("Work the break" if access.can("edit_breaks") else "Notes")
if partner is None:
    st.text(b["notes"] or "No notes yet.")
else:
    st.caption("The team's internal notes are not shown in a partner view.")
if access.can("edit_breaks"):
    ui.edit_form(b, user, ui.save)

st.subheader("Timeline")
ui.timeline_table(d.timeline, tz)
with st.expander("Audit trail (every saved field)", expanded=partner is None):
    ui.audit_table(d.audit, tz)
st.caption(
    f"Known since {fmt.local(b['detected_at'], tz)} · first found by run {b['first_run_id']} · "
    f"version {b['version']}"
)
