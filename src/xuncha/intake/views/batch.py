"""The petition list's batch pages: the selected petitions and what changes, then all or nothing."""

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
from ..forms.batch import ConcludeBatchForm, FileBatchForm
from ..listing import listed
from ..models import Petition
from .petitions import PETITION_ROLES

PAGES: dict[str, tuple[type[forms.Form], Callable[..., Callable[[Petition], object]], str]] = {
    batch.CONCLUDE: (ConcludeBatchForm, batch.conclude, "已办结 {count} 件信访件。"),
    batch.FILE: (FileBatchForm, batch.file, "已将 {count} 件信访件分拣为存查。"),
}


@login_required
@require_http_methods(["GET", "POST"])
def petition_batch(request: HttpRequest, verb: str) -> HttpResponse:
    user = acting_user(request)
    if not user.scopes.ids(*PETITION_ROLES):
        raise NotAllowed("只有巡察组成员和巡察办可以批量办理信访件。")
    form_class, step_for, done = PAGES[verb]
    data = request.POST if request.method == "POST" else None
    return batch_page(
        request,
        selected((data or request.GET).getlist("ids"), listed(user)),
        form_class(data),
        partial(step_for, user),
        name=batch.name,
        title=batch.VERBS[verb],
        back=reverse("intake:petition-list"),
        done=done,
    )


urlpatterns: list[URLPattern] = [
    path(f"petitions/batch/{verb}/", petition_batch, {"verb": verb}, name=f"petition-batch-{verb}")
    for verb in PAGES
]
