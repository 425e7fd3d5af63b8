"""Batch actions on a document request's items (core.batch): 接收 or 退回 the selected items the unit
provided, each through its single action, all or nothing. Shared by the page and the API."""

from collections.abc import Callable

from xuncha.core.models import User
from xuncha.core.scoping import perform

from .actions import documents as actions
from .models import DocumentItem

ACCEPT, RETURN = "accept", "return"


def accept(user: User) -> Callable[[DocumentItem], object]:
    return lambda item: perform(user, actions.accept_document_item, item)


def give_back(user: User, *, reason: str) -> Callable[[DocumentItem], object]:
    return lambda item: perform(user, actions.return_document_item, item, reason=reason)


def name(item: DocumentItem) -> str:
    return f"第 {item.position} 项 {item.what}"
