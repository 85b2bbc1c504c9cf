"""Deadline rules: hand-computed dates on the Fed calendar (domain.md §10), weekend and
holiday edges, the team's buffer, rule selection, and invariants (Hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_core.disputes import deadlines, rules
from ops_core.disputes.rules import Rule, Settings

D = date.fromisoformat
CFG = Settings(internal_buffer_banking_days=2, team_calendar="US_FED", due_soon_days=3)


def rule(rule_id: str) -> Rule:
    return next(r for r in rules.rules() if r.rule_id == rule_id)


@pytest.mark.parametrize(
    ("rule_id", "start", "network_due", "internal_due", "why"),
    [
        # 5 banking days after Wed 4 Nov 2026: Thu 5, Fri 6, Mon 9, Tue 10, (Wed 11 Veterans
        # Day closed), Thu 12. Team date: 2 banking days before, skipping Wed 11 = Mon 9.
        ("NACHA-DISHONOR", "2026-11-04", "2026-11-12", "2026-11-09", "weekday holiday"),
        # Sunday holiday closes Monday: Jul 4 2027 is a Sunday, Mon 5 Jul closed.
        # Thu 1 Jul + 2 banking days: Fri 2 (1), Mon 5 closed, Tue 6 (2).
        ("NACHA-CONTEST", "2027-07-01", "2027-07-06", "2027-07-06", "Sunday holiday"),
        # Saturday holiday does NOT close Friday: Jul 4 2026 is a Saturday, Fri 3 Jul open.
        # Thu 2 Jul + 2 banking days: Fri 3 (1), Mon 6 (2). (A SIFMA calendar would say Tue 7.)
        ("NACHA-CONTEST", "2026-07-02", "2026-07-06", "2026-07-06", "Saturday holiday"),
        # Dec 25 2027 and Jan 1 2028 are Saturdays: Fri 24 and Fri 31 Dec 2027 are open.
        ("REGE-REPORT", "2027-12-23", "2027-12-28", "2027-12-24", "Saturday Christmas"),
        # 60 calendar days from Tue 1 Sep 2026 = Sat 31 Oct; banking day after = Mon 2 Nov.
        ("NACHA-WINDOW-CONSUMER", "2026-09-01", "2026-11-02", "2026-11-02", "weekend roll"),
        # 60th day Mon 12 Oct 2026 is Columbus Day; the banking day after it is Tue 13 Oct.
        ("NACHA-WINDOW-CONSUMER", "2026-08-13", "2026-10-13", "2026-10-13", "holiday 60th day"),
        # 60th day Fri 9 Oct 2026; the next banking day skips the weekend and Columbus Day.
        ("NACHA-WINDOW-CONSUMER", "2026-08-10", "2026-10-13", "2026-10-13", "long weekend"),
        # R29: 2 banking days after Fri 25 Dec 2026 (closed) -> Mon 28 (1), Tue 29 (2).
        ("NACHA-WINDOW-CORPORATE", "2026-12-24", "2026-12-29", "2026-12-29", "Christmas"),
        # Visa 30 calendar days from Fri 20 Nov 2026 = Sun 20 Dec; team date 2 banking days
        # before a Sunday = Thu 17 Dec (Fri 18 is the first).
        ("VISA-COLLAB-CB", "2026-11-20", "2026-12-20", "2026-12-17", "calendar days, Sunday"),
        # Mastercard 72 hours from Mon 23 Nov 2026 = Thu 26 Nov (Thanksgiving): team date
        # Tue 24 Nov (Wed 25 is the first banking day before it).
        ("MC-COLLAB", "2026-11-23", "2026-11-26", "2026-11-24", "Thanksgiving"),
        # ... from Fri 27 Nov: due Mon 30 Nov; 2 banking days before is Wed 25 Nov, before the
        # start: the team date is clamped to the start, never before it.
        ("MC-COLLAB", "2026-11-27", "2026-11-30", "2026-11-27", "clamped to start"),
        # Reg E 10 business days from Fri 18 Dec 2026: Dec 21-24 (4), 25 closed, 28-31 (8),
        # Jan 1 closed, Jan 4 (9), Jan 5 (10). Team date: Thu 31 Dec.
        ("REGE-INVESTIGATE", "2026-12-18", "2027-01-05", "2026-12-31", "year end"),
        # 20 business days: ... Jan 15 (18), Mon 18 Jan MLK Day closed, Tue 19 (19), Wed 20.
        ("REGE-INVESTIGATE-NEW", "2026-12-18", "2027-01-20", "2027-01-15", "MLK Day"),
        # Reg E extension: 45 calendar days from Fri 20 Nov 2026 = Mon 4 Jan 2027; team date
        # 2 banking days before, skipping Fri 1 Jan: Thu 31 Dec (1), Wed 30 Dec (2).
        ("REGE-EXTENDED", "2026-11-20", "2027-01-04", "2026-12-30", "45 days"),
        # Counterparty windows get no buffer: the team date is their deadline.
        ("MC-REP-STD", "2026-11-02", "2026-12-17", "2026-12-17", "their window"),
    ],
)
def test_hand_computed_deadlines(rule_id, start, network_due, internal_due, why):
    d = deadlines.compute(rule(rule_id), D(start), CFG)
    assert (d.network_due, d.internal_due) == (D(network_due), D(internal_due)), why


@pytest.mark.parametrize("buffer", [0, 1, 2, 5])
def test_the_buffer_is_configurable(buffer):
    cfg = replace(CFG, internal_buffer_banking_days=buffer)
    d = deadlines.compute(rule("NACHA-DISHONOR"), D("2026-11-04"), cfg)
    expected = {0: "2026-11-12", 1: "2026-11-10", 2: "2026-11-09", 5: "2026-11-04"}[buffer]
    # from Thu 12 back, Wed 11 (Veterans Day) is skipped: Tue 10, Mon 9, Fri 6, Thu 5, Wed 4
    assert d.internal_due == D(expected)


@pytest.mark.parametrize(
    ("network", "stage", "category", "expected"),
    [
        ("visa", "chargeback", "allocation", ["VISA-FILING", "VISA-ALLOC-CB"]),
        ("visa", "chargeback", "collaboration", ["VISA-FILING", "VISA-COLLAB-CB"]),
        ("visa", "representment", "allocation", []),  # Allocation has no dispute response
        ("mastercard", "representment", "direct_arbitration", ["MC-REP-DOC", "MC-REP-DIRECT"]),
        ("mastercard", "chargeback", "standard", ["MC-FILING", "MC-CB", "MC-CB-DOC"]),
        ("mastercard", "arbitration", "direct_arbitration", []),  # waiting on the ruling
        ("nacha", "return", "unauthorized_consumer", ["NACHA-WINDOW-CONSUMER", "NACHA-DISHONOR"]),
        ("nacha", "return", "unauthorized_corporate", ["NACHA-WINDOW-CORPORATE", "NACHA-DISHONOR"]),
        ("reg_e", "notice", "standard", ["REGE-INVESTIGATE", "REGE-CONFIRM"]),
        ("reg_e", "notice", "new_account", ["REGE-INVESTIGATE-NEW", "REGE-CONFIRM"]),
    ],
)
def test_rules_for_a_stage(network, stage, category, expected):
    found = rules.rules_for(network, stage, category, D("2026-11-20"))
    assert [r.rule_id for r in found] == expected


def test_a_newer_row_takes_over_from_its_effective_date():
    old = rule("VISA-COLLAB-CB")
    new = replace(old, rule_id="VISA-COLLAB-CB-2027", days=20, effective_from=D("2027-04-01"))
    table = (old, new)
    before = rules.rules_for("visa", "chargeback", "collaboration", D("2027-03-31"), table)
    after = rules.rules_for("visa", "chargeback", "collaboration", D("2027-04-01"), table)
    assert [r.days for r in before] == [30] and [r.days for r in after] == [20]
    assert rules.rules_for("visa", "chargeback", "collaboration", D("2023-12-31"), table) == []


def test_uncertain_rows_follow_domain_md():
    flagged = {r.rule_id for r in rules.rules() if r.uncertain}
    # §6.2 is secondary-sourced as a whole; §6.4 marks pre-arb / arbitration; §1.4 contested
    assert {"VISA-COLLAB-CB", "MC-REP-STD", "MC-PREARB", "MC-ARB", "NACHA-CONTEST"} <= flagged
    assert not {"MC-CB", "NACHA-DISHONOR", "REGE-INVESTIGATE", "MC-COLLAB"} & flagged
    assert all("domain.md" in r.source or "Not in domain.md" in r.source for r in rules.rules())


def test_every_reason_code_has_rules_for_its_first_stage():
    for (network, code), reason in rules.reasons().items():
        stage = {"visa": "chargeback", "mastercard": "chargeback", "nacha": "return"}.get(
            network, "notice"
        )
        if reason.rule_category in ("dishonored", "contested"):
            continue
        found = rules.rules_for(network, stage, reason.rule_category, D("2026-11-20"))
        assert any(r.party == "us" for r in found), (network, code)


def test_a_bad_rules_file_names_the_line(tmp_path):
    path = tmp_path / "rules.csv"
    text = rules.RULES_CSV.read_text().splitlines()
    text[3] = text[3].replace(",calendar,US_FED,", ",fortnights,US_FED,")
    path.write_text("\n".join(text))
    with pytest.raises(rules.ConfigError, match=r"line 4: field day_type is 'fortnights'"):
        rules.read_rules(path)


@pytest.mark.parametrize(
    ("party", "internal", "network", "expected"),
    [
        ("us", "2026-11-19", "2026-11-19", "missed"),
        ("us", "2026-11-19", "2026-11-23", "overdue"),
        ("us", "2026-11-20", "2026-11-24", "due_soon"),
        ("us", "2026-11-23", "2026-11-25", "due_soon"),
        ("us", "2026-11-24", "2026-11-26", "upcoming"),
        ("counterparty", "2026-11-10", "2026-11-10", "watch"),
    ],
)
def test_urgency(party, internal, network, expected):
    assert deadlines.urgency(party, D(internal), D(network), D("2026-11-20"), 3) == expected


@given(
    st.sampled_from([r for r in rules.read_rules() if r.party != "check"]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=10),
)
def test_a_deadline_is_never_before_its_start(r, start, buffer):
    d = deadlines.compute(r, start, replace(CFG, internal_buffer_banking_days=buffer))
    assert start <= d.internal_due <= d.network_due
    assert d.network_due > start
    if r.day_type == "calendar" and r.roll == "none":
        assert d.network_due == start + timedelta(days=r.days)


# Processor and team dates (domain.md §6.2: the processor's own deadline beside the network's;
# reference/dispute_processor_offsets.csv) and Mastercard's documentation rule (§6.4).
# Team date = 2 banking days before the processor's; all on the Fed calendar (§10).
@pytest.mark.parametrize(
    ("rule_id", "category", "start", "network_due", "processor_due", "team_due", "why"),
    [
        # 8 days from Fri 20 Nov 2026 = Sat 28 Nov; processor 2 banking days before: Fri 27
        # (1), Thanksgiving Thu 26 closed, Wed 25 (2); team: Tue 24 (1), Mon 23 (2).
        ("MC-REP-DOC", "standard", "2026-11-20", "2026-11-28", "2026-11-25", "2026-11-23",
         "Mastercard documentation, Thanksgiving"),
        # 45 days from Mon 2 Nov 2026 = Thu 17 Dec; processor 5 back: 16, 15, 14, 11, Thu 10;
        # team: Wed 9, Tue 8.
        ("MC-CB", "standard", "2026-11-02", "2026-12-17", "2026-12-10", "2026-12-08",
         "second presentment"),
        # 30 days from Fri 20 Nov 2026 = Sun 20 Dec; processor 7 back from a Sunday: Fri 18,
        # 17, 16, 15, 14, Fri 11, Thu 10; team: Wed 9, Tue 8.
        ("VISA-COLLAB-CB", "collaboration", "2026-11-20", "2026-12-20", "2026-12-10",
         "2026-12-08", "network date on a Sunday"),
        # 30 days from Sat 5 Jun 2027 = Mon 5 Jul 2027, closed (Sunday Jul 4 holiday closes
        # Monday): processor 5 back: Fri 2, Thu 1, Wed 30 Jun, Tue 29, Mon 28; team: Fri 25,
        # Thu 24 Jun.
        ("VISA-COLLAB-PREARB", "collaboration", "2027-06-05", "2027-07-05", "2027-06-28",
         "2027-06-24", "Sunday holiday closes Monday"),
        # 10 days from Wed 24 Jun 2026 = Sat 4 Jul (Independence Day on a Saturday): Fri 3 Jul
        # stays open for the Fed, so the processor's 2 banking days back are Fri 3 (1), Thu 2
        # (2); team: Wed 1, Tue 30 Jun. (A SIFMA calendar would close Fri 3 and say Wed 1.)
        ("VISA-ALLOC-ARB", "allocation", "2026-06-24", "2026-07-04", "2026-07-02", "2026-06-30",
         "Saturday holiday keeps Friday open"),
        # 30 days from Tue 26 May 2026 = Thu 25 Jun; processor 5 back: 24, 23, 22, (Juneteenth
        # Fri 19 closed), 18, Wed 17; team: Tue 16, Mon 15.
        ("MC-PREARB", "standard", "2026-05-26", "2026-06-25", "2026-06-17", "2026-06-15",
         "Juneteenth"),
        # Reg E has no processor: the processor date is the regulation's.
        ("REGE-INVESTIGATE", "standard", "2026-12-18", "2027-01-05", "2027-01-05",
         "2026-12-31", "no processor offset"),
        # The issuer's documentation window is theirs: no processor date, no buffer.
        ("MC-CB-DOC", "standard", "2026-11-20", "2026-11-28", "2026-11-28", "2026-11-28",
         "their documentation window"),
    ],
)  # fmt: skip
def test_processor_and_team_dates(
    rule_id, category, start, network_due, processor_due, team_due, why
):
    r = rule(rule_id)
    offset = rules.offset_for(r.network, r.stage, category, D(start))
    d = deadlines.compute(r, D(start), CFG, offset)
    assert (d.network_due, d.processor_due, d.internal_due) == (
        D(network_due),
        D(processor_due),
        D(team_due),
    ), why


def test_mastercard_documentation_rules_are_uncertain_data_with_their_source():
    docs = {r.rule_id: r for r in rules.rules() if r.rule_id.endswith("-DOC")}
    assert set(docs) == {"MC-CB-DOC", "MC-REP-DOC"}
    for r in docs.values():
        assert (r.network, r.days, r.day_type, r.uncertain) == ("mastercard", 8, "calendar", True)
        assert "domain.md §6.4" in r.source and "paymentsandrisk.com" in r.source


def test_processor_offsets_are_configurable_data(tmp_path):
    path = tmp_path / "offsets.csv"
    text = rules.OFFSETS_CSV.read_text().splitlines()
    path.write_text("\n".join([text[0], "visa,chargeback,*,3,US_FED,2024-01-01,true,my PSP"]))
    table = rules.read_offsets(path)
    offset = rules.offset_for("visa", "chargeback", "collaboration", D("2026-11-20"), table)
    d = deadlines.compute(rule("VISA-COLLAB-CB"), D("2026-11-20"), CFG, offset)
    assert d.processor_due == D("2026-12-16")  # 3 banking days before Sun 20 Dec: 18, 17, 16
    assert rules.offset_for("nacha", "return", "*", D("2026-11-20"), table) is None
    path.write_text("\n".join([text[0], "visa,chargeback,*,-1,US_FED,2024-01-01,true,x"]))
    with pytest.raises(rules.ConfigError, match="line 2: field banking_days"):
        rules.read_offsets(path)


@given(
    st.sampled_from([r for r in rules.read_rules() if r.party != "check"]),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=10),
)
def test_team_processor_and_network_dates_are_ordered(r, start, buffer):
    offset = rules.offset_for(r.network, r.stage, r.rule_category, start)
    d = deadlines.compute(r, start, replace(CFG, internal_buffer_banking_days=buffer), offset)
    assert start <= d.internal_due <= d.processor_due <= d.network_due
