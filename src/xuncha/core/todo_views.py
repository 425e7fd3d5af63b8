"""The 待办 page and the navigation bar's count (loaded by htmx after the page, so no page pays for it)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .permissions import acting_user
from .todos import chosen, count_for, groups_of, todos_for
from .ui import PER_PAGE, querystring_without_page


@login_required
@require_GET
def todo_list(request: HttpRequest) -> HttpResponse:
    """Filters: a group (``group``), overdue only (``overdue=1``)."""
    today = timezone.localdate()
    todos = todos_for(acting_user(request), today)
    groups = groups_of(todos)
    group = request.GET.get("group", "")
    overdue_only = request.GET.get("overdue") == "1"
    shown = chosen(todos, today, group=group, overdue=overdue_only)
    context = {
        "page_obj": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
        "groups": groups,
        "group": group,
        "overdue_only": overdue_only,
        "overdue_count": sum(1 for t in todos if t.overdue(today)),
        "total": len(todos),
        "today": today,
        "query": querystring_without_page(request),
    }
    return render(request, "core/todos/list.html", context)


@login_required
@require_GET
def todo_count(request: HttpRequest) -> HttpResponse:
    return render(request, "core/todos/count.html", {"count": count_for(acting_user(request))})
