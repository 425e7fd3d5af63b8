"""Pages of feedback copies (抄送分管联系领导、通报有关部门): the office's form on a delivered feedback, the
receiving side's list and copy page (its .docx an audit event), its receipt (签收), and the home panel of
copies waiting for a receipt.

A copy is read by the committee's office and leading group, the inspection's team and its receiving side
(a receiver of the department, the leader's own account); everyone else gets the 404 of a missing id.
Who sees it but may not sign gets 403.
"""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.audit import record_read
from xuncha.core.choices import Role
from xuncha.core.downloads import document_response
from xuncha.core.forms import StyledForm
from xuncha.core.home import Panel, head
from xuncha.core.models import User
from xuncha.core.permissions import NotAllowed, acting_user, held_role, holds
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate
from xuncha.orgs.models import Department

from . import copies, documents
from .choices import FeedbackStatus
from .models import READERS, TEAM_ROLES, Feedback, FeedbackCopy

PANEL_LIMIT = 10


class LeaderChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class CopyForm(StyledForm):
    leaders = LeaderChoices(
        User.objects.none(), label="抄送分管联系领导", required=False, widget=forms.CheckboxSelectMultiple
    )
    departments = forms.ModelMultipleChoiceField(
        Department.objects.none(), label="通报有关部门", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, feedback: Feedback, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sent = FeedbackCopy.objects.filter(feedback=feedback)
        leaders = copies.leader_choices(feedback).exclude(
            pk__in=sent.values("leader_id").exclude(leader=None)
        )
        departments = copies.department_choices(feedback).exclude(
            pk__in=sent.values("department_id").exclude(department=None)
        )
        self.fields["leaders"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]


def _feedback(user: User, pk: int) -> Feedback:
    return get_object_or_404(
        Feedback.objects.visible_to(user).select_related("inspection__round__committee", "inspection__unit"),
        pk=pk,
    )


def _copy(user: User, pk: int) -> FeedbackCopy:
    return get_object_or_404(
        FeedbackCopy.objects.visible_to(user).select_related(
            "feedback__inspection__round__committee",
            "feedback__inspection__unit",
            "feedback__inspection__team",
            "leader",
            "department",
            "sent_by",
            "acknowledged_by",
        ),
        pk=pk,
    )


def _copy_url(copy: FeedbackCopy) -> str:
    return reverse("reports:feedback-copy-detail", args=[copy.pk])


def _reader_role(user: User, copy: FeedbackCopy) -> str:
    inspection = copy.feedback.inspection
    return held_role(user, {**inspection.reader_roles(), **copies.receiving(copy)}) or (
        Role.LEADING_GROUP if copy.leader_id == user.pk else ""
    )


@login_required
@require_http_methods(["GET", "POST"])
def copy_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    feedback = _feedback(user, pk)
    form = CopyForm(request.POST or None, feedback=feedback)
    back = reverse("reports:feedback-detail", args=[feedback.pk])
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            copies.send_copies,
            feedback,
            leaders=list(form.cleaned_data["leaders"]),
            departments=list(form.cleaned_data["departments"]),
        ),
        allowed=copies.sender_roles(feedback),
        done="已抄送、通报，待对方签收。",
        then=lambda saved: reverse("reports:feedback-detail", args=[saved.pk]),
        title=f"抄送、通报：{feedback.title}",
        back=back,
        template="reports/form.html",
    )


@login_required
@require_GET
def copy_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    found = (
        FeedbackCopy.objects.visible_to(user)
        .select_related("feedback__inspection__unit", "leader", "department")
        .order_by("-acknowledged_at", "-sent_at", "-pk")
    )
    if request.GET.get("pending"):
        found = found.filter(acknowledged_at=None)
    return render(request, "reports/copy_list.html", {"page_obj": paginate(request, found)})


@login_required
@require_GET
def copy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    copy = _copy(user, pk)
    context = {
        "copy": copy,
        "may_acknowledge": not copy.is_acknowledged and copies.may_acknowledge(user, copy),
    }
    return render(request, "reports/copy_detail.html", context)


@login_required
@require_GET
def copy_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    copy = _copy(user, pk)
    feedback = copy.feedback
    data = documents.feedback_docx(feedback)
    record_read(
        "feedback_copy.read", copy, by=user, role=_reader_role(user, copy), details={"copy_kind": copy.kind}
    )
    return document_response(request, data, documents.filename(feedback))


@login_required
@require_http_methods(["GET", "POST"])
def copy_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    copy = _copy(user, pk)
    if not copies.may_acknowledge(user, copy):
        raise NotAllowed(f"只有{copy.receiver_name}可以签收。")
    return confirm_page(
        request,
        lambda: perform(user, copies.acknowledge_copy, copy),
        question=f"确认签收{copy.feedback.inspection.unit.name}巡察反馈意见（{copy.get_kind_display()}）？",
        done="已签收。",
        back=_copy_url(copy),
    )


def home_panels(user: User) -> list[Panel]:
    """The receiving side: copies waiting for its receipt."""
    s = user.scopes
    if not s.ids(Role.RECEIVER, Role.LEADING_GROUP):
        return []
    pending = FeedbackCopy.objects.filter(
        Q(department_id__in=s.ids(Role.RECEIVER)) | Q(leader_id=user.pk), acknowledged_at=None
    ).select_related("feedback__inspection__unit")
    items, count = head(pending.order_by("sent_at", "pk"), PANEL_LIMIT)
    if not count:
        return []
    context = {"copies": items, "count": count}
    return [Panel("待签收的巡察反馈意见", "reports/home_copies.html", context, order=27)]


def copies_of(user: User, feedback: Feedback) -> dict[str, Any]:
    """The feedback page's copies section: shown to the office, the leading group and the team."""
    inspection = feedback.inspection
    roles: dict[str, int] = dict.fromkeys(READERS, inspection.round.committee_id)
    roles |= dict.fromkeys(TEAM_ROLES, inspection.team_id)
    if not holds(user, roles):
        return {"copies_shown": False}
    return {
        "copies_shown": True,
        "copies": feedback.copies.select_related("leader", "department", "acknowledged_by"),
        "may_copy": feedback.status == FeedbackStatus.DELIVERED
        and holds(user, copies.sender_roles(feedback)),
    }


urlpatterns: list[URLPattern] = [
    path("feedbacks/<int:pk>/copies/new/", copy_create, name="feedback-copy-new"),
    path("feedback-copies/", copy_list, name="feedback-copy-list"),
    path("feedback-copies/<int:pk>/", copy_detail, name="feedback-copy-detail"),
    path("feedback-copies/<int:pk>/download/", copy_download, name="feedback-copy-download"),
    path("feedback-copies/<int:pk>/acknowledge/", copy_acknowledge, name="feedback-copy-acknowledge"),
]
