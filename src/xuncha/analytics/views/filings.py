"""Pages of filings (报备, 上下联动): the list (what the user's committee owes and has filed; for an upper
office, the filings of its lower committees and who is late), one filing, the filing form and the upper
office's 签收.

Only offices have these pages: the office of the filing committee and the office of the committee above it
see a filing; everyone else gets the 404 of a missing id. The lower office sees the 签收 form of its own
filing but may not acknowledge it (403)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page, id_param, paginate, querystring_without_page
from xuncha.orgs.models import Committee

from .. import filings
from ..models import Filing, FilingKind

GET_POST = ["GET", "POST"]


class FilingForm(StyledForm):
    summary = forms.CharField(
        label="报备说明",
        max_length=filings.SUMMARY_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="报告或整改情况的摘要（供上级巡察办了解，勿写入信访人等敏感信息）；巡察工作安排可不填。",
    )


class AcknowledgeForm(StyledForm):
    note = forms.CharField(
        label="签收意见",
        max_length=filings.NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def filing_url(filing: Filing) -> str:
    return reverse("analytics:filing", args=[filing.pk])


def _office(request: HttpRequest) -> User:
    """Filings are an office's business: anyone else gets the 404 of a page that is not there."""
    user = acting_user(request)
    if not user.scopes.ids(Role.OFFICE):
        raise Http404
    return user


@login_required
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    user = _office(request)
    today = timezone.localdate()
    own = filings.filing_committee_ids(user)
    lower = filings.lower_committee_ids(user)
    owed = filings.owed(own) if own else []
    received = Filing.objects.filter(upper_id__in=user.scopes.ids(Role.OFFICE)).select_related("committee")
    kind = request.GET.get("kind", "")
    if kind in FilingKind.values:
        received = received.filter(kind=kind)
    committee_id = id_param(request.GET.get("committee", ""))
    if committee_id is not None:
        received = received.filter(committee_id=committee_id)
    if request.GET.get("pending"):
        received = received.filter(acknowledged_at__isnull=True)
    lower_committees = list(Committee.objects.filter(pk__in=lower).order_by("pk"))
    context = {
        "today": today,
        "owed": [(e, e.overdue(today)) for e in reversed(owed)],
        "lateness": filings.lateness(lower_committees, today) if lower_committees else [],
        "lower_committees": lower_committees,
        "page_obj": paginate(request, received) if lower else None,
        "kinds": FilingKind.choices,
        "chosen": {"kind": kind, "committee": committee_id, "pending": bool(request.GET.get("pending"))},
        "query": querystring_without_page(request),
        "days": {
            "plan": filings.PLAN_FILING_DAYS,
            "report": filings.REPORT_FILING_DAYS,
            "rectification": filings.RECTIFICATION_FILING_DAYS,
        },
    }
    return render(request, "analytics/filings.html", context)


def _filing(user: User, pk: int) -> Filing:
    return get_object_or_404(
        Filing.objects.visible_to(user).select_related("committee", "upper", "filed_by", "acknowledged_by"),
        pk=pk,
    )


@login_required
@require_GET
def filing_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    filing = _filing(user, pk)
    context = {
        "filing": filing,
        "may_acknowledge": not filing.is_acknowledged and user.scopes.has(Role.OFFICE, filing.upper_id),
    }
    return render(request, "analytics/filing.html", context)


@login_required
@require_http_methods(GET_POST)
def filing_new(request: HttpRequest, kind: str, source_id: int) -> HttpResponse:
    user = _office(request)
    if kind not in FilingKind.values:
        raise Http404
    entry = next(
        (
            e
            for e in filings.owed(filings.filing_committee_ids(user))
            if e.kind == kind and e.source_id == source_id
        ),
        None,
    )
    if entry is None:
        raise Http404
    committee = Committee.objects.get(pk=entry.committee_id)
    form = FilingForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(
            user,
            filings.file_filing,
            committee=committee,
            kind=kind,
            source_id=source_id,
            summary=form.cleaned_data["summary"],
        ),
        allowed={Role.OFFICE: committee.pk},
        done="已向上级巡察办报备。",
        then=filing_url,
        title=f"报备{entry.kind_label}：{entry.source_label}",
        back=reverse("analytics:filings"),
    )


@login_required
@require_http_methods(GET_POST)
def filing_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    filing = _filing(user, pk)
    form = AcknowledgeForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: perform(user, filings.acknowledge_filing, filing, note=form.cleaned_data["note"]),
        allowed={Role.OFFICE: filing.upper_id},
        done="已签收。",
        then=filing_url,
        title=f"签收报备：{filing.title}",
        back=filing_url(filing),
    )


urlpatterns: list[URLPattern] = [
    path("filings/", filing_list, name="filings"),
    path("filings/<int:pk>/", filing_page, name="filing"),
    path("filings/new/<str:kind>/<int:source_id>/", filing_new, name="filing-new"),
    path("filings/<int:pk>/acknowledge/", filing_acknowledge, name="filing-acknowledge"),
]
