"""Home-page panels. Apps above core register a panel provider at start-up (AppConfig.ready);
the home page shows every panel that has something for the user."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import User


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[[User], list[Panel]]
_providers: list[PanelProvider] = []


def register_panels(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user: User) -> list[Panel]:
    found = [panel for provider in _providers for panel in provider(user)]
    return sorted(found, key=lambda p: p.order)
