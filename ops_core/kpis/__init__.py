"""Weekly KPIs and the executive exports (issue 7).

Each KPI is defined once (``definitions.KPIS``: one SQL file under ``ops_core/sql/kpis/``, a
unit, the good direction, an optional target, a one-line explanation). ``weekly_report`` runs
them for the 12 ISO weeks (UTC) ending with the chosen one; ``export`` writes the CSV, XLSX,
PDF and PNG a scheduler sends on::

    python -m ops_core.kpis export --week 2026-W46 --out DIR [--db PATH]
"""

from ops_core.kpis.compute import Report, Scope, availability, weekly_report
from ops_core.kpis.definitions import BY_KEY, KPIS, SECTIONS, Kpi, targets
from ops_core.kpis.weeks import IsoWeek, last_complete

__all__ = [
    "BY_KEY",
    "KPIS",
    "SECTIONS",
    "IsoWeek",
    "Kpi",
    "Report",
    "Scope",
    "availability",
    "last_complete",
    "targets",
    "weekly_report",
]
