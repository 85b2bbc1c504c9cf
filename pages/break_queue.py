"""Break queue: every break someone owns until it is closed. Filters, sorting and "my queue"
live in the URL; select rows for a bulk assign or resolve, confirmed before it runs. A row
someone else changed since this page loaded is reported, not overwritten. In a partner's
screen-share view: its breaks only, masked, and nothing to edit."""

import streamlit as st

from ops_core.recon import breaks, views
from ui import access, chrome, data, fmt, urlstate
from ui import recon as ui

chrome.ensure_routed(__file__)
tz = chrome.timezone()
now = data.now()
user = access.current_user()  # the actor of bulk edits: ops_core checks the role
actor = user.name  # "my queue" = assigned to this name
partner = access.partner_scope()  # partner screen-share: its breaks only, masked, read only
editable = access.can("edit_breaks")
ref = data.reference(data.version())
rail_names = fmt.names(ref["rails"], "rail_id")
if partner is not None:
    rail_names = {
        r: n for r, n in rail_names.items() if r in ui.partner_rails(data.version(), partner)
    }
SORTS = {
    "severity_rank": "severity",
    "sla_due_at": "SLA due",
    "age_days": "age",
    "exposure_usd_minor": "amount",
    "break_id": "break id",
}

st.title("Break queue")
ui.flash()
r1 = st.columns([2.2, 2.2, 2, 1.4])
statuses = r1[0].multiselect(
    "Status",
    breaks.STATUSES,
    urlstate.get_list("status", list(breaks.STATUSES)) or breaks.OPEN,
    format_func=breaks.STATUS_LABELS.get,
)
categories = urlstate.pick_many(r1[1], "Category", "category", ui.LABELS, "All categories")
rails = urlstate.pick_many(r1[2], "Rail", "rails", rail_names, "All rails")
mine = partner is None and r1[3].toggle(
    "My queue", st.query_params.get("mine") == "1", help=f"Assigned to {actor}"
)
r2 = st.columns([2.2, 2.2, 2, 1.4])
severities = r2[0].multiselect(
    "Severity",
    list(breaks.SEVERITY_ORDER),
    urlstate.get_list("severity", list(breaks.SEVERITY_ORDER)),
    placeholder="All severities",
)
every = ui.queue(data.version(), views.QueueFilter(statuses=()), now, partner)
queues_all = sorted(set(every["queue"]))
queues = r2[1].multiselect(
    "Queue", queues_all, urlstate.get_list("queue", queues_all), placeholder="All queues"
)
sort = r2[2].selectbox(
    "Sort by",
    list(SORTS),
    list(SORTS).index(urlstate.get_choice("sort", list(SORTS), "severity_rank")),
    format_func=SORTS.get,
)
desc = r2[3].toggle("Descending", st.query_params.get("desc") == "1")
urlstate.put(
    status=statuses,
    category=categories,
    rails=rails,
    mine="1" if mine else "",
    severity=severities,
    queue=queues,
    sort=sort,
    desc="1" if desc else "",
)

f = views.QueueFilter(
    statuses=tuple(statuses),
    categories=tuple(categories),
    rails=tuple(rails),
    severities=tuple(severities),
    queues=tuple(queues),
    assignee=actor if mine else None,
)
df = ui.queue(data.version(), f, now, partner)
keys = [sort, "sla_due_at", "break_id"] if sort != "sla_due_at" else [sort, "break_id"]
df = df.sort_values(keys, ascending=[not desc, True, True][: len(keys)]).reset_index(drop=True)
st.caption(
    f"{len(df):,} breaks · {fmt.money(int(df.exposure_usd_minor.sum()), 'USD')} at stake · "
    f"{int((df.sla_state == 'breached').sum())} past their SLA"
)
table = ui.queue_table(df, tz, selectable=editable)
if not editable:  # a viewer, or a partner's screen-share: nothing to change here
    st.stop()
picked = df.iloc[table.selection.rows] if table and table.selection.rows else df.iloc[0:0]

st.subheader(f"Bulk actions ({len(picked)} selected)")
ui.confirm_bulk(user)
if picked.empty:
    st.caption("Select rows in the table (the checkbox column) to assign or resolve them together.")
    st.stop()
seen = dict(zip(picked.break_id.astype(int), picked.version.astype(int), strict=True))
left, right = st.columns(2)
with left, st.form("bulk_assign"):
    who = st.text_input("Assign to", actor)
    if st.form_submit_button("Assign…"):
        st.session_state[ui.PENDING] = ("assign", seen, {"assignee": who})
        st.rerun()
with right, st.form("bulk_resolve"):
    why = st.selectbox("Resolution", breaks.PERSON_RESOLUTIONS, format_func=breaks.RESOLUTIONS.get)
    if st.form_submit_button("Resolve…"):
        st.session_state[ui.PENDING] = (
            "resolve",
            seen,
            {"status": "resolved", "resolution_category": why},
        )
        st.rerun()
