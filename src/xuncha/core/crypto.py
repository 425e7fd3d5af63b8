"""Field encryption: AES-256-GCM with a random 96-bit nonce and associated data ``model|field|pk``.

Tokens look like ``x1:<key id>:<base64url(nonce + ciphertext + tag)>``. Keys come only from the environment
variable XUNCHA_MASTER_KEY: a comma-separated list of ``<key id>:<base64 32-byte key>``, the first being the
active key; the others still decrypt, which is how rotation works (``xuncha rotate-keys``).
Everything fails closed: any problem raises ``CryptoError``; never is ciphertext or a blank returned
as data.
"""

import base64
import binascii
import os
import re
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "x1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CryptoError(Exception):
    """Encryption or decryption is impossible; callers must not fall back to showing anything."""


def generate_key_spec(key_id: str) -> str:
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


@cache
def _parse_keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    if not spec.strip():
        raise CryptoError("XUNCHA_MASTER_KEY is not set")
    keys: dict[str, AESGCM] = {}
    active = ""
    for item in spec.split(","):
        key_id, _, encoded = item.strip().partition(":")
        if not _KEY_ID.match(key_id):
            raise CryptoError("XUNCHA_MASTER_KEY has an invalid key id")
        try:
            raw = base64.urlsafe_b64decode(encoded)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError(f"key {key_id} is not valid base64") from exc
        if len(raw) != 32:
            raise CryptoError(f"key {key_id} must be 32 bytes")
        keys[key_id] = AESGCM(raw)
        active = active or key_id
    return active, keys


def _keys() -> tuple[str, dict[str, AESGCM]]:
    return _parse_keys(settings.XUNCHA_MASTER_KEY)


def associated_data(model_label: str, field: str, pk: object) -> bytes:
    if pk is None:
        raise CryptoError("cannot encrypt a field of an object without a primary key")
    return f"{model_label}|{field}|{pk}".encode()


def encrypt(plaintext: str, *, aad: bytes) -> str:
    key_id, keys = _keys()
    nonce = os.urandom(12)
    sealed = keys[key_id].encrypt(nonce, plaintext.encode("utf-8"), aad)
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def encrypt_bytes(data: bytes, *, aad: bytes) -> bytes:
    """Encrypt a file's content: ``<key id>:`` then nonce, ciphertext and tag, as raw bytes."""
    key_id, keys = _keys()
    nonce = os.urandom(12)
    return f"{key_id}:".encode() + nonce + keys[key_id].encrypt(nonce, data, aad)


def decrypt_bytes(sealed: bytes, *, aad: bytes) -> bytes:
    key_id, sep, raw = sealed.partition(b":")
    _, keys = _keys()
    if not sep or key_id.decode("ascii", "replace") not in keys:
        raise CryptoError("unknown key id or not an encrypted file")
    try:
        return keys[key_id.decode()].decrypt(raw[:12], raw[12:], aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("decryption failed: wrong key, tampered file or wrong row") from exc


def key_id_of(token: str) -> str:
    return _split(token)[1]


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise CryptoError("not an encrypted value")
    return parts[0], parts[1], parts[2]


def decrypt(token: str, *, aad: bytes) -> str:
    _, key_id, body = _split(token)
    _, keys = _keys()
    if key_id not in keys:
        raise CryptoError(f"unknown key id {key_id}")
    try:
        raw = base64.urlsafe_b64decode(body)
        return keys[key_id].decrypt(raw[:12], raw[12:], aad).decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise CryptoError("decryption failed: wrong key, tampered value or wrong row") from exc


def active_key_id() -> str:
    return _keys()[0]
