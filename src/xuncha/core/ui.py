"""Small helpers shared by list pages."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """The requested page (a bad or too-large page number gives the nearest valid page, never an error)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


MAX_ID = 2**63 - 1


def id_param(value: str) -> int | None:
    """An id from a query string, or None for anything that is not one (never an error)."""
    if value.isascii() and value.isdecimal() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None
