"""What a role's scope id points at.

Core does not import the apps that own committees, teams, units and departments; each of them registers
a lookup for its scope type at start-up (AppConfig.ready). A lookup returns the scope's name and the
committee it belongs to, or None when no such scope exists. With the scope's model and the path from it to
its committee, core can also list the scopes of some committees (the office's view of role assignments)
and offer them by name ("名称 (党委)") wherever a scope is picked.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class ScopeInfo:
    name: str
    committee_id: int | None


@dataclass(frozen=True)
class _Source:
    model: type[models.Model]
    committee: str  # path to the scope's committee ("" when the scope is a committee)


ScopeLookup = Callable[[int], ScopeInfo | None]
_lookups: dict[str, ScopeLookup] = {}
_sources: dict[str, _Source] = {}


def register_scope_lookup(
    scope_type: str, lookup: ScopeLookup, *, model: type[models.Model] | None = None, committee: str = ""
) -> None:
    """``model`` has a ``name``; ``committee`` is the lookup path to its committee ("" for committees)."""
    _lookups[scope_type] = lookup
    if model is not None:
        _sources[scope_type] = _Source(model, committee)


def is_known(scope_type: str) -> bool:
    return scope_type in _lookups


def describe(scope_type: str, scope_id: int) -> ScopeInfo | None:
    """The scope, or None when it does not exist or its type has no registered lookup."""
    lookup = _lookups.get(scope_type)
    return lookup(scope_id) if lookup is not None else None


def scope_models() -> list[type[models.Model]]:
    """The models of the scopes that registered one: named things (their ``name``)."""
    return [source.model for source in _sources.values()]


def _within(source: _Source, committees: Collection[int] | None) -> "models.QuerySet[Any]":
    found = source.model._default_manager.all()
    if committees is None:
        return found
    return found.filter(**{f"{source.committee or 'pk'}__in": committees})


def scope_ids_in(scope_type: str, committees: Collection[int]) -> "models.QuerySet[Any] | None":
    """The ids of the scopes of that type belonging to ``committees`` (a subquery), None if unregistered."""
    source = _sources.get(scope_type)
    return _within(source, committees).values("pk") if source is not None else None


def scope_choices(scope_type: str, committees: Collection[int] | None = None) -> list[tuple[int, str]]:
    """``(id, "名称 (党委)")`` of the scopes of that type, of ``committees`` or of all (None)."""
    source = _sources.get(scope_type)
    if source is None:
        return []
    if not source.committee:
        return list(_within(source, committees).order_by("pk").values_list("pk", "name"))
    rows = _within(source, committees).order_by(f"{source.committee}__pk", "name")
    return [
        (pk, f"{name} ({committee})")
        for pk, name, committee in rows.values_list("pk", "name", f"{source.committee}__name")
    ]
