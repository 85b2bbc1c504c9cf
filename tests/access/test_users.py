"""The users file: loads, signs people in, and names the file and line of every mistake."""

from pathlib import Path

import pytest

from ops_core.access import Role, load_users
from ops_core.access.__main__ import main
from ops_core.access.passwords import hash_password
from ops_core.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "users.example.toml"
HASH = hash_password("s3cret", n=2**10)

GOOD = f"""\
# comment
default_role = "viewer"

[users.ada]
role = "admin"
password = "{HASH}"

[users."pat@partner.example"]
role = "viewer"
partner = "LAKESHORE"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "users.toml"
    path.write_text(text)
    return path


def test_a_good_file_loads(tmp_path):
    directory = load_users(write(tmp_path, GOOD))
    assert directory.default_role is Role.VIEWER
    ada = directory.accounts["ada"]
    assert ada.role is Role.ADMIN and ada.password_hash == HASH
    assert directory.accounts["pat@partner.example"].partner == "LAKESHORE"


@pytest.mark.parametrize(
    ("name", "password", "signed_in"),
    [
        ("ada", "s3cret", "ada"),
        (" ada ", "s3cret", "ada"),
        ("ada", "S3cret", None),
        ("bob", "s3cret", None),  # unknown name
        ("pat@partner.example", "", None),  # no password: OIDC only
    ],
)
def test_authenticate(tmp_path, name, password, signed_in):
    user = load_users(write(tmp_path, GOOD)).authenticate(name, password)
    assert (user.name if user else None) == signed_in
    if user:
        assert user.role is Role.ADMIN and user.source == "local"


def test_oidc_identities_get_their_listed_role_or_the_default(tmp_path):
    directory = load_users(write(tmp_path, GOOD))
    pat = directory.oidc_user("pat@partner.example", "Pat")
    assert (pat.role, pat.partner, pat.source) == (Role.VIEWER, "LAKESHORE", "oidc")
    stranger = directory.oidc_user("sam@example.com", "Sam")
    assert (stranger.name, stranger.role) == ("Sam", Role.VIEWER)
    closed = load_users(write(tmp_path, GOOD.replace('default_role = "viewer"', "")))
    assert closed.oidc_user("sam@example.com", "Sam") is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[users.ada]\nrole = "admin"\npassword = "x\n', 3, "not valid TOML"),
        ('[users.ada]\nrole = "boss"\n', 2, "users.ada.role is 'boss'; use one of viewer"),
        ('[users.ada]\npassword = "scrypt$1$2$3$4$5"\n', 1, "users.ada.role is None"),
        ('\n[users.ada]\nrole = "admin"\npassword = "hunter2"\n', 4, "must be a salted hash"),
        ('[users.a]\nrole = "admin"\n\n[users.b]\nrole = "admin"\nhue = 1\n', 6, "field 'hue'"),
        ('default_role = "root"\n[users.ada]\nrole = "admin"\n', 1, "default_role is 'root'"),
        ('x = 1\n[users.ada]\nrole = "admin"\n', 1, "unknown setting 'x'"),
        ("# nobody\n", 1, r"no \[users.NAME\] entries"),
        ('[users.ada]\nrole = "admin"\npartner = 7\n', 3, "partner must be text"),
    ],
)  # fmt: skip
def test_a_bad_file_names_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_users(path)
    assert str(caught.value).startswith(f"{path}, line {line}: ")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read the users file"):
        load_users(tmp_path / "nope.toml")


def test_the_example_file_loads_and_its_passwords_work():
    directory = load_users(EXAMPLE)
    assert {a.role for a in directory.accounts.values()} == set(Role)
    for name in ("admin", "operator", "viewer"):
        assert directory.authenticate(name, f"{name}-demo").role is Role(name)


def test_the_check_command_lists_users(capsys, tmp_path):
    assert main(["check", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "ada: admin (password)" in out and "partner LAKESHORE" in out
    assert main(["check", str(tmp_path / "nope.toml")]) == 1
