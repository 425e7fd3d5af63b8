"""Pages of an inspection's announcement: edit, publish, the announcement as an official document (.docx
or PDF, audited and watermarked), and its 码上巡察 QR code (page, SVG and PNG); and the question a member
asks a reporter (posted from the petition page's thread, see portal.panel).

Those who see a team's internals (the office, the leading group, the team) read the announcement, its
document and its QR code; the team leader and the office edit and publish it. Others who see the
inspection get 403, everyone else 404.
"""

import io
import uuid
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page
from xuncha.rounds.access import sees_members
from xuncha.rounds.models import Inspection

from ..actions.announcements import (
    announcement_document,
    document_filename,
    editor_roles,
    publish_announcement,
    save_announcement,
)
from ..actions.messages import ask_reporter
from ..forms.announcements import AnnouncementForm
from ..models import Announcement, Petition

GET_POST = ["GET", "POST"]


def _inspection(user: User, pk: int) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round__committee__settings", "team", "unit"),
        pk=pk,
    )
    if not sees_members(user, inspection.team):
        raise NotAllowed("只有巡察办、领导小组和本巡察组可以查看巡察公告。")
    return inspection


def _announcement(user: User, inspection: Inspection) -> Announcement | None:
    return Announcement.objects.visible_to(user).filter(inspection=inspection).first()


def _may_edit(user: User, inspection: Inspection) -> bool:
    return holds(user, editor_roles(inspection))


@login_required
@require_http_methods(GET_POST)
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    announcement = _announcement(user, inspection)
    posted = request.method == "POST"
    if posted:
        require(user, editor_roles(inspection), what="编辑巡察公告")
    initial = AnnouncementForm.initial_for(inspection, announcement)
    form = AnnouncementForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            perform(user, save_announcement, inspection, **form.cleaned_data)
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, "已保存巡察公告。")
            return redirect("intake:announcement-edit", pk=inspection.pk)
    context = {
        "inspection": inspection,
        "announcement": announcement,
        "form": form,
        "can_edit": _may_edit(user, inspection) and not inspection.is_read_only,
        "accepting": announcement is not None and announcement.accepting(),
    }
    return render(request, "intake/announcements/edit.html", context)


@login_required
@require_http_methods(GET_POST)
def announcement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    require(user, editor_roles(inspection), what="发布巡察公告")
    announcement = _announcement(user, inspection)
    if announcement is None:
        messages.error(request, "请先填写并保存巡察公告。")
        return redirect("intake:announcement-edit", pk=inspection.pk)
    return confirm_page(
        request,
        lambda: perform(user, publish_announcement, announcement),
        done="巡察公告已发布，网上受理按公告的受理时间开放。",
        back=reverse("intake:announcement-edit", args=[inspection.pk]),
        template="intake/announcements/publish.html",
        inspection=inspection,
        announcement=announcement,
    )


@login_required
@require_GET
def announcement_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The 巡察公告 (.docx, or PDF), for those who read the announcement page; every download is audited."""
    user = acting_user(request)
    inspection = _inspection(user, pk)
    announcement = _announcement(user, inspection)
    if announcement is None:
        raise Http404
    data = announcement_document(announcement)
    readers = {
        **editor_roles(inspection),
        Role.LEADING_GROUP: inspection.round.committee_id,
        Role.TEAM_MEMBER: inspection.team_id,
    }
    role = require(user, readers, what="下载巡察公告")
    record_read(
        "announcement.document_read", announcement, by=user, role=role, details={"unit": inspection.unit.name}
    )
    return document_response(request, data, document_filename(announcement))


def _portal_url(request: HttpRequest, announcement: Announcement) -> str:
    """Where the QR code leads: the inspection's public form, at the portal's public address if set."""
    portal_path = reverse("portal:announcement", args=[announcement.public_code])
    if settings.XUNCHA_PORTAL_URL:
        return f"{settings.XUNCHA_PORTAL_URL}{portal_path}"
    return request.build_absolute_uri(portal_path)


def _qr(request: HttpRequest, announcement: Announcement) -> segno.QRCode:
    return segno.make(_portal_url(request, announcement), error="m")


@login_required
@require_GET
def announcement_qr(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    announcement = _announcement(user, inspection)
    context: dict[str, Any] = {"inspection": inspection, "announcement": announcement}
    if announcement is not None:
        # segno builds the SVG from the portal's address alone; nothing user-typed goes into the markup.
        svg = _qr(request, announcement).svg_inline(scale=6, dark="#000", light="#fff")
        context |= {"svg": mark_safe(svg), "url": _portal_url(request, announcement)}  # noqa: S308
    return render(request, "intake/announcements/qr.html", context)


@login_required
@require_GET
def announcement_qr_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    announcement = _announcement(user, inspection)
    if announcement is None:
        raise Http404
    out = io.BytesIO()
    _qr(request, announcement).save(out, kind=kind, scale=12 if kind == "png" else 6, border=4)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"码上巡察-{inspection.unit.name}.{kind}",
        content_type="image/png" if kind == "png" else "image/svg+xml",
    )


@login_required
@require_POST
def petition_ask(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    petition = get_object_or_404(Petition.objects.visible_to(user).select_related("inspection__round"), pk=pk)
    return confirm_page(
        request,
        lambda: perform(user, ask_reporter, petition, text=request.POST.get("text", "")),
        done="问题已发送，反映人凭查询码可以看到并答复。",
        back=reverse("intake:petition-detail", args=[petition.pk]),
    )


urlpatterns: list[URLPattern] = [
    path("inspections/<int:pk>/announcement/", announcement_edit, name="announcement-edit"),
    path("inspections/<int:pk>/announcement/publish/", announcement_publish, name="announcement-publish"),
    path("inspections/<int:pk>/announcement/document/", announcement_download, name="announcement-document"),
    path("inspections/<int:pk>/qr/", announcement_qr, name="announcement-qr"),
    path("inspections/<int:pk>/qr.svg", announcement_qr_file, {"kind": "svg"}, name="announcement-qr-svg"),
    path("inspections/<int:pk>/qr.png", announcement_qr_file, {"kind": "png"}, name="announcement-qr-png"),
    path("petitions/<uuid:pk>/ask/", petition_ask, name="petition-ask"),
]
