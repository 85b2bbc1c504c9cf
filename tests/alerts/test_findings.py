"""Streaks and evaluation times: sustained conditions, quiet hours that neither fire nor
clear, scope keys and links."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from ops_core.alerts import findings as fx
from tests.alerts.conftest import T0, hours


def hourly(fires: list[bool | None], start=T0) -> pd.DataFrame:
    """One scope; None = an hour nobody could judge (no row)."""
    rows = [
        {"k": "a", "hour": start + hours(i), "fire": f, "n": 1, "sustain_hours": 2}
        for i, f in enumerate(fires)
        if f is not None
    ]
    df = pd.DataFrame(rows)
    df["hour"] = pd.to_datetime(df.hour, utc=True)
    return df


@pytest.mark.parametrize(
    ("fires", "streaks"),
    [
        ([True, True, True], [1, 2, 3]),
        ([True, False, True, True], [1, 0, 1, 2]),
        ([False, False], [0, 0]),
        ([True, None, True], [1, 1]),  # a missing hour breaks the streak (gap = 1 h)
    ],
)
def test_streaks(fires, streaks):
    out = fx.streaks(hourly(fires), ["k"], ["n"])
    assert out.streak.tolist() == streaks


def test_a_longer_gap_keeps_the_streak_when_allowed():
    out = fx.streaks(hourly([True, None, None, True]), ["k"], ["n"], gap=timedelta(hours=3))
    assert out.streak.tolist() == [1, 2] and out.n_run.tolist() == [1, 2]


@pytest.mark.parametrize(
    ("fires", "at_hour", "hold", "fired"),
    [
        ([True, True], 2, 0, True),  # hours 0 and 1 fired: at 02:00 it holds for 2 h
        ([True, True], 1, 0, False),  # at 01:00 only hour 0 is judged: not sustained yet
        ([True, True, False], 3, 0, False),  # hour 2 cleared it
        ([True, True, None], 3, 0, False),  # hour 2 not judged and no hold: unknown = clear
        ([True, True, None, None], 4, 12, True),  # quiet hours held: still firing
        ([True, True] + [None] * 13, 15, 12, False),  # held too long: cleared
    ],
)
def test_at_times_reads_the_last_judged_hour(fires, at_hour, hold, fired):
    df = fx.streaks(hourly(fires), ["k"], ["n"], gap=timedelta(hours=hold + 1))
    hit = fx.at_times(df, [T0 + hours(at_hour)], ["k"], hold=timedelta(hours=hold))
    assert (len(hit) == 1) is fired


def test_evaluating_mid_hour_reads_the_last_full_hour():
    df = fx.streaks(hourly([True, True]), ["k"], ["n"])
    at = T0 + hours(2) + timedelta(minutes=40)
    hit = fx.at_times(df, [at], ["k"])
    assert len(hit) == 1 and hit["at"].iat[0] == pd.Timestamp(at)


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        (("RTP", "LAKESHORE", None, None), "RTP|LAKESHORE|*|*"),
        (("ACH", None, "granite", "unauthorized"), "ACH|*|granite|unauthorized"),
        ((None, None, None, "visa"), "*|*|*|visa"),
        (("SPEI", "ALTAVISTA", float("nan"), "26"), "SPEI|ALTAVISTA|*|26"),
    ],
)
def test_scope_keys(parts, key):
    assert fx.scope_key(*parts) == key


def test_rail_health_links_cover_the_days_and_switch_to_days_when_long():
    link = fx.rail_health_link(T0, T0 + hours(3), rails=["RTP"], partners=["LAKESHORE"])
    assert link == (
        "/rail-health?rails=RTP&partners=LAKESHORE&start=2026-03-02&end=2026-03-02&grain=hour"
    )
    long = fx.rail_health_link(T0 - timedelta(days=30), T0, rails=["ACH"], codes=["R10", "R05"])
    assert "grain=day" in long and "codes=R10,R05" in long
    assert fx.rail_health_link(T0 - hours(2), T0).endswith(
        "start=2026-03-02&end=2026-03-02&grain=hour"
    )
