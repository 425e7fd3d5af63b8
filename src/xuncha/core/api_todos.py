"""The 待办 list in the API: the same items as the /todo/ page, in the same order, with its filters."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from .pagination import BoundedPagination
from .permissions import acting_user
from .todos import chosen, todos_for

router = Router(tags=["core"])


class TodoOut(Schema):
    group: str
    title: str
    subject: str
    link: str
    due_on: datetime.date | None
    overdue: bool


class TodoFilter(Schema):
    group: str = ""
    overdue: bool = False


@router.get("/todos/", response=list[TodoOut])
@paginate(BoundedPagination)
def todos(request: HttpRequest, filters: Query[TodoFilter]) -> list[dict[str, Any]]:
    """Overdue first, then by deadline (those without one last); ``group`` and ``overdue`` filter."""
    today = timezone.localdate()
    return [
        {
            "group": t.group,
            "title": t.title,
            "subject": t.subject,
            "link": t.link,
            "due_on": t.due_on,
            "overdue": t.overdue(today),
        }
        for t in chosen(
            todos_for(acting_user(request), today), today, group=filters.group, overdue=filters.overdue
        )
    ]
