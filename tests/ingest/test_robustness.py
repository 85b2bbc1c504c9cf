"""Property tests: mutated or truncated inputs never raise anything but FileRejected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core.errors import FileRejected
from ops_core.ingest.bai2 import parse_bai2
from ops_core.ingest.card_csv import parse_card_csv
from ops_core.ingest.iso20022 import parse_iso20022
from ops_core.ingest.mt940 import parse_mt940
from ops_core.ingest.nacha import parse_nacha
from ops_core.ingest.usdc import parse_usdc_logs
from tests.ingest.conftest import SAMPLES

SEEDS: list[tuple[str, Callable]] = [
    ("ach/rubyritas_ach/spec/ach/fixtures/return_noc.txt", parse_nacha),
    ("ach/moov-io_ach/test/testdata/iat-addenda99.ach", parse_nacha),
    ("bai2/moov-io_bai2/test/testdata/sample2.txt", parse_bai2),
    ("bai2/moov-io_bai2/test/testdata/sample3.txt", parse_bai2),
    ("mt940/wolph_mt940/mt940_tests/jejik/sns.sta", parse_mt940),
    ("iso20022/genkgo_camt/test/data/camt053.v8.xml", parse_iso20022),
    ("iso20022/moov-io_rtp20022/pkg/rtp/test/testdata/pacs002.RJCT.xml", parse_iso20022),
    (
        "processor_reports/vippsas_vipps-developers@569feab0f992/settlements/csv/"
        "settlement-report.csv",
        lambda s, n: parse_card_csv(s, n, "vipps_settlement"),
    ),
]
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def consume(parse: Callable, data: bytes) -> None:
    try:
        for _ in parse(data, "fuzzed"):
            pass
    except FileRejected as exc:
        assert str(exc).startswith("fuzzed")


def seed(rel: str) -> bytes:
    path = SAMPLES / rel
    if not path.exists():
        pytest.skip("samples not present")
    return path.read_bytes()


@pytest.mark.parametrize(("rel", "parse"), SEEDS, ids=[s[0].rsplit("/", 1)[-1] for s in SEEDS])
@PROPERTY
@given(data=st.data())
def test_mutations_only_raise_file_rejected(rel: str, parse: Callable, data: st.DataObject) -> None:
    original = seed(rel)
    position = data.draw(st.integers(0, len(original) - 1))
    replacement = data.draw(st.binary(min_size=0, max_size=8))
    consume(parse, original[:position] + replacement + original[position + 1 :])


@pytest.mark.parametrize(("rel", "parse"), SEEDS, ids=[s[0].rsplit("/", 1)[-1] for s in SEEDS])
@PROPERTY
@given(cut=st.floats(0, 1))
def test_truncations_only_raise_file_rejected(rel: str, parse: Callable, cut: float) -> None:
    original = seed(rel)
    consume(parse, original[: int(len(original) * cut)])


@PROPERTY
@given(blob=st.binary(max_size=400))
def test_random_bytes_only_raise_file_rejected(blob: bytes) -> None:
    for parse in (
        parse_nacha,
        parse_bai2,
        parse_mt940,
        parse_iso20022,
        parse_usdc_logs,
        parse_card_csv,
    ):
        consume(parse, blob)


@PROPERTY
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=70),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c, max_size=6),
        max_leaves=20,
    )
)
def test_arbitrary_json_only_raises_file_rejected(value: object) -> None:
    import json

    consume(parse_usdc_logs, json.dumps(value).encode())
