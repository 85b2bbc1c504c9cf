"""Free-text masking of a partner's screen-share view (ops_core.access.partner_view)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_core.access import masking
from ops_core.access.partner_view import OTHER_PARTNER, PartnerView, load

KEY = b"test-key"
VIEW = PartnerView(
    partner="LAKESHORE",
    name="Lakeshore Bank",
    rails=("ACH", "RTP"),
    accounts=("4410072819",),
    clients={"acme": "Acme Payroll", "granite": "Granite Rent"},
    others=("Meridian Trust", "MERIDIAN", "Mastercard", "VISA", "Visa"),
    key=KEY,
)
ACME = masking.pseudonym("acme", KEY)
GRANITE = masking.pseudonym("granite", KEY)


@pytest.mark.parametrize(
    ("text", "personal", "expected"),
    [
        ("Acme Payroll paid twice", (), f"{ACME} paid twice"),
        ("ask granite first", (), f"ask {GRANITE} first"),  # a bare client id
        ("account 4410072819 is short", (), "account ••••2819 is short"),
        ("from Ada Lovelace", ("Ada Lovelace",), "from ••••lace"),
        ("from ADA LOVELACE", ("Ada Lovelace",), "from ••••lace"),  # any case
        ("Meridian Trust's RTP was fine", (), f"{OTHER_PARTNER}'s RTP was fine"),
        ("unlike meridian", (), f"unlike {OTHER_PARTNER}"),
        ("Lakeshore Bank booked it late", (), "Lakeshore Bank booked it late"),  # its own name
        ("VISA_DIRECT", (), "VISA_DIRECT"),  # only whole words
        ("Li paid", ("Li",), "Li paid"),  # too short to search for
        (
            "by the reconciliation engine",
            ("reconciliation engine",),
            "by the reconciliation engine",
        ),
        (None, (), None),
        (42, (), 42),
    ],
)
def test_text(text, personal, expected):
    assert VIEW.text(text, personal) == expected


def test_its_own_name_as_an_account_is_not_masked():
    view = PartnerView("VISA", "Visa", ("VISA_DIRECT",), ("VISA",), {}, ("Mastercard",), KEY)
    assert view.text("Visa settled it twice; see VISA_20261118.csv") == (
        "Visa settled it twice; see VISA_20261118.csv"
    )


@pytest.mark.parametrize(
    ("who", "shown"),
    [("Priya Raman", "••••aman"), ("reconciliation engine", "reconciliation engine"),
     ("railyard", "railyard"), (None, None)],
)  # fmt: skip
def test_person(who, shown):
    assert VIEW.person(who) == shown


def test_frame_masks_known_text_and_people_columns():
    df = pd.DataFrame(
        {
            "client_id": ["acme"],
            "account": ["4410072819"],
            "detail": ["Granite Rent vs Meridian Trust"],
            "assignee": ["Marco Diaz"],
        }
    )
    out = VIEW.frame(df, text=("detail",), people=("assignee",))
    assert out.iloc[0].to_dict() == {
        "client_id": ACME,
        "account": "••••2819",
        "detail": f"{GRANITE} vs {OTHER_PARTNER}",
        "assignee": "••••Diaz",
    }
    assert df.iloc[0].client_id == "acme", "the input is not changed"


def test_load_reads_the_partner_from_the_database(demo_db):
    view = load(demo_db.cursor(), "LAKESHORE")
    assert view.name == "Lakeshore Bank"
    assert view.rails == ("ACH", "RTP")
    assert "Meridian Trust" in view.others and "Lakeshore Bank" not in view.others
    assert "4410072819" in view.accounts
    with pytest.raises(ValueError, match="unknown partner"):
        load(demo_db.cursor(), "NOPE")


WORDS = [*VIEW.clients.values(), *VIEW.clients, *VIEW.others, "paid", "late", "ACH", "4410072819"]


@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from([" ", ", ", "'s ", "\n"]))
def test_no_foreign_name_survives_masking(words, glue):
    out = VIEW.text(glue.join(words))
    names = [*VIEW.clients.values(), "Meridian Trust", "Mastercard", "4410072819"]
    assert not [n for n in names if n.lower() in out.lower()], out
