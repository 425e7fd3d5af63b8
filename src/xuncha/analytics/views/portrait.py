"""The unit portrait (政治生态画像) page and its 研判报告 download.

The office and the leading group of the unit's committee read the page; the office downloads the report
(the leading group 403); everyone else 404. Both are audit events."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.permissions import NotAllowed, acting_user
from xuncha.orgs.models import Unit

from .. import portrait
from ..portrait_document import document


@login_required
@require_GET
def portrait_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    unit, role = portrait.portrait_unit(user, pk)
    built = portrait.build(unit, user)
    record_read("unit_portrait.read", unit, by=user, role=role)
    context = {
        "unit": unit,
        "p": built,
        "charts": built.charts(),
        "may_download": role == Role.OFFICE,
    }
    return render(request, "analytics/portrait.html", context)


def download_response(request: HttpRequest, unit: Unit, role: str) -> HttpResponse:
    """The 研判报告 (.docx, or PDF on request), for the office only; audited, watermarked."""
    if role != Role.OFFICE:
        raise NotAllowed("只有巡察办可以下载政治生态研判报告。")
    user = acting_user(request)
    data = document(portrait.build(unit, user))
    record_read("unit_portrait.document_read", unit, by=user, role=role)
    return document_response(request, data, f"{unit.name}政治生态研判报告.docx")


@login_required
@require_GET
def portrait_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    unit, role = portrait.portrait_unit(user, pk)
    return download_response(request, unit, role)


urlpatterns: list[URLPattern] = [
    path("units/<int:pk>/portrait/", portrait_page, name="portrait"),
    path("units/<int:pk>/portrait/report/", portrait_download, name="portrait-report"),
]
