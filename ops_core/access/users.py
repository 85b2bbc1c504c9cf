"""Local users from a TOML file (``$RAILYARD_USERS``), and who an OIDC identity is here.

The file (see ``data/users.example.toml``)::

    default_role = "viewer"        # role of an OIDC user not listed (omit: they are refused)

    [users.alice]
    role = "admin"
    password = "scrypt$..."        # python -m ops_core.access hash

    [users."pat@partner.example"]
    role = "viewer"
    partner = "P-ACME"             # sees only this partner's data

Passwords are stored only as salted hashes (``ops_core.access.passwords``); a plain-text
password is refused. Every mistake names the file and the line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ops_core.access.passwords import hash_password, is_hash, verify_password
from ops_core.access.roles import Role, User
from ops_core.errors import ConfigError

USERS_ENV = "RAILYARD_USERS"
_FIELDS = {"role", "password", "partner", "email"}
_TOP = {"default_role", "users"}


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    password_hash: str | None = None  # None: signs in through OIDC only
    partner: str | None = None
    email: str | None = None

    def user(self, source: str) -> User:
        return User(self.name, self.role, self.partner, source, self.email)


@dataclass(frozen=True)
class Directory:
    path: str
    accounts: dict[str, Account]
    default_role: Role | None = None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``name`` and ``password`` match a local account, else None."""
        account = self.accounts.get(name.strip())
        stored = account.password_hash if account else None
        ok = verify_password(password, stored or _dummy_hash())
        return account.user("local") if account and stored and ok else None

    def oidc_user(self, email: str | None, name: str | None) -> User | None:
        """An identity the OIDC provider vouched for: its listed role, else ``default_role``."""
        for key in (email, name):
            account = self.accounts.get(key or "")
            if account:
                return account.user("oidc")
        if self.default_role is None or not (name or email):
            return None
        return User(name or email or "", self.default_role, source="oidc", email=email)


@cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so a wrong name costs as long as a wrong password."""
    return hash_password("not a password")


def users_path() -> Path | None:
    """The users file ``$RAILYARD_USERS`` names, or None when local sign-in is off."""
    raw = os.environ.get(USERS_ENV, "").strip()
    return Path(raw) if raw else None


def load_users(path: str | os.PathLike[str]) -> Directory:
    """Read and check a users file; ConfigError names the file and line of any mistake."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read the users file ({exc.strerror})") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else 1
        raise ConfigError(f"{file}, line {line}: not valid TOML: {exc}") from exc
    where = _Locator(file, text)
    for key in raw.keys() - _TOP:
        raise where.error(f"unknown setting {key!r} (expected {sorted(_TOP)})", key=key)
    default = raw.get("default_role")
    if default is not None:
        default = _role(default, where, "default_role", where.line_of_key("default_role"))
    users = raw.get("users")
    if not isinstance(users, dict) or not users:
        raise where.error("no [users.NAME] entries")
    accounts = {name: _account(name, entry, where) for name, entry in users.items()}
    return Directory(file, accounts, default)


def _account(name: str, entry: Any, where: _Locator) -> Account:
    if not isinstance(entry, dict):
        raise where.error(f"users.{name} must be a table [users.{name}]", user=name)
    for key in entry.keys() - _FIELDS:
        raise where.error(f"unknown field {key!r} (expected {sorted(_FIELDS)})", name, key)
    role = _role(entry.get("role"), where, f"users.{name}.role", where.line(name, "role"))
    password = entry.get("password")
    if password is not None and (not isinstance(password, str) or not is_hash(password)):
        raise where.error(
            "password must be a salted hash, never the password itself "
            "(make one with: python -m ops_core.access hash)",
            name,
            "password",
        )
    for key in ("partner", "email"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise where.error(f"{key} must be text", name, key)
    return Account(name, role, password, entry.get("partner"), entry.get("email"))


def _role(value: Any, where: _Locator, label: str, line: int) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise ConfigError(
            f"{where.file}, line {line}: {label} is {value!r}; use one of {roles}"
        ) from None


class _Locator:
    """Finds the line of a user's table or field, since tomllib reports no positions."""

    def __init__(self, file: str, text: str) -> None:
        self.file, self.lines = file, text.splitlines()

    def line(self, user: str, key: str | None = None) -> int:
        name = re.escape(user)
        header = re.compile(rf"^\s*\[\s*users\s*\.\s*(?:{name}|\"{name}\"|'{name}')\s*\]")
        start = next((i for i, t in enumerate(self.lines) if header.match(t)), None)
        if start is None:
            return 1
        if key is not None:
            for i in range(start + 1, len(self.lines)):
                if self.lines[i].lstrip().startswith("["):
                    break
                if re.match(rf"^\s*{re.escape(key)}\s*=", self.lines[i]):
                    return i + 1
        return start + 1

    def line_of_key(self, key: str) -> int:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((i + 1 for i, t in enumerate(self.lines) if pattern.match(t)), 1)

    def error(self, message: str, user: str | None = None, key: str | None = None) -> ConfigError:
        line = self.line(user, key) if user is not None else self.line_of_key(key or "")
        return ConfigError(f"{self.file}, line {line}: {message}")
