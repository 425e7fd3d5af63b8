"""What a role's scope id points at.

Core does not import the apps that own committees, teams, units and departments; each of them registers
a lookup for its scope type at start-up (AppConfig.ready). A lookup returns the scope's name and the
committee it belongs to, or None when no such scope exists.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScopeInfo:
    name: str
    committee_id: int | None


ScopeLookup = Callable[[int], ScopeInfo | None]
_lookups: dict[str, ScopeLookup] = {}


def register_scope_lookup(scope_type: str, lookup: ScopeLookup) -> None:
    _lookups[scope_type] = lookup


def is_known(scope_type: str) -> bool:
    return scope_type in _lookups


def describe(scope_type: str, scope_id: int) -> ScopeInfo | None:
    """The scope, or None when it does not exist or its type has no registered lookup."""
    lookup = _lookups.get(scope_type)
    return lookup(scope_id) if lookup is not None else None
