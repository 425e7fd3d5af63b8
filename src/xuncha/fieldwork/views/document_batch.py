"""The batch pages of a document request's items (fieldwork.batch): the selected items and what changes,
then all or nothing."""

from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from xuncha.core.batch import batch_page, selected
from xuncha.core.forms import StyledForm
from xuncha.core.permissions import acting_user, require

from .. import batch
from ..actions import documents as actions
from ..forms.documents import ReturnForm
from ..models import DocumentItem, DocumentRequest


class AcceptBatchForm(StyledForm):
    """Nothing to fill in: accepting needs no more than the selection."""


PAGES: dict[str, tuple[type[forms.Form], Callable[..., Callable[[DocumentItem], object]], str, str]] = {
    batch.ACCEPT: (AcceptBatchForm, batch.accept, "批量接收调阅资料", "已接收 {count} 项资料。"),
    batch.RETURN: (
        ReturnForm,
        batch.give_back,
        "批量退回调阅资料",
        "已退回 {count} 项资料，单位须重新提供。",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def item_batch(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    user = acting_user(request)
    doc_request = get_object_or_404(
        DocumentRequest.objects.visible_to(user).select_related("inspection__round", "inspection__team"),
        pk=pk,
    )
    form_class, step_for, title, done = PAGES[verb]
    require(user, actions.team_roles(doc_request.inspection), what=title)
    items = DocumentItem.objects.visible_to(user).filter(request=doc_request).order_by("position")
    data = request.POST if request.method == "POST" else None
    return batch_page(
        request,
        selected((data or request.GET).getlist("ids"), items.select_related("request__inspection__round")),
        form_class(data),
        partial(step_for, user),
        name=batch.name,
        title=title,
        back=reverse("fieldwork:document-request", args=[doc_request.pk]),
        done=done,
    )


urlpatterns: list[URLPattern] = [
    path(
        f"documents/<int:pk>/items/batch/{verb}/",
        item_batch,
        {"verb": verb},
        name=f"document-item-batch-{verb}",
    )
    for verb in PAGES
]
