"""The weekly KPIs as CSV (one tidy table) and XLSX (a sheet per section with number formats,
a sheet of definitions), and all four files for a scheduler (``export_all``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ops_core import sql
from ops_core.kpis import text
from ops_core.kpis.compute import Report
from ops_core.kpis.definitions import KPIS, SECTIONS
from ops_core.money import SYMBOL, to_decimal

ISO_NOTE = "ISO weeks in UTC: Monday 00:00 to Monday 00:00"
CSV_FIELDS = [
    "week",
    "section",
    "kpi",
    "name",
    "series",
    "series_name",
    "unit",
    "currency",
    "direction",
    "target",
    "status",
    "this_week",
    "last_week",
    "change",
    "numerator",
    "denominator",
]
FILL = {"met": "C6EFCE", "missed": "FFC7CE"}
FONT = {"met": "006100", "missed": "9C0006"}


def file_stem(report: Report) -> str:
    return f"railyard-kpis-{report.week.label}"


# --- CSV -----------------------------------------------------------------------------------


def csv_value(unit: str, v, currency: str | None) -> str:
    """A number as CSV text in the KPI's unit: percents as percentages (98.2786), money in
    major units exactly (29511075.56), hours and seconds to 3 places, counts whole."""
    if v is None:
        return ""
    if unit == "percent":
        return f"{v * 100:.4f}"
    if unit == "money":
        return str(to_decimal(int(v), currency or "USD"))
    if unit in ("hours", "seconds"):
        return f"{v:.3f}"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.3f}"


def to_csv(report: Report) -> str:
    """One row per (KPI, series): the week, its value, last week's, the change, the target,
    the status and the 12 weekly values (one column per ISO week label)."""
    out = io.StringIO()
    labels = [w.label for w in report.weeks]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS + labels + ["note"])
    for r in report.summary().itertuples(index=False):
        unit, cur = r.unit, r.currency

        def num(v, unit=unit, cur=cur):
            return csv_value(unit, v, cur)

        change = r.change
        writer.writerow(
            [
                report.week.label,
                r.section,
                r.kpi,
                r.name,
                r.series,
                r.series_name,
                unit,
                cur or "",
                r.direction,
                num(r.target) if r.target is not None and not pd.isna(r.target) else "",
                r.status,
                num(r.this_week),
                num(r.last_week),
                "" if change is None or pd.isna(change) else num(change),
                _plain_num(r.numerator),
                _plain_num(r.denominator),
                *[num(v) for v in r.history],
                r.note or "",
            ]
        )
    return out.getvalue()


def _plain_num(v) -> str:
    if v is None or pd.isna(v):
        return ""
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.3f}"


# --- XLSX ----------------------------------------------------------------------------------


def number_format(unit: str, currency: str | None, places: int = 1) -> str:
    """Excel number formats: percents as %, money with its currency, durations with units."""
    if unit == "percent":
        return "0." + "0" * max(places, 1) + "%"
    if unit == "money":
        return money_format(currency or "USD")
    if unit == "hours":
        return '#,##0.0" h"'
    if unit == "seconds":
        return '#,##0.0" s"'
    return "#,##0"


def money_format(currency: str) -> str:
    places = min(to_decimal(1, currency).as_tuple().exponent * -1, 2)
    digits = "#,##0" + ("." + "0" * places if places else "")
    sym = SYMBOL.get(currency)
    if sym and not sym.endswith(" "):
        return f'"{sym}"{digits}'
    return f'{digits}" {currency}"'


def _cell_value(unit: str, v, currency: str | None):
    """What goes in the cell: money in major units (Decimal, exact), the rest as numbers."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if unit == "money":
        return to_decimal(int(v), currency or "USD")
    return v


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = "Summary"
    _about_sheet(about, report)
    summary = report.summary()
    for section in SECTIONS:
        _section_sheet(wb.create_sheet(section), report, summary[summary.section == section])
    _definitions_sheet(wb.create_sheet("Definitions"), report)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _about_sheet(ws, report: Report) -> None:
    ws["A1"] = f"Railyard weekly KPIs: {report.week.label}"
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        ("Week", f"{report.week.label} ({report.week.span()})"),
        ("Weeks", ISO_NOTE),
        ("Scope", report.scope.describe(report.rail_names)),
        ("Data as of", report.as_of.strftime("%Y-%m-%d %H:%M UTC")),
        ("Sheets", "One per section; Definitions says how each KPI is computed."),
    ]
    for i, (k, v) in enumerate(rows, start=3):
        ws.cell(i, 1, k).font = Font(bold=True)
        ws.cell(i, 2, v)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 80


SECTION_HEAD = ["KPI", "Series", "This week", "Last week", "Change", "Target", "Status"]


def _section_sheet(ws, report: Report, rows: pd.DataFrame) -> None:
    labels = [w.label for w in report.weeks]
    ws.append([f"{rows.section.iloc[0] if len(rows) else ''}: {report.week.label}, {ISO_NOTE}"])
    ws["A1"].font = Font(bold=True)
    ws.append(SECTION_HEAD + labels + ["Note"])
    for c in ws[2]:
        c.font = Font(bold=True)
    for r in rows.itertuples(index=False):
        kpi = next(k for k in KPIS if k.key == r.kpi)
        fmt = number_format(r.unit, r.currency, kpi.places)
        change, change_fmt = _change_cell(r)
        ws.append(
            [
                r.name,
                r.series_name,
                _cell_value(r.unit, r.this_week, r.currency),
                _cell_value(r.unit, r.last_week, r.currency),
                change,
                _cell_value(r.unit, r.target, r.currency),
                text.STATUS_LABEL.get(r.status, r.status),
                *[_cell_value(r.unit, v, r.currency) for v in r.history],
                r.note or "",
            ]
        )
        row = ws.max_row
        for col in [3, 4, 6, *range(8, 8 + len(labels))]:
            ws.cell(row, col).number_format = fmt
        ws.cell(row, 5).number_format = change_fmt
        if r.status in FILL:
            ws.cell(row, 7).fill = PatternFill("solid", fgColor=FILL[r.status])
            ws.cell(row, 7).font = Font(color=FONT[r.status])
    widths = [34, 26, 14, 14, 12, 12, 12] + [12] * len(labels) + [60]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "C3"


def _change_cell(r) -> tuple[object, str]:
    """Percents change in percentage points; money in its currency; the rest in its unit."""
    if r.change is None or pd.isna(r.change):
        return None, "General"
    if r.unit == "percent":
        return round(r.change * 100, 6), '+0.00" pp";-0.00" pp";0.00" pp"'
    if r.unit == "money":
        fmt = money_format(r.currency or "USD")
        return to_decimal(int(r.change), r.currency or "USD"), f"+{fmt};-{fmt};{fmt}"
    fmt = number_format(r.unit, None)
    return r.change, f"+{fmt};-{fmt};{fmt}"


DEFINITION_HEAD = ["Section", "KPI", "Key", "Unit", "Good direction", "Target", "Target source"]


def _definitions_sheet(ws, report: Report) -> None:
    ws.append([*DEFINITION_HEAD, "Explanation", "SQL file", "SQL"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for kpi in KPIS:
        targets = [t for (k, _), t in report.targets.items() if k == kpi.key]
        ws.append(
            [
                kpi.section,
                kpi.name,
                kpi.key,
                kpi.unit,
                {"up": "higher is better", "down": "lower is better"}.get(kpi.direction, "—"),
                "; ".join(
                    f"{'' if t.series == 'all' else t.series + ': '}"
                    f"{text.target(kpi, float(t.value))}"
                    for t in targets
                ),
                "; ".join(t.source for t in targets),
                kpi.explanation,
                f"ops_core/sql/kpis/{kpi.sql}.sql",
                sql.statement(f"kpis/{kpi.sql}"),
            ]
        )
        ws.cell(ws.max_row, 10).alignment = Alignment(wrap_text=False, vertical="top")
    for i, w in enumerate([14, 32, 26, 9, 16, 14, 40, 80, 38, 60], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "C2"


# --- all four files ------------------------------------------------------------------------


def export_all(report: Report, out_dir: Path) -> dict[str, Path]:
    """Write CSV, XLSX, PDF and PNG for ``report`` into ``out_dir``; returns kind -> path."""
    from ops_core.kpis.summary import render

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = file_stem(report)
    pdf, png = render(report)
    files = {
        "csv": to_csv(report).encode(),
        "xlsx": to_xlsx(report),
        "pdf": pdf,
        "png": png,
    }
    paths = {}
    for kind, data in files.items():
        path = out_dir / f"{stem}.{kind}"
        path.write_bytes(data)
        paths[kind] = path
    return paths
