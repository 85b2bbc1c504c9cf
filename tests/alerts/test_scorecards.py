"""Partner scorecards on the demo data, and the percentile read from the latency histogram."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ops_core.alerts import scorecards
from ops_core.db import Database
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def seeded(seeded_path):
    db = Database(seeded_path, read_only=True)
    yield db
    db.close()


@pytest.mark.parametrize(
    ("buckets", "counts", "p95"),
    [
        ([40], [10], 2 ** (40.5 / 4)),
        ([40, 41], [95, 5], 2 ** (40.5 / 4)),  # 95% reached in the first bucket
        ([40, 41], [94, 6], 2 ** (41.5 / 4)),
        ([], [], math.nan),
    ],
)
def test_p95_from_the_histogram(buckets, counts, p95):
    got = scorecards.p95(pd.DataFrame({"bucket": buckets, "n": counts}))
    assert (math.isnan(got) and math.isnan(p95)) or got == pytest.approx(p95)


def test_partners_banks_first(seeded):
    df = scorecards.partners(seeded.cursor())
    assert df.kind.tolist()[:4] == ["bank"] * 4
    assert df.set_index("partner_id").rails["LAKESHORE"].tolist() == ["ACH", "RTP"]


def test_lakeshore_scorecard_shows_the_rtp_outage(seeded):
    card = scorecards.scorecard(seeded.cursor(), "LAKESHORE", AS_OF, weeks=1)
    rtp = card.summary.set_index("rail_id").loc["RTP"]
    # the outage week: lower success, slower, three alerts, against a quiet week before
    assert rtp.success_rate_now < rtp.success_rate_before
    assert rtp.on_time_now < rtp.on_time_before
    assert (rtp.alerts_now, rtp.alerts_before) == (3, 0)
    assert card.incidents.incident_id.tolist() == [1]
    assert card.breaks_available  # the demo build reconciles the loaded files
    assert set(card.trend.rail_id) == {"ACH", "RTP"} and card.trend.k.max() == 11
    ach = card.summary.set_index("rail_id").loc["ACH"]
    assert ach.on_time_now == pytest.approx(1.0)  # demo ACH settles the next banking day


def test_a_network_partner(seeded):
    card = scorecards.scorecard(seeded.cursor(), "VISA", AS_OF, weeks=4)
    visa = card.summary.set_index("rail_id").loc["VISA_DIRECT"]
    assert visa.payments_now > 1000 and visa.p95_ms_now > 0
    assert visa.alerts_now >= 1  # the latency-spike day (and reconciliation findings)
