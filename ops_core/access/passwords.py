"""Salted password hashes for local users (stdlib scrypt; never plain text).

Stored as ``scrypt$n$r$p$salt$hash`` (salt and hash in URL-safe base64), so the cost can rise
later without breaking old entries. ``pbkdf2_sha256$iterations$salt$hash`` is accepted too,
for hashes made where scrypt is unavailable. Parameters: OWASP Password Storage Cheat Sheet
(scrypt N=2^17, r=8, p=1 recommended minimum; PBKDF2-HMAC-SHA256 600,000 iterations).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
PBKDF2_ITERATIONS = 600_000
_MAXMEM = 256 * 2**20  # scrypt needs 128 * N * r bytes: 128 MiB at N=2^17


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """A new salted scrypt hash of ``password``."""
    if not password:
        raise ValueError("a password cannot be empty")
    if "\x00" in password:
        raise ValueError("a password cannot contain a NUL character")
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, r, p)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; False for a wrong password or a bad hash.

    A password with a NUL is always wrong: scrypt and PBKDF2 key HMAC with the password, and
    HMAC pads a short key with zero bytes, so 'secret' and 'secret\x00' give the same digest.
    hash_password refuses NULs, so no stored password has one."""
    if "\x00" in password:
        return False
    try:
        scheme, *parts = stored.split("$")
        if scheme == "scrypt" and len(parts) == 5:
            n, r, p = (int(x) for x in parts[:3])
            digest = _scrypt(password, _unb64(parts[3]), n, r, p)
        elif scheme == "pbkdf2_sha256" and len(parts) == 3:
            iterations = int(parts[0])
            digest = hashlib.pbkdf2_hmac("sha256", password.encode(), _unb64(parts[1]), iterations)
        else:
            return False
        return hmac.compare_digest(digest, _unb64(parts[-1]))
    except (ValueError, TypeError):
        return False


def is_hash(text: str) -> bool:
    """Whether ``text`` looks like a stored hash (so a plain password is never accepted)."""
    scheme, *parts = text.split("$")
    return (scheme, len(parts)) in {("scrypt", 5), ("pbkdf2_sha256", 3)}


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=32)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
