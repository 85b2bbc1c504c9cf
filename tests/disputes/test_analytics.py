"""Nacha return rates by both methods on a hand-made ledger, dispute rates and the iCalendar
export read back by an independent parser."""

from datetime import UTC, date, datetime

import icalendar
import pandas as pd

from ops_core.disputes import analytics, ics

END = datetime(2026, 10, 21, 0, 0, tzinfo=UTC)


def test_return_rates_by_both_methods(ledger):
    # window: the 60 days before 21 Oct = from 22 Aug. Client beta originated 3 debits in it
    # (1 Sep R10 returned 20 Sep; 1 Oct R29 returned 16 Oct; 1 Oct R01 returned 5 Oct).
    df = analytics.ach_return_rates(ledger.cursor(), END)
    beta = df[df.client_id == "beta"].set_index(["method", "rate"])
    assert beta.loc[(1, "unauthorized")][["returns", "debit_entries"]].tolist() == [2, 3]
    assert beta.loc[(1, "unauthorized")].rate_pct == 66.667
    assert beta.loc[(1, "unauthorized")].breach
    assert beta.loc[(2, "overall")][["returns", "breach"]].tolist() == [3, True]
    assert beta.loc[(1, "administrative")][["returns", "breach"]].tolist() == [0, False]


def test_methods_differ_when_returns_cross_the_window(ledger):
    # 59 days to 31 Oct = from 2 Sep: the R10 entry (1 Sep) was originated before the window
    # but returned inside it (20 Sep). Method 1 counts it, method 2 does not.
    cur = ledger.cursor()
    df = analytics.ach_return_rates(cur, datetime(2026, 10, 31, tzinfo=UTC), lookback_days=59)
    beta = df[(df.client_id == "beta") & (df.rate == "unauthorized")].set_index("method")
    assert beta.returns.tolist() == [2, 1]
    assert beta.debit_entries.tolist() == [2, 2]


def test_thresholds_are_nacha_s():
    t = analytics.thresholds(date(2026, 1, 1))
    assert {k: float(v.threshold_pct) for k, v in t.items()} == {
        "unauthorized": 0.5,
        "administrative": 3.0,
        "overall": 15.0,
    }


def test_ics_round_trips_through_icalendar():
    board = pd.DataFrame(
        [
            dict(
                deadline_id=7,
                case_id=12,
                network="visa",
                reason_code="10.4",
                party="us",
                action="File pre-arbitration, or accept; long text " * 3,
                stage="chargeback",
                client="Ålpha Pay; Ltd, \\ Co",
                internal_due=date(2026, 12, 17),
                processor_due=date(2026, 12, 18),
                network_due=date(2026, 12, 21),
                rule_id="VISA-ALLOC-CB",
                uncertain=True,
                source="domain.md §6.2",
                urgency="upcoming",
            ),
        ]
    )
    text = ics.calendar_text(
        ics.deadline_events(board, "http://host"), datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("END:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(text)
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == date(2026, 12, 17)
    assert event.decoded("DTEND") == date(2026, 12, 18)
    assert str(event["UID"]) == "dispute-deadline-7@railyard"
    assert str(event["SUMMARY"]).startswith("Case 12 visa 10.4: File pre-arbitration, or accept")
    assert "client Ålpha Pay; Ltd, \\ Co" in str(event["DESCRIPTION"])
    # the event sits on the earliest date; the description carries all three
    dates = "team due 2026-12-17, processor due 2026-12-18, network due 2026-12-21"
    assert dates in str(event["DESCRIPTION"])
    assert str(event["URL"]) == "http://host/dispute?case=12"
