"""Batch actions on the rectification item list (core.batch): the office's 核实销号 or 退回 of the selected
items' closure requests, each through its single action (``close_item``, ``return_item``), all or
nothing. Shared by the page and the API."""

from collections.abc import Callable

from xuncha.core.choices import Role
from xuncha.core.models import User
from xuncha.core.scoping import perform

from .actions import items as actions
from .models import Item

CLOSE, RETURN = "close", "return"


def close(user: User, *, note: str) -> Callable[[Item], object]:
    return lambda item: perform(user, actions.close_item, item, note=note)


def give_back(user: User, *, reason: str) -> Callable[[Item], object]:
    return lambda item: perform(user, actions.return_item, item, reason=reason)


def name(item: Item) -> str:
    return f"{item.inspection.unit.name} {item.code}"


def selectable(user: User) -> bool:
    """Whether the list offers the batch: only an office verifies closure requests."""
    return bool(user.scopes.ids(Role.OFFICE))
