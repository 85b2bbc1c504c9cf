"""The code reference tables (ops_core/reference/codes_*.csv) and their sync into DuckDB."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ops_core.db import Database, open_db
from ops_core.errors import ConfigError
from ops_core.reference import REFERENCE_DIR, code_files, codes, read_codes, sync_codes

HEADER = ",".join(codes.COLUMNS)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_codes().set_index(["scheme", "code"])


@pytest.fixture
def db() -> Iterator[Database]:
    database = open_db(":memory:")
    yield database
    database.close()


def _row(table: pd.DataFrame, scheme: str, code: str) -> pd.Series:
    return table.loc[(scheme, code)]


@pytest.mark.parametrize(
    ("scheme", "code", "field", "expected"),
    [
        ("nacha_return", "R01", "category", "other"),
        ("nacha_return", "R01", "return_window", "2 banking days"),
        ("nacha_return", "R03", "category", "administrative"),
        ("nacha_return", "R10", "category", "unauthorized"),
        ("nacha_return", "R10", "return_window", "60 calendar days"),
        ("nacha_return", "R11", "effective_from", date(2020, 4, 1)),
        ("nacha_return", "R29", "return_window", "2 banking days"),  # §1.1: no extended window
        ("nacha_return", "R61", "category", "dishonored"),
        ("nacha_return", "R61", "return_window", "5 banking days"),
        ("nacha_return", "R77", "category", "contested"),
        ("nacha_return", "R90", "effective_from", date(2028, 3, 17)),
        ("nacha_noc", "C01", "category", "noc"),
        ("nacha_noc", "C61", "category", "refused_noc"),
        ("iso20022", "DS24", "category", "timeout"),
        ("iso20022", "E997", "category", "timeout"),
        ("iso20022", "AM04", "category", "amount"),
        ("iso20022", "AC04", "category", "account"),
        ("iso8583", "00", "category", "approved"),
        ("iso8583", "51", "category", "decline"),
        ("iso8583", "51", "retry_category", "2"),
        ("iso8583", "04", "retry_category", "1"),
        ("iso8583", "96", "retry_category", "2"),
        ("spei_return", "01", "category", "account"),
        ("upi", "U48", "uncertain", True),
    ],
)
def test_spot_checks(table: pd.DataFrame, scheme: str, code: str, field: str, expected: object):
    assert _row(table, scheme, code)[field] == expected


@pytest.mark.parametrize(
    ("scheme", "code", "words"),
    [
        ("nacha_return", "R01", "insufficient funds"),
        ("nacha_return", "R02", "account closed"),
        ("nacha_noc", "C01", "account number"),
        ("iso20022", "AM04", "insufficient"),
        ("iso8583", "51", "insufficient funds"),
        ("spei_return", "02", "blocked"),
    ],
)
def test_titles(table: pd.DataFrame, scheme: str, code: str, words: str):
    assert words in _row(table, scheme, code)["title"].lower()


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        # domain.md §1.2: the numerators of the Unauthorized and Administrative Return Rates.
        ("unauthorized", {"R05", "R07", "R10", "R11", "R29", "R51"}),
        ("administrative", {"R02", "R03", "R04"}),
        ("dishonored", {"R61", "R62", "R67", "R68", "R69", "R70"}),
        ("contested", {f"R{n}" for n in range(71, 78)}),
    ],
)
def test_nacha_rate_groups(table: pd.DataFrame, category: str, expected: set[str]):
    returns = table.loc["nacha_return"]
    assert set(returns.index[returns["category"] == category]) == expected


def test_every_nacha_return_code_of_domain_md_is_listed(table: pd.DataFrame):
    numbers = [*range(1, 54), *range(61, 63), *range(67, 78), *range(80, 86), 90]
    expected = {f"R{n:02d}" for n in numbers if not 48 <= n <= 49}
    assert set(table.loc["nacha_return"].index) == expected


def test_iso8583_retry_categories_follow_visa(table: pd.DataFrame):
    cards = table.loc["iso8583"]
    assert cards["retry_category"].dropna().isin({"1", "2", "3", "4"}).all()
    assert pd.isna(cards.loc["00", "retry_category"])


def test_upi_codes_are_only_the_named_ones_and_uncertain(table: pd.DataFrame):
    upi = table.loc["upi"]
    assert set(upi.index) == {"U30", "U16", "ZM", "U69", "U48"}
    assert upi["uncertain"].all()


def test_files_hold_one_scheme_each():
    names = {p.name for p in code_files()}
    assert names >= {
        f"codes_{s}.csv"
        for s in ("nacha_return", "nacha_noc", "iso20022", "iso8583", "spei_return", "upi")
    }
    frame = read_codes()
    for path in code_files():
        assert path.parent == REFERENCE_DIR
        assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER
        scheme = path.stem.removeprefix("codes_")
        assert (frame["scheme"] == scheme).any(), f"{path.name} is empty"


def test_codes_are_unique_and_required_fields_filled():
    frame = read_codes()
    assert not frame.duplicated(["scheme", "code"]).any()
    for column in ("scheme", "code", "title", "source", "effective_from"):
        assert frame[column].notna().all(), column
    assert frame["uncertain"].dtype == bool
    assert all(isinstance(d, date) for d in frame["effective_from"])


def test_every_row_loads_into_duckdb(db: Database):
    with db.transaction() as cur:
        count = sync_codes(cur)
    cur = db.cursor()
    assert count == len(read_codes())
    assert cur.execute("SELECT count(*) FROM codes").fetchone() == (count,)
    columns = [r[0] for r in cur.execute("DESCRIBE codes").fetchall()]
    assert tuple(columns) == codes.COLUMNS
    row = cur.execute(
        "SELECT title, retry_category, effective_from, uncertain FROM codes"
        " WHERE scheme = 'iso8583' AND code = '51'"
    ).fetchone()
    assert row == ("Insufficient funds / over credit limit", "2", date(2024, 1, 1), False)


def test_sync_twice_equals_sync_once(db: Database):
    query = "SELECT * FROM codes ORDER BY scheme, code"
    with db.transaction() as cur:
        first = sync_codes(cur)
        once = cur.execute(query).fetchall()
    with db.transaction() as cur:
        second = sync_codes(cur)
        twice = cur.execute(query).fetchall()
    assert first == second == len(once)
    assert once == twice


def _write(tmp_path: Path, rows: list[list[str]], *, header: str = HEADER) -> Path:
    path = tmp_path / "codes_upi.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


GOOD = ["upi", "U30", "Debit failed", "", "other", "", "", "domain.md §9.2", "2024-01-01", "true"]


def _bad(index: int, value: str) -> list[str]:
    return [*GOOD[:index], value, *GOOD[index + 1 :]]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_bad(2, ""), "field title is empty"),
        (_bad(7, ""), "field source is empty"),
        (_bad(1, " U30"), "leading or trailing spaces"),
        (_bad(8, "2024-13-01"), "expected a date"),
        (_bad(9, "yes"), "expected true or false"),
        (_bad(0, "nacha_return"), "but the file holds 'upi'"),
        (_bad(4, "unauthorised"), "category 'unauthorised'"),
        (_bad(6, "5"), "retry_category '5'"),
        (GOOD[:-1], "9 fields (expected 10)"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, row: list[str], message: str):
    path = _write(tmp_path, [[*GOOD[:1], "U16", *GOOD[2:]], row])
    with pytest.raises(ConfigError, match=re.escape(message)) as err:
        read_codes([path])
    assert f"{path}, line 3" in str(err.value)


def test_duplicate_code_names_both_lines(tmp_path: Path):
    path = _write(tmp_path, [GOOD, GOOD])
    with pytest.raises(ConfigError, match=r"line 3: duplicate code U30 \(first at .*line 2\)"):
        read_codes([path])


def test_wrong_header_is_rejected(tmp_path: Path):
    path = _write(tmp_path, [GOOD], header=HEADER.replace("retry_category", "retry"))
    with pytest.raises(ConfigError, match="line 1: header"):
        read_codes([path])


def test_unknown_scheme_file_is_rejected(tmp_path: Path):
    path = tmp_path / "codes_swift.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown scheme 'swift'"):
        read_codes([path])


def test_bad_csv_leaves_table_unchanged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    with db.transaction() as cur:
        count = sync_codes(cur)
    bad = _write(tmp_path, [_bad(2, "")])
    monkeypatch.setattr(codes, "code_files", lambda: [bad])
    with pytest.raises(ConfigError), db.transaction() as cur:
        sync_codes(cur)
    assert db.cursor().execute("SELECT count(*) FROM codes").fetchone() == (count,)
