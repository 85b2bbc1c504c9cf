"""The exports: CSV and XLSX against golden files (XLSX compared cell by cell, not by bytes),
XLSX number formats, the one-page PDF/PNG, and the command line a scheduler runs.

Golden files change only on purpose: RAILYARD_REGEN_GOLDEN=1 rewrites them; read the diff."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ops_core import sql
from ops_core.db import open_db
from ops_core.kpis import weekly_report
from ops_core.kpis.__main__ import main
from ops_core.kpis.export import money_format, number_format, to_csv, to_xlsx
from ops_core.kpis.summary import PNG_DPI, render
from tests.kpis.conftest import NOW, W46, seed_disputes, seed_ledger, seed_recon

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("RAILYARD_REGEN_GOLDEN") == "1"


@pytest.fixture(scope="module")
def report(world):
    return weekly_report(world.cursor(), W46, NOW)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with RAILYARD_REGEN_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_csv_matches_golden(report):
    check_golden("kpis-2026-W46.csv", to_csv(report))


def _plain(v):
    if isinstance(v, float):
        return float(f"{v:.10g}")
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def workbook_values(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values, row by row; the Definitions sheet's SQL text is checked
    against its file here and kept out of the golden file (it is in the repository)."""
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        rows = [[_plain(c) for c in row] for row in ws.iter_rows(values_only=True)]
        if ws.title == "Definitions":
            for row in rows[1:]:
                assert row[9] == sql.statement(
                    row[8].removeprefix("ops_core/sql/").removesuffix(".sql")
                )
                row[9] = "<the SQL file's text>"
        out[ws.title] = rows
    return out


def test_xlsx_matches_golden(report):
    values = workbook_values(to_xlsx(report))
    assert list(values) == ["Summary", "Payments", "ACH returns", "Reconciliation", "Disputes",
                            "Definitions"]  # fmt: skip
    lines = [
        f"{json.dumps(sheet)}: [\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        for sheet, rows in values.items()
    ]
    check_golden("kpis-2026-W46.xlsx.json", "{\n" + "\n],\n".join(lines) + "\n]\n}\n")


def _row(ws, kpi_name: str, series: str):
    for row in ws.iter_rows(min_row=3):
        if row[0].value == kpi_name and row[1].value == series:
            return row
    raise AssertionError(f"no row {kpi_name} / {series}")


def test_xlsx_number_formats(report):
    wb = load_workbook(io.BytesIO(to_xlsx(report)))
    ach = _row(wb["ACH returns"], "Unauthorized return rate", "All")
    assert (ach[2].value, ach[2].number_format) == (0.2, "0.00%")
    assert ach[4].number_format.endswith('" pp"')  # change in percentage points
    value = _row(wb["Payments"], "Value", "All USD rails")
    assert (value[2].value, value[2].number_format) == (1500, '"$"#,##0.00')  # $1,500.00
    sepa = _row(wb["Payments"], "Value", "SEPA Instant")
    assert (sepa[2].value, sepa[2].number_format) == (400, '"€"#,##0.00')
    assert _row(wb["Payments"], "Payments", "All rails")[2].number_format == "#,##0"
    assert _row(wb["Reconciliation"], "Median time to resolve", "All")[2].number_format.endswith(
        '" h"'
    )
    assert _row(wb["Disputes"], "Dispute deadlines missed", "All")[6].fill.fgColor.rgb.endswith(
        "FFC7CE"
    )  # off target: red


@pytest.mark.parametrize(
    ("unit", "currency", "fmt"),
    [
        ("percent", None, "0.0%"),
        ("money", "USD", '"$"#,##0.00'),
        ("money", "INR", '"₹"#,##0.00'),
        ("money", "USDC", '#,##0.00" USDC"'),
        ("money", "JPY", '#,##0" JPY"'),
        ("count", None, "#,##0"),
        ("seconds", None, '#,##0.0" s"'),
    ],
)
def test_number_format_table(unit, currency, fmt):
    assert number_format(unit, currency) == fmt
    if unit == "money":
        assert money_format(currency) == fmt


def test_summary_is_one_a4_page_as_pdf_and_png(report):
    pdf, png = render(report)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 1  # one page
    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)
    assert box and (round(float(box[1])), round(float(box[2]))) == (595, 842)  # A4 in points
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (int(8.27 * PNG_DPI), int(11.69 * PNG_DPI))


def test_command_line_writes_all_four_files(tmp_path, capsys):
    db_file = tmp_path / "w.duckdb"
    db = open_db(db_file)
    with db.transaction() as cur:
        seed_ledger(cur)
        seed_disputes(cur)
        seed_recon(cur)
    db.close()
    out = tmp_path / "out"
    assert main(["export", "--week", "2026-W46", "--out", str(out), "--db", str(db_file)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"railyard-kpis-2026-W46.{k}" for k in ("csv", "pdf", "png", "xlsx")]
    assert all((out / f).stat().st_size > 0 for f in files)
    assert (out / "railyard-kpis-2026-W46.csv").read_text() == (
        GOLDEN / "kpis-2026-W46.csv"
    ).read_text()
    assert "csv: " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2026-46"], "not an ISO week"),
        (["--rails", "NOPE"], "unknown rails: NOPE"),
    ],
)
def test_command_line_refuses_bad_input(tmp_path, capsys, args, message):
    db_file = tmp_path / "w.duckdb"
    db = open_db(db_file)
    with db.transaction() as cur:
        seed_ledger(cur)
    db.close()
    assert main(["export", "--out", str(tmp_path), "--db", str(db_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_command_line_without_database(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no database at" in capsys.readouterr().err
