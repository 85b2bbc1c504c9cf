"""Fields of a file's bytes, vectorised: numpy over byte ranges, Arrow string views.

The BAI2 and MT940 fast paths find each field of their common records as a byte range
(start, stop) of the file with numpy, then read it without copying the file: ``views``
makes an Arrow ``string_view`` array whose long values point into the file's bytes (short
ones, up to 12 bytes, are stored inline, as the format requires), and ``digits`` reads
a range of ASCII digits as an integer. The file must be ASCII (the fast paths check it).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import pyarrow as pa

INLINE = 12  # string_view: values up to this many bytes live in the view itself
CHUNK_MIN = 50_000  # rows per thread below which splitting work costs more than it saves
THREADS = min(os.cpu_count() or 1, 4)  # threads ``chunked`` uses at most

T = TypeVar("T")


def chunked(n: int, work: Callable[[slice], T]) -> list[T]:
    """``work`` over contiguous slices of ``range(n)`` on up to ``THREADS`` threads (one per
    core, at most four), results in slice order. numpy releases the GIL inside its loops, so
    a split of 200k records runs on both cores of a two-core machine, as DuckDB's CSV reader
    does; with fewer than ``CHUNK_MIN`` rows per slice it runs once, on this thread."""
    parts = max(1, min(THREADS, n // max(CHUNK_MIN, 1)))
    if parts == 1:
        return [work(slice(0, n))]
    bounds = [n * k // parts for k in range(parts + 1)]
    slices = [slice(a, b) for a, b in itertools.pairwise(bounds)]
    with ThreadPoolExecutor(parts, thread_name_prefix="byteviews") as pool:
        return list(pool.map(work, slices))


def joined(parts: list[T]) -> T:
    """The results of ``chunked`` as one: each part a tuple or a dict of numpy arrays, Arrow
    tables or Arrow arrays, joined field by field in order (arrays concatenated, tables and
    Arrow arrays as chunks)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    if isinstance(first, dict):
        return {key: _join([part[key] for part in parts]) for key in first}  # type: ignore
    return tuple(_join(list(field)) for field in zip(*parts, strict=True))  # type: ignore


def _join(values: list) -> object:
    if isinstance(values[0], np.ndarray):
        return np.concatenate(values)
    if isinstance(values[0], pa.Table):
        return pa.concat_tables(values)
    return pa.chunked_array(values)


BATCH_ROWS = 32_768  # rows per Arrow batch handed to DuckDB


def batched(table: pa.Table, rows: int = BATCH_ROWS) -> pa.Table:
    """The same table cut into batches of at most ``rows`` rows (slices, nothing copied).
    DuckDB scans a registered Arrow table a batch at a time per thread: one 200k-row batch
    is read by one thread, and an INSERT from it took 0.07 s where 32k-row batches took
    0.04 s (MT940 fast path, 229k rows, two cores)."""
    return pa.Table.from_batches(table.to_batches(max_chunksize=rows), table.schema)


def window(raw: np.ndarray, start: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes from each ``start`` (N x width; 0 outside the file)."""
    start = start.astype(np.int64)
    if not len(raw):
        return np.zeros((len(start), width), dtype=np.uint8)
    rows = np.lib.stride_tricks.sliding_window_view(raw, width) if len(raw) >= width else None
    if rows is None or ((start < 0) | (start > len(raw) - width)).any():
        index = start[:, None] + np.arange(width)  # some ranges run off an end: byte by byte
        out = raw[np.clip(index, 0, len(raw) - 1)]
        out[(index < 0) | (index >= len(raw))] = 0
        return out
    return rows[start]  # one copy of ``width`` contiguous bytes per row


def views(data: bytes, raw: np.ndarray, start: np.ndarray, stop: np.ndarray) -> pa.Array:
    """data[start[i]:stop[i]] for every i as an Arrow string_view array (no copy of the
    long values). Ranges must be within the file; ``raw`` is the file as uint8."""
    n = len(start)
    length = (stop - start).astype(np.int32)
    inline = window(raw, start, INLINE)
    inline *= np.arange(INLINE) < length[:, None]  # inline values are zero-padded
    view = np.empty((n, 4), dtype=np.int32)  # length, then 12 bytes, or prefix, buffer, offset
    view[:, 0] = length
    view[:, 1:] = inline.view(np.int32)
    long = length > INLINE
    view[:, 2] = np.where(long, 0, view[:, 2])
    view[:, 3] = np.where(long, start, view[:, 3])
    buffers = [None, pa.py_buffer(view), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string_view(), n, buffers)


def digits(raw: np.ndarray, start: np.ndarray, stop: np.ndarray, most: int) -> tuple:
    """(value, ok): each range read as an unsigned decimal integer; ok where the range is
    1 to ``most`` (at most 18) ASCII digits (value 0 where not ok)."""
    length = stop - start
    ok = (length >= 1) & (length <= most)
    width = int(np.clip(length.max(initial=0), 1, most))  # the longest range that may be ok
    block = window(raw, stop - width, width)  # right-aligned: column j is 10 ** (width - 1 - j)
    inside = np.arange(width) >= width - np.clip(length, 0, width)[:, None]
    digit = block - np.uint8(48)  # wraps below "0": then above 9
    ok &= ((digit <= 9) | ~inside).all(axis=1)
    digit[~inside] = 0
    value = np.zeros(len(start), dtype=np.int64)
    for j in range(width):  # Horner's rule, a column at a time
        value = value * 10 + digit[:, j]
    return np.where(ok, value, 0), ok
