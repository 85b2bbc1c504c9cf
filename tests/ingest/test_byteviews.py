"""byteviews: byte ranges of a file read as Arrow string views and as integers."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_core.ingest import byteviews

DATA = b"16,143,+300,0,REF,a customer reference longer than twelve,x\n"
RAW = np.frombuffer(DATA, dtype=np.uint8)


@pytest.mark.parametrize(
    ("start", "stop"),
    [(0, 2), (3, 6), (14, 17), (18, 58), (0, 0), (59, 60), (60, 60), (0, 12), (0, 13)],
)
def test_a_view_is_the_slice(start: int, stop: int) -> None:
    arr = byteviews.views(DATA, RAW, np.array([start]), np.array([stop]))
    arr.validate(full=True)
    assert arr.to_pylist() == [DATA[start:stop].decode()]


def test_duckdb_reads_the_views() -> None:
    arr = byteviews.views(DATA, RAW, np.array([0, 18, 60]), np.array([2, 58, 60]))
    con = duckdb.connect()
    con.register("views", pa.table({"s": arr}))
    rows = con.execute("SELECT s, length(s) FROM views").fetchall()
    assert rows == [("16", 2), (DATA[18:58].decode(), 40), ("", 0)]


@pytest.mark.parametrize(
    ("text", "most", "expected"),
    [
        (b"0", 3, (0, True)),
        (b"143", 3, (143, True)),
        (b"1430", 3, (0, False)),  # too long
        (b"", 3, (0, False)),  # empty
        (b"1a3", 3, (0, False)),
        (b" 12", 3, (0, False)),
        (b"/12", 3, (0, False)),  # "/" is just below "0"
        (b"999999999999999999", 18, (999_999_999_999_999_999, True)),
        (b"000000000000000021", 18, (21, True)),
    ],
)
def test_digits(text: bytes, most: int, expected: tuple[int, bool]) -> None:
    data = b"x," + text + b",y"
    raw = np.frombuffer(data, dtype=np.uint8)
    value, ok = byteviews.digits(raw, np.array([2]), np.array([2 + len(text)]), most)
    assert (int(value[0]), bool(ok[0])) == expected


@given(st.lists(st.text(alphabet="0123456789ab ,/", max_size=25), min_size=1, max_size=30))
def test_views_and_digits_agree_with_python(fields: list[str]) -> None:
    data = ",".join(fields).encode()
    raw = np.frombuffer(data, dtype=np.uint8)
    starts, at = [], 0
    for field in fields:
        starts.append(at)
        at += len(field) + 1
    start = np.array(starts, dtype=np.int64)
    stop = start + np.array([len(f) for f in fields], dtype=np.int64)
    assert byteviews.views(data, raw, start, stop).to_pylist() == fields
    value, ok = byteviews.digits(raw, start, stop, 18)
    for field, v, good in zip(fields, value.tolist(), ok.tolist(), strict=True):
        plain = field.isdigit() and len(field) <= 18
        assert good == plain
        assert v == (int(field) if plain else 0)


def test_window_is_zero_outside_the_file() -> None:
    out = byteviews.window(RAW, np.array([-2, 0, len(DATA) - 2]), 4)
    assert out.tolist() == [[0, 0, *DATA[:2]], list(DATA[:4]), [*DATA[-2:], 0, 0]]


@pytest.mark.parametrize("n", [0, 1, 5, 99, 100, 101, 1000])
@pytest.mark.parametrize("threads", [1, 2, 3, 4])
def test_chunked_covers_every_row_once_in_order(
    monkeypatch: pytest.MonkeyPatch, n: int, threads: int
) -> None:
    monkeypatch.setattr(byteviews, "CHUNK_MIN", 10)
    monkeypatch.setattr(byteviews, "THREADS", threads)
    parts = byteviews.chunked(n, lambda part: list(range(n))[part])
    assert [i for part in parts for i in part] == list(range(n))
    assert len(parts) == max(1, min(threads, n // 10))


def test_batched_cuts_batches_without_changing_rows() -> None:
    table = pa.table({"a": list(range(100)), "b": [str(i) for i in range(100)]})
    cut = byteviews.batched(table, 30)
    assert [b.num_rows for b in cut.to_batches()] == [30, 30, 30, 10]
    assert cut.equals(table)
    assert byteviews.batched(table.slice(0, 0), 30).num_rows == 0


def test_joined_puts_the_parts_back_in_order() -> None:
    parts = [
        (np.arange(0, 3), pa.table({"a": [0, 1, 2]}), pa.array(["x", "y", "z"])),
        (np.arange(3, 5), pa.table({"a": [3, 4]}), pa.array(["u", "v"])),
    ]
    ints, table, texts = byteviews.joined(parts)
    assert ints.tolist() == [0, 1, 2, 3, 4]
    assert table["a"].to_pylist() == [0, 1, 2, 3, 4]
    assert texts.to_pylist() == ["x", "y", "z", "u", "v"]
    named = byteviews.joined([{"k": np.arange(2)}, {"k": np.arange(2, 4)}])
    assert list(named) == ["k"] and named["k"].tolist() == [0, 1, 2, 3]
    assert byteviews.joined(parts[:1]) is parts[0]
