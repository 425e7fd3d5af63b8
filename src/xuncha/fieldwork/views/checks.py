"""Pages of personal-matters checks: an inspection's checks, setting one up, the draw (with confirmation),
verification, and one person's result (whose details are an audited read).

Only the inspection's team and the office of its committee see them; anyone else, the unit's liaison and
the leading group included, gets 404 as for a missing id. The office reads and verifies; the team writes.
"""

import uuid
from collections.abc import Callable, Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.core.errors import Refused
from xuncha.core.models import User
from xuncha.core.permissions import acting_user, holds, require
from xuncha.core.scoping import perform
from xuncha.core.ui import confirm_page, form_page, paginate, querystring_without_page
from xuncha.orgs.models import Person
from xuncha.rounds.models import Inspection

from ..actions import checks as actions
from ..choices import CheckResult
from ..forms.checks import CheckForm, ResultForm
from ..models import CheckedPerson, PersonalMattersCheck
from ..models.checks import PersonalMattersCheckQuerySet

GET_POST = ["GET", "POST"]


def inspection_for(user: User, pk: int, roles: Callable[[Inspection], Mapping[str, int]]) -> Inspection:
    """An inspection on which ``user`` holds one of ``roles``; 404 otherwise, also for who sees the
    inspection itself (the unit's liaison, the leading group), as for a missing id."""
    inspection = get_object_or_404(
        Inspection.objects.visible_to(user).select_related("round", "team", "unit"), pk=pk
    )
    if not holds(user, roles(inspection)):
        raise Http404
    return inspection


def _inspection(user: User, pk: int) -> Inspection:
    return inspection_for(user, pk, actions.reader_roles)


def _check_url(check: PersonalMattersCheck) -> str:
    return reverse("fieldwork:check-detail", args=[check.pk])


def _check(user: User, pk: int) -> PersonalMattersCheck:
    return get_object_or_404(
        PersonalMattersCheck.objects.visible_to(user).select_related(
            "inspection__round", "inspection__team", "inspection__unit", "drawn_by"
        ),
        pk=pk,
    )


def _with_counts(checks: PersonalMattersCheckQuerySet) -> PersonalMattersCheckQuerySet:
    return checks.annotate(
        drawn_count=Count("persons"),
        consistent_count=Count("persons", filter=Q(persons__result=CheckResult.CONSISTENT)),
        inconsistent_count=Count("persons", filter=Q(persons__result=CheckResult.INCONSISTENT)),
        pending_count=Count("persons", filter=Q(persons__result=CheckResult.PENDING)),
    ).order_by("-created_at", "-pk")  # Meta.ordering does not apply to an aggregating query


@login_required
@require_GET
def check_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    checks = _with_counts(PersonalMattersCheck.objects.visible_to(user).filter(inspection=inspection))
    context = {
        "inspection": inspection,
        "page_obj": paginate(request, checks),
        "query": querystring_without_page(request),
        "may_write": holds(user, actions.writer_roles(inspection)) and not inspection.is_read_only,
    }
    return render(request, "fieldwork/checks/list.html", context)


@login_required
@require_http_methods(GET_POST)
def check_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    inspection = _inspection(user, pk)
    form = CheckForm(request.POST or None, inspection=inspection)
    return form_page(
        request,
        form,
        lambda: perform(user, actions.create_check, inspection, **form.cleaned_data),
        allowed=actions.writer_roles(inspection),
        title="新建个人有关事项抽查",
        done="已新建抽查，请核对抽取范围后抽取。",
        then=_check_url,
        template="fieldwork/checks/form.html",
        inspection=inspection,
    )


def _eligible(check: PersonalMattersCheck) -> list[Person]:
    """Who may be drawn: the frozen list once drawn, else as the draw would see it now."""
    inspection = check.inspection
    ids = (
        check.eligible_ids if check.is_drawn else actions.eligible_ids(inspection, check.extra_persons.all())
    )
    found = Person.objects.select_related("unit").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@login_required
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    check = _check(user, pk)
    inspection = check.inspection
    context = {
        "check": check,
        "inspection": inspection,
        "eligible": _eligible(check),
        # The results without their details: those are read one person at a time, audited.
        "persons": CheckedPerson.objects.visible_to(user)
        .filter(matters_check=check)
        .select_related("person__unit", "recorded_by")
        .defer("details"),
        "may_write": holds(user, actions.writer_roles(inspection)) and not inspection.is_read_only,
    }
    return render(request, "fieldwork/checks/detail.html", context)


@login_required
@require_http_methods(GET_POST)
def check_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    check = _check(user, pk)
    require(user, actions.writer_roles(check.inspection), what="抽取个人有关事项抽查人员")
    return confirm_page(
        request,
        lambda: perform(user, actions.draw, check),
        done="已随机抽取，请逐人核实并记录结果。",
        back=_check_url(check),
        template="fieldwork/checks/draw.html",
        check=check,
        inspection=check.inspection,
        eligible=lambda: _eligible(check),  # only the confirmation page lists them
    )


@login_required
@require_GET
def check_verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    check = _check(user, pk)
    try:
        found = actions.verify(check, by=user)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("fieldwork:check-detail", pk=check.pk)
    names = Person.objects.in_bulk(set(found.expected) | set(found.stored))
    context = {
        "check": check,
        "inspection": check.inspection,
        "found": found,
        "expected": [names.get(pk) for pk in found.expected],
        "stored": [names.get(pk) for pk in found.stored],
    }
    return render(request, "fieldwork/checks/verify.html", context)


@login_required
@require_http_methods(GET_POST)
def check_result(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    checked = get_object_or_404(
        CheckedPerson.objects.visible_to(user).select_related(
            "person__unit", "matters_check__inspection__round", "recorded_by"
        ),
        pk=pk,
    )
    check = checked.matters_check
    inspection = check.inspection
    may_write = holds(user, actions.writer_roles(inspection)) and not inspection.is_read_only
    form = ResultForm(
        request.POST or None, initial={"result": checked.result, "to_finding": checked.to_finding}
    )
    if request.method == "POST":
        require(user, actions.writer_roles(inspection), what="记录核实结果")
        if form.is_valid():
            try:
                perform(user, actions.record_result, checked, **form.cleaned_data)
            except Refused as refused:
                form.add_error(refused.field if refused.field in form.fields else None, refused.message)
            else:
                messages.success(request, f"已记录{checked.person.name}的核实结果。")
                return redirect("fieldwork:check-detail", pk=check.pk)
    else:
        actions.details_read(check, [checked], by=user)
        form.initial["details"] = checked.details
    context = {
        "checked": checked,
        "check": check,
        "inspection": inspection,
        "form": form,
        "may_write": may_write,
    }
    return render(request, "fieldwork/checks/result.html", context)


def section(request: HttpRequest, inspection: Inspection) -> str:
    """The checks' block of the inspection's fieldwork page (two queries), or "" for who may not see it."""
    user = acting_user(request)
    if not holds(user, actions.reader_roles(inspection)):
        return ""
    counts = PersonalMattersCheck.objects.filter(inspection=inspection).aggregate(
        checks=Count("pk", distinct=True),
        undrawn=Count("pk", filter=Q(drawn_at__isnull=True), distinct=True),
        pending=Count("persons", filter=Q(persons__result=CheckResult.PENDING)),
        inconsistent=Count("persons", filter=Q(persons__result=CheckResult.INCONSISTENT)),
        to_finding=Count("persons", filter=Q(persons__to_finding=True)),
    )
    return render_to_string(
        "fieldwork/checks/_section.html", {"inspection": inspection, "counts": counts}, request=request
    )


urlpatterns: list[URLPattern] = [
    path("checks/inspections/<int:pk>/", check_list, name="check-list"),
    path("checks/inspections/<int:pk>/new/", check_new, name="check-new"),
    path("checks/<int:pk>/", check_detail, name="check-detail"),
    path("checks/<int:pk>/draw/", check_draw, name="check-draw"),
    path("checks/<int:pk>/verify/", check_verify, name="check-verify"),
    path("checks/results/<uuid:pk>/", check_result, name="check-result"),
]
