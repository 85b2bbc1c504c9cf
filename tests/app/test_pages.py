"""Every page renders on demo data with no exception and shows its key numbers."""

from tests.app.conftest import run_page


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_overview_flags_the_stuck_fednow_batch(app):
    at = run_page(app, "pages/overview.py", day="2026-11-20")
    text = markdown(at)
    assert ":red-badge[RED] **FedNow** — 60 payments stuck in pending" in text
    assert len([m for m in at.markdown if m.value.startswith("#### ")]) == 9  # a tile per rail
    stuck = at.dataframe[0].value
    assert stuck.payments.sum() == 60 and set(stuck.partner) == {"Meridian Trust"}


def test_overview_tiles_have_volume_success_and_latency(app):
    at = run_page(app, "pages/overview.py", day="2026-11-19")
    labels = [m.label for m in at.metric]
    assert labels.count("Volume") == 9 and labels.count("p95 latency") == 9
    assert all(m.value not in ("", "0") for m in at.metric if m.label == "Volume")


def test_rail_health_shows_the_rtp_degradation(app):
    at = run_page(
        app, "pages/rail_health.py", rails="RTP", start="2026-11-14", end="2026-11-20", grain="hour"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Anomalies"]) >= 4
    anomalies = at.dataframe[0].value
    scenario_day = anomalies.iloc[:, 0].astype(str).str.startswith("2026-11-17 1")  # as_of - 3
    assert scenario_day.sum() >= 4
    codes = at.dataframe[1].value
    assert "DS24" in set(codes.code.head(3))


def test_rail_health_filters_round_trip_through_the_url(app):
    at = run_page(
        app,
        "pages/rail_health.py",
        rails="ACH",
        clients="granite",
        start="2026-09-01",
        end="2026-11-20",
        grain="day",
    )
    assert at.multiselect[0].value == ["ACH"]
    assert at.multiselect[2].value == ["granite"]
    assert at.query_params["grain"] in ("day", ["day"])
    codes = at.dataframe[0].value if len(at.dataframe) == 3 else at.dataframe[1].value
    assert {"R10", "R05"} & set(codes.code)


def test_rail_health_drill_down_lists_the_stuck_payments(app):
    at = run_page(
        app,
        "pages/rail_health.py",
        rails="FEDNOW",
        start="2026-11-19",
        end="2026-11-19",
        status="pending",
    )  # batch: as_of - 1 at 22:10
    payments = at.dataframe[-1].value
    assert len(payments) == 60 and set(payments.status) == {"pending"}
