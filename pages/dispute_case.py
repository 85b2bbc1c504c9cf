"""Dispute case: the payment and its history, deadlines with their rules, the evidence
checklist, notes, stage, status and outcome. ``?case=ID`` reopens the same case."""

import streamlit as st

from ops_core.disputes import cases, lifecycle
from ops_core.money import to_minor
from ui import access, chrome, data, fmt
from ui import disputes as views

chrome.ensure_routed(__file__)
tz = chrome.timezone()
today = views.data_now_date(tz)
version = data.version()
actor = access.current_user()  # ops_core checks its role on every save
editor = access.can("edit_disputes")  # viewers see the case, without edit controls
partner = access.partner_scope()  # partner screen-share: its cases only, read only, masked
views.flash()

raw = st.query_params.get("case", "")
case_id = int(raw) if raw.isdigit() else None
detail = views.case_detail(version, case_id, partner) if case_id is not None else None
if detail is None:
    st.title("Dispute case")
    if case_id is not None:
        st.error(f"There is no dispute case {case_id}.")
    views.case_picker(views.case_list(version, True, partner))
    if editor:
        views.open_case_form(version, actor, data.now())
    st.stop()
if partner is not None or not editor:  # screen-share or a viewer: read only
    views.case_header(detail.case)
    st.subheader("Deadlines")
    views.deadline_table(detail.deadlines, today)
    st.subheader("Evidence checklist")
    st.dataframe(detail.evidence[["item", "required", "status"]], hide_index=True)
    if partner is None:  # a viewer: the notes and the audit trail too, nothing to edit
        st.caption(
            f"Signed in as {actor.role.value}: editing disputes needs the operator or admin role."
        )
        st.subheader("Notes")
        st.text(detail.case["notes"] or "No notes yet.")
    st.subheader("Payment and its history")
    views.payment_section(detail.payment, tz)
    st.subheader("Timeline")
    views.timeline(detail.timeline, tz)
    if partner is None:
        with st.expander("Audit trail (every saved field)"):
            views.audit_trail(detail.audit, tz)
    st.stop()

case = detail.case
held = views.held(case_id, detail)
closed = case["status"] == "closed"
views.case_header(case)
if held["case"] != case["version"]:
    st.warning(
        f"Someone changed this case after you opened it (you opened version {held['case']}, "
        f"it is now {case['version']}). Your next save will be refused: reload first.",
        icon=":material/sync_problem:",
    )
if st.button("Reload", icon=":material/refresh:"):
    views.reload(case_id)
    st.rerun()

st.subheader("Deadlines")
views.deadline_table(detail.deadlines, today)

left, right = st.columns(2)
with left:
    st.subheader("Move the case")
    with st.form("status"):
        nxt = lifecycle.next_statuses(case["status"])
        nxt = [s for s in nxt if s != "closed"]
        status = st.selectbox(
            "Status", nxt, format_func=lifecycle.STATUS_LABELS.get, disabled=not nxt
        )
        if st.form_submit_button("Change status", disabled=not nxt):
            views.save(
                case_id,
                lambda cur: cases.set_status(
                    cur, case_id, expected_version=held["case"], to=status, actor=actor
                ),
                f"Status changed to {lifecycle.STATUS_LABELS[status]}.",
            )
    with st.form("stage"):
        stages = lifecycle.next_stages(case["network"], case["rule_category"], case["stage"])
        stage = st.selectbox(
            "Next stage",
            stages,
            format_func=lifecycle.STAGE_LABELS.get,
            disabled=closed or not stages,
        )
        on = st.date_input("Began on (network date)", today, format="YYYY-MM-DD")
        if st.form_submit_button("Move to stage", disabled=closed or not stages):
            views.save(
                case_id,
                lambda cur: cases.advance(
                    cur, case_id, expected_version=held["case"], to_stage=stage, on=on, actor=actor
                ),
                f"Moved to {lifecycle.STAGE_LABELS[stage]}; its deadlines are on the calendar.",
            )
    with st.form("close"):
        outcome = st.selectbox("Outcome", lifecycle.OUTCOMES, disabled=closed)
        recovered = st.text_input(f"Recovered ({case['currency']}); empty = all if won, else 0")
        if st.form_submit_button("Close case", disabled=closed):
            views.save(
                case_id,
                lambda cur: cases.close(
                    cur,
                    case_id,
                    expected_version=held["case"],
                    outcome=outcome,
                    actor=actor,
                    recovered_minor=to_minor(recovered, case["currency"]) if recovered else None,
                ),
                f"Closed: {outcome}.",
            )
    with st.form("assign"):
        who = st.text_input("Assignee", case["assignee"] or "")
        if st.form_submit_button("Assign"):
            views.save(
                case_id,
                lambda cur: cases.assign(
                    cur, case_id, expected_version=held["case"], assignee=who.strip(), actor=actor
                ),
                f"Assigned to {who.strip() or 'nobody'}.",
            )
with right:
    st.subheader("Evidence checklist")
    views.evidence_form(case_id, detail.evidence, held["evidence"], actor, closed)

st.subheader("Notes")
st.text(case["notes"] or "No notes yet.")
with st.form("note", clear_on_submit=True):
    note = st.text_area("Add a note", placeholder="What you did, what you are waiting for")
    if st.form_submit_button("Add note"):
        views.save(
            case_id,
            lambda cur: cases.add_note(
                cur, case_id, expected_version=held["case"], text=note, actor=actor
            ),
            "Note added.",
        )

st.subheader("Payment and its history")
views.payment_section(detail.payment, tz)
st.subheader("Timeline")
views.timeline(detail.timeline, tz)
with st.expander("Audit trail (every saved field)", expanded=True):
    views.audit_trail(detail.audit, tz)
st.caption(f"Opened {fmt.local(case['opened_at'], tz)} · version {case['version']}")
