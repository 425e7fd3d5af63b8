"""What the rectification pages share: finding objects in the user's scope (404 otherwise), the role a read
is recorded under, a confirmation page and a form page."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from xuncha.core import ui
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, held_role, require
from xuncha.core.ui import confirm_page
from xuncha.rounds.models import Inspection

from ..models import Item, Plan
from ..models.scope import inspection_scope

GET_POST = ["GET", "POST"]


def inspections_for(user: User) -> Any:
    return Inspection.objects.filter(inspection_scope(user))


def inspection_for(user: User, pk: int) -> Inspection:
    return get_object_or_404(inspections_for(user).select_related("round__committee", "team", "unit"), pk=pk)


def plan_for(user: User, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(user).select_related("inspection__round__committee", "inspection__unit"),
        pk=pk,
    )


def item_for(user: User, pk: int) -> Item:
    return get_object_or_404(
        Item.objects.visible_to(user).select_related(
            "inspection__round__committee", "inspection__unit", "inspection__team", "problem__feedback"
        ),
        pk=pk,
    )


def inspection_url(inspection_id: int) -> str:
    return reverse("rectification:inspection", args=[inspection_id])


def item_url(item: Item) -> str:
    return reverse("rectification:item", args=[item.pk])


def reader_role(user: User, inspection: Inspection) -> str:
    """The role a read is recorded under."""
    return held_role(user, inspection.reader_roles())


def confirm(
    request: HttpRequest,
    run: Callable[[], Any],
    *,
    allowed: Mapping[str, int],
    what: str,
    question: str,
    done: str,
    back: str,
) -> HttpResponse:
    """A confirmation page (GET) for a change that runs on POST, then back to ``back``; 403 for who sees
    the object but does not hold one of the ``allowed`` roles."""
    require(acting_user(request), allowed, what=what)
    return confirm_page(request, run, question=question, done=done, back=back)


def form_page(
    request: HttpRequest, form: forms.Form, save: Callable[[], Any], **options: Any
) -> HttpResponse:
    """``core.ui.form_page`` on rectification's form template (a milestone's goal, uploads)."""
    return ui.form_page(request, form, save, template="rectification/form.html", **options)
