"""Scoped access helpers: every case model's queryset has ``visible_to(user)``."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.db import models, transaction
from django.http import Http404

from .errors import Refused
from .models import User

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(Protocol):
    def visible_to(self, user: User) -> models.QuerySet[Any]: ...


def visible(model: type[M], user: User) -> models.QuerySet[M]:
    return model.objects.visible_to(user)  # type: ignore[attr-defined]


def referenced(
    model: type[M],
    user: User,
    pk: int | None,
    *,
    field: str,
    label: str,
    among: models.QuerySet[M] | None = None,
) -> M | None:
    """An object named by id in a request body, looked up in the user's scope (or in ``among``, the
    choices the action offers); missing and out of reach are the same refusal (422)."""
    if pk is None:
        return None
    found = (visible(model, user) if among is None else among).filter(pk=pk).first()
    if found is None:
        raise Refused(f"{label}不存在或无权访问。", field=field)
    return found


def ensure_visible(obj: models.Model, user: User) -> None:
    """Raise 404 unless ``obj`` is (still) within ``user``'s scope."""
    if not visible(type(obj), user).filter(pk=obj.pk).exists():
        raise Http404


def perform(user: User, fn: Callable[..., M], /, *args: Any, **kwargs: Any) -> M:
    """Run an action for a request as ``user`` and, inside the same transaction, check that the object
    it returns is still in the user's scope (a write must not move an object out of reach unnoticed)."""
    with transaction.atomic():
        result = fn(*args, by=user, **kwargs)
        ensure_visible(result, user)
    return result
