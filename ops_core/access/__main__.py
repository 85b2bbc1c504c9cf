"""``python -m ops_core.access hash``: a salted hash for a users file's ``password`` field.
``python -m ops_core.access check FILE``: load a users file and list its users."""

from __future__ import annotations

import argparse
import getpass
import sys

from ops_core.access import hash_password, load_users
from ops_core.errors import OpsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops_core.access")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash", help="read a password (twice, not echoed) and print its hash")
    check = sub.add_parser("check", help="check a users file")
    check.add_argument("file")
    args = parser.parse_args(argv)
    if args.command == "hash":
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Again: "):
            print("The two passwords differ.", file=sys.stderr)
            return 1
        print(hash_password(first))
        return 0
    try:
        directory = load_users(args.file)
    except OpsError as exc:
        print(exc, file=sys.stderr)
        return 1
    for account in directory.accounts.values():
        scope = f", partner {account.partner}" if account.partner else ""
        how = "password" if account.password_hash else "OIDC only"
        print(f"{account.name}: {account.role.value} ({how}{scope})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
