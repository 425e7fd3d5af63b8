"""Pages of common problems across rounds (共性问题): the committee's categories that recur across rounds,
the counts of its lower committees, the findings similar in text; and the office's 建章立制 recommendation
form (a 督办单 to a department or a unit).

The office and the leading group of a committee read its page; the office alone recommends (the leading
group gets 403 on the form); everyone else gets the 404 of a missing page."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.choices import Role
from xuncha.core.forms import StyledForm
from xuncha.core.models import User
from xuncha.core.permissions import acting_user
from xuncha.core.scoping import perform
from xuncha.core.ui import form_page, id_param
from xuncha.orgs.models import Committee, Department, Unit
from xuncha.taxonomy.models import Category

from .. import common
from ..models import Recommendation, RecommendationBasis

GET_POST = ["GET", "POST"]


class RecommendForm(StyledForm):
    subject = forms.CharField(label="督办事项", max_length=200)
    requirements = forms.CharField(
        label="建章立制要求", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    due_on = forms.DateField(label="办理时限")
    lead_department = forms.ModelChoiceField(
        label="牵头部门", queryset=Department.objects.none(), required=False
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), required=False, help_text="牵头部门和牵头单位选其一。"
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(committee=committee).order_by("pk")
        units = Unit.objects.filter(committee=committee, is_active=True).order_by("name")
        self.fields["lead_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]


def _committee(request: HttpRequest, user: User) -> Committee:
    readable = common.reader_committee_ids(user)
    if not readable:
        raise Http404
    chosen = id_param(request.GET.get("committee", ""))
    if chosen is None:
        offices = sorted(user.scopes.ids(Role.OFFICE)) or sorted(readable)
        chosen = offices[0]
    if chosen not in readable:
        raise Http404
    return Committee.objects.get(pk=chosen)


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", RecommendationBasis.FOCUS)
    return by if by in common.BASES else RecommendationBasis.FOCUS


@login_required
@require_GET
def common_problems(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    committee = _committee(request, user)
    by = _by(request)
    office = user.scopes.has(Role.OFFICE, committee.pk)
    categories, lower = common.lower_counts(committee.pk, by) if office else ([], [])
    context = {
        "committee": committee,
        "committees": Committee.objects.filter(pk__in=common.reader_committee_ids(user)).order_by("pk"),
        "by": by,
        "bases": [(b.value, b.label) for b in common.BASES],
        "problems": common.across_rounds(committee.pk, by),
        "similar": common.similar_findings(committee.pk),
        "lower_categories": categories,
        "lower": [(entry, [entry.counts.get(c.pk, 0) for c in categories]) for entry in lower],
        "office": office,
        "recommendations": Recommendation.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("category", "notice__lead_unit", "notice__lead_department")[:20],
        "min_rounds": common.MIN_ROUNDS,
    }
    return render(request, "analytics/common.html", context)


@login_required
@require_http_methods(GET_POST)
def recommend(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    committee = _committee(request, user)
    basis = request.GET.get("basis", "")
    if basis not in RecommendationBasis.values:
        raise Http404
    category = None
    finding_ids: list[int] = []
    if basis in common.BASES:
        category_id = id_param(request.GET.get("category", ""))
        category = Category.objects.filter(pk=category_id).first() if category_id else None
        if category is None:
            raise Http404
        what = f"{RecommendationBasis(basis).label}“{category.name}”"
    else:
        finding_ids = [pk for part in request.GET.get("findings", "").split(",") if (pk := id_param(part))]
        if not finding_ids:
            raise Http404
        what = f"相似问题（{len(finding_ids)}个）"
    form = RecommendForm(request.POST or None, committee=committee)
    back = f"{reverse('analytics:common')}?committee={committee.pk}"
    return form_page(
        request,
        form,
        lambda: (
            perform(
                user,
                common.recommend,
                committee,
                basis=basis,
                category=category,
                finding_ids=finding_ids,
                **form.cleaned_data,
            ).notice
        ),
        allowed={Role.OFFICE: committee.pk},
        done="已签发建章立制督办单。",
        then=lambda notice: reverse("rectification:notice", args=[notice.pk]),
        title=f"建章立制建议：{what}",
        back=back,
    )


urlpatterns: list[URLPattern] = [
    path("common-problems/", common_problems, name="common"),
    path("common-problems/recommend/", recommend, name="common-recommend"),
]
