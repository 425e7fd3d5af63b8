"""Home-page panels. Apps above core register a panel provider at start-up (AppConfig.ready);
the home page shows every panel that has something for the user."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, Model, QuerySet, Window

from .models import User


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[[User], list[Panel]]
_providers: list[PanelProvider] = []
M = TypeVar("M", bound=Model)


def register_panels(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user: User) -> list[Panel]:
    found = [panel for provider in _providers for panel in provider(user)]
    return sorted(found, key=lambda p: p.order)


def head(rows: QuerySet[M], limit: int) -> tuple[list[M], int]:
    """A panel's first ``limit`` rows and how many there are in all, in one query (a window count), so a
    panel costs one query whatever the data size. Not for a ``distinct()`` queryset: the window counts
    before DISTINCT."""
    found = list(rows.annotate(panel_total=Window(Count("pk")))[:limit])
    return found, getattr(found[0], "panel_total") if found else 0  # noqa: B009  # an annotation
