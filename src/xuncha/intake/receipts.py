"""Receipt codes for the public: a lookup key and a secret of 130 bits, the secret kept only as a slow hash.

The code is shown once, at submission. It is typed into a form to look the petition up, never put in a URL.
A wrong secret and an unknown key take the same time and get the same answer.
"""

import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

import argon2

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, no 0/O or 1/I to misread
KEY_LENGTH = 10  # 50 bits: a lookup index, not a secret
SECRET_LENGTH = 26  # 130 bits of randomness
GROUP = 6  # characters between the dashes of the shown code (the dashes are where a line may break)
# Argon2id, as the issue asks for a slow hash, at its smallest sensible cost (1 MiB, one pass: 0.4 ms):
# a work factor protects secrets people choose, and 2¹³⁰ random guesses are out of reach at any cost per
# guess, while every millisecond here is paid by every public submission on a shared core (decision
# 0007). Receipts hashed with the earlier, costlier parameters verify with their own (each hash says).
_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class Receipt:
    key: str
    secret_hash: str
    code: str  # what the reporter is shown once: six groups of six, two lines on a phone


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def issue() -> Receipt:
    key, secret = _random(KEY_LENGTH), _random(SECRET_LENGTH)
    raw = key + secret
    return Receipt(
        key=key,
        secret_hash=_HASHER.hash(secret),
        code="-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP)),
    )


def split(code: str) -> tuple[str, str] | None:
    """The key and the secret of a typed code (spaces, dashes, case and full-width forms typed with a Chinese
    input method ignored), or None if malformed."""
    raw = "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())
    if len(raw) != KEY_LENGTH + SECRET_LENGTH or any(ch not in _ALPHABET for ch in raw):
        return None
    return raw[:KEY_LENGTH], raw[KEY_LENGTH:]


@cache
def _dummy_hash() -> str:
    """A real hash of a random secret, checked when the key is unknown so that both cost the same."""
    return _HASHER.hash(_random(SECRET_LENGTH))


def matches(secret: str, secret_hash: str | None) -> bool:
    """Check the secret against the stored hash, or against a dummy hash so a missing key costs the same."""
    try:
        _HASHER.verify(secret_hash or _dummy_hash(), secret)  # True, or raises
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False
    return secret_hash is not None
