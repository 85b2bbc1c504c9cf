"""Salted password hashes: round trip, wrong passwords, tampering, and the stored format."""

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ops_core.access.passwords import hash_password, is_hash, verify_password

FAST = {"n": 2**10}  # test-only cost; the default is 2^17 (OWASP)


def test_a_hash_verifies_its_password_only():
    stored = hash_password("correct horse", **FAST)
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horsE", stored)
    assert not verify_password("", stored)


def test_the_password_is_never_stored_and_every_hash_is_salted():
    one, two = hash_password("hunter2", **FAST), hash_password("hunter2", **FAST)
    assert one != two  # a fresh salt each time
    assert "hunter2" not in one
    assert one.startswith("scrypt$1024$8$1$") and is_hash(one)


def test_default_cost_is_owasp_scrypt():
    assert hash_password("x").startswith("scrypt$131072$8$1$")


@pytest.mark.parametrize(
    "stored",
    [
        "hunter2",  # plain text is never accepted as a hash
        "",
        "scrypt$1024$8$1$c2FsdA",  # a part missing
        "scrypt$x$8$1$c2FsdA$aGFzaA",  # not a number
        "scrypt$1000$8$1$c2FsdA$aGFzaA",  # N not a power of two: hashlib refuses
        "md5$abc$def",
    ],
)
def test_a_malformed_hash_never_verifies(stored):
    assert not verify_password("hunter2", stored)


def test_a_tampered_hash_does_not_verify():
    stored = hash_password("hunter2", **FAST)
    head, digest = stored.rsplit("$", 1)
    flipped = ("B" if digest[0] != "B" else "C") + digest[1:]
    assert not verify_password("hunter2", f"{head}${flipped}")


def test_pbkdf2_hashes_are_accepted():
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"hunter2", salt, 1000)

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    stored = f"pbkdf2_sha256$1000${b64(salt)}${b64(digest)}"
    assert is_hash(stored)
    assert verify_password("hunter2", stored) and not verify_password("hunter3", stored)


def test_an_empty_password_cannot_be_set():
    with pytest.raises(ValueError, match="empty"):
        hash_password("")


def test_a_trailing_nul_does_not_open_the_account():
    # HMAC pads a short key with zeros: without the check 'hunter2\0' verifies as 'hunter2'
    stored = hash_password("hunter2", **FAST)
    assert verify_password("hunter2", stored)
    assert not verify_password("hunter2\x00", stored)
    with pytest.raises(ValueError, match="NUL"):
        hash_password("hunter2\x00")


@settings(max_examples=25, deadline=None)
@given(
    st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        min_size=1,
        max_size=40,
    ),
    st.text(min_size=1, max_size=5),
)
def test_round_trip_for_any_password(password, suffix):
    stored = hash_password(password, **FAST)
    assert verify_password(password, stored)
    assert not verify_password(password + suffix, stored)
