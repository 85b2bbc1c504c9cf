"""Railyard: the router. Page config, the shared sidebar, and navigation."""

import streamlit as st

from ui import access, chrome

st.set_page_config(page_title="Railyard", page_icon="🚉", layout="wide")

PAGES = {
    "Executive": [
        st.Page(
            "pages/weekly_kpis.py",
            title="Weekly KPIs",
            icon=":material/insights:",
            url_path="kpis",
        ),
    ],
    "Monitoring": [
        st.Page(
            "pages/overview.py",
            title="Overview",
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            "pages/rail_health.py",
            title="Rail Health",
            icon=":material/monitor_heart:",
            url_path="rail-health",
        ),
        st.Page(
            "pages/alerts.py",
            title="Alerts",
            icon=":material/notifications_active:",
            url_path="alerts",
        ),
        st.Page(
            "pages/incidents.py",
            title="Incidents",
            icon=":material/crisis_alert:",
            url_path="incidents",
        ),
        st.Page(
            "pages/scorecards.py",
            title="Partner scorecards",
            icon=":material/handshake:",
            url_path="scorecards",
        ),
    ],
    "Reconciliation": [
        st.Page(
            "pages/reconciliation.py",
            title="Reconciliation",
            icon=":material/balance:",
            url_path="reconciliation",
        ),
        st.Page(
            "pages/break_queue.py",
            title="Break queue",
            icon=":material/inbox:",
            url_path="breaks",
        ),
        st.Page(
            "pages/break_detail.py",
            title="Break detail",
            icon=":material/difference:",
            url_path="break",
        ),
    ],
    "Disputes": [
        st.Page(
            "pages/dispute_calendar.py",
            title="Dispute calendar",
            icon=":material/event:",
            url_path="disputes-calendar",
        ),
        st.Page(
            "pages/dispute_case.py",
            title="Dispute case",
            icon=":material/gavel:",
            url_path="dispute",
        ),
        st.Page(
            "pages/dispute_analytics.py",
            title="Dispute analytics",
            icon=":material/query_stats:",
            url_path="disputes-analytics",
        ),
    ],
    "Analytics": [
        st.Page(
            "pages/routing.py",
            title="Routing",
            icon=":material/alt_route:",
            url_path="routing",
        ),
    ],
    "Data": [
        st.Page(
            "pages/import_files.py",
            title="Import",
            icon=":material/upload_file:",
            url_path="import",
        ),
        st.Page(
            "pages/sql_console.py",
            title="SQL console",
            icon=":material/terminal:",
            url_path="sql",
        ),
    ],
}

access.gate(PAGES)  # signs the session in (OIDC, local users or the demo operator) or stops
navigation = st.navigation(access.visible_pages(PAGES))
access.apply_partner_link(navigation)  # ?partner=ID: partner screen-share mode
chrome.mark_routed()
chrome.sidebar()
access.partner_banner()
navigation.run()
