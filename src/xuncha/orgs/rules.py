"""Checks on organisation data that both the actions and the Excel import apply.

Each returns the Chinese reason a value is unacceptable, or None; the actions raise it as ``Refused``
on the first failure, the import collects every reason of every row.
"""

from typing import Any, TypeVar

from django.db import models
from django.db.models import TextChoices

from .choices import CommitteeLevel, PostCategory, UnitType
from .models import Person, Unit

M = TypeVar("M", bound=models.Model)

# A committee sits strictly below its parent: 省 → 市 → 县.
LEVEL_RANK: dict[str, int] = {CommitteeLevel.PROVINCE: 0, CommitteeLevel.CITY: 1, CommitteeLevel.COUNTY: 2}


def model_field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise LookupError(name)
    return field


def max_length(model: type[models.Model], name: str) -> int:
    return model_field(model, name).max_length or 0


def label(model: type[models.Model], name: str) -> str:
    return str(model_field(model, name).verbose_name)


def text_problem(value: str, *, label: str, limit: int, required: bool = True) -> str | None:
    if required and not value:
        return f"缺少{label}"
    if len(value) > limit:
        return f"{label}过长（最多 {limit} 字）"
    return None


def choice_problem(value: str, choices: type[TextChoices], *, label: str) -> str | None:
    if not value:
        return f"缺少{label}"
    if value not in choices.values:
        allowed = "、".join(str(c.label) for c in choices)
        return f"{label}“{value}”无效，应为：{allowed}"
    return None


def choice_from_label(value: str, choices: type[TextChoices]) -> str:
    """The code of a choice given its Chinese label (or its code); ``value`` itself if unknown."""
    for choice in choices:
        if value in (str(choice.label), choice.value):
            return choice.value
    return value


def unit_type_from_label(value: str) -> str:
    return choice_from_label(value, UnitType)


def category_from_label(value: str) -> str:
    return choice_from_label(value, PostCategory)


def _others(queryset: "models.QuerySet[M]", exclude_pk: int | None) -> "models.QuerySet[M]":
    return queryset if exclude_pk is None else queryset.exclude(pk=exclude_pk)


def duplicate_unit_problem(committee_id: int, name: str, *, exclude_pk: int | None = None) -> str | None:
    if _others(Unit.objects.filter(committee_id=committee_id, name=name), exclude_pk).exists():
        return f"本党委已有名为“{name}”的单位"
    return None


def principal_problem(unit: Unit, *, exclude_pk: int | None = None) -> str | None:
    """At most one active principal leader (一把手) per unit."""
    principals = Person.objects.filter(unit=unit, category=PostCategory.PRINCIPAL, is_active=True)
    other = _others(principals, exclude_pk).first()
    if other is not None:
        return f"“{unit}”已有在职的主要负责人{other.name}，请先调整其类别或将其设为离任"
    return None
