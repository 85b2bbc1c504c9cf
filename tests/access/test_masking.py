"""Partner screen-share masking (issue 8): pseudonyms and last-four masks."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ops_core.access import masking

KEY = b"test-key"
NAMES = {"acme": "Acme Payroll", "brightline": "Brightline Lending"}


def test_pseudonym_is_stable_and_shaped():
    assert masking.pseudonym("acme", KEY) == masking.pseudonym("acme", KEY)
    assert re.fullmatch(r"Client [0-9A-F]{4}", masking.pseudonym("acme", KEY))


def test_pseudonym_depends_on_the_key_and_the_client():
    assert masking.pseudonym("acme", KEY) != masking.pseudonym("acme", b"other key")
    assert masking.pseudonym("acme", KEY) != masking.pseudonym("brightline", KEY)


def test_key_from_the_environment(monkeypatch):
    monkeypatch.setenv(masking.KEY_ENV, "env-key")
    assert masking.pseudonym("acme") == masking.pseudonym("acme", b"env-key")


def test_key_file_is_created_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv(masking.KEY_ENV, raising=False)
    path = tmp_path / "k" / ".pseudonym_key"
    monkeypatch.setattr(masking, "KEY_FILE", path)
    masking._file_key.cache_clear()
    first = masking.pseudonym_key()
    masking._file_key.cache_clear()
    assert masking.pseudonym_key() == first
    assert path.stat().st_mode & 0o077 == 0
    masking._file_key.cache_clear()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123456789", "••••6789"),
        ("Jane Q Public", "••••blic"),
        ("  DE89370400440532013000 ", "••••3000"),
        ("1234", "••••"),
        ("ab", "••••"),
        ("", ""),
        (None, None),
    ],
)
def test_last4(value, expected):
    assert masking.last4(value) == expected


@given(st.text(min_size=5).filter(lambda t: len(t.strip()) > 4))
def test_last4_never_shows_more_than_four_characters(text):
    masked = masking.last4(text)
    assert masked.startswith(masking.MASK)
    assert masked[len(masking.MASK) :] == text.strip()[-4:]


def test_mask_frame_pseudonymises_clients_and_masks_personal_columns():
    df = pd.DataFrame(
        {
            "client_id": ["acme", "brightline", None],
            "client": ["Acme Payroll", "Brightline Lending", "Walk-in"],
            "counterparty_name": ["Jane Q Public", None, "Bob"],
            "counterparty_account": ["000123456789", "9876543210", None],
            "amount_minor": [100, 200, 300],
        }
    )
    out = masking.mask_frame(df, NAMES, KEY)
    acme = masking.pseudonym("acme", KEY)
    assert list(out.client_id[:2]) == [acme, masking.pseudonym("brightline", KEY)]
    assert list(out.client[:2]) == list(out.client_id[:2])  # the name follows its id
    assert out.client[2] == masking.pseudonym("Walk-in", KEY)
    assert list(out.counterparty_name) == ["••••blic", None, "••••"]
    assert list(out.counterparty_account[:2]) == ["••••6789", "••••3210"]
    assert list(out.amount_minor) == [100, 200, 300]
    assert df.client_id[0] == "acme", "the input is not changed"


def test_mask_frame_maps_name_only_columns_through_names():
    out = masking.mask_frame(pd.DataFrame({"client": ["Acme Payroll"]}), NAMES, KEY)
    assert out.client[0] == masking.pseudonym("acme", KEY)


def test_mask_text_replaces_client_names():
    text = masking.mask_text("Called Acme Payroll about R10", NAMES, KEY)
    assert text == f"Called {masking.pseudonym('acme', KEY)} about R10"


def test_scoped_keeps_one_partner_and_masks(monkeypatch):
    monkeypatch.setenv(masking.KEY_ENV, KEY.decode())
    df = pd.DataFrame(
        {"partner_id": ["LAKESHORE", "MERIDIAN"], "client_id": ["acme", "acme"], "n": [1, 2]}
    )
    out = masking.scoped(df, "LAKESHORE", NAMES)
    assert list(out.partner_id) == ["LAKESHORE"] and list(out.n) == [1]
    assert out.client_id[0] == masking.pseudonym("acme", KEY)
    assert masking.scoped(df, None) is df


def test_mask_record():
    rec = masking.mask_record(
        {"client_id": "acme", "client": "Acme Payroll", "x": None}, NAMES, KEY
    )
    assert rec == {
        "client_id": masking.pseudonym("acme", KEY),
        "client": rec["client_id"],
        "x": None,
    }
