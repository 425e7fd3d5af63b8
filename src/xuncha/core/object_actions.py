"""Buttons a higher app offers on a lower app's page (形成问题线索 on a petition or on a problem raised in an
interview, …).

A lower app's template must not name a higher app's URL. Its page asks instead, through the
``{% object_actions obj %}`` tag, every provider registered for the object's model; the higher apps
register theirs from ``AppConfig.ready``. A provider yields only what the user may do now."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from .models import User


@dataclass(frozen=True)
class ObjectAction:
    label: str
    url: str


Provider = Callable[[User, Any], Iterable[ObjectAction]]
_providers: dict[type[Model], list[Provider]] = defaultdict(list)


def register_object_actions(model: type[Model], provider: Provider) -> None:
    if provider not in _providers[model]:
        _providers[model].append(provider)


def object_actions(user: User, obj: Model) -> list[ObjectAction]:
    return [found for provider in _providers[type(obj)] for found in provider(user, obj)]
