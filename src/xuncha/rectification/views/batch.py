"""The batch pages of the rectification item list (rectification.batch): the selected items and what
changes, then all or nothing."""

from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from xuncha.core.batch import batch_page, selected
from xuncha.core.permissions import NotAllowed, acting_user

from .. import batch
from ..forms import NoteForm, ReasonForm
from ..models import Item

PAGES: dict[str, tuple[type[forms.Form], Callable[..., Callable[[Item], object]], str, str]] = {
    batch.CLOSE: (NoteForm, batch.close, "批量核实销号", "已核实销号 {count} 项。"),
    batch.RETURN: (ReasonForm, batch.give_back, "批量退回销号申请", "已退回 {count} 项销号申请。"),
}


@login_required
@require_http_methods(["GET", "POST"])
def item_batch(request: HttpRequest, verb: str) -> HttpResponse:
    user = acting_user(request)
    form_class, step_for, title, done = PAGES[verb]
    if not batch.selectable(user):
        raise NotAllowed(f"只有巡察办可以{title}。")
    items = Item.objects.visible_to(user).select_related("inspection__round", "inspection__unit")
    data = request.POST if request.method == "POST" else None
    return batch_page(
        request,
        selected((data or request.GET).getlist("ids"), items.order_by("inspection_id", "number")),
        form_class(data),
        partial(step_for, user),
        name=batch.name,
        title=title,
        back=reverse("rectification:item-list"),
        done=done,
    )


urlpatterns: list[URLPattern] = [
    path(f"items/batch/{verb}/", item_batch, {"verb": verb}, name=f"item-batch-{verb}") for verb in PAGES
]
