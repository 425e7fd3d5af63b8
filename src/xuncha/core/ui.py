"""Small helpers shared by pages: lists, forms and confirmation pages."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import Refused
from .forms import show_refusal
from .pagination import Window, window
from .permissions import NotAllowed, acting_user, require

PER_PAGE = 25


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Window:
    """The requested page of a list (``core.pagination.window``: numbered, after/before a cursor, or from a
    date or number; a bad parameter gives the nearest valid page, never an error)."""
    params = request.GET
    return window(
        queryset,
        per_page=per_page or PER_PAGE,
        page=params.get("page"),
        after=params.get("after", ""),
        before=params.get("before", ""),
        at=params.get("at", ""),
    )


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in ("page", "after", "before", "at"):
        params.pop(name, None)
    return params.urlencode()


MAX_ID = 2**63 - 1


def id_param(value: str) -> int | None:
    """An id from a query string, or None for anything that is not one (never an error)."""
    if value.isascii() and value.isdecimal() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


# What a page says or where it goes after a change: fixed, or made from what the change returned.
Outcome = str | Callable[[Any], str]


def _outcome(value: Outcome, result: Any) -> str:
    return value(result) if callable(value) else value


def confirm_page(
    request: HttpRequest,
    run: Callable[[], Any],
    *,
    question: str = "",
    done: Outcome,
    back: str,
    then: Outcome | None = None,
    template: str = "core/confirm.html",
    **extra: Any,
) -> HttpResponse:
    """A confirmation page (GET) for a change that runs on POST; then to ``then(result)``, or ``back``. A
    refusal comes back as a message on the page the user came from, nothing changed. A POST-only button
    uses it too (its view only answers POST)."""
    if request.method == "POST":
        try:
            result = run()
        except (Refused, NotAllowed) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _outcome(done, result))
            return redirect(_outcome(then, result) if then else back)
        return redirect(back)
    return render(request, template, {"question": question, "back_url": back, **extra})


def form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], Any],
    *,
    allowed: Mapping[str, int] | None,
    done: Outcome,
    then: Outcome,
    title: str,
    back: str = "",
    template: str = "core/form.html",
    **extra: Any,
) -> HttpResponse:
    """A form that runs ``save`` when valid, says ``done`` and goes to ``then`` (either may be made from what
    ``save`` returned); a refusal shows on its field, nothing half-saved. 403 for who sees the object but
    holds none of the ``allowed`` roles (the title says what); ``allowed=None`` where the view has required
    the role itself, because a check of its own (a draft no longer editable, say) must come after it."""
    if allowed is not None:
        require(acting_user(request), allowed, what=title)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _outcome(done, saved))
            return redirect(_outcome(then, saved))
    return render(request, template, {"form": form, "title": title, "back_url": back, **extra})
