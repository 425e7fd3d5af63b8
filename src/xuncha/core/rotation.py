"""Key rotation: re-encrypt every EncryptedTextField value under the active key (see crypto.py)."""

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from . import crypto
from .audit import action_scope, record
from .fields import EncryptedTextField
from .permissions import SYSTEM


@dataclass(frozen=True)
class RotationResult:
    model: str
    checked: int
    reencrypted: int


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]


def rotate_model(model: type[models.Model], *, batch_size: int = 500) -> RotationResult:
    """One audited action: rows are read in primary-key batches; a row whose values are all under the
    active key is left alone. Any value that does not decrypt stops the rotation (nothing is written)."""
    label = model._meta.label_lower
    fields = encrypted_fields(model)
    pk_name = model._meta.pk.attname
    manager = model._base_manager
    checked = reencrypted = 0
    with action_scope("crypto.keys_rotated"):
        key_id = crypto.active_key_id()
        last_pk = None
        while True:
            batch_qs = manager.order_by(pk_name).only(pk_name, *(f.attname for f in fields))
            if last_pk is not None:
                batch_qs = batch_qs.filter(pk__gt=last_pk)
            batch = list(batch_qs[:batch_size])
            if not batch:
                break
            for obj in batch:
                updates = {}
                for field in fields:
                    if crypto.key_id_of(field.raw_value(obj)) == key_id:
                        continue
                    try:
                        plaintext = getattr(obj, field.attname)
                    except crypto.CryptoError as exc:
                        raise crypto.CryptoError(f"{label} {obj.pk} {field.name}: {exc}") from exc
                    updates[field.attname] = crypto.encrypt(plaintext, aad=field.aad(obj))
                if updates:
                    manager.filter(pk=obj.pk).update(**updates)
                    reencrypted += 1
                checked += 1
            last_pk = batch[-1].pk
        record(
            "crypto.keys_rotated",
            None,
            by=None,
            role=SYSTEM,
            details={"model": label, "key_id": key_id, "checked": checked, "reencrypted": reencrypted},
        )
    return RotationResult(label, checked, reencrypted)


def rotate_all(*, batch_size: int = 500) -> list[RotationResult]:
    return [
        rotate_model(model, batch_size=batch_size)
        for model in apps.get_models()
        if model._meta.managed and encrypted_fields(model)
    ]
