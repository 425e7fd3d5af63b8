"""EncryptedTextField: a text column that holds only ciphertext (see crypto.py).

The attribute on the instance is the plaintext; it is decrypted on access with associated data
``app_label.model|field|pk`` and encrypted when saved, so a ciphertext copied into another row or
another field does not decrypt. Models using it must have a primary key set before the first save
(a UUID default), because the key is part of the associated data.
"""

from typing import Any

from django.core import checks
from django.db import models

from . import crypto


class Sealed(str):
    """Ciphertext as loaded from the database, not yet decrypted."""


class _EncryptedAttribute:
    def __init__(self, field: "EncryptedTextField") -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname, "")
        if isinstance(value, Sealed):
            # Even an empty value is stored encrypted, so an empty column means tampering.
            return crypto.decrypt(value, aad=self.field.aad(instance))
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = "" if value is None else value


class EncryptedTextField(models.TextField):
    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if not isinstance(pk, models.UUIDField) or pk.default is models.NOT_PROVIDED:
            errors.append(
                checks.Error(
                    "EncryptedTextField needs a UUID primary key with a default",
                    obj=self,
                    id="xuncha.E001",
                )
            )
        return errors

    def aad(self, instance: models.Model) -> bytes:
        # The model that declares the field, so a proxy or a subclass reads what its base wrote.
        return crypto.associated_data(self.model._meta.label_lower, self.name, instance.pk)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed:
        return Sealed(value or "")

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = model_instance.__dict__.get(self.attname, "")
        if isinstance(value, Sealed):
            return str(value)
        return crypto.encrypt(str(value), aad=self.aad(model_instance))

    def get_prep_value(self, value: Any) -> Any:
        return str(value) if isinstance(value, Sealed) else super().get_prep_value(value)

    def raw_value(self, instance: models.Model) -> str:
        """The stored ciphertext (for rotation and tests); never shown to users."""
        return str(instance.__dict__.get(self.attname, ""))
