"""The unit's reports: upload (the liaison), the audited download; the plan and the skeleton of the
rectification report (problems, tasks and where they stand) as .docx, watermarked and audited."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.downloads import document_response
from xuncha.core.forms import uploads
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform

from ..actions import reports as actions
from ..actions.common import liaison_roles
from ..choices import ItemSource
from ..documents import plan_docx, report_skeleton
from ..forms import ReportUploadForm
from ..models import Item, UnitReport
from .common import GET_POST, form_page, inspection_for, inspection_url, plan_for, reader_role
from .items import file_response


@login_required
@require_http_methods(GET_POST)
def report_upload(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    form = ReportUploadForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")}
    )

    def save() -> UnitReport:
        (upload,) = uploads([form.cleaned_data["attachments"]])
        return perform(
            user,
            actions.upload_report,
            inspection,
            kind=form.cleaned_data["kind"],
            file=upload,
            note=form.cleaned_data["note"],
        )

    return form_page(
        request,
        form,
        save,
        allowed=liaison_roles(inspection),
        done="已上传。",
        then=lambda r: inspection_url(r.inspection_id),
        title="上传整改报告",
        back=inspection_url(inspection.pk),
        multipart=True,
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    report = get_object_or_404(UnitReport.objects.visible_to(user).select_related("inspection__round"), pk=pk)
    data = report.read()
    record_read(
        "rectification_report.downloaded",
        report,
        by=user,
        role=reader_role(user, report.inspection),
        details={"kind": report.kind, "size": report.size},
    )
    return file_response(data, report.content_type, report.filename)


@login_required
@require_GET
def skeleton_download(request: HttpRequest, inspection_id: int) -> HttpResponseBase:
    """The rectification report's skeleton over the items the reader sees."""
    user = acting_user(request)
    inspection = inspection_for(user, inspection_id)
    items = list(
        Item.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("problem")
        .prefetch_related("milestones")
        .order_by("number")
    )
    data = report_skeleton(inspection, items)
    record_read(
        "rectification_report.drafted",
        inspection,
        by=user,
        role=reader_role(user, inspection),
        details={"items": len(items)},
    )
    return document_response(request, data, f"整改报告底稿-{inspection.unit.name}.docx")


@login_required
@require_GET
def plan_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The plan with its tasks as the reader sees them."""
    user = acting_user(request)
    plan = plan_for(user, pk)
    tasks = list(
        Item.objects.visible_to(user)
        .filter(inspection_id=plan.inspection_id, source=ItemSource.PLAN)
        .select_related("problem")
        .prefetch_related("milestones")
        .order_by("number")
    )
    data = plan_docx(plan, tasks)
    role = reader_role(user, plan.inspection)
    record_read("rectification_plan.read", plan, by=user, role=role, details={"items": len(tasks)})
    return document_response(request, data, f"{plan.title}.docx".replace("/", "-"))
